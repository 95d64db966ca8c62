"""The main window: the stretch browser, the routines, the history and the routine player.

A stack of pages under a small toolbar: "Browse" (the catalogue by body
area), "Routines" (choose, build and share routines), "History" (days in a
row, minutes, breaks, recent sessions) and the player. All but the first are
built the first time they are needed, so that start-up stays quick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Signal
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from stretchdesk import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QDialog

    from stretchdesk.core.engine import Summary
    from stretchdesk.core.model import Routine
    from stretchdesk.core.safety import SafetyContent
    from stretchdesk.core.settings import Settings
    from stretchdesk.library import Library
    from stretchdesk.storage.history import History
    from stretchdesk.storage.paths import AppPaths
    from stretchdesk.storage.settings_store import SettingsStore
    from stretchdesk.ui.catalogue_view import CatalogueView
    from stretchdesk.ui.check_in_flow import CheckInFlow
    from stretchdesk.ui.history_view import HistoryView
    from stretchdesk.ui.player_view import PlayerView
    from stretchdesk.ui.routines_view import RoutinesView


class MainWindow(QMainWindow):
    """The home window.

    Signals: ``check_in_recorded(object)`` with each :class:`CheckInResult` (for
    the history); ``pain_recorded(int, int)`` with the pain score before and
    after a session, when both were given. ``player.session_ended`` and
    ``player.feeling_recorded`` carry each session's summary.
    ``last_summary`` keeps the latest one (with how the user felt), and
    ``pain_before`` the pain score given at the check-in before it.

    Before a routine opens in the player, the day's check-in is asked (see
    :func:`stretchdesk.core.safety.todays_check_in`); the routine that reaches
    the player is the one the answer allows. ``store`` saves what the safety
    flow remembers; without one (in tests) nothing is written. ``paths`` says
    where the user's routines and stretches are saved; without it they can be
    built and played but not saved.

    Built with ``library=None`` the window is only its frame (title, menus,
    toolbar), which shows at once; :meth:`set_library` and :meth:`set_settings`
    fill it in afterwards. The app does that one event-loop turn after the
    first paint, so the window appears as quickly as a bare Qt window does.
    """

    check_in_recorded = Signal(object)
    pain_recorded = Signal(int, int)
    settings_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        library: Library | None,
        state_file: Path,
        settings: Settings | None = None,
        *,
        store: SettingsStore | None = None,
        paths: AppPaths | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        clock_time: Callable[[], dt.time] = lambda: dt.datetime.now().time(),
    ) -> None:
        super().__init__()
        self.library = library
        if settings is None and library is not None:
            from stretchdesk.core.settings import Settings

            settings = Settings()
        self.settings = settings
        self.store = store
        self.paths = paths
        self._today = today
        self._clock_time = clock_time
        self._check_in_flow: CheckInFlow | None = None
        self.safety_dialog: QDialog | None = None
        self.last_summary: Summary | None = None
        # Window geometry only; everything else the user chooses lives in settings.yaml.
        self._state = QSettings(str(state_file), QSettings.Format.IniFormat, self)
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(720, 480)
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.catalogue_view: CatalogueView | None = None
        self._routines_view: RoutinesView | None = None
        self._player: PlayerView | None = None
        self._history_view: HistoryView | None = None
        self._history_source: Callable[[], History | None] = lambda: None
        self.stretch_form: QDialog | None = None
        self._restore_geometry()
        if library is not None:
            self.set_library(library)

    def set_library(self, library: Library) -> None:
        """Fill the window: menus, toolbar and the catalogue.

        Called once; later changes go to :meth:`reload_library`. Before it, the
        window is its bare frame, which is what the first paint shows.
        """
        from PySide6.QtWidgets import QLabel

        from stretchdesk.ui.catalogue_view import CatalogueView

        self._create_actions()
        self._problems_label = QLabel(self)
        self._connect_signals()
        self.library = library
        self.catalogue_view = CatalogueView(library.catalogue, self.pages)
        self.catalogue_view.routine_choices = self.user_routine_choices
        self.pages.insertWidget(0, self.catalogue_view)
        self.pages.setCurrentWidget(self.catalogue_view)
        self.catalogue_view.try_requested.connect(self.try_stretch)
        self.catalogue_view.add_requested.connect(self.add_to_routine)
        self._build_status_bar()

    def set_settings(self, settings: Settings, store: SettingsStore | None = None) -> None:
        """The user's settings: read after the window first showed, or changed in Settings.

        A changed player setting takes effect from the next routine: the player
        page is rebuilt then, unless a session is on screen now.
        """
        old, self.settings = self.settings, settings
        if (
            self._player is not None
            and old is not None
            and old.player != settings.player
            and self.pages.currentWidget() is not self._player
        ):
            self._player.close_session()
            self.pages.removeWidget(self._player)
            self._player.deleteLater()
            self._player = None
            self.player_action.setVisible(False)
        if store is not None:
            self.store = store
        self._remember_theme()

    def remembered_theme(self) -> str:
        """The theme chosen last time, kept with the window state so the next start
        can paint in it before the settings file is read."""
        return str(self._state.value("appearance/theme", "system", type=str))

    def _remember_theme(self) -> None:
        theme = str(self.settings.appearance.theme)
        if theme != self.remembered_theme():
            self._state.setValue("appearance/theme", theme)
            self._state.sync()

    def show_settings_problems(self, notices: tuple[str, ...], problems: tuple[str, ...]) -> None:
        """Tell the user, once and in plain words, what was wrong with the settings file."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Your settings")
        if notices:
            box.setText(" ".join(notices))
        else:
            box.setText(
                "Some of your settings could not be used, so StretchDesk uses its defaults "
                "for those. Everything else is as you left it."
            )
        if problems:
            box.setDetailedText("\n".join(problems))
        box.open()

    def _create_actions(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QAction, QActionGroup
        from PySide6.QtWidgets import QToolBar

        self.stretches_action = QAction("Browse", self)
        self.stretches_action.setToolTip("Browse the stretches by body area")
        self.routines_action = QAction("Routines", self)
        self.routines_action.setToolTip("Choose, build and share routines")
        self.history_action = QAction("History", self)
        self.history_action.setToolTip("Your days in a row, minutes, breaks and recent sessions")
        self.player_action = QAction("Player", self)
        self.player_action.setToolTip("The routine that is open in the player")
        self.player_action.setVisible(False)
        group = QActionGroup(self)
        pages = (
            self.stretches_action,
            self.routines_action,
            self.history_action,
            self.player_action,
        )
        for action in pages:
            action.setCheckable(True)
            group.addAction(action)
        self.stretches_action.setChecked(True)
        self.toolbar = QToolBar("Pages", self)
        self.toolbar.setObjectName("pages")
        self.toolbar.setMovable(False)
        self.toolbar.toggleViewAction().setVisible(False)  # the page buttons must not vanish
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in pages:
            self.toolbar.addAction(action)
        self.addToolBar(self.toolbar)
        app_menu = self.menuBar().addMenu(f"&{APP_NAME}")
        self.settings_action = app_menu.addAction("Settings…")
        self.settings_action.setToolTip("Breaks, working hours, routines, sound and the look")
        app_menu.addSeparator()
        self.quit_action = app_menu.addAction("Quit")
        self.quit_action.setShortcut("Ctrl+Q")
        stretch_menu = self.menuBar().addMenu("&Stretches")
        self.new_stretch_action = stretch_menu.addAction("New stretch of my own…")
        self.new_stretch_action.setToolTip("Describe a stretch you do, with its steps and pictures")
        self.quick_routine_action = stretch_menu.addAction("Quick routine…")
        self.quick_routine_action.setToolTip("A routine for the time you have and where it hurts")
        help_menu = self.menuBar().addMenu("&Help")
        self.warning_signs_action = help_menu.addAction("Warning signs and safety…")
        self.warning_signs_action.setToolTip("When not to stretch, and when to see a professional")
        self.welcome_action = help_menu.addAction("Welcome to StretchDesk…")
        self.check_in_action = help_menu.addAction("How is my back today?…")
        self.check_in_action.setToolTip("Answer the check-in again before the next routine")
        help_menu.addSeparator()
        self.learn_more_menu = help_menu.addMenu("Learn more")
        self.learn_more_menu.aboutToShow.connect(self._fill_learn_more)

    def _connect_signals(self) -> None:
        self.stretches_action.triggered.connect(self.show_browser)
        self.routines_action.triggered.connect(self.show_routines)
        self.history_action.triggered.connect(self.show_history)
        self.player_action.triggered.connect(self._show_player)
        self.new_stretch_action.triggered.connect(self.new_stretch)
        self.quick_routine_action.triggered.connect(self.quick_routine)
        self.warning_signs_action.triggered.connect(lambda: self.show_safety(welcome=False))
        self.welcome_action.triggered.connect(lambda: self.show_safety(welcome=True))
        self.check_in_action.triggered.connect(self._forget_check_in)
        self.settings_action.triggered.connect(self.settings_requested)
        self.quit_action.triggered.connect(self._quit)

    def _connect_routines(self, view: RoutinesView) -> None:
        view.routine_chosen.connect(self.open_routine)
        view.library_changed.connect(self.reload_library)

    def _connect_player(self, player: PlayerView) -> None:
        player.session_ended.connect(self._remember)
        player.session_ended.connect(self._record_hurt)
        player.feeling_recorded.connect(self._remember)
        player.session_ended.connect(self._ask_pain_after)
        player.finished_view.pain_after_chosen.connect(self._pain_after)
        player.full_screen_requested.connect(self._set_full_screen)
        player.close_requested.connect(self.show_routines)

    # --- pages -------------------------------------------------------------------------

    @property
    def routines_view(self) -> RoutinesView:
        """The routines page with the builder (built on first use)."""
        if self._routines_view is None:
            from stretchdesk.ui.routines_view import RoutinesView

            self._routines_view = RoutinesView(
                self.library, self.paths, self.catalogue_view.thumbnails, parent=self.pages
            )
            self.pages.addWidget(self._routines_view)
            self._connect_routines(self._routines_view)
        return self._routines_view

    @property
    def history_view(self) -> HistoryView:
        """The history page (built on first use)."""
        if self._history_view is None:
            from stretchdesk.ui.history_view import HistoryView

            self._history_view = HistoryView(
                self._history_source, self.routine_name, today=self._today, parent=self.pages
            )
            self.pages.addWidget(self._history_view)
            self._history_view.routines_requested.connect(self.show_routines)
        return self._history_view

    def set_history(self, source: Callable[[], History | None]) -> None:
        """Where the history page reads from: the app's open history (no second writer)."""
        self._history_source = source

    @property
    def history(self) -> History | None:
        """The app's history, when it has one open."""
        return self._history_source()

    def history_updated(self) -> None:
        """Something was added to the history: show it if the history page is on screen."""
        if self._history_view is not None and self._history_view.isVisible():
            self._history_view.refresh()

    def streak(self) -> int | None:
        """Days in a row with a session, or ``None`` without a history to count them in."""
        history = self.history
        if history is None or not history.enabled:
            return None
        from stretchdesk.core.stats import streak

        today = self._today()
        return streak(history.session_days(today), today)

    def routine_name(self, routine_id: str) -> str:
        """The name to show for a routine id kept in the history (it may be gone since)."""
        if self.library is not None:
            routine = self.library.routine(routine_id)
            if routine is not None:
                return routine.name
            if routine_id.startswith("try-"):
                stretch = self.library.catalogue.get(routine_id[4:])
                if stretch is not None:
                    return stretch.name
        return routine_id.removeprefix("try-").replace("-", " ").capitalize()

    def user_routine_choices(self) -> list[tuple[str, str]]:
        """The user's own routines as (id, name): the ones a stretch can be added to."""
        if self.paths is None:
            return []
        folder = self.paths.user_routines_dir
        return [
            (r.id, r.name)
            for r in self.library.routines
            if r.source and Path(r.source).parent == folder
        ]

    def _quit(self) -> None:
        """Quit: through the tray's controller when it runs (it tidies up), else at once."""
        from PySide6.QtCore import SIGNAL

        if self.receivers(SIGNAL("quit_requested()")) > 0:
            self.quit_requested.emit()
        else:
            from PySide6.QtWidgets import QApplication

            QApplication.quit()

    def show_browser(self) -> None:
        if self.catalogue_view is not None:
            self.stretches_action.setChecked(True)
            self.pages.setCurrentWidget(self.catalogue_view)

    def try_stretch(self, stretch_id: str) -> None:
        """Play one stretch in the player, as a routine of its own (after the check-in)."""
        from stretchdesk.core.model import Routine, RoutineItem

        stretch = self.library.catalogue.get(stretch_id)
        if stretch is None:
            return
        routine = Routine(
            id=f"try-{stretch.id}",
            name=stretch.name,
            description=stretch.summary,
            items=(RoutineItem(stretch.id),),
        )
        self.open_routine(routine)

    def add_to_routine(self, stretch_id: str, routine_id: str) -> None:
        """Open the routine (or a new one) in the builder with the stretch added at the end."""
        view = self.routines_view
        self.show_routines()
        view.add_stretch_to(stretch_id, routine_id or None)

    def quick_routine(self) -> None:
        """The quick routine form, with the areas chosen on the body map."""
        view = self.routines_view
        self.show_routines()
        view.open_quick(self.catalogue_view.body_map.selected())

    def new_stretch(self) -> None:
        """The form for a stretch of the user's own."""
        from stretchdesk.ui.stretch_form import StretchForm

        form = StretchForm(self.library.catalogue, self.paths, parent=self)
        form.stretch_saved.connect(self._stretch_saved)
        self.stretch_form = form
        form.open()

    def _stretch_saved(self, stretch_id: str) -> None:
        self.reload_library()
        self.stretches_action.setChecked(True)
        self.pages.setCurrentWidget(self.catalogue_view)
        self.catalogue_view.search.clear()
        self.catalogue_view.body_map.set_selected((), notify=True)
        self.catalogue_view.filters.clear()
        self.catalogue_view.show_stretch(stretch_id)
        self.statusBar().showMessage("Your stretch was saved and is in the catalogue.", 8000)

    def reload_library(self, library: Library | None = None) -> None:
        """Show the catalogue and routines read again (the user saved a stretch or a routine).

        ``library`` is the one already read again; without it the files are read.
        """
        if library is None:
            if self.paths is None:
                return
            from stretchdesk.library import load_library

            library = load_library(self.paths)
        self.library = library
        self.catalogue_view.set_catalogue(self.library.catalogue)
        if self._routines_view is not None:
            self._routines_view.set_library(self.library)
        if self._player is not None:
            self._player.catalogue = self.library.catalogue
        self.statusBar().showMessage(f"{len(self.library.catalogue)} stretches")

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

    def open_routine(self, routine: Routine | str, *, check_in: bool = True) -> None:
        """Open ``routine`` (or the routine with this id) in the player, as today allows.

        The day's check-in comes first when it is due; otherwise the day's
        answer shapes the routine (shorter holds, flare-safe stretches only).
        ``check_in=False`` opens it exactly as it is.
        """
        if isinstance(routine, str):
            found = self.library.routine(routine)
            if found is None:
                raise KeyError(routine)
            routine = found
        if not check_in:
            self._load_in_player(routine)
            return
        self.check_in_flow.request(routine)

    def _load_in_player(self, routine: Routine) -> None:
        player = self.player
        player.load_routine(routine)
        self._show_player()

    # --- safety ------------------------------------------------------------------------

    @property
    def check_in_flow(self) -> CheckInFlow:
        """The day's check-in before routines (made on first use, after start-up)."""
        if self._check_in_flow is None:
            from stretchdesk.ui.check_in_flow import CheckInFlow

            flow = CheckInFlow(
                self,
                lambda: self.settings,
                lambda: self.library,
                today=self._today,
                clock_time=self._clock_time,
            )
            flow.routine_ready.connect(self._load_in_player)
            flow.checked_in.connect(self.check_in_recorded)
            flow.remembered.connect(self._save_settings)
            self._check_in_flow = flow
        return self._check_in_flow

    @property
    def safety(self) -> SafetyContent:
        """The safety texts (read on first use)."""
        return self.check_in_flow.safety

    @property
    def checkin_dialog(self) -> QDialog | None:
        """The check-in dialog, while one has been opened."""
        return self.check_in_flow.dialog

    @checkin_dialog.setter
    def checkin_dialog(self, dialog: QDialog | None) -> None:
        self.check_in_flow.dialog = dialog

    @property
    def pain_before(self) -> int | None:
        """The pain score given at the last check-in, until it is compared after a session."""
        return self.check_in_flow.pain_before

    @pain_before.setter
    def pain_before(self, score: int | None) -> None:
        self.check_in_flow.pain_before = score

    def _ask_pain_after(self, summary: Summary) -> None:
        """After a session that had a pain score before it, ask for one after it."""
        if self.pain_before is not None and self.settings.safety.ask_pain_score:
            self.player.finished_view.ask_pain(self.safety.pain_score.after_prompt)

    def _pain_after(self, after: int) -> None:
        if self.pain_before is None:
            return
        before = self.pain_before
        self.player.finished_view.show_pain_result(self.safety.pain_summary(before, after))
        self.pain_recorded.emit(before, after)
        self.pain_before = None  # one comparison per check-in

    def _record_hurt(self, summary: Summary) -> None:
        self.check_in_flow.record_hurt(summary)

    def _forget_check_in(self) -> None:
        """Help ▸ How is my back today?: ask again before the next routine."""
        self.check_in_flow.forget()
        self.statusBar().showMessage(
            "StretchDesk will ask how your back is before the next routine.", 8000
        )

    def _save_settings(self, settings: Settings) -> None:
        self.settings = settings
        self._remember_theme()
        if self.store is None:
            return
        from stretchdesk.storage.settings_store import StorageError

        try:
            self.store.save(settings)
        except StorageError as exc:
            self.statusBar().showMessage(str(exc), 15000)

    def show_safety(self, *, welcome: bool) -> None:
        """The welcome with the warning signs, or the warning signs alone."""
        from stretchdesk.ui.safety_dialogs import SafetyDialog

        dialog = SafetyDialog(self.safety, welcome=welcome, parent=self)
        if welcome:
            dialog.accepted.connect(self._welcome_read)
        self.safety_dialog = dialog
        dialog.open()

    def show_welcome_if_needed(self) -> None:
        """On first run, the welcome and the warning signs, before anything else."""
        if not self.settings.safety.welcome_shown:
            self.show_safety(welcome=True)

    def _welcome_read(self) -> None:
        self._save_settings(self.settings.evolve({"safety.welcome_shown": True}))

    def _fill_learn_more(self) -> None:
        from stretchdesk.ui.safety_dialogs import open_link

        self.learn_more_menu.clear()
        for source in self.safety.learn_more.sources:
            action = self.learn_more_menu.addAction(source.title)
            action.setToolTip(source.description)
            action.triggered.connect(lambda _=False, url=source.url: open_link(url))

    def _show_player(self) -> None:
        from PySide6.QtCore import Qt

        player = self.player
        self.player_action.setVisible(True)
        self.player_action.setChecked(True)
        self.pages.setCurrentWidget(player)
        player.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_routines(self) -> None:
        view = self.routines_view
        self.routines_action.setChecked(True)
        self.pages.setCurrentWidget(view)

    def show_history(self) -> None:
        view = self.history_view
        self.history_action.setChecked(True)
        self.pages.setCurrentWidget(view)

    def _remember(self, summary: Summary) -> None:
        self.last_summary = summary

    def _set_full_screen(self, on: bool) -> None:
        self.toolbar.setVisible(not on)
        self.menuBar().setVisible(not on)
        self.statusBar().setVisible(not on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def _build_status_bar(self) -> None:
        from PySide6.QtCore import Qt

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
        from PySide6.QtWidgets import QMessageBox

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
            size = QSize(1100, 720)
            screen = self.screen()
            if screen is not None:  # never larger than the screen it opens on
                size = size.boundedTo(screen.availableGeometry().size() * 0.95)
            self.resize(size)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._player is not None:
            self._player.close_session()
        if self.catalogue_view is not None:
            self.catalogue_view.stop()
        self._state.setValue("main_window/geometry", self.saveGeometry())
        self._state.sync()
        super().closeEvent(event)
