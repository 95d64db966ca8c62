"""The shared atomic-write helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stretchdesk.storage import atomic


def test_replace_and_no_replace(tmp_path: Path) -> None:
    target = tmp_path / "file.yaml"
    atomic.write_atomically(target, b"one", replace=False)
    assert target.read_bytes() == b"one"
    with pytest.raises(FileExistsError):
        atomic.write_atomically(target, b"two", replace=False)
    assert target.read_bytes() == b"one"
    atomic.write_atomically(target, b"three")
    assert target.read_bytes() == b"three"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.yaml"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "file.yaml"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        atomic.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.yaml"]


def test_rename_no_replace(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    with pytest.raises(FileExistsError):
        atomic.rename_no_replace(a, b)
    assert a.read_bytes() == b"a" and b.read_bytes() == b"b"
    c = tmp_path / "c"
    atomic.rename_no_replace(a, c)
    assert not a.exists() and c.read_bytes() == b"a"
