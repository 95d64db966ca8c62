"""Desk-break reminders in the running app: the history, the controller, the tray, the prompt.

:func:`install_reminders` builds them around the main window and does all the
wiring in one place:

* the tray icon (when the desktop has a tray) and its menu;
* the reminder controller with the desktop notifier, the prompt window, the
  idle monitor and the do-not-disturb probe;
* Start on a reminder (and "Take a break now") opens the stretch or routine in
  the compact player (``ui/compact_player.py``), after the day's check-in;
  "Start routine ▸" opens the main window's player; either session's end
  finishes the break and goes into the history;
* closing the window keeps the app in the tray (said once, remembered in
  ``desktop.close_to_tray_notice_shown``); with no tray, closing minimises the
  window instead, so reminders keep coming; Quit (tray menu or Ctrl+Q) quits;
* once nothing has been on screen for :data:`RESIDENT_AFTER_SECONDS` (no
  window, no break, no reminder showing or held), the app hands itself over to
  the small tray-only resident process (``ui/resident.py``), carrying the
  break scheduler across; it comes back the moment the user needs more.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication

from stretchdesk import APP_NAME
from stretchdesk.core.engine import Outcome as ItemOutcome
from stretchdesk.core.engine import Summary
from stretchdesk.core.model import Routine
from stretchdesk.core.scheduler import State, scheduler_snapshot
from stretchdesk.core.settings import Settings
from stretchdesk.library import Library
from stretchdesk.platform.notifications import Notifier, choose_notifier
from stretchdesk.storage.history import CheckIn, History, SessionRecord
from stretchdesk.storage.paths import AppPaths
from stretchdesk.storage.settings_store import SettingsStore, StorageError

if TYPE_CHECKING:
    from stretchdesk.ui.checkin_dialog import CheckInResult
from stretchdesk.ui.compact_player import CompactPlayer
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.reminder_prompt import ReminderPrompt
from stretchdesk.ui.reminders import IdleSource, QuietSource, ReminderController, local_zone
from stretchdesk.ui.tray import Tray

RESIDENT_AFTER_SECONDS = 20.0
"""How long nothing must be on screen before the app slims down to the tray-only process."""

RESIDENT_AFTER_ENV = "STRETCHDESK_RESIDENT_AFTER"
"""Seconds before slimming down instead of :data:`RESIDENT_AFTER_SECONDS`; ``never`` to stay."""

_TRAY_ICON_WIDGET = "QSystemTrayIconSys"
"""Qt's own window for the icon in an X11 tray: always there, never "on screen" for the user."""

NOTIFICATION_ROOM = 140
"""Pixels kept free beside the tray for the desktop notification shown with the prompt."""

NO_TRAY_NOTICE = (
    f"There is no system tray on this desktop, so {APP_NAME} stays open (minimised) to "
    "remind you about breaks. Press Ctrl+Q to quit."
)
TRAY_NOTICE = (
    f"{APP_NAME} is still running in the tray and will remind you about breaks. "
    "Choose Quit from its menu to stop it."
)


def _idle_monitor() -> IdleSource | None:
    try:
        from stretchdesk.platform.idle import choose_idle_monitor
    except ImportError:  # the platform adapter is not there: time counts by the clock alone
        return None
    try:
        return choose_idle_monitor()
    except Exception:  # a broken idle source must never stop the app
        return None


def _quiet_probe() -> QuietSource | None:
    try:
        from stretchdesk.platform.dnd import choose_quiet_probe

        return choose_quiet_probe()
    except Exception:  # without a probe reminders are never held back; the app runs on
        return None


def idle_note(idle: IdleSource | None) -> str | None:
    """Why breaks are timed by the clock (for Settings), or ``None`` when idle time is known."""
    if idle is None:
        return "StretchDesk cannot tell when you are away from the keyboard here."
    return getattr(idle, "reason", None)


