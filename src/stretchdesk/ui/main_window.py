"""The main window: the catalogue by body area, for now the app's home screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from stretchdesk import APP_NAME
from stretchdesk.library import Library
from stretchdesk.ui.catalogue_view import CatalogueView


class MainWindow(QMainWindow):
    """The home window. Emits nothing yet; later views plug into it."""

    def __init__(self, library: Library, state_file: Path) -> None:
        super().__init__()
        self.library = library
        # Window geometry only; everything else the user chooses lives in settings.yaml.
        self._state = QSettings(str(state_file), QSettings.Format.IniFormat, self)
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(720, 480)
        self.catalogue_view = CatalogueView(library.catalogue, self)
        self.setCentralWidget(self.catalogue_view)
        self._problems_label = QLabel(self)
        self._build_status_bar()
        self._restore_geometry()

    def _build_status_bar(self) -> None:
        count = len(self.library.catalogue)
        self.statusBar().showMessage(f"{count} stretches")
        problems = self.library.problems
        if problems:
            files = len({p.file for p in problems})
            self._problems_label.setText(
                f'<a href="#">{len(problems)} problem{"s" * (len(problems) != 1)} in '
                f"{files} of your files</a> — the rest loaded fine"
            )
            self._problems_label.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            self._problems_label.linkActivated.connect(self.show_problems)
            self.statusBar().addPermanentWidget(self._problems_label)

    def show_problems(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Problems in your files")
        box.setText(
            "Some of your stretch files have mistakes. The stretches with mistakes were "
            "left out; everything else loaded. Your files were not changed."
        )
        box.setDetailedText("\n".join(str(p) for p in self.library.problems))
        box.open()

    def _restore_geometry(self) -> None:
        geometry = self._state.value("main_window/geometry", QByteArray(), type=QByteArray)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1100, 720)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._state.setValue("main_window/geometry", self.saveGeometry())
        self._state.sync()
        super().closeEvent(event)
