"""Routine files: reading, validation with positions, merging, lookup, and the built-ins."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from session_fixtures import catalogue, hold_stretch, rep_stretch

from stretchdesk import resources
from stretchdesk.core.engine import SessionEngine, State
from stretchdesk.core.loader import load_catalogue
from stretchdesk.core.model import Sides
from stretchdesk.core.routine import (
    Routine,
    RoutineItem,
    UnknownRoutineError,
    apply_overrides,
    check_routine_file,
    find_routine,
    load_routines,
    parse_routines,
)
from stretchdesk.core.timeline import routine_duration
from stretchdesk.core.yamlsafe import read_yaml_text

CAT = catalogue(
    hold_stretch("childs-pose", hold=30),
    hold_stretch("knee-to-chest", hold=20, sides=Sides.EACH),
    rep_stretch("cat-cow", reps=10),
)


def parse(text: str, name: str = "r.yaml"):
    return parse_routines(read_yaml_text(textwrap.dedent(text), name), name, CAT)


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
version: 1
routines:
  - id: gentle
    name: Gentle start
    description: A kind way in.
    prepare_seconds: 0
    rest_seconds: 8
    items:
      - childs-pose
      - {stretch: knee-to-chest, hold_seconds: 15, sets: 2}
      - stretch: cat-cow
        reps: 4
        sides: alternating
"""


def test_a_valid_file():
    routines, problems = parse(GOOD)
    assert problems == []
    (routine,) = routines
    assert routine.id == "gentle" and routine.name == "Gentle start"
    assert routine.description == "A kind way in."
    assert routine.prepare_seconds == 0 and routine.waits_for_ready
    assert routine.rest_seconds == 8 and routine.switch_seconds == 5  # the default
    assert routine.items == (
        RoutineItem("childs-pose"),
        RoutineItem("knee-to-chest", hold_seconds=15, sets=2),
        RoutineItem("cat-cow", reps=4, sides=Sides.ALTERNATING),
    )
    assert routine.stretch_ids == ("childs-pose", "knee-to-chest", "cat-cow")
    assert routine.source == "r.yaml"


def test_unknown_stretch_with_did_you_mean_and_position():
    _, problems = parse(
        """\
        routines:
          - id: r
            name: R
            items:
              - childs-pose
              - knee-to-chst
              - {stretch: catcow}
        """
    )
    assert messages(problems) == [
        "r.yaml:6:9: routines[0].items[1]: unknown stretch 'knee-to-chst'; "
        "did you mean 'knee-to-chest'?",
        "r.yaml:7:19: routines[0].items[2].stretch: unknown stretch 'catcow'; "
        "did you mean 'cat-cow'?",
    ]


def test_every_problem_is_reported_and_bad_routines_are_skipped():
    routines, problems = parse(
        """\
        routines:
          - id: Bad Id
            name: ""
            rest_seconds: -1
            prepare_secs: 3
            items: []
          - id: good
            name: Good
            items: [childs-pose]
          - id: overrides
            name: Overrides
            items:
              - {stretch: childs-pose, reps: 3, sides: alternating}
              - {stretch: cat-cow, hold_seconds: 30, sets: 0}
              - {stretch: knee-to-chest, sides: both, hold: 3}
          - id: good
            name: Again
            items: [cat-cow]
        """
    )
    assert [r.id for r in routines] == ["good"]
    text = "\n".join(messages(problems))
    assert "r.yaml:2:9: routines[0].id: expected an id of lowercase letters" in text
    assert "routines[0].name: expected text" in text
    assert "routines[0].rest_seconds: expected a number of seconds, 0 or more, found -1" in text
    assert "unknown field 'prepare_secs'; did you mean 'prepare_seconds'?" in text
    assert "routines[0].items: expected a list of stretches with at least one item" in text
    assert "routines[2].items[0].reps: 'childs-pose' is held, not done in reps" in text
    assert "routines[2].items[0].sides: 'alternating' needs a stretch done in reps" in text
    assert "routines[2].items[1].hold_seconds: 'cat-cow' is done in reps, not held" in text
    assert "routines[2].items[1].sets: expected a positive whole number, found 0" in text
    assert "routines[2].items[2].sides: unknown sides 'both'" in text
    assert "routines[2].items[2].hold: unknown field 'hold'" in text
    assert "r.yaml:16:9: routines[3].id: duplicate routine id 'good'" in text
    lines = [p.line for p in problems]
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "expected a mapping with a 'routines' list, found a list"),
        ("version: 2\nroutines: []\n", "version: expected version 1, found 2"),
        ("stretches: []\n", "missing required field 'routines'"),
        ("routines: {a: 1}\n", "routines: expected a list, found a mapping"),
        ("routines:\n  - 3\n", "routines[0]: expected a routine, found 3"),
        (
            "routines:\n  - {id: x, name: X}\n",
            "routines[0]: missing required field 'items'",
        ),
    ],
)
def test_file_shape_problems(text, expected):
    routines, problems = parse(text)
    assert routines == []
    assert any(expected in m for m in messages(problems)), messages(problems)


