"""The settings file on disk: round trip, atomic writes, unreadable files kept aside."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from stretchdesk.core.settings import FixedReminder, Settings, Theme, TimeSpan, to_yaml_dict
from stretchdesk.core.yamlsafe import MAX_BYTES
from stretchdesk.storage import settings_store
from stretchdesk.storage.paths import AppPaths
from stretchdesk.storage.settings_store import (
    HEADER,
    LoadedSettings,
    SettingsStore,
    StorageError,
    settings_text,
)

NOW = dt.datetime(2024, 5, 31, 7, 45, 9)
KEPT = "settings.yaml.broken-20240531-074509"

CHANGED = Settings().evolve(
    {
        "appearance.theme": Theme.DARK,
        "player.prepare_seconds": 0,
        "reminders.short_every_minutes": 20,
        "reminders.fixed": (FixedReminder(dt.time(8, 30), "morning", "after coffee"),),
        "safety.last_checkin": dt.date(2024, 5, 30),
    }
)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture
def store(config: Path, tmp_path: Path) -> SettingsStore:
    return SettingsStore(AppPaths(config, tmp_path / "data"), now=lambda: NOW)


def write(config: Path, data: bytes | str) -> Path:
    config.mkdir(parents=True, exist_ok=True)
    path = config / "settings.yaml"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# --- the ordinary path --------------------------------------------------------------------


def test_no_file_gives_defaults_and_creates_nothing(store: SettingsStore, config: Path) -> None:
    assert store.load() == LoadedSettings(Settings())
    assert not config.exists()


def test_save_then_load_gives_the_same_settings(store: SettingsStore, config: Path) -> None:
    assert store.save(CHANGED) == ()
    assert listing(config) == ["settings.yaml"]  # no temporary file left behind
    loaded = store.load()
    assert loaded == LoadedSettings(CHANGED)


def test_only_non_defaults_are_written_under_a_header(store: SettingsStore, config: Path) -> None:
    store.save(Settings())
    assert (config / "settings.yaml").read_text() == HEADER + "version: 2\n"

    store.save(CHANGED)
    text = (config / "settings.yaml").read_text()
    assert text.startswith(HEADER)
    assert all(line.startswith("# ") for line in HEADER.splitlines())
    assert yaml.safe_load(text) == to_yaml_dict(CHANGED)
    assert "voice_volume" not in text and "natural_breaks" not in text
    assert text == settings_text(CHANGED)


def test_saving_the_same_settings_again_does_not_rewrite(
    store: SettingsStore, config: Path
) -> None:
    store.save(CHANGED)
    before = (config / "settings.yaml").stat()
    store.save(CHANGED)
    after = (config / "settings.yaml").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_problems_with_single_values_are_reported_with_locations(
    store: SettingsStore, config: Path
) -> None:
    path = write(config, "version: 2\nplayer:\n  prepare_seconds: 500\n  chimes: false\n")
    loaded = store.load()
    assert [str(p) for p in loaded.problems] == [
        f"{path}:3:20: player.prepare_seconds: expected a whole number from 0 to 60, "
        "found 500; using the default (5)"
    ]
    assert loaded.notices == ()
    assert loaded.settings == Settings().evolve({"player.chimes": False})
    assert listing(config) == ["settings.yaml"]  # a file with bad values is not moved


def test_an_old_version_is_migrated_and_saved_in_the_new_form(
    store: SettingsStore, config: Path
) -> None:
    path = write(config, "version: 1\nbreak_interval: 2700\ntheme: light\n")
    loaded = store.load()
    assert loaded.problems == ()
    assert loaded.settings.reminders.short_every_minutes == 45
    assert loaded.settings.appearance.theme is Theme.LIGHT
    (notice,) = loaded.notices
    assert "older version of StretchDesk (settings version 1)" in notice
    assert path.read_text().startswith("version: 1")  # loading never writes

    store.save(loaded.settings)
    assert yaml.safe_load(path.read_text()) == {
        "version": 2,
        "appearance": {"theme": "light"},
        "reminders": {"short_every_minutes": 45},
    }
    assert store.load() == LoadedSettings(loaded.settings)


def test_a_symlinked_settings_file_stays_a_link(store: SettingsStore, config: Path) -> None:
    real = config.parent / "dotfiles" / "stretchdesk.yaml"
    real.parent.mkdir()
    real.write_text("version: 2\n")
    config.mkdir()
    (config / "settings.yaml").symlink_to(real)
    store.save(CHANGED)
    assert (config / "settings.yaml").is_symlink()
    assert store.load().settings == CHANGED
    assert listing(real.parent) == ["stretchdesk.yaml"]


# --- unreadable files are kept aside, never lost ------------------------------------------

UNREADABLE = {
    "invalid YAML": b"player: [unclosed\n",
    "a list": b"- 1\n- 2\n",
    "not UTF-8": b"player:\n  label: caf\xe9\n",
    "an object tag": b"!!python/object/apply:os.system ['true']\n",
    "a bad version": b"version: two\n",
    "a future version": b"version: 7\nplayer: {chimes: false}\n",
}


@pytest.mark.parametrize("content", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_file_is_kept_aside_with_its_exact_bytes(
    store: SettingsStore, config: Path, content: bytes
) -> None:
    write(config, content)
    loaded = store.load()
    assert loaded.settings == Settings()
    assert listing(config) == [KEPT]
    assert (config / KEPT).read_bytes() == content
    (notice,) = loaded.notices
    assert f"the old file was kept as {config / KEPT}" in notice
    assert "using the default settings" in notice
    (problem,) = loaded.problems
    assert problem.file == str(config / "settings.yaml")


def test_the_notice_says_what_was_wrong(store: SettingsStore, config: Path) -> None:
    write(config, b"a: 1\nb: [\n")
    (notice,) = store.load().notices
    assert notice.startswith(
        f"Your settings file {config / 'settings.yaml'} could not be read (line 3, column 1: "
        "not valid YAML:"
    )
    write(config, b"version: 7\n")
    (notice,) = store.load().notices
    assert "was written by a newer version of StretchDesk (settings version 7; " in notice


def test_a_too_big_file_is_kept_aside(store: SettingsStore, config: Path) -> None:
    content = b"# " + b"x" * MAX_BYTES + b"\n"
    write(config, content)
    loaded = store.load()
    assert loaded.settings == Settings()
    assert "MB are refused" in loaded.notices[0]
    assert (config / KEPT).read_bytes() == content


def test_a_second_broken_file_never_overwrites_the_first_kept_copy(
    store: SettingsStore, config: Path
) -> None:
    write(config, b"first: [\n")
    store.load()
    write(config, b"second: [\n")
    loaded = store.load()
    write(config, b"third: [\n")
    store.load()
    assert listing(config) == [KEPT, KEPT + "-2", KEPT + "-3"]
    assert (config / KEPT).read_bytes() == b"first: [\n"
    assert (config / (KEPT + "-2")).read_bytes() == b"second: [\n"
    assert str(config / (KEPT + "-2")) in loaded.notices[0]


def test_a_file_already_using_the_kept_name_is_not_overwritten(
    store: SettingsStore, config: Path
) -> None:
    config.mkdir()
    (config / KEPT).write_bytes(b"someone else's file")
    write(config, b"{{{")
    store.load()
    assert (config / KEPT).read_bytes() == b"someone else's file"
    assert (config / (KEPT + "-2")).read_bytes() == b"{{{"


def test_without_hard_links_the_file_is_still_kept_aside_safely(
    store: SettingsStore, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(settings_store.os, "link", no_links)
    config.mkdir()
    (config / KEPT).write_bytes(b"kept before")
    write(config, b"{{{")
    store.load()
    assert (config / KEPT).read_bytes() == b"kept before"
    assert (config / (KEPT + "-2")).read_bytes() == b"{{{"


def test_save_keeps_a_future_version_aside_before_writing(
    store: SettingsStore, config: Path
) -> None:
    newer = b"version: 3\nsomething_new: true\n"
    write(config, newer)
    (notice,) = store.save(CHANGED)  # without load() first
    assert "newer version of StretchDesk" in notice
    assert str(config / KEPT) in notice
    assert (config / KEPT).read_bytes() == newer
    assert store.load().settings == CHANGED


def test_save_keeps_a_hand_broken_file_aside(store: SettingsStore, config: Path) -> None:
    store.save(CHANGED)
    (config / "settings.yaml").write_text("player:\n\tchimes: false\n")  # a tab: invalid
    notices = store.save(CHANGED)
    assert len(notices) == 1 and "could not be read" in notices[0]
    assert (config / KEPT).read_text() == "player:\n\tchimes: false\n"


def test_when_the_file_cannot_be_moved_aside_it_is_never_saved_over(
    store: SettingsStore, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    path = write(config, b"version: 99\n")
    monkeypatch.setattr(settings_store.os, "link", refuse)
    monkeypatch.setattr(settings_store.os, "rename", refuse)
    loaded = store.load()
    assert loaded.settings == Settings()
    (notice,) = loaded.notices
    assert "could not be moved aside either (Permission denied)" in notice
    assert f"will not save over {path}" in notice

    with pytest.raises(StorageError, match=r"could not be moved aside \(Permission denied\)"):
        store.save(CHANGED)
    assert path.read_bytes() == b"version: 99\n"
    assert listing(config) == ["settings.yaml"]


def test_a_file_that_cannot_be_opened_is_left_alone(store: SettingsStore, config: Path) -> None:
    (config / "settings.yaml").mkdir(parents=True)  # a folder where the file should be
    loaded = store.load()
    assert loaded.settings == Settings()
    (notice,) = loaded.notices
    assert "could not be opened" in notice and "will not save over that file" in notice
    with pytest.raises(StorageError, match=r"does not save over a file it cannot read"):
        store.save(CHANGED)
    assert (config / "settings.yaml").is_dir()
    assert listing(config) == ["settings.yaml"]


# --- failing writes -----------------------------------------------------------------------


@pytest.fixture
def saved(store: SettingsStore, config: Path) -> Iterator[bytes]:
    store.save(CHANGED)
    yield (config / "settings.yaml").read_bytes()


def _fail(*args: object, **kwargs: object) -> None:
    raise OSError(5, "Input/output error")


@pytest.mark.parametrize("step", ["replace", "fsync", "fdopen"])
def test_a_failure_mid_write_leaves_the_old_file_and_no_temp_file(
    store: SettingsStore,
    config: Path,
    saved: bytes,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    monkeypatch.setattr(settings_store.os, step, _fail)
    with pytest.raises(StorageError) as info:
        store.save(Settings())
    assert str(info.value) == (
        f"Your settings could not be saved to {config / 'settings.yaml'} (Input/output error). "
        "The settings file on disk was left as it was."
    )
    assert isinstance(info.value.__cause__, OSError)
    assert (config / "settings.yaml").read_bytes() == saved
    assert listing(config) == ["settings.yaml"]


def test_an_interrupted_write_leaves_no_temp_file(
    store: SettingsStore, config: Path, saved: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(settings_store.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        store.save(Settings())
    assert (config / "settings.yaml").read_bytes() == saved
    assert listing(config) == ["settings.yaml"]


def test_the_file_and_its_folder_are_synced(
    store: SettingsStore, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(stat.S_IFMT(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(settings_store.os, "fsync", spy)
    store.save(CHANGED)
    assert synced[0] == stat.S_IFREG
    if hasattr(os, "O_DIRECTORY"):
        assert synced[1:] == [stat.S_IFDIR]


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    store = SettingsStore(AppPaths(blocker / "config", tmp_path / "data"), now=lambda: NOW)
    assert store.load() == LoadedSettings(Settings())  # nothing to read: defaults, no fuss
    with pytest.raises(StorageError) as info:
        store.save(CHANGED)
    assert str(info.value).startswith(
        f"Your settings could not be saved: the folder {blocker / 'config'} could not be created"
    )
    assert blocker.read_text() == "x"

    # The config dir itself being a file is refused the same way.
    store = SettingsStore(AppPaths(blocker, tmp_path / "data"), now=lambda: NOW)
    with pytest.raises(StorageError, match=r"could not be created"):
        store.save(CHANGED)
    assert blocker.read_text() == "x"


def test_a_read_only_folder_simulated(
    store: SettingsStore, config: Path, saved: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only folder does to us even where permissions do not apply."""

    def read_only(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(settings_store.tempfile, "mkstemp", read_only)
    with pytest.raises(StorageError) as info:
        store.save(Settings())
    assert "(Permission denied)" in str(info.value)
    assert (config / "settings.yaml").read_bytes() == saved
    assert listing(config) == ["settings.yaml"]


# --- property -----------------------------------------------------------------------------
# tests/core/test_settings.py fuzzes every field through the YAML text; here a random mix of
# changed values goes through the real file.

_TIMES = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))
_SPANS = st.tuples(_TIMES, _TIMES).filter(lambda t: t[0] != t[1]).map(lambda t: TimeSpan(*t))
_LABELS = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=120)
_REMINDERS = st.builds(
    FixedReminder, _TIMES, st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True), _LABELS
)
_CHANGES = {
    "appearance.theme": st.sampled_from(Theme),
    "player.prepare_seconds": st.integers(0, 60),
    "player.voice": st.booleans(),
    "player.voice_rate": st.floats(-1.0, 1.0),
    "reminders.short_every_minutes": st.integers(5, 240),
    "reminders.postpone_minutes": st.sampled_from((5, 10)),
    "reminders.working_hours.monday": st.none() | _SPANS,
    "reminders.working_hours.sunday": st.none() | _SPANS,
    "reminders.fixed": st.lists(_REMINDERS, max_size=4).map(tuple),
    "safety.last_checkin": st.none() | st.dates(),
    "desktop.start_at_login": st.booleans(),
}


@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional=_CHANGES))
def test_random_settings_survive_the_file_exactly(changes: dict[str, object]) -> None:
    expected = Settings().evolve(changes)
    with tempfile.TemporaryDirectory() as folder:
        store = SettingsStore(AppPaths(Path(folder), Path(folder)), now=lambda: NOW)
        store.save(expected)
        assert store.load() == LoadedSettings(expected)
