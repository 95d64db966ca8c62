"""Start-up of the windowed app: one QApplication, the library, the main window.

``STRETCHDESK_PLAYER_SKIP=SECONDS`` (with ``stretchdesk start ROUTINE``) starts
the routine at once, without the day's check-in, and moves it that many
seconds on, as if the time had passed; ``tools/screenshots.py`` uses it to
photograph given moments of a session. It changes nothing else.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from stretchdesk.platform.instance_address import instance_address, nothing_listens
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.application import create_application
from stretchdesk.ui.main_window import MainWindow

if TYPE_CHECKING:
    import argparse

    from PySide6.QtGui import QPalette

    from stretchdesk.core.app_commands import AppCommand, Reply
    from stretchdesk.core.model import Routine
    from stretchdesk.library import Library
    from stretchdesk.platform.single_instance import CommandServer
    from stretchdesk.ui.desk_reminders import DeskReminders

SKIP_ENV = "STRETCHDESK_PLAYER_SKIP"


class _StartupProbe(QObject):
    """For the start-up benchmark: prints ``first-paint`` when the window first paints,
    ``ready`` when it paints with the catalogue in it, and then quits."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._painted = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            if not self._painted:
                self._painted = True
                print("first-paint", flush=True)
            elif self._window.catalogue_view is not None:
                watched.removeEventFilter(self)
                print("ready", flush=True)
                QTimer.singleShot(0, QApplication.quit)
        return False


class _AfterFirstPaint(QObject):
    """Runs a callback once the window has painted for the first time.

    A zero-time timer would run before the first paint (Qt delivers paint
    events after timers), so the window would wait for all of start-up; this
    waits for the paint itself, with a fallback in case no paint comes (a
    window that starts minimised).
    """

    def __init__(self, window: QObject, callback, fallback_ms: int = 1000) -> None:
        super().__init__(window)
        self._callback = callback
        self._done = False
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        if not self._done:
            self._done = True
            self._callback()


def _palette(dark: bool) -> QPalette:
    """A calm light or dark palette for the Fusion style."""
    from PySide6.QtGui import QColor, QPalette

    colors = {
        QPalette.ColorRole.Window: ("#f6f3ee", "#1f2328"),
        QPalette.ColorRole.WindowText: ("#1f2a36", "#e6edf3"),
        QPalette.ColorRole.Base: ("#ffffff", "#171a1f"),
        QPalette.ColorRole.AlternateBase: ("#efebe4", "#262b31"),
        QPalette.ColorRole.Text: ("#1f2a36", "#e6edf3"),
        QPalette.ColorRole.Button: ("#ebe6de", "#2c323a"),
        QPalette.ColorRole.ButtonText: ("#1f2a36", "#e6edf3"),
        QPalette.ColorRole.Highlight: ("#2f7d6d", "#5fb8a3"),
        QPalette.ColorRole.HighlightedText: ("#ffffff", "#10151a"),
        QPalette.ColorRole.ToolTipBase: ("#fffbe8", "#2c323a"),
        QPalette.ColorRole.ToolTipText: ("#1f2a36", "#e6edf3"),
        QPalette.ColorRole.Mid: ("#8a96a3", "#7d8896"),
        QPalette.ColorRole.PlaceholderText: ("#8a96a3", "#7d8896"),
        QPalette.ColorRole.Link: ("#2f6f9f", "#7cb7e8"),
    }
    palette = QPalette()
    for role, (light, dark_color) in colors.items():
        palette.setColor(role, QColor(dark_color if dark else light))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Light or dark as the user chose; ``system`` leaves the desktop's look alone.

    ``theme`` is a :class:`~stretchdesk.core.settings.Theme` (a string enum) or its value.
    """
    if theme not in ("light", "dark"):
        return
    app.setStyle("Fusion")
    app.setPalette(_palette(theme == "dark"))


def _report_refusal(reply: Reply) -> None:
    if not reply.ok:
        print(f"stretchdesk: {reply.error}", file=sys.stderr)


def _forward(address: str, command: AppCommand | None, routine: Routine | None) -> int | None:
    """Hand the launch to an app already running: the exit status, or None when none runs.

    The command, or else opening ``routine``, or else raising the window.
    """
    if nothing_listens(address):
        return None  # the common case needs none of the command code
    from stretchdesk.core.app_commands import RaiseWindow, StartRoutine
    from stretchdesk.platform.single_instance import InstanceError, send_command

    if command is None:
        command = StartRoutine(routine.id) if routine is not None else RaiseWindow()
    try:
        reply = send_command(address, command)
    except InstanceError as exc:
        print(f"stretchdesk: {exc}", file=sys.stderr)
        return 1
    if reply is None:
        return None
    if not reply.ok:
        print(f"stretchdesk: {reply.error}", file=sys.stderr)
        return 1
    return 0


def raise_window(window: MainWindow) -> None:
    """Bring the main window to the front (another launch asked for it)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def _start_routine(window: MainWindow, library: Library, query: str) -> None:
    from stretchdesk.core.routine import UnknownRoutineError, find_routine

    try:
        routine = find_routine(library.routines, query)
    except UnknownRoutineError as exc:
        print(f"stretchdesk start: {exc}", file=sys.stderr)
        return
    window.open_routine(routine)
    raise_window(window)


