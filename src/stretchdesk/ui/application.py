"""The one QApplication, named as the desktop knows the app (the tray-only process too)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from stretchdesk import APP_ID, APP_NAME, __version__


def create_application() -> QApplication:
    # "stretchdesk" names the X11 window class (the .desktop file's StartupWMClass).
    app = QApplication.instance() or QApplication(["stretchdesk"])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    return app