def test_check_routine_file(tmp_path):
    good = write(tmp_path, "good.yaml", GOOD)
    assert check_routine_file(good, CAT) == []
    broken = write(tmp_path, "broken.yaml", "routines: [\n")
    (problem,) = check_routine_file(broken, CAT)
    assert problem.file == str(broken) and "not valid YAML" in problem.message
    assert check_routine_file(tmp_path / "missing.yaml", CAT)[0].message.startswith(
        "cannot be read"
    )


def test_load_routines_merges_user_files(tmp_path):
    builtin = write(
        tmp_path,
        "routines.yaml",
        """\
        routines:
          - {id: one, name: One, items: [childs-pose]}
          - {id: two, name: Two, items: [cat-cow]}
        """,
    )
    user = tmp_path / "routines.d"
    user.mkdir()
    write(user, "a.yaml", "routines:\n  - {id: two, name: My two, items: [knee-to-chest]}\n")
    write(user, "b.yaml", "routines:\n  - {id: mine, name: Mine, items: [childs-pose]}\n")
    write(user, "c.yml", "routines:\n  - {id: mine, name: Mine again, items: [cat-cow]}\n")
    write(user, "d.yaml", "routines:\n  - {id: bad, name: Bad, items: [nope]}\n")
    write(user, "e.yaml", "routines: [\n")  # not YAML: skipped as a whole
    write(user, ".hidden.yaml", "routines: [\n")  # editor files are ignored
    write(user, "notes.txt", "not a routine")
    routines, problems, notices = load_routines(builtin, user, CAT)
    assert [(r.id, r.name) for r in routines] == [
        ("one", "One"),
        ("two", "My two"),
        ("mine", "Mine again"),
    ]
    assert routines[1].source == str(user / "a.yaml")
    assert notices == [
        "a.yaml: routine 'two' replaces the built-in routine of that id",
        "c.yml: routine 'mine' replaces the one in b.yaml",
    ]
    assert [Path(p.file).name for p in problems] == ["d.yaml", "e.yaml"]


def test_load_routines_without_a_user_folder(tmp_path):
    builtin = write(tmp_path, "r.yaml", GOOD)
    result = load_routines(builtin, tmp_path / "absent", CAT)
    assert [r.id for r in result.routines] == ["gentle"]
    assert result.problems == [] and result.notices == []


def test_find_routine_by_id_or_name():
    routines = [
        Routine("morning-mobility", "Morning mobility", "", (RoutineItem("cat-cow"),)),
        Routine("daily-ten", "The daily ten", "", (RoutineItem("cat-cow"),)),
    ]
    assert find_routine(routines, "daily-ten").id == "daily-ten"
    assert find_routine(routines, "the  Daily TEN").id == "daily-ten"
    assert find_routine(routines, "Morning-Mobility").id == "morning-mobility"
    with pytest.raises(UnknownRoutineError) as info:
        find_routine(routines, "morning-mobilty")
    assert info.value.suggestions == ("morning-mobility",)
    assert str(info.value) == (
        "no routine is called 'morning-mobilty'; did you mean 'morning-mobility'?"
    )
    with pytest.raises(LookupError, match=r"no routine is called 'xyz'$"):
        find_routine(routines, "xyz")