class DeskReminders(QObject):
    """Everything reminders need in the running app; see the module docstring.

    The settings are the main window's (``window.settings``), so what the
    window remembers (the day's check-in) and what Settings changes stay one.
    """

    def __init__(
        self,
        window: MainWindow,
        library: Library,
        paths: AppPaths,
        settings: Settings,
        *,
        notifier: Notifier | None = None,
        idle: IdleSource | None = None,
        quiet: QuietSource | None = None,
        history: History | None = None,
        store: SettingsStore | None = None,
        restore: object = None,
        slim_down: bool = False,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.library = library
        self.paths = paths
        self.settings = settings
        self.store = store or SettingsStore(paths)
        self.idle_note = idle_note(idle)
        self._compact: CompactPlayer | None = None
        self.history = history if history is not None else History.open(paths.history_db)
        window.set_history(lambda: self.history)
        self._quitting = False
        self._no_tray_notice_shown = False
        self._connected_player: QObject | None = None
        self._last_session_id: int | None = None
        self.controller = ReminderController(
            library,
            settings.reminders,
            self.history,
            notifier or Notifier(),
            idle=idle,
            quiet=quiet,
            tz=local_zone(),
            prompt_factory=self._make_prompt,
            restore=restore,
            parent=self,
        )
        if self.controller.restore_problem:
            print(
                f"stretchdesk: the break timer starts afresh ({self.controller.restore_problem})",
                file=sys.stderr,
            )
        self._slim_down = slim_down
        self._resident_timer = QTimer(self)
        self._resident_timer.setSingleShot(True)
        self._resident_timer.timeout.connect(self._maybe_go_resident)
        user_dir = paths.user_routines_dir.resolve()
        self.tray = Tray(
            self.controller,
            library.routines,
            is_users=lambda routine: _inside(routine.source, user_dir),
            parent=self,
        )
        self.has_tray = self.tray.show()
        if notifier is None:
            chosen = choose_notifier(self.tray.icon if self.has_tray else None)
            chosen.setParent(self)
            self.controller.set_notifier(chosen)
        # The app ends with Quit (the tray menu, or Ctrl+Q), not when its window closes.
        QApplication.setQuitOnLastWindowClosed(False)
        window.addAction(self.tray.actions.quit)
        window.installEventFilter(self)
        self._connect_signals()
        for notice in self.history.notices:
            self._notice(notice)

    @property
    def settings(self) -> Settings:
        return self.window.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self.window.settings = settings

    @property
    def compact_player(self) -> CompactPlayer:
        """The compact player window for breaks (made on first use)."""
        if self._compact is None:
            compact = CompactPlayer(self.library, self.settings, parent=self.window)
            compact.session_ended.connect(self._session_ended)
            compact.feeling_recorded.connect(self._feeling_recorded)
            compact.settings_changed.connect(self._save_settings)
            compact.check_in_flow.checked_in.connect(self._check_in_recorded)
            compact.installEventFilter(self)
            self._compact = compact
        return self._compact

    def _make_prompt(self) -> ReminderPrompt:
        prompt = ReminderPrompt(self.library.catalogue)
        prompt.anchor_source = self._tray_place
        if self.controller.notifier.name == "dbus":
            prompt.notification_room = NOTIFICATION_ROOM
        return prompt

    def _tray_place(self) -> QRect | None:
        if not self.has_tray:
            return None
        rect = self.tray.icon.geometry()
        return rect if rect.isValid() and not rect.isEmpty() else None

    def _connect_signals(self) -> None:
        tray = self.tray
        controller = self.controller
        tray.open_requested.connect(self.show_window)
        tray.settings_requested.connect(self.open_settings)
        tray.routine_requested.connect(self.start_routine)
        tray.quit_requested.connect(self.quit)
        controller.start_requested.connect(self.open_break)
        controller.notice_posted.connect(self._notice)
        controller.status_changed.connect(self.consider_resident)
        controller.reminder_hidden.connect(self.consider_resident)
        self.window.pages.currentChanged.connect(self._follow_player)
        self._follow_player()  # a routine opened before the reminders were installed
        self.window.check_in_recorded.connect(self._check_in_recorded)
        self.window.settings_requested.connect(self.open_settings)
        self.window.quit_requested.connect(self.quit)
        self.window.pain_recorded.connect(self._pain_recorded)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._shutdown)

    def connect_commands(self, server: QObject) -> None:
        """Carry out ``stretchdesk break-now``, ``pause`` and ``resume`` from other launches."""
        controller = self.controller
        server.break_now_requested.connect(controller.take_break_now)  # type: ignore[attr-defined]
        server.pause_requested.connect(controller.pause)  # type: ignore[attr-defined]
        server.pause_until_tomorrow_requested.connect(  # type: ignore[attr-defined]
            controller.pause_until_tomorrow
        )
        server.resume_requested.connect(controller.resume)  # type: ignore[attr-defined]

    # --- actions ----------------------------------------------------------------------------

    def show_window(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    def start_routine(self, routine_id: str) -> None:
        routine = self.library.routine(routine_id)
        if routine is not None:
            self.open_in_player(routine)

    def open_in_player(self, routine: Routine) -> None:
        """Open ``routine`` in the main window's player, ready to start; the user starts it."""
        self.window.open_routine(routine)
        self.show_window()

    def open_break(self, routine: Routine) -> None:
        """A break's stretch or routine in the compact player, after the day's check-in."""
        compact = self.compact_player
        compact.settings = self.settings
        compact.open_routine(routine)

    def open_settings(self) -> None:
        from stretchdesk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.settings,
            self.store,
            self.library.routines,
            self.window,
            areas=self.library.catalogue.areas,
            idle_note=self.idle_note,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.settings_saved.connect(self.apply_settings)
        if not self.window.isVisible():
            self.show_window()
        dialog.open()

    def apply_settings(self, settings: Settings) -> None:
        from stretchdesk.ui.app import apply_theme

        self.window.set_settings(settings)
        apply_theme(QApplication.instance(), settings.appearance.theme)
        self.settings = settings
        if self._compact is not None:
            self._compact.settings = settings
        self.controller.apply_settings(settings.reminders)

    def quit(self) -> None:
        self._quitting = True
        self.window.close()
        QApplication.quit()

    # --- the window and the player ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and not self._quitting:
            QTimer.singleShot(0, self, self.consider_resident)
        if watched is self.window and event.type() == QEvent.Type.Close and not self._quitting:
            assert isinstance(event, QCloseEvent)
            if not self.has_tray:
                event.ignore()
                self.window.showMinimized()
                if not self._no_tray_notice_shown:
                    self._no_tray_notice_shown = True
                    self.window.statusBar().showMessage(NO_TRAY_NOTICE, 20000)
                return True
            if not self.settings.desktop.close_to_tray_notice_shown:
                self.tray.show_message(APP_NAME, TRAY_NOTICE)
                self._remember_tray_notice()
        return False

    # --- slimming down to the tray-only process -------------------------------------------

    def resident_after(self) -> float | None:
        """Seconds of nothing on screen before slimming down; ``None`` when it never does."""
        from stretchdesk.platform.handover import can_switch

        if not (self._slim_down and self.has_tray and can_switch()):
            return None
        text = os.environ.get(RESIDENT_AFTER_ENV, "").strip()
        if text == "never":
            return None
        try:
            seconds = float(text) if text else RESIDENT_AFTER_SECONDS
        except ValueError:
            seconds = RESIDENT_AFTER_SECONDS
        return seconds if math.isfinite(seconds) and seconds >= 0 else RESIDENT_AFTER_SECONDS

    def idle_on_screen(self) -> bool:
        """Nothing on screen and nothing under way: the app may slim down."""
        if self._quitting:
            return False
        app = QApplication.instance()
        if app is not None and any(
            w.isVisible() and w.metaObject().className() != _TRAY_ICON_WIDGET
            for w in QApplication.topLevelWidgets()
        ):
            return False
        controller = self.controller
        if controller.held is not None or controller.suggestion is not None:
            return False
        if controller.status().state in (State.PROMPTING, State.IN_BREAK):
            return False
        players = [getattr(self.window, "_player", None)]  # not .player: that makes one
        if self._compact is not None:
            players.append(self._compact.player)
        return not any(getattr(p, "driver", None) is not None and p.driver.running for p in players)

    def consider_resident(self) -> None:
        """Start (or stop) the countdown to slimming down, as things now stand.

        While the main window is hidden but something else is still up (a
        break, a tray balloon, a dialog), it looks again every so often; while
        the window is open, not at all.
        """
        after = self.resident_after()
        if after is None or (self.window.isVisible() and not self._quitting):
            self._resident_timer.stop()
            return
        if not self._resident_timer.isActive():
            self._resident_timer.start(math.ceil(after * 1000))

    def _maybe_go_resident(self) -> None:
        if self.resident_after() is None:
            return
        if self.idle_on_screen():
            self.go_resident()
        else:
            self.consider_resident()

    def go_resident(self, switch=None) -> bool:
        """Hand over to the tray-only resident process (replacing this one); False if not."""
        from stretchdesk.platform import handover
        from stretchdesk.platform.single_instance import CommandServer
        from stretchdesk.ui.resident import MenuRoutine, resident_handover
        from stretchdesk.ui.tray import icon_sheet

        server = self.window.findChild(CommandServer)
        listen_fd = server.descriptor() if server is not None else None
        if listen_fd is None:
            return False  # a command sent meanwhile would find nobody: stay
        user_dir = self.paths.user_routines_dir.resolve()
        routines = [
            MenuRoutine(r.id, r.name, _inside(r.source, user_dir)) for r in self.library.routines
        ]
        controller = self.controller
        controller.stop()
        sheet = self.paths.cache_dir / f"tray-icons-{'dark' if self.tray.dark else 'light'}.png"
        try:
            sheet.parent.mkdir(parents=True, exist_ok=True)
            saved = icon_sheet(self.tray.dark).save(str(sheet), "PNG")
        except OSError:
            saved = False
        data = resident_handover(
            controller.scheduler.config,
            scheduler_snapshot(controller.scheduler),
            routines,
            listen_fd,
            dark=self.tray.dark,
            icon_sheet=str(sheet) if saved else None,
        )
        try:
            argv = handover.prepare(server.address, self.paths, data)
        except OSError as exc:
            print(f"stretchdesk: staying as it is ({exc})", file=sys.stderr)
            controller.wake()
            return False
        self.history.close()
        try:
            (switch or handover.switch)(argv, listen_fd)
        except OSError as exc:  # nothing was changed: carry on as the full app
            print(f"stretchdesk: staying as it is ({exc})", file=sys.stderr)
            self.history = History.open(self.paths.history_db)
            controller.history = self.history
            controller.wake()
            return False
        return True

    def _remember_tray_notice(self) -> None:
        self._save_settings(self.settings.evolve({"desktop.close_to_tray_notice_shown": True}))

    def _save_settings(self, settings: Settings) -> None:
        """Keep ``settings`` (from the compact player's check-in, ...) and write them."""
        self.settings = settings
        try:
            self.store.save(settings)
        except StorageError as exc:
            self._notice(str(exc))

    def _follow_player(self) -> None:
        page = self.window.pages.currentWidget()
        if page is self._connected_player or not hasattr(page, "session_ended"):
            return
        self._connected_player = page
        page.session_ended.connect(self._session_ended)
        if hasattr(page, "feeling_recorded"):
            page.feeling_recorded.connect(self._feeling_recorded)

    def _session_ended(self, summary: Summary) -> None:
        self.controller.finish_break()
        pain_before = self.window.pain_before
        if self._compact is not None and self.sender() is self._compact:
            pain_before = self._compact.pain_before
        record = _session_record(summary, pain_before=pain_before)
        self._last_session_id = self.history.add_session(record)
        player = (
            self._compact.player
            if self._compact is not None and self.sender() is self._compact
            else self.sender()
        )
        finished = getattr(player, "finished_view", None)
        if finished is not None and self._last_session_id is not None:
            finished.show_streak(self.window.streak())
        self.window.history_updated()

    def _check_in_recorded(self, result: CheckInResult) -> None:
        answer = "skipped" if result.skipped else str(result.outcome.answer)
        now = _dt.datetime.now().astimezone()
        self.history.add_checkin(CheckIn(now, answer, result.pain_before))

    def _pain_recorded(self, before: int, after: int) -> None:
        if self._last_session_id is not None:
            self.history.set_session_pain_after(self._last_session_id, after)
            self.window.history_updated()

    def _feeling_recorded(self, summary: Summary) -> None:
        if self._last_session_id is not None and summary.feeling is not None:
            self.history.set_session_feeling(self._last_session_id, str(summary.feeling))
            self.window.history_updated()

    def _notice(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15000)

    def _shutdown(self) -> None:
        if self._compact is not None:
            self._compact.player.close_session()
        self.controller.shutdown()
        self.tray.hide()
        self.history.close()


def _inside(source: str, folder: Path) -> bool:
    if not source:
        return False
    try:
        return Path(source).resolve().is_relative_to(folder)
    except (OSError, ValueError):
        return False


def _session_record(summary: Summary, pain_before: int | None = None) -> SessionRecord:
    """A history record for the engine's session summary, ending now."""
    ended = _dt.datetime.now().astimezone()
    outcomes = [item.outcome for item in summary.items]
    return SessionRecord(
        routine=summary.routine_id,
        started=ended - _dt.timedelta(seconds=summary.active_seconds),
        ended=ended,
        ending=str(summary.ending),
        seconds_held=summary.held_seconds,
        items_done=outcomes.count(ItemOutcome.DONE),
        items_skipped=outcomes.count(ItemOutcome.SKIPPED),
        items_partial=outcomes.count(ItemOutcome.PARTIAL),
        feeling=str(summary.feeling) if summary.feeling is not None else None,
        pain_before=pain_before,
        stretches=tuple(
            item.stretch_id
            for item in summary.items
            if item.outcome in (ItemOutcome.DONE, ItemOutcome.PARTIAL)
        ),
    )


def install_reminders(
    window: MainWindow,
    library: Library,
    paths: AppPaths,
    settings: Settings,
    restore: object = None,
    *,
    slim_down: bool = False,
) -> DeskReminders:
    """Reminders for the running app (call once, after the window is made).

    When the window has a command server (``platform/single_instance.py``), its
    break-now, pause and resume commands drive the reminders.
    """
    reminders = DeskReminders(
        window,
        library,
        paths,
        settings,
        idle=_idle_monitor(),
        quiet=_quiet_probe(),
        restore=restore,
        slim_down=slim_down,
    )
    try:
        from stretchdesk.platform.single_instance import CommandServer
    except ImportError:
        return reminders
    server = window.findChild(CommandServer)
    if server is not None:
        reminders.connect_commands(server)
    reminders.consider_resident()
    return reminders