def _listen_for_commands(
    address: str, window: MainWindow, library: Library, inherited: int | None = None
) -> CommandServer:
    """The server other ``stretchdesk`` processes send commands to, wired to the window.

    ``inherited`` is the listening socket kept open across a process switch.
    The reminder signals (break now, pause, resume) are connected by the tray.
    """
    from stretchdesk.platform.single_instance import CommandServer, InstanceError

    server = CommandServer(address, window)
    server.raise_requested.connect(lambda: raise_window(window))
    server.start_routine_requested.connect(lambda query: _start_routine(window, library, query))
    try:
        if inherited is None or not server.adopt(inherited):
            server.listen()
    except InstanceError as exc:  # the app still works; only commands cannot reach it
        print(f"stretchdesk: {exc}", file=sys.stderr)
    return server


def _start_reminders(
    window: MainWindow, library: Library, paths: AppPaths, restore: object = None
) -> DeskReminders:
    """The tray icon and desk-break reminders (imported here: start-up does not wait for them)."""
    from stretchdesk.ui.desk_reminders import install_reminders

    return install_reminders(
        window, library, paths, window.settings, restore=restore, slim_down=True
    )


def run_app(
    paths: AppPaths,
    args: argparse.Namespace | None = None,
    routine: Routine | None = None,
    command: AppCommand | None = None,
    handover: dict[str, object] | None = None,
    show_window: bool = True,
) -> int:
    """Open the window (with ``routine`` ready in the player, if given) and run Qt.

    With ``show_window`` false (``stretchdesk --tray``, as the app starts at
    login) it starts in the tray without opening the window, or does nothing
    when it already runs. Without a tray the window opens minimised.

    When StretchDesk already runs with these settings, ``command`` (or opening
    ``routine``, or raising its window) goes to it instead, and this returns.
    Otherwise ``command`` is carried out once the window is up.

    ``handover`` comes from the tray-only resident process this one replaced
    (``platform/handover.py``): the break scheduler to carry on, the command
    socket to keep, and the first thing to do. The window shows only when that
    needs it (not for a reminder or a break, which have their own windows).

    The window frame is shown first, with the theme remembered from last time;
    the catalogue, the settings, the command server and the tray follow one
    event-loop turn later, so the window is on screen as soon as Qt allows.
    """
    address = instance_address(paths)
    if not show_window and handover is None:
        if not nothing_listens(address):
            from stretchdesk.platform.single_instance import is_running

            if is_running(address):
                return 0  # already running, in the tray or not: nothing to do
        handover = {"mode": "full", "action": None}
    if handover is None:
        status = _forward(address, command, routine)
        if status is not None:
            return status
    app = create_application()
    state_file = paths.config_dir / "window-state.ini"
    window = MainWindow(None, state_file)
    apply_theme(app, window.remembered_theme())
    probe = _StartupProbe(window) if os.environ.get("STRETCHDESK_EXIT_AFTER_FIRST_PAINT") else None

    def finish() -> None:
        _finish_start_up(app, window, paths, address, routine, command, probe, handover)

    if handover is None or _shows_window(handover.get("action")):
        window.show()
        _AfterFirstPaint(window, finish)
    else:
        QTimer.singleShot(0, finish)
    return app.exec()


