"""The main window: the catalogue by body area, the routines, and the routine player.

A stack of pages under a small toolbar: "Stretches" (the catalogue),
"Routines" (choose one to run) and the player, which is built the first time
a routine is opened so that start-up stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QToolBar

from stretchdesk import APP_NAME
from stretchdesk.core.model import Routine
from stretchdesk.core.settings import Settings
from stretchdesk.library import Library
from stretchdesk.ui.catalogue_view import CatalogueView
from stretchdesk.ui.routines_view import RoutinesView

if TYPE_CHECKING:
    from stretchdesk.core.engine import Summary
    from stretchdesk.ui.player_view import PlayerView


class MainWindow(QMainWindow):
    """The home window.

    Signals: none of its own; ``player.session_ended`` and
    ``player.feeling_recorded`` carry each session's summary.
    ``last_summary`` keeps the latest one (with how the user felt).
    """

    def __init__(
        self, library: Library, state_file: Path, settings: Settings | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.last_summary: Summary | None = None
        # Window geometry only; everything else the user chooses lives in settings.yaml.
        self._state = QSettings(str(state_file), QSettings.Format.IniFormat, self)
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(720, 480)
        self.pages = QStackedWidget(self)
        self.catalogue_view = CatalogueView(library.catalogue, self.pages)
        self.routines_view = RoutinesView(library.routines, library.catalogue, self.pages)
        self.pages.addWidget(self.catalogue_view)
        self.pages.addWidget(self.routines_view)
        self.setCentralWidget(self.pages)
        self._player: PlayerView | None = None
        self._create_actions()
        self._problems_label = QLabel(self)
        self._build_status_bar()
        self._connect_signals()
        self._restore_geometry()

    def _create_actions(self) -> None:
        self.stretches_action = QAction("Stretches", self)
        self.stretches_action.setToolTip("Browse the stretches by body area")
        self.routines_action = QAction("Routines", self)
        self.routines_action.setToolTip("Choose a routine to follow")
        self.player_action = QAction("Player", self)
        self.player_action.setToolTip("The routine that is open in the player")
        self.player_action.setVisible(False)
        group = QActionGroup(self)
        for action in (self.stretches_action, self.routines_action, self.player_action):
            action.setCheckable(True)
            group.addAction(action)
        self.stretches_action.setChecked(True)
        self.toolbar = QToolBar("Pages", self)
        self.toolbar.setObjectName("pages")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.stretches_action, self.routines_action, self.player_action):
            self.toolbar.addAction(action)
        self.addToolBar(self.toolbar)

    def _connect_signals(self) -> None:
        self.stretches_action.triggered.connect(
            lambda: self.pages.setCurrentWidget(self.catalogue_view)
        )
        self.routines_action.triggered.connect(self.show_routines)
        self.player_action.triggered.connect(self._show_player)
        self.routines_view.routine_chosen.connect(self.open_routine)

    def _connect_player(self, player: PlayerView) -> None:
        player.session_ended.connect(self._remember)
        player.feeling_recorded.connect(self._remember)
        player.full_screen_requested.connect(self._set_full_screen)
        player.close_requested.connect(self.show_routines)

    # --- pages -------------------------------------------------------------------------

    @property
    def player(self) -> PlayerView:
        """The player page (built on first use)."""
        if self._player is None:
            from stretchdesk.ui.player_view import PlayerView

            self._player = PlayerView(
                self.library.catalogue, self.settings.player, parent=self.pages
            )
            self.pages.addWidget(self._player)
            self._connect_player(self._player)
        return self._player

    def open_routine(self, routine: Routine | str) -> None:
        """Show ``routine`` (or the routine with this id) ready to start in the player."""
        if isinstance(routine, str):
            found = self.library.routine(routine)
            if found is None:
                raise KeyError(routine)
            routine = found
        player = self.player
        player.load_routine(routine)
        self._show_player()

    def _show_player(self) -> None:
        player = self.player
        self.player_action.setVisible(True)
        self.player_action.setChecked(True)
        self.pages.setCurrentWidget(player)
        player.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_routines(self) -> None:
        self.routines_action.setChecked(True)
        self.pages.setCurrentWidget(self.routines_view)

    def _remember(self, summary: Summary) -> None:
        self.last_summary = summary

    def _set_full_screen(self, on: bool) -> None:
        self.toolbar.setVisible(not on)
        self.statusBar().setVisible(not on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

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
        if self._player is not None:
            self._player.close_session()
        self._state.setValue("main_window/geometry", self.saveGeometry())
        self._state.sync()
        super().closeEvent(event)
