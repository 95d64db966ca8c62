"""Real-desktop tests: idle time, full-screen, do-not-disturb and one instance, under Xvfb."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from xsession import XSession, wait_until

from stretchdesk.core.app_commands import RaiseWindow
from stretchdesk.platform.dnd import X11FullScreen, is_full_screen_state
from stretchdesk.platform.idle import X11IdleMonitor, choose_idle_monitor
from stretchdesk.platform.single_instance import instance_address, is_running, send_command
from stretchdesk.storage.paths import AppPaths

pytestmark = pytest.mark.desktop


def _no_bus(*_args):
    from stretchdesk.platform.dbus import DBusError

    raise DBusError("no bus in this test")


def test_x11_idle_time_grows_and_resets_when_the_mouse_moves(x_session: XSession):
    monitor = choose_idle_monitor(
        env={"DISPLAY": x_session.display, "XDG_SESSION_TYPE": "x11"},
        platform="linux",
        bus_call=_no_bus,
    )
    try:
        assert isinstance(monitor, X11IdleMonitor)
        x_session.run("xdotool", "mousemove", "5", "5")
        start = monitor.idle_seconds()
        assert start is not None and start < 1.0
        wait_until(lambda: (monitor.idle_seconds() or 0) >= 1.5, timeout=5, what="idle >= 1.5 s")
        assert x_session.run("xdotool", "mousemove", "300", "200").returncode == 0
        after = monitor.idle_seconds()
        assert after is not None and after < 0.5
    finally:
        monitor.close()


WINDOW = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("full-screen probe")
    if sys.argv[1] == "full":
        window.showFullScreen()
    else:
        window.resize(300, 200)
        window.show()
    window.activateWindow()
    QTimer.singleShot(300, lambda: print("shown", flush=True))
    sys.exit(app.exec())
    """
)


def _show_window(x_session: XSession, mode: str) -> subprocess.Popen:
    process = x_session.python(
        "-c", WINDOW, mode, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "shown"
    return process


def _close(process: subprocess.Popen) -> None:
    process.terminate()
    process.communicate(timeout=5)


def _window_id(x_session: XSession) -> str:
    found = x_session.run("xdotool", "search", "--name", "full-screen probe")
    assert found.returncode == 0, found.stderr
    return found.stdout.split()[-1]


def test_a_focused_full_screen_window_is_detected(x_session: XSession):
    probe = X11FullScreen(x_session.display)
    try:
        assert not probe.is_full_screen()  # nothing has the focus yet
        small = _show_window(x_session, "normal")
        try:
            window = _window_id(x_session)
            x_session.run("xdotool", "windowfocus", "--sync", window)
            wait_until(lambda: probe.state() is not None, timeout=5, what="a focused window")
            assert not probe.is_full_screen()
            # A window as large as the screen counts too, even without the full-screen state.
            x_session.run("xdotool", "windowsize", "--sync", window, "1024", "768")
            wait_until(probe.is_full_screen, timeout=5, what="the screen-sized window")
        finally:
            _close(small)
        full = _show_window(x_session, "full")
        try:
            x_session.run("xdotool", "windowfocus", "--sync", _window_id(x_session))
            wait_until(probe.is_full_screen, timeout=5, what="the full-screen window")
            state = probe.state()
            assert state is not None and "_NET_WM_STATE_FULLSCREEN" in state.states
        finally:
            _close(full)
        wait_until(lambda: not probe.is_full_screen(), timeout=5, what="full screen to end")
        assert not is_full_screen_state(probe.state())
    finally:
        probe.close()


DND = textwrap.dedent(
    """
    from PySide6.QtCore import QCoreApplication
    from stretchdesk.platform.dbus import session_bus_call
    from stretchdesk.platform.dnd import NotificationsDoNotDisturb

    app = QCoreApplication([])
    print(NotificationsDoNotDisturb(session_bus_call()).is_on())
    """
)


def test_do_not_disturb_follows_the_notification_server(x_session: XSession):
    x_session.start_notification_server()

    def dnd() -> str:
        done = x_session.run(sys.executable, "-c", DND)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert dnd() == "False"
    assert x_session.run("dunstctl", "set-paused", "true").returncode == 0
    try:
        assert dnd() == "True"
    finally:
        x_session.run("dunstctl", "set-paused", "false")
    assert dnd() == "False"


def _start_app(x_session: XSession, config: Path, data: Path, log: Path) -> subprocess.Popen:
    with log.open("a") as stderr:
        return x_session.python(
            "-m",
            "stretchdesk",
            "--config-dir",
            str(config),
            "--data-dir",
            str(data),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def test_a_second_stretchdesk_forwards_its_command_and_exits(
    x_session: XSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(x_session.runtime_dir))
    config, data = tmp_path / "config", tmp_path / "data"
    address = instance_address(AppPaths.resolve(config, data))
    dirs = ["--config-dir", str(config), "--data-dir", str(data)]
    log = tmp_path / "app.log"
    first = _start_app(x_session, config, data, log)
    try:
        wait_until(lambda: is_running(address), timeout=20, what="the app's socket")

        started = time.monotonic()
        second = x_session.run(sys.executable, "-m", "stretchdesk", *dirs)
        assert second.returncode == 0, second.stderr
        assert time.monotonic() - started < 5
        assert first.poll() is None  # the first one still runs

        start = x_session.run(sys.executable, "-m", "stretchdesk", *dirs, "start", "desk-break")
        assert start.returncode == 0, start.stderr

        for command in (["pause", "30m"], ["pause", "tomorrow"], ["resume"]):
            done = x_session.run(sys.executable, "-m", "stretchdesk", *dirs, *command)
            assert done.returncode == 0, (command, done.stderr)

        bad = x_session.run(sys.executable, "-m", "stretchdesk", *dirs, "pause", "soon")
        assert bad.returncode == 2 and "duration" in bad.stderr

        # A crashed app leaves its socket behind; the next one takes it over.
        first.send_signal(signal.SIGKILL)
        first.wait(5)
        assert os.path.exists(address) and not is_running(address)
        first = _start_app(x_session, config, data, log)
        wait_until(lambda: is_running(address), timeout=20, what="the restarted app's socket")
        reply = send_command(address, RaiseWindow())
        assert reply is not None and reply.ok
    finally:
        first.terminate()
        first.wait(10)
    assert "Traceback" not in log.read_text()