def test_apply_overrides():
    stretch = CAT["knee-to-chest"]
    assert apply_overrides(stretch, RoutineItem("knee-to-chest")) is stretch
    changed = apply_overrides(stretch, RoutineItem("knee-to-chest", 12, 3, None, Sides.NONE))
    assert (changed.hold_seconds, changed.sets, changed.sides) == (12, 3, Sides.NONE)
    assert changed.duration_seconds == 36


# --- the built-in routines against the real catalogue ----------------------------------------

TARGETS = {  # seconds
    "morning-mobility": 5 * 60,
    "evening-deep-stretch": 10 * 60,
    "desk-break": 2 * 60,
    "core-support": 6 * 60,
    "upper-back-posture": 6 * 60,
    "flare-up-gentle": 6 * 60,
    "daily-ten": 10 * 60,
}


@pytest.fixture(scope="module")
def builtin():
    catalogue_file = resources.data_file("stretches.yaml")
    loaded = load_catalogue(catalogue_file, None)
    assert loaded.problems == ()
    result = load_routines(resources.data_file("routines.yaml"), None, loaded.catalogue)
    return loaded.catalogue, result


def test_builtin_routines_load_cleanly(builtin):
    _, result = builtin
    assert result.problems == [] and result.notices == []
    assert [r.id for r in result.routines] == list(TARGETS)
    for routine in result.routines:
        assert routine.name and routine.description and routine.items
        assert "\n" not in routine.description


@pytest.mark.parametrize("routine_id", list(TARGETS))
def test_builtin_routine_duration_is_near_its_target(builtin, routine_id):
    catalogue, result = builtin
    routine = find_routine(result.routines, routine_id)
    duration = routine_duration(routine, catalogue)
    target = TARGETS[routine_id]
    assert target * 0.85 <= duration <= target * 1.15, (routine_id, duration)


def test_builtin_routines_use_only_stretches_that_fit(builtin):
    catalogue, result = builtin
    by_id = {r.id: r for r in result.routines}
    for routine in result.routines:
        assert all(item.stretch_id in catalogue for item in routine.items)
    desk = [catalogue[i.stretch_id] for i in by_id["desk-break"].items]
    assert all(s.desk_friendly for s in desk)
    gentle = [catalogue[i.stretch_id] for i in by_id["flare-up-gentle"].items]
    assert all(s.flare_safe for s in gentle)
    morning = {catalogue[i.stretch_id].kind for i in by_id["morning-mobility"].items}
    assert morning <= {"dynamic", "static"}
    assert {"cat-cow", "knee-to-chest", "standing-hip-circles", "leg-swings"} <= set(
        by_id["morning-mobility"].stretch_ids
    )
    assert {"childs-pose", "seated-forward-fold", "pigeon-pose", "lizard-pose"} <= set(
        by_id["evening-deep-stretch"].stretch_ids
    )
    assert {"dead-bug", "bird-dog", "glute-bridge"} <= set(by_id["core-support"].stretch_ids)
    assert {"thoracic-extension", "wall-angels"} <= set(by_id["upper-back-posture"].stretch_ids)


@pytest.mark.parametrize("routine_id", list(TARGETS))
def test_builtin_routine_runs_exactly_its_estimate(builtin, routine_id):
    catalogue, result = builtin
    routine = find_routine(result.routines, routine_id)
    engine = SessionEngine.for_routine(routine, catalogue)
    now = 0.0
    engine.start(now)
    while (deadline := engine.next_deadline()) is not None:
        now = deadline
        engine.update(now)
    assert engine.state is State.FINISHED
    assert now == pytest.approx(routine_duration(routine, catalogue), abs=1e-9)
    assert all(item.outcome == "done" for item in engine.summary().items)
