"""The compact player: a small window for a break started from a reminder.

Start on a reminder (or "Take a break now") opens the stretch or routine here
rather than in the main window, so a desk break does not bring the whole app
forward. The window holds a :class:`~stretchdesk.ui.player_view.PlayerView`
(used only through its public API) and a "Keep on top" switch, on by default.

Before a routine reaches the player, the day's check-in comes first, exactly
as for routines started from the main window: the core decides
(:func:`~stretchdesk.core.safety.todays_check_in`, then
:func:`~stretchdesk.core.safety.adjust_routine` shapes the routine to the
answer), and :class:`~stretchdesk.ui.checkin_dialog.CheckInDialog` asks when
it is due. Warning signs never lead into a routine. The window does not save
settings itself: it emits ``settings_changed`` with what the check-in (or "It
hurts") should remember, and its owner saves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk import APP_NAME
from stretchdesk.core.model import Routine
from stretchdesk.core.settings import Settings
from stretchdesk.library import Library
from stretchdesk.ui.player_view import PlayerView

if TYPE_CHECKING:
    from stretchdesk.core.engine import Summary
    from stretchdesk.core.safety import SafetyContent
    from stretchdesk.ui.checkin_dialog import CheckInResult

COMPACT_SIZE = QSize(600, 540)
"""The window's first size: room for the figure, the step and the controls, no more."""


class CompactPlayer(QWidget):
    """A small, optionally always-on-top window with the routine player.

    Signals:
        session_ended(object): a session finished or stopped; its ``Summary``.
        feeling_recorded(object): the ``Summary`` with how the user felt.
        settings_changed(object): the :class:`Settings` to save (the day's
            check-in was answered, or a session stopped because it hurt).
    """

    session_ended = Signal(object)
    feeling_recorded = Signal(object)
    settings_changed = Signal(object)

    def __init__(
        self,
        library: Library,
        settings: Settings,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        clock_time: Callable[[], dt.time] = lambda: dt.datetime.now().time(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.library = library
        self.settings = settings
        self._today = today
        self._clock_time = clock_time
        self._safety: SafetyContent | None = None
        self.checkin_dialog: QDialog | None = None
        self.pain_before: int | None = None
        self.setWindowTitle(f"Break — {APP_NAME}")
        self.on_top = QToolButton(self)
        self.on_top.setText("Keep on top")
        self.on_top.setCheckable(True)
        self.on_top.setChecked(True)
        self.on_top.setToolTip("Keep this window above the others while you stretch")
        self.on_top.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.player = PlayerView(library.catalogue, settings.player, parent=self)
        self._build()
        self._connect_signals()
        self.resize(COMPACT_SIZE)

    def _build(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(8, 6, 8, 0)
        row.addStretch(1)
        row.addWidget(self.on_top)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.player, 1)

    def _connect_signals(self) -> None:
        self.on_top.toggled.connect(self.set_on_top)
        self.player.session_ended.connect(self.session_ended)
        self.player.session_ended.connect(self._record_hurt)
        self.player.feeling_recorded.connect(self.feeling_recorded)
        self.player.close_requested.connect(self.close)
        self.player.full_screen_requested.connect(self._set_full_screen)

    # --- opening a routine ------------------------------------------------------------

    def open_routine(self, routine: Routine, *, check_in: bool = True) -> None:
        """Open ``routine`` as today allows: the check-in first when it is due.

        ``check_in=False`` opens it exactly as it is.
        """
        if not check_in:
            self._play(routine)
            return
        from stretchdesk.core.safety import adjust_routine, time_of_day_at, todays_check_in

        safety = self.settings.safety
        ask, outcome = todays_check_in(
            safety.last_checkin,
            safety.last_checkin_answer,
            self._today(),
            enabled=safety.check_in,
            time_of_day=time_of_day_at(self._clock_time()),
        )
        if ask:
            self._ask_check_in(routine)
            return
        session = adjust_routine(routine, self.library.catalogue, outcome)
        if session.routine is None:
            self._not_today(routine)
            return
        self._play(session.routine)

    def set_on_top(self, on: bool) -> None:
        """Keep the window above the others, or not."""
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)
        if visible:  # changing the flags hides a window
            self.show()
        if self.on_top.isChecked() != on:
            self.on_top.setChecked(on)

    def _play(self, routine: Routine) -> None:
        self.player.load_routine(routine)
        if self.isMinimized():
            self.showNormal()
        if not self.isVisible():
            self._place()
        self.show()
        self.raise_()
        self.activateWindow()
        self.player.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the check-in ------------------------------------------------------------------

    @property
    def safety(self) -> SafetyContent:
        """The safety texts (read on first use)."""
        if self._safety is None:
            from stretchdesk.core.safety import load_safety

            self._safety = load_safety()
        return self._safety

    def _ask_check_in(self, routine: Routine) -> None:
        from stretchdesk.core.safety import time_of_day_at
        from stretchdesk.ui.checkin_dialog import CheckInDialog

        dialog = CheckInDialog(
            self.safety,
            routine,
            self.library.catalogue,
            time_of_day=time_of_day_at(self._clock_time()),
            ask_pain_score=self.settings.safety.ask_pain_score,
            suggested_routines={r.id: r for r in self.library.routines},
            parent=self.parentWidget(),
        )
        dialog.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        dialog.checked_in.connect(self._checked_in)
        self.checkin_dialog = dialog
        dialog.open()

    def _checked_in(self, result: CheckInResult) -> None:
        from stretchdesk.core.safety import RECORD_SKIPPED

        record = RECORD_SKIPPED if result.skipped else result.outcome.answer.value
        self._remember_check_in(record)
        self.pain_before = result.pain_before
        if result.routine is not None:
            self._play(result.routine)

    def _record_hurt(self, summary: Summary) -> None:
        from stretchdesk.core.engine import Ending
        from stretchdesk.core.safety import RECORD_HURT

        if summary.ending is Ending.HURT:
            self._remember_check_in(RECORD_HURT)

    def _remember_check_in(self, record: str) -> None:
        self.settings = self.settings.evolve(
            {"safety.last_checkin": self._today(), "safety.last_checkin_answer": record}
        )
        self.settings_changed.emit(self.settings)

    def _not_today(self, routine: Routine) -> None:
        box = QMessageBox(self.parentWidget())
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Not today")
        box.setText(
            f"Nothing in {routine.name} is gentle enough for how your back is today. "
            "Try the gentle flare-up routine, or rest, use ice and take an easy walk."
        )
        box.open()

    # --- the window --------------------------------------------------------------------

    def _place(self) -> None:
        """Fit the window on the screen, in its top-right corner, clear of the panels."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        size = COMPACT_SIZE.boundedTo(room.size() - QSize(32, 64))
        self.resize(size)
        margin = 16
        self.move(room.right() - size.width() - margin, room.top() + margin + 24)

    def _set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.player.close_session()
        super().closeEvent(event)
