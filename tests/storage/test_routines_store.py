"""The user's routines and stretches on disk: round trips, ownership, import and export."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchdesk import resources
from stretchdesk.core.loader import load_catalogue
from stretchdesk.core.model import Catalogue, Routine, RoutineItem, Sides
from stretchdesk.core.routine import load_routines
from stretchdesk.storage import routines_store
from stretchdesk.storage.paths import AppPaths
from stretchdesk.storage.routines_store import (
    MARKER,
    InvalidFileError,
    RoutineStore,
    StoreError,
    StretchStore,
    next_free_id,
)

BUILTIN_STRETCHES = resources.data_file("stretches.yaml")
CATALOGUE: Catalogue = load_catalogue(BUILTIN_STRETCHES).catalogue
BUILTIN_ROUTINES = load_routines(resources.data_file("routines.yaml"), None, CATALOGUE).routines


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), to prove nothing changed."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "config", tmp_path / "data")


@pytest.fixture
def store(paths: AppPaths) -> RoutineStore:
    return RoutineStore(paths, CATALOGUE, BUILTIN_ROUTINES)


def my_routine(routine_id: str = "my-morning", **changes) -> Routine:
    routine = Routine(
        id=routine_id,
        name="My morning",
        description="Five easy minutes before coffee.",
        items=(
            RoutineItem("cat-cow"),
            RoutineItem("knee-to-chest", hold_seconds=32.5),
            RoutineItem("glute-bridge", reps=8, sets=2),
            RoutineItem("dead-bug", sides=Sides.ALTERNATING, reps=4),
        ),
        prepare_seconds=0,
        rest_seconds=7,
        switch_seconds=5,
    )
    return dataclasses.replace(routine, **changes)


def without_source(routine: Routine) -> Routine:
    return dataclasses.replace(routine, source="")


# --- routines ------------------------------------------------------------------------------


def test_a_routine_survives_a_save_and_load(store: RoutineStore) -> None:
    routine = my_routine()
    path = store.save(routine)
    assert path == store.folder / "my-morning.yaml"
    assert path.read_text(encoding="utf-8").startswith(MARKER)
    loaded = store.load()
    assert not loaded.problems
    assert [without_source(r) for r in loaded.routines] == [routine]
    assert loaded.routines[0].source == str(path)


routine_items = st.builds(
    RoutineItem,
    stretch_id=st.sampled_from([s.id for s in CATALOGUE.stretches]),
    hold_seconds=st.one_of(st.none(), st.integers(1, 600).map(float)),
    sets=st.one_of(st.none(), st.integers(1, 5)),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.strip()),
    description=st.text(max_size=80).filter(lambda s: s.strip() == s),
    items=st.lists(routine_items, min_size=1, max_size=6),
    rest=st.integers(0, 60).map(float),
)
def test_any_routine_round_trips(
    store: RoutineStore, name: str, description: str, items: list[RoutineItem], rest: float
) -> None:
    # Overrides must suit the stretch: a hold for held stretches, reps for the others.
    fixed = tuple(
        item
        if CATALOGUE[item.stretch_id].hold_seconds is not None
        else dataclasses.replace(item, hold_seconds=None, reps=5)
        for item in items
    )
    routine = Routine("round-trip", name, description, fixed, rest_seconds=rest)
    try:
        store.save(routine)
    except StoreError:  # names the loader refuses (control characters and such) are not saved
        assert not (store.folder / "round-trip.yaml").exists()
        return
    loaded = {r.id: r for r in store.load().routines}
    assert without_source(loaded["round-trip"]) == routine


def test_saving_again_replaces_our_own_file(store: RoutineStore) -> None:
    first = store.save(my_routine())
    second = store.save(my_routine(name="My slow morning"))
    assert first == second
    assert [p.name for p in store.folder.iterdir()] == ["my-morning.yaml"]
    assert store.load().routines[0].name == "My slow morning"


def test_built_in_routines_are_read_only(store: RoutineStore) -> None:
    with pytest.raises(StoreError, match="built-in routine") as caught:
        store.save(my_routine("desk-break"))
    assert caught.value.suggested_id == "desk-break-2"
    assert snapshot(store.folder) == {}


def test_a_hand_written_file_is_never_changed(store: RoutineStore) -> None:
    store.folder.mkdir(parents=True)
    mine = store.folder / "mine.yaml"
    mine.write_text(
        "routines:\n  - id: my-morning\n    name: Hand made\n    items: [cat-cow]\n",
        encoding="utf-8",
    )
    before = snapshot(store.folder)
    with pytest.raises(StoreError, match="did not write") as caught:
        store.save(my_routine())
    assert caught.value.suggested_id == "my-morning-2"
    with pytest.raises(StoreError, match="did not write"):
        store.delete("my-morning")
    with pytest.raises(StoreError):
        store.rename("my-morning", "Another name")
    assert snapshot(store.folder) == before


def test_a_new_routine_never_takes_a_users_file_name(store: RoutineStore) -> None:
    store.folder.mkdir(parents=True)
    taken = store.folder / "my-morning.yaml"
    taken.write_text("# notes to self, not a routine\n", encoding="utf-8")
    path = store.save(my_routine())
    assert path.name == "my-morning-2.yaml"
    assert taken.read_text(encoding="utf-8") == "# notes to self, not a routine\n"


def test_an_invalid_routine_is_not_written(store: RoutineStore) -> None:
    with pytest.raises(StoreError, match="not valid"):
        store.save(my_routine(items=(RoutineItem("no-such-stretch"),)))
    with pytest.raises(StoreError, match="not valid"):
        store.save(my_routine(routine_id="Not An Id"))
    assert snapshot(store.folder) == {}


def test_rename_keeps_the_id_and_the_file(store: RoutineStore) -> None:
    path = store.save(my_routine())
    assert store.rename("my-morning", "  Sunrise  ") == path
    assert store.load().routines[0].name == "Sunrise"
    with pytest.raises(StoreError, match="needs a name"):
        store.rename("my-morning", "  ")
    with pytest.raises(StoreError, match="no routine of yours"):
        store.rename("nothing-here", "x")


def test_delete_moves_to_the_deleted_folder_and_restore_brings_it_back(
    store: RoutineStore,
) -> None:
    path = store.save(my_routine())
    data = path.read_bytes()
    kept = store.delete("my-morning")
    assert not path.exists()
    assert kept == store.deleted_folder / "my-morning.yaml"
    assert kept.read_bytes() == data
    assert store.load().routines == ()  # the loader does not read the deleted folder
    assert store.deleted() == [kept]
    # Deleting a second version keeps both.
    store.save(my_routine())
    assert store.delete("my-morning").name == "my-morning-2.yaml"
    assert store.restore(kept) == path
    assert [r.id for r in store.load().routines] == ["my-morning"]
    with pytest.raises(StoreError, match="in use again"):
        store.restore(store.deleted_folder / "my-morning-2.yaml")
    with pytest.raises(StoreError, match="no routine of yours"):
        store.delete("desk-break")


# --- import and export ---------------------------------------------------------------------


def test_export_then_import_round_trip(store: RoutineStore, tmp_path: Path) -> None:
    desk = next(r for r in BUILTIN_ROUTINES if r.id == "desk-break")
    shared = store.export(desk, tmp_path / "share.yaml")
    assert shared.read_text(encoding="utf-8").startswith("# A StretchDesk routine: Desk break.")
    result = store.import_file(shared)
    assert result.renamed == {"desk-break": "desk-break-2"}
    (imported,) = store.load().routines
    assert imported.id == "desk-break-2"
    assert without_source(imported) == dataclasses.replace(desk, id="desk-break-2", source="")
    # Importing again picks the next free id.
    again = store.import_file(shared)
    assert again.routines[0].id == "desk-break-3"


def test_export_never_overwrites_unless_asked(store: RoutineStore, tmp_path: Path) -> None:
    target = tmp_path / "share.yaml"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match="already exists"):
        store.export(my_routine(), target)
    assert target.read_text(encoding="utf-8") == "keep me"
    store.export(my_routine(), target, overwrite=True)
    assert store.read_file(target)[0] == dataclasses.replace(my_routine(), source="share.yaml")


def test_import_of_a_file_with_several_routines(store: RoutineStore, tmp_path: Path) -> None:
    source = tmp_path / "two.yaml"
    source.write_text(
        "version: 1\nroutines:\n"
        "  - {id: evening-deep-stretch, name: Mine, items: [childs-pose]}\n"
        "  - {id: fresh-one, name: Fresh, items: [cat-cow, {stretch: knee-to-chest, sets: 2}]}\n",
        encoding="utf-8",
    )
    result = store.import_file(source)
    assert [r.id for r in result.routines] == ["evening-deep-stretch-2", "fresh-one"]
    assert sorted(p.name for p in result.paths) == ["evening-deep-stretch-2.yaml", "fresh-one.yaml"]
    assert {r.id for r in store.load().routines} == {"evening-deep-stretch-2", "fresh-one"}


BROKEN = {
    "unknown-stretch": (
        "routines:\n  - id: a\n    name: A\n    items:\n      - cat-cow\n      - knee-to-chst\n",
        "broken.yaml:6:9: routines[0].items[1]: unknown stretch 'knee-to-chst'; "
        "did you mean 'knee-to-chest'?",
    ),
    "not-yaml": ("routines: [\n  - id: a\n", "not valid YAML"),
    "duplicate-id": (
        "routines:\n  - {id: a, name: A, items: [cat-cow]}\n"
        "  - {id: a, name: B, items: [cat-cow]}\n",
        "broken.yaml:3:10: routines[1].id: duplicate routine id 'a'",
    ),
    "empty": ("", "the file is empty"),
    "no-routines": ("routines: []\n", "no routine to import"),
    "one-bad-of-two": (
        "routines:\n  - {id: good, name: G, items: [cat-cow]}\n"
        "  - {id: bad, name: B, items: [cat-cow], rest_seconds: -1}\n",
        "broken.yaml:3:",
    ),
    "not-utf8": (b"routines:\n  - id: caf\xe9\n", "not valid UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_import_changes_nothing(store: RoutineStore, tmp_path: Path, case: str) -> None:
    store.save(my_routine())
    store.save(my_routine("second", name="Second"))
    before = snapshot(store.folder)
    content, message = BROKEN[case]
    broken = tmp_path / "broken.yaml"
    if isinstance(content, bytes):
        broken.write_bytes(content)
    else:
        broken.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidFileError) as caught:
        store.import_file(broken)
    assert message in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    for problem in caught.value.problems:
        assert problem.line >= 1 and problem.column >= 1
    assert snapshot(store.folder) == before


def test_a_failed_write_mid_import_takes_back_what_it_wrote(
    store: RoutineStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(my_routine())
    before = snapshot(store.folder)
    source = tmp_path / "two.yaml"
    source.write_text(
        "routines:\n  - {id: one, name: One, items: [cat-cow]}\n"
        "  - {id: two, name: Two, items: [cat-cow]}\n",
        encoding="utf-8",
    )
    real = routines_store.write_atomically
    calls = []

    def second_fails(path: Path, data: bytes, *, replace: bool = True) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, data, replace=replace)

    monkeypatch.setattr(routines_store, "write_atomically", second_fails)
    with pytest.raises(StoreError, match="No space left on device"):
        store.import_file(source)
    assert snapshot(store.folder) == before


def test_import_of_a_missing_file(store: RoutineStore, tmp_path: Path) -> None:
    with pytest.raises(InvalidFileError, match="cannot be read"):
        store.import_file(tmp_path / "nowhere.yaml")


def test_next_free_id() -> None:
    taken = {"a", "a-2", "b-7"}.__contains__
    assert next_free_id("c", taken) == "c"
    assert next_free_id("a", taken) == "a-3"
    assert next_free_id("b-7", taken) == "b-8"


# --- custom stretches ----------------------------------------------------------------------


def test_a_custom_stretch_survives_a_save_and_load(paths: AppPaths) -> None:
    stretches = StretchStore(paths, CATALOGUE)
    mine = dataclasses.replace(
        CATALOGUE["dead-bug"],
        id="my-dead-bug",
        name="My Dead Bug",
        level=CATALOGUE["pigeon-pose"].level,
    )
    path = stretches.save(mine)
    assert path == paths.user_stretches_dir / "my-dead-bug.yaml"
    loaded = load_catalogue(BUILTIN_STRETCHES, paths.user_stretches_dir)
    assert not loaded.problems and not loaded.notices
    assert dataclasses.replace(loaded.catalogue["my-dead-bug"], source="") == dataclasses.replace(
        mine, source=""
    )
    # Every built-in stretch, under a new id, round-trips too.
    for stretch in CATALOGUE.stretches:
        stretches.save(dataclasses.replace(stretch, id=f"copy-of-{stretch.id}"))
    loaded = load_catalogue(BUILTIN_STRETCHES, paths.user_stretches_dir)
    assert not loaded.problems
    for stretch in CATALOGUE.stretches:
        copy = loaded.catalogue[f"copy-of-{stretch.id}"]
        assert dataclasses.replace(copy, id=stretch.id, source="") == dataclasses.replace(
            stretch, source=""
        )


def test_custom_stretch_rules(paths: AppPaths) -> None:
    stretches = StretchStore(paths, CATALOGUE)
    with pytest.raises(StoreError, match="built-in stretch") as caught:
        stretches.save(CATALOGUE["cat-cow"])
    assert caught.value.suggested_id == "cat-cow-2"
    with pytest.raises(StoreError, match="not valid"):
        stretches.save(dataclasses.replace(CATALOGUE["cat-cow"], id="odd", areas=("elbow",)))
    assert snapshot(paths.user_stretches_dir) == {}
    mine = dataclasses.replace(CATALOGUE["cat-cow"], id="my-cat-cow")
    path = stretches.save(mine)
    assert stretches.save(dataclasses.replace(mine, name="Slow Cat-Cow")) == path
    kept = stretches.delete("my-cat-cow")
    assert kept.parent.name == "deleted" and not path.exists()
