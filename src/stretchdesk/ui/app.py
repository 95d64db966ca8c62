"""Start-up of the windowed app: one QApplication, the library, the main window.

``STRETCHDESK_PLAYER_SKIP=SECONDS`` (with ``stretchdesk start ROUTINE``) starts
the routine at once, without the day's check-in, and moves it that many
seconds on, as if the time had passed; ``tools/screenshots.py`` uses it to
photograph given moments of a session. It changes nothing else.
"""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from stretchdesk import APP_ID, APP_NAME, __version__, resources
from stretchdesk.core.app_commands import AppCommand, RaiseWindow, Reply, StartRoutine
from stretchdesk.core.model import Routine
from stretchdesk.core.settings import Theme
from stretchdesk.library import Library, load_library
from stretchdesk.platform.single_instance import (
    CommandServer,
    InstanceError,
    instance_address,
    send_command,
)
from stretchdesk.storage.paths import AppPaths
from stretchdesk.storage.settings_store import SettingsStore
from stretchdesk.ui.main_window import MainWindow

SKIP_ENV = "STRETCHDESK_PLAYER_SKIP"


class _FirstPaintProbe(QObject):
    """Prints a line and quits at the first paint; benchmarks use it to time start-up."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print("first-paint", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def create_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    return app


def _palette(dark: bool) -> QPalette:
    """A calm light or dark palette for the Fusion style."""
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


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Light or dark as the user chose; ``system`` leaves the desktop's look alone."""
    if theme is Theme.SYSTEM:
        return
    app.setStyle("Fusion")
    app.setPalette(_palette(theme is Theme.DARK))


def _report_refusal(reply: Reply) -> None:
    if not reply.ok:
        print(f"stretchdesk: {reply.error}", file=sys.stderr)


def _forward(address: str, command: AppCommand) -> int | None:
    """Hand ``command`` to an app already running: the exit status, or None when none runs."""
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


def _listen_for_commands(address: str, window: MainWindow, library: Library) -> CommandServer:
    """The server other ``stretchdesk`` processes send commands to, wired to the window.

    The reminder signals (break now, pause, resume) are connected by the tray.
    """
    server = CommandServer(address, window)
    server.raise_requested.connect(lambda: raise_window(window))
    server.start_routine_requested.connect(lambda query: _start_routine(window, library, query))
    try:
        server.listen()
    except InstanceError as exc:  # the app still works; only commands cannot reach it
        print(f"stretchdesk: {exc}", file=sys.stderr)
    return server


def _start_reminders(window: MainWindow, library: Library, paths: AppPaths) -> None:
    """The tray icon and desk-break reminders (imported here: start-up does not wait for them)."""
    from stretchdesk.ui.desk_reminders import install_reminders

    install_reminders(window, library, paths, window.settings)


def run_app(
    paths: AppPaths,
    args: argparse.Namespace | None = None,
    routine: Routine | None = None,
    command: AppCommand | None = None,
) -> int:
    """Open the window (with ``routine`` ready in the player, if given) and run Qt.

    When StretchDesk already runs with these settings, ``command`` (or opening
    ``routine``, or raising its window) goes to it instead, and this returns.
    Otherwise ``command`` is carried out once the window is up.
    """
    address = instance_address(paths)
    status = _forward(
        address, command or (StartRoutine(routine.id) if routine is not None else RaiseWindow())
    )
    if status is not None:
        return status
    app = create_application()
    library = load_library(paths)
    store = SettingsStore(paths)
    settings = store.load().settings
    apply_theme(app, settings.appearance.theme)
    window = MainWindow(
        library, paths.config_dir / "window-state.ini", settings, store=store, paths=paths
    )
    skip = os.environ.get(SKIP_ENV)
    if routine is not None:
        window.open_routine(routine, check_in=not skip)
        if skip:
            QTimer.singleShot(500, lambda: window.player.demo_skip(float(skip)))
    probe = None
    if os.environ.get("STRETCHDESK_EXIT_AFTER_FIRST_PAINT"):
        probe = _FirstPaintProbe()
        window.installEventFilter(probe)
    server = _listen_for_commands(address, window, library)
    window.show()
    if probe is None:  # the tray and reminders start once the window is up
        QTimer.singleShot(0, lambda: _start_reminders(window, library, paths))
    if command is not None:  # after the reminders are connected to the server
        QTimer.singleShot(0, lambda: _report_refusal(server.dispatch(command)))
    if not skip and probe is None:
        QTimer.singleShot(0, window.show_welcome_if_needed)
    # The icon's SVG plug-in loads after the window is on screen, not before.
    QTimer.singleShot(
        0, lambda: app.setWindowIcon(QIcon(str(resources.asset_file("icons/stretchdesk.svg"))))
    )
    return app.exec()
