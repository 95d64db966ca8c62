"""Start-up of the windowed app: one QApplication, the library, the main window."""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from stretchdesk import APP_ID, APP_NAME, __version__, resources
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.main_window import MainWindow


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


def run_app(paths: AppPaths, args: argparse.Namespace | None = None) -> int:
    app = create_application()
    library = load_library(paths)
    window = MainWindow(library, paths.config_dir / "window-state.ini")
    probe = None
    if os.environ.get("STRETCHDESK_EXIT_AFTER_FIRST_PAINT"):
        probe = _FirstPaintProbe()
        window.installEventFilter(probe)
    window.show()
    # The icon's SVG plug-in loads after the window is on screen, not before.
    QTimer.singleShot(
        0, lambda: app.setWindowIcon(QIcon(str(resources.asset_file("icons/stretchdesk.svg"))))
    )
    return app.exec()