def _carry_out(action: object, reminders: DeskReminders, window: MainWindow, library: Library):
    """What the resident process handed over for: the tray action or command that needs us."""
    if action == "settings":
        reminders.open_settings()
    elif action == "break-now":
        reminders.controller.take_break_now()
    elif isinstance(action, dict) and isinstance(action.get("routine"), str):
        reminders.start_routine(action["routine"])
    elif isinstance(action, dict) and isinstance(action.get("start"), str):
        _start_routine(window, library, action["start"])
    # "open" showed the window already; "reminder" is shown by the reminder controller


def _shows_window(action: object) -> bool:
    return action in ("open", "settings") or isinstance(action, dict)


def _finish_start_up(
    app: QApplication,
    window: MainWindow,
    paths: AppPaths,
    address: str,
    routine: Routine | None,
    command: AppCommand | None,
    probe: QObject | None,
    handover: dict[str, object] | None = None,
) -> None:
    """Everything after the first paint: catalogue, settings, commands, tray, welcome."""
    from stretchdesk.library import load_library
    from stretchdesk.storage.settings_store import SettingsStore

    store = SettingsStore(paths)
    loaded = store.load()
    window.set_settings(loaded.settings, store)
    apply_theme(app, loaded.settings.appearance.theme)
    window.paths = paths
    library = load_library(paths)
    window.set_library(library)
    for line in (*loaded.notices, *(str(p) for p in loaded.problems)):
        print(f"stretchdesk: {line}", file=sys.stderr)
    if loaded.notices:  # the file was unreadable and kept aside: say so plainly, once
        window.show_settings_problems(loaded.notices, tuple(str(p) for p in loaded.problems))
    elif loaded.problems:
        count = len(loaded.problems)
        window.statusBar().showMessage(
            f"{count} setting{'s' * (count != 1)} in {store.path.name} could not be used; "
            "StretchDesk uses the defaults for those.",
            20000,
        )
    if probe is not None:  # measuring start-up: nothing else runs
        return
    skip = os.environ.get(SKIP_ENV)
    if routine is not None:
        window.open_routine(routine, check_in=not skip)
        if skip:
            QTimer.singleShot(500, lambda: window.player.demo_skip(float(skip)))
    inherited = None
    restore = None
    if handover is not None:
        from stretchdesk.platform.handover import inherited_socket

        inherited = inherited_socket(handover.get("listen_fd"))
        restore = handover.get("scheduler")
    server = _listen_for_commands(address, window, library, inherited)
    reminders = _start_reminders(window, library, paths, restore)
    if command is not None:  # after the reminders are connected to the server
        _report_refusal(server.dispatch(command))
    if handover is not None:
        _carry_out(handover.get("action"), reminders, window, library)
        if not window.isVisible() and not reminders.has_tray:
            window.showMinimized()  # no tray to wait in: the window is how to reach the app
    if not skip and window.isVisible():
        window.show_welcome_if_needed()
    from PySide6.QtGui import QIcon

    from stretchdesk import resources

    app.setWindowIcon(QIcon(str(resources.asset_file("icons/stretchdesk.svg"))))
