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
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk import APP_NAME
from stretchdesk.core.model import Routine
from stretchdesk.core.settings import Settings
from stretchdesk.library import Library
from stretchdesk.ui.check_in_flow import CheckInFlow
from stretchdesk.ui.player_view import PlayerView

if TYPE_CHECKING:
    from stretchdesk.core.safety import SafetyContent

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
        self.check_in_flow = CheckInFlow(
            self,
            lambda: self.settings,
            lambda: self.library,
            today=today,
            clock_time=clock_time,
            dialogs_on_top=True,
        )
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
        self.player.session_ended.connect(self.check_in_flow.record_hurt)
        self.check_in_flow.routine_ready.connect(self._play)
        self.check_in_flow.remembered.connect(self._remembered)
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
        self.check_in_flow.request(routine)

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
        return self.check_in_flow.safety

    @property
    def checkin_dialog(self) -> QDialog | None:
        """The check-in dialog, while one has been opened."""
        return self.check_in_flow.dialog

    @property
    def pain_before(self) -> int | None:
        return self.check_in_flow.pain_before

    def _remembered(self, settings: Settings) -> None:
        self.settings = settings
        self.settings_changed.emit(settings)

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
