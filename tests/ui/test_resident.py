"""The tray-only resident process and the full app's slimming down to it (exec faked)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QSystemTrayIcon
from tests.ui.reminder_fixtures import TZ, FakeClock, FakeIdle

from stretchdesk.core.app_commands import Pause, Reply
from stretchdesk.core.scheduler import SchedulerConfig, State, config_data, scheduler_snapshot
from stretchdesk.core.settings import Settings
from stretchdesk.platform import handover
from stretchdesk.platform.instance_address import instance_address
from stretchdesk.platform.notifications import FakeNotifier
from stretchdesk.platform.single_instance import CommandServer, send_command
from stretchdesk.storage.history import CheckIn, History
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.desk_reminders import DeskReminders
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.resident import MenuRoutine, ResidentApp, ResidentClock, resident_handover

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise",
    "No such signal QPlatformNativeInterface::systemTrayWindowChanged",
)

SHORT = SchedulerConfig(short_interval=600.0, long_interval=None, tz=TZ)


@pytest.fixture
def paths(tmp_path, monkeypatch):
    runtime = tempfile.mkdtemp(prefix="sd-")  # short: Unix socket paths are limited
    monkeypatch.setenv("XDG_RUNTIME_DIR", runtime)
    yield AppPaths.resolve(tmp_path / "config", tmp_path / "data")
    shutil.rmtree(runtime, ignore_errors=True)


def _clock(config: SchedulerConfig = SHORT, **kwargs) -> tuple[ResidentClock, FakeClock, list]:
    fake = FakeClock()
    asked: list = []
    clock = ResidentClock.__new__(ResidentClock)
    ResidentClock.__init__(clock, config, kwargs.pop("paths"), None, idle=kwargs.pop("idle", None))
    clock._clock = fake
    clock._last_instant = None
    from stretchdesk.core.scheduler import Scheduler

    clock.scheduler = Scheduler(config, clock._now())
    clock.full_requested = asked.append
    return clock, fake, asked


def test_a_reminder_coming_due_asks_for_the_full_app(qtbot, paths) -> None:
    clock, fake, asked = _clock(paths=paths)
    fake.advance(599)
    clock.wake()
    assert asked == []
    fake.advance(2)
    clock.wake()
    assert asked == ["reminder"]
    assert clock.status().state is State.PROMPTING


def test_take_a_break_now_asks_for_the_full_app(qtbot, paths) -> None:
    clock, _fake, asked = _clock(paths=paths)
    clock.take_break_now()
    assert asked == ["break-now"]


def test_a_natural_break_in_the_tray_goes_into_the_history(qtbot, paths) -> None:
    idle = FakeIdle()
    clock, fake, asked = _clock(paths=paths, idle=idle)
    fake.advance(300)
    clock.wake()
    idle.seconds = 0.0
    for _ in range(12):  # away for 12 minutes, woken as the clock asks
        fake.advance(60)
        idle.seconds += 60
        clock.wake()
    fake.advance(1)
    idle.seconds = 0.0
    clock.wake()
    history = History.open(paths.history_db)
    try:
        outcomes = [entry.record.outcome for entry in history.recent_reminders(10)]
    finally:
        history.close()
    assert "natural-break" in [str(o) for o in outcomes]
    assert asked == []


def _resident(paths: AppPaths, monkeypatch) -> tuple[ResidentApp, list]:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    now = FakeClock()
    from stretchdesk.core.scheduler import Instant, Scheduler

    scheduler = Scheduler(SHORT, Instant(now.mono, now.wall()))
    data = json.loads(
        json.dumps(
            resident_handover(
                SHORT,
                scheduler_snapshot(scheduler),
                [MenuRoutine("desk-break", "Desk break"), MenuRoutine("mine", "Mine", True)],
                None,
            )
        )
    )
    switched: list = []
    monkeypatch.setattr(handover, "switch", lambda argv, fd: switched.append((argv, fd)))
    app = ResidentApp(paths, data, None)
    return app, switched


def test_the_resident_serves_pause_itself_and_hands_over_for_the_window(
    qtbot, paths, monkeypatch
) -> None:
    app, switched = _resident(paths, monkeypatch)
    try:
        assert app.server.is_listening()
        menu = [a.text() for a in app.tray.routines_menu.actions() if a.text()]
        assert menu == ["Desk break", "Your routines", "Mine"]  # the user's own, apart
        result = {}
        thread = threading.Thread(
            target=lambda: result.setdefault("r", send_command(app.address, Pause(1800.0)))
        )
        thread.start()
        qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
        assert result["r"] == Reply(True)
        assert app.clock.status().state is State.PAUSED
        assert switched == []

        app.tray.actions.open_window.trigger()
        qtbot.waitUntil(lambda: bool(switched), timeout=2000)
        argv, fd = switched[0]
        assert fd == app.server.descriptor()
        file = Path(argv[argv.index("--handover") + 1])
        data = handover.read_handover(file)
        assert data["mode"] == "full" and data["action"] == "open"
        assert data["listen_fd"] == fd
        assert data["scheduler"]["paused_until"] is not None  # the pause goes along
    finally:
        app.quit()


def test_start_routine_from_the_tray_hands_over_with_the_routine(qtbot, paths, monkeypatch):
    app, switched = _resident(paths, monkeypatch)
    try:
        app.tray.actions.routines["mine"].trigger()
        qtbot.waitUntil(lambda: bool(switched), timeout=2000)
        argv, _fd = switched[0]
        data = handover.read_handover(Path(argv[argv.index("--handover") + 1]))
        assert data["action"] == {"routine": "mine"}
    finally:
        app.quit()


def test_a_failed_switch_keeps_the_resident_running(qtbot, paths, monkeypatch) -> None:
    app, _switched = _resident(paths, monkeypatch)

    def fail(argv, fd):
        raise OSError("no python")

    monkeypatch.setattr(handover, "switch", fail)
    messages = []
    monkeypatch.setattr(app.tray, "show_message", lambda *a: messages.append(a))
    try:
        app.hand_to_full("settings")
        qtbot.waitUntil(lambda: bool(messages), timeout=2000)
        assert "could not open" in messages[0][1]
        assert app.clock.deadline_in() is not None  # the clock runs on
    finally:
        app.quit()


# --- slimming down ------------------------------------------------------------------------


def _desk(
    qtbot, library, paths, monkeypatch, slim_down: bool = True, listen: bool = True
) -> DeskReminders:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = MainWindow(library, paths.config_dir / "window-state.ini")
    qtbot.addWidget(window)
    if listen:
        server = CommandServer(instance_address(paths), window)
        assert server.listen()
    window.show()
    desk = DeskReminders(
        window,
        library,
        paths,
        Settings(),
        notifier=FakeNotifier(),
        idle=FakeIdle(),
        slim_down=slim_down,
    )
    return desk


def test_the_window_closed_and_nothing_on_screen_slims_down(
    qtbot, library, paths, monkeypatch
) -> None:
    monkeypatch.setenv("STRETCHDESK_RESIDENT_AFTER", "0.05")
    switched: list = []
    monkeypatch.setattr(handover, "switch", lambda argv, fd: switched.append((argv, fd)))
    desk = _desk(qtbot, library, paths, monkeypatch)
    monkeypatch.setattr(desk.tray, "show_message", lambda *a: None)
    try:
        desk.consider_resident()
        qtbot.wait(200)
        assert switched == []  # the window is open
        desk.window.close()
        qtbot.waitUntil(lambda: bool(switched), timeout=3000)
        argv, fd = switched[0]
        server = desk.window.findChild(CommandServer)
        assert fd == server.descriptor()
        data = handover.read_handover(Path(argv[argv.index("--handover") + 1]))
        assert data["mode"] == "resident"
        assert data["config"] == config_data(desk.controller.scheduler.config)
        assert ["desk-break", "Desk Break", False] in data["routines"] or any(
            r[0] == "desk-break" for r in data["routines"]
        )
        assert data["scheduler"]["version"] == 1
    finally:
        desk._shutdown()


def test_when_the_switch_cannot_run_the_full_app_carries_on(
    qtbot, library, paths, monkeypatch
) -> None:
    def refuse(argv, fd):
        raise OSError("python is gone")

    monkeypatch.setattr(handover, "switch", refuse)
    desk = _desk(qtbot, library, paths, monkeypatch)
    monkeypatch.setattr(desk.tray, "show_message", lambda *a: None)
    try:
        desk.window.close()
        assert desk.go_resident() is False
        assert desk.controller.deadline_in() is not None  # the clock runs on
        assert desk.controller.history is desk.history
        # The history is open again.
        desk.history.add_checkin(CheckIn(dt.datetime.now().astimezone(), "fine", None))
    finally:
        desk._shutdown()


def test_no_slimming_down_while_a_reminder_shows_or_when_not_asked(
    qtbot, library, paths, monkeypatch
) -> None:
    monkeypatch.setenv("STRETCHDESK_RESIDENT_AFTER", "0.05")
    monkeypatch.setattr(handover, "switch", lambda argv, fd: pytest.fail("switched"))
    desk = _desk(qtbot, library, paths, monkeypatch)
    monkeypatch.setattr(desk.tray, "show_message", lambda *a: None)
    try:
        desk.window.close()
        desk.controller.take_break_now()  # a break: the compact player is up
        assert not desk.idle_on_screen()
        qtbot.wait(300)
    finally:
        desk._shutdown()
    other = _desk(qtbot, library, paths, monkeypatch, slim_down=False, listen=False)
    try:
        assert other.resident_after() is None
    finally:
        other._shutdown()


LEAN = """
import json, sys
sys.path.insert(0, {src!r})
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
app = QApplication([])
from stretchdesk.core.scheduler import Instant, Scheduler, SchedulerConfig, scheduler_snapshot
from stretchdesk.ui.break_clock import SystemClock
from stretchdesk.ui.resident import MenuRoutine, ResidentApp, resident_handover
from stretchdesk.storage.paths import AppPaths
clock = SystemClock()
config = SchedulerConfig()
data = resident_handover(
    config, scheduler_snapshot(Scheduler(config, Instant(clock.monotonic(), clock.wall()))),
    [MenuRoutine("desk-break", "Desk break")], None, dark=False, icon_sheet={sheet!r},
)
resident = ResidentApp(AppPaths.resolve({config!r}, {data!r}), json.loads(json.dumps(data)), None)
assert resident.tray._icons is not None
resident.tray.refresh()
resident.tray.update_menu()
resident.clock.wake()
resident.clock.pause(60)
resident.tray.refresh()
import PySide6.QtCore
heavy = [m for m in sys.modules if m.startswith((
    "yaml", "sqlite3", "hashlib", "stretchdesk.library", "stretchdesk.figures",
    "stretchdesk.core.settings", "stretchdesk.core.model", "stretchdesk.ui.main_window",
    "stretchdesk.ui.reminders", "PySide6.QtSvg", "PySide6.QtNetwork", "PySide6.QtDBus",
    "PySide6.QtMultimedia",
))]
print(json.dumps({{"heavy": heavy, "qt_namespace": "Qt" in PySide6.QtCore.__dict__}}))
resident.quit()
"""


def test_the_resident_loads_nothing_heavy(qapp, tmp_path, paths) -> None:
    """What keeps the tray-only process near a bare Qt tray app's size (benchmarks/bench_tray).

    Among it: no QtSvg, QtNetwork or QtDBus, and Qt's enum namespace never made.
    """
    import os

    from stretchdesk.ui.tray import icon_sheet

    sheet = tmp_path / "sheet.png"
    assert icon_sheet(False).save(str(sheet), "PNG")
    runtime = os.environ["XDG_RUNTIME_DIR"]
    src = str(Path(__file__).resolve().parents[2] / "src")
    code = LEAN.format(
        src=src, config=str(tmp_path / "c"), data=str(tmp_path / "d"), sheet=str(sheet)
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": runtime, "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"heavy": [], "qt_namespace": False}
