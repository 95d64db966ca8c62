"""Reminders against a real X server: held behind a full-screen window, and natural breaks.

The reminder controller runs in the test process (its windows offscreen) with
the real platform pieces pointed at a private Xvfb: the do-not-disturb probe
(the focused window's full-screen state) and the X11 idle monitor with its
``IDLETIME`` alarms (or, to compare, without them). Intervals are made 60
times shorter with the developer time scale, so "a break every 5 minutes"
comes after 5 seconds of work.
"""

from __future__ import annotations

import subprocess
import textwrap
import time
from pathlib import Path

import pytest
from xsession import XSession, wait_until

from stretchdesk.core.reminder_gate import Quiet
from stretchdesk.core.scheduler import IdleChange, Outcome, State
from stretchdesk.core.settings import Reminders
from stretchdesk.library import load_library
from stretchdesk.platform.dbus import DBusError
from stretchdesk.platform.dnd import X11FullScreen, choose_quiet_probe
from stretchdesk.platform.idle import X11IdleMonitor
from stretchdesk.platform.notifications import FakeNotifier
from stretchdesk.storage.history import History
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.break_clock import IDLE_WATCHES_ENV
from stretchdesk.ui.reminder_prompt import ReminderPrompt
from stretchdesk.ui.reminders import IdleTuning, ReminderController

pytestmark = [
    pytest.mark.desktop,
    pytest.mark.qt_log_ignore("This plugin does not support raise"),
]

SCALE = 60.0
"""5 minutes of work take 5 seconds; a 60-second break, 1 second."""

FULL_SCREEN = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("a presentation")
    window.showFullScreen()
    QTimer.singleShot(300, lambda: print("shown", flush=True))
    sys.exit(app.exec())
    """
)


def _no_bus(*_args):
    raise DBusError("no session bus in this test")


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


@pytest.fixture
def history(tmp_path: Path):
    store = History.open(tmp_path / "history.sqlite3")
    yield store
    store.close()


@pytest.fixture
def controllers(qtbot, paths):
    library = load_library(paths)
    made: list[ReminderController] = []

    def build(history: History, **kw) -> ReminderController:
        def prompt() -> ReminderPrompt:
            widget = ReminderPrompt(library.catalogue)
            qtbot.addWidget(widget)
            return widget

        controller = ReminderController(
            library,
            Reminders(short_every_minutes=5, long_breaks=False),
            history,
            FakeNotifier(),
            scale=SCALE,
            prompt_factory=prompt,
            **kw,
        )
        made.append(controller)
        return controller

    yield build
    for controller in made:
        controller.shutdown()


class _Active:
    """Moves the mouse now and then, as a person at work would."""

    def __init__(self, session: XSession) -> None:
        self.session = session
        self.last = 0.0

    def __call__(self) -> None:
        if time.monotonic() - self.last > 0.3:
            self.session.run("xdotool", "mousemove_relative", "--", "1", "0")
            self.last = time.monotonic()


def test_a_reminder_waits_behind_a_full_screen_window(
    qtbot, x_session: XSession, controllers, history
):
    probe = choose_quiet_probe(
        env={"DISPLAY": x_session.display, "XDG_SESSION_TYPE": "x11"},
        platform="linux",
        bus_call=_no_bus,
    )
    assert isinstance(probe.full_screen, X11FullScreen)
    window = x_session.python(
        "-c", FULL_SCREEN, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert window.stdout is not None and window.stdout.readline().strip() == "shown"
        found = x_session.run("xdotool", "search", "--name", "a presentation")
        x_session.run("xdotool", "windowfocus", "--sync", found.stdout.split()[-1])
        wait_until(lambda: probe.quiet() is Quiet.FULL_SCREEN, timeout=5, what="full screen")

        controller = controllers(history, quiet=probe)  # no idle source: every second is work
        held = []
        controller.reminder_held.connect(held.append)
        qtbot.waitUntil(lambda: bool(held), timeout=15_000)
        assert held == ["full-screen"]
        assert controller.status().state is State.PROMPTING
        assert controller.notifier.shown == []  # no notification
        assert controller.prompt is None or not controller.prompt.isVisible()  # no prompt
    finally:
        window.terminate()
        window.communicate(timeout=5)
    # The presentation is over: the reminder comes, once.
    qtbot.waitUntil(lambda: bool(controller.notifier.shown), timeout=5_000)
    assert controller.prompt.isVisible()
    qtbot.wait(1000)
    assert len(controller.notifier.shown) == 1
    assert held == ["full-screen"]


@pytest.mark.parametrize("how", ["watches", "asking"])
def test_a_natural_break_end_to_end(
    qtbot, x_session: XSession, controllers, history, monkeypatch, how: str
):
    """Away and back, told by the X server's idle alarms (or found by asking it)."""
    if how == "asking":
        monkeypatch.setenv(IDLE_WATCHES_ENV, "off")
    monitor = X11IdleMonitor(x_session.display)
    active = _Active(x_session)
    try:
        active()
        controller = controllers(
            history, idle=monitor, idle_tuning=IdleTuning(threshold=1.0, poll=0.25)
        )
        assert controller.idle_events is (how == "watches")
        if how == "watches":
            assert controller.idle_watch is IdleChange.IDLE
            assert controller.deadline_in() > 4.0  # the break (5 s), not the threshold (1 s)
        # Nobody touches anything: after the break's length (1 s) away, it counts as a break.
        qtbot.waitUntil(lambda: controller.status().state is State.AWAY, timeout=5_000)
        woken = controller.wakeups
        qtbot.waitUntil(lambda: (monitor.idle_seconds() or 0) > 2.5, timeout=5_000)
        assert controller.notifier.shown == []
        assert controller.prompt is None or not controller.prompt.isVisible()
        if how == "watches":  # no asking every 0.25 s: waiting for the user instead
            assert controller.idle_watch is IdleChange.BACK
            assert controller.wakeups - woken <= 1
        else:
            assert controller.wakeups - woken >= 4
        # Back at the desk: the time away goes into the history as a natural break.
        active()
        back = time.monotonic()
        qtbot.waitUntil(
            lambda: any(
                e.record.outcome is Outcome.NATURAL_BREAK for e in history.recent_reminders()
            ),
            timeout=5_000,
        )
        if how == "watches":  # heard at once, not at the next look
            assert time.monotonic() - back < 1.0
            assert controller.idle_watch is IdleChange.IDLE
        assert controller.notifier.shown == []
        assert controller.status().state is State.WORKING
        # Work counts again: the next reminder comes one (scaled) interval later.
        qtbot.waitUntil(lambda: active() or bool(controller.notifier.shown), timeout=15_000)
        elapsed = time.monotonic() - back
        assert 4.0 <= elapsed <= 9.0, elapsed
    finally:
        monitor.close()
