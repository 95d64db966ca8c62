"""The start-up library: read from the files, reused from the cache while they are unchanged."""

from __future__ import annotations

import os

import pytest

from stretchdesk import library as library_module
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths

USER_FILE = """\
stretches:
  - id: neck-glide
    name: Neck Glide
    summary: Glide the head back.
    areas: [neck]
    kind: static
    position: seated
    hold_seconds: {hold}
    steps: [Sit tall., Glide your head back and hold.]
"""


@pytest.fixture
def paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


def test_cache_gives_the_same_library(paths):
    first = load_library(paths)
    assert (paths.cache_dir / "library.pickle").is_file()
    again = load_library(paths)
    assert again == first
    assert again == load_library(paths, use_cache=False)


def test_a_changed_user_file_is_read_again(paths):
    user_dir = paths.user_stretches_dir
    user_dir.mkdir(parents=True)
    mine = user_dir / "mine.yaml"
    mine.write_text(USER_FILE.format(hold=10))
    assert load_library(paths).catalogue["neck-glide"].hold_seconds == 10
    mine.write_text(USER_FILE.format(hold=25))
    os.utime(mine, ns=(1, 1))  # even with an odd timestamp, the size and time differ
    assert load_library(paths).catalogue["neck-glide"].hold_seconds == 25
    mine.unlink()
    assert "neck-glide" not in load_library(paths).catalogue


def test_a_damaged_cache_means_a_full_load(paths):
    expected = load_library(paths)
    (paths.cache_dir / "library.pickle").write_bytes(b"not a pickle")
    assert load_library(paths) == expected


def test_no_cache_folder_is_fine(paths, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(library_module.tempfile, "mkstemp", refuse)
    library = load_library(paths)
    assert len(library.catalogue) > 30
    assert not (paths.cache_dir / "library.pickle").exists()


def test_problems_survive_the_cache(paths):
    paths.user_stretches_dir.mkdir(parents=True)
    (paths.user_stretches_dir / "bad.yaml").write_text(USER_FILE.format(hold=-1))
    first = load_library(paths)
    assert first.problems and "hold_seconds" in str(first.problems[0])
    assert load_library(paths).problems == first.problems


def test_a_new_user_routine_is_read_again(paths):
    assert load_library(paths).routine("my-mini") is None
    paths.user_routines_dir.mkdir(parents=True)
    (paths.user_routines_dir / "mine.yml").write_text(
        "routines:\n  - id: my-mini\n    name: My mini\n    items: [chin-tucks]\n"
    )
    assert load_library(paths).routine("my-mini") is not None
