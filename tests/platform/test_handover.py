"""The handover file and the process switch (with the exec faked)."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest

from stretchdesk.platform import handover
from stretchdesk.platform.handover import (
    HandoverError,
    handover_file,
    inherited_socket,
    read_handover,
    relaunch_argv,
    switch,
    write_handover,
)


def test_written_then_read_once(tmp_path: Path) -> None:
    path = handover_file(str(tmp_path / "app.sock"), pid=42)
    assert path == tmp_path / "app.42.handover.json"
    write_handover(path, {"mode": "resident", "listen_fd": 7})
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_handover(path) == {"version": 1, "mode": "resident", "listen_fd": 7}
    assert not path.exists()  # read once, then gone
    with pytest.raises(HandoverError, match="cannot read"):
        read_handover(path)


@pytest.mark.parametrize(
    ("content", "mode", "words"),
    [
        ('{"version": 1}', 0o644, "not a private file"),
        ("not json", 0o600, "not a handover"),
        ('{"version": 99}', 0o600, "this version"),
        ("[1, 2]", 0o600, "this version"),
    ],
)
def test_unusable_handovers_are_refused_and_removed(tmp_path, content, mode, words) -> None:
    path = tmp_path / "x.handover.json"
    path.write_text(content)
    path.chmod(mode)
    with pytest.raises(HandoverError, match=words):
        read_handover(path)
    assert not path.exists()


def test_a_huge_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.handover.json"
    path.write_bytes(b" " * (handover.MAX_HANDOVER_BYTES + 1))
    path.chmod(0o600)
    with pytest.raises(HandoverError, match="too big"):
        read_handover(path)


def test_only_a_real_socket_is_taken_as_the_inherited_one(tmp_path: Path) -> None:
    one, two = socket.socketpair()
    with one, two, open(tmp_path / "f", "w") as plain:
        assert inherited_socket(one.fileno()) == one.fileno()
        assert inherited_socket(plain.fileno()) is None
        assert inherited_socket(True) is None
        assert inherited_socket(2) is None
        assert inherited_socket("5") is None
        assert inherited_socket(None) is None
    assert inherited_socket(one.fileno() + 1000) is None  # not open


def test_the_relaunch_runs_this_package_with_the_folders_and_the_file(tmp_path: Path) -> None:
    argv = relaunch_argv(tmp_path / "c", tmp_path / "d", tmp_path / "h.json")
    assert argv == [
        sys.executable,
        "-m",
        "stretchdesk",
        "--config-dir",
        str(tmp_path / "c"),
        "--data-dir",
        str(tmp_path / "d"),
        "--handover",
        str(tmp_path / "h.json"),
    ]


def test_the_switch_keeps_only_the_socket_and_finds_this_package(monkeypatch) -> None:
    closed, run = [], []
    monkeypatch.setattr(os, "closerange", lambda low, high: closed.append((low, high)))
    one, two = socket.socketpair()
    with one, two:
        assert not os.get_inheritable(one.fileno())
        argv = [sys.executable, "-m", "stretchdesk"]
        switch(argv, one.fileno(), execve=lambda *a: run.append(a))
        assert os.get_inheritable(one.fileno())
        fd = one.fileno()
        assert closed[0] == (3, fd) and closed[1][0] == fd + 1 and closed[1][1] > fd
    program, argv, environ = run[0]
    assert program == sys.executable and argv == [sys.executable, "-m", "stretchdesk"]
    assert environ[handover.LISTEN_FD_ENV] == str(fd)
    package_root = str(Path(handover.__file__).resolve().parents[2])
    assert environ["PYTHONPATH"].split(os.pathsep)[0] == package_root


def test_the_time_zone_search_path_goes_along(monkeypatch) -> None:
    import zoneinfo

    monkeypatch.delenv("PYTHONTZPATH", raising=False)
    monkeypatch.setattr(os, "closerange", lambda low, high: None)
    run = []
    switch([sys.executable], None, execve=lambda *a: run.append(a))
    assert run[0][2]["PYTHONTZPATH"].split(os.pathsep) == list(zoneinfo.TZPATH)
    monkeypatch.setenv("PYTHONTZPATH", "/elsewhere")
    switch([sys.executable], None, execve=lambda *a: run.append(a))
    assert run[1][2]["PYTHONTZPATH"] == "/elsewhere"  # the user's own setting is kept


def test_without_a_socket_everything_above_stderr_is_closed(monkeypatch) -> None:
    closed = []
    monkeypatch.setattr(os, "closerange", lambda low, high: closed.append((low, high)))
    switch([sys.executable], None, execve=lambda *a: None)
    assert closed[0][0] == 3 and len(closed) == 1


def test_a_program_that_cannot_run_changes_nothing(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(os, "closerange", lambda low, high: pytest.fail("closed files"))
    with pytest.raises(OSError, match="cannot be run"):
        switch([str(tmp_path / "no-python")], None, execve=lambda *a: pytest.fail("ran"))


def test_the_kept_socket_is_found_in_the_environment_once(monkeypatch) -> None:
    one, two = socket.socketpair()
    with one, two:
        monkeypatch.setenv(handover.LISTEN_FD_ENV, str(one.fileno()))
        assert handover.listen_fd_from_environment() == one.fileno()
        assert handover.LISTEN_FD_ENV not in os.environ
        assert handover.listen_fd_from_environment() is None
        monkeypatch.setenv(handover.LISTEN_FD_ENV, "seven")
        assert handover.listen_fd_from_environment() is None


def test_windows_does_not_switch() -> None:
    assert not handover.can_switch("win32")
    assert handover.can_switch("linux")


def test_the_file_is_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    write_handover(path, {"mode": "full", "action": {"routine": "desk-break"}})
    assert json.loads(path.read_text())["action"] == {"routine": "desk-break"}
