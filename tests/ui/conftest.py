"""Fixtures the UI tests share: the built-in library, and a history in a temporary folder."""

from __future__ import annotations

import pytest

from stretchdesk.library import load_library
from stretchdesk.storage.history import History
from stretchdesk.storage.paths import AppPaths


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("lib")
    return load_library(AppPaths.resolve(root / "config", root / "data"))


@pytest.fixture
def history(tmp_path):
    store = History.open(tmp_path / "history.sqlite3")
    yield store
    store.close()
