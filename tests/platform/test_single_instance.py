"""The command socket: names, the server's answers, crashed instances, size limits."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
from pathlib import Path

import pytest

from stretchdesk.core.app_commands import (
    MAX_LINE_BYTES,
    BreakNow,
    Pause,
    RaiseWindow,
    Reply,
    Resume,
    StartRoutine,
)
from stretchdesk.platform.single_instance import (
    CommandServer,
    InstanceError,
    instance_address,
    send_command,
)
from stretchdesk.storage.paths import AppPaths


def test_the_address_holds_the_user_and_the_settings_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    default = Path("/home/someone/.config/StretchDesk")
    usual = instance_address(AppPaths(default, tmp_path), default_config_dir=default)
    assert usual == str(tmp_path / f"io.github.stretchdesk.StretchDesk.{os.getuid()}.sock")
    one = instance_address(AppPaths(tmp_path / "a", tmp_path), default_config_dir=default)
    two = instance_address(AppPaths(tmp_path / "b", tmp_path), default_config_dir=default)
    assert len({usual, one, two}) == 3
    assert one == instance_address(
        AppPaths(tmp_path / "a", tmp_path / "x"), default_config_dir=default
    )


def test_windows_uses_a_pipe_name(tmp_path):
    name = instance_address(AppPaths(tmp_path, tmp_path), platform="win32")
    assert name.startswith("io.github.stretchdesk.StretchDesk.") and "/" not in name


def test_without_a_runtime_folder_the_temporary_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    address = instance_address(AppPaths(tmp_path, tmp_path))
    assert os.path.dirname(address) == os.path.join(
        tempfile.gettempdir(), f"stretchdesk-{os.getuid()}"
    )


def test_a_folder_others_can_enter_is_refused(qtbot, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    with pytest.raises(InstanceError, match="not private"):
        CommandServer(str(folder / "s.sock")).listen()


@pytest.fixture
def address():
    folder = tempfile.mkdtemp(prefix="sd-")  # short: Unix socket paths are limited
    path = os.path.join(folder, "s.sock")
    yield path
    if os.path.exists(path):
        os.unlink(path)
    os.rmdir(folder)


@pytest.fixture
def server(qtbot, address):
    server = CommandServer(address)
    assert server.listen()
    yield server
    server.close()
    server.deleteLater()


def in_thread(qtbot, func):
    """Run a blocking client call while the Qt event loop serves it."""
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", func()))
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
    return result["value"]


def raw(qtbot, address, data: bytes) -> bytes:
    def talk():
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(4)
            sock.connect(address)
            sock.sendall(data)
            answer = b""
            while not answer.endswith(b"\n") and (chunk := sock.recv(65536)):
                answer += chunk
            return answer

    return in_thread(qtbot, talk)


def test_commands_become_signals(qtbot, server, address):
    seen = []
    server.raise_requested.connect(lambda: seen.append("raise"))
    server.start_routine_requested.connect(lambda name: seen.append(("start", name)))
    server.break_now_requested.connect(lambda: seen.append("break"))
    server.pause_requested.connect(lambda seconds: seen.append(("pause", seconds)))
    server.pause_until_tomorrow_requested.connect(lambda: seen.append("tomorrow"))
    server.resume_requested.connect(lambda: seen.append("resume"))
    for command in (
        RaiseWindow(),
        StartRoutine("desk-break"),
        BreakNow(),
        Pause(seconds=1800.0),
        Pause(until_tomorrow=True),
        Resume(),
    ):
        assert in_thread(qtbot, lambda c=command: send_command(address, c)) == Reply(True)
    assert seen == [
        "raise",
        ("start", "desk-break"),
        "break",
        ("pause", 1800.0),
        "tomorrow",
        "resume",
    ]


def test_a_command_nobody_handles_is_answered_with_an_error(qtbot, server, address):
    reply = in_thread(qtbot, lambda: send_command(address, BreakNow()))
    assert reply is not None and not reply.ok and "cannot do that yet" in reply.error


def test_unknown_commands_are_refused_and_ignored(qtbot, server, address):
    seen = []
    server.raise_requested.connect(lambda: seen.append("raise"))
    answer = raw(qtbot, address, b'{"v": 1, "cmd": "quit"}\n')
    assert answer == b'{"v":1,"ok":false,"error":"unknown command \'quit\'"}\n'
    answer = raw(qtbot, address, b'{"v": 9, "cmd": "raise"}\n')
    assert b"version" in answer and b'"ok":false' in answer
    assert seen == []


def test_a_line_too_long_is_refused(qtbot, server, address):
    answer = raw(qtbot, address, b"x" * (MAX_LINE_BYTES + 100))
    assert b'"ok":false' in answer and b"longer than" in answer


def test_no_app_running_means_none(address):
    assert send_command(address, RaiseWindow()) is None


def test_a_second_server_defers_to_the_first(qtbot, server, address):
    second = CommandServer(address)
    assert not second.listen()
    assert server.is_listening()


def test_a_socket_left_by_a_crash_is_taken_over(qtbot, address):
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(address)  # bound, never listening: what a killed app leaves behind
    assert os.path.exists(address)
    server = CommandServer(address)
    try:
        assert server.listen()
        server.raise_requested.connect(lambda: None)
        assert in_thread(qtbot, lambda: send_command(address, RaiseWindow())) == Reply(True)
    finally:
        server.close()
