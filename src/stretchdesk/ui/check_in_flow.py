"""The day's check-in before a routine, for every window that plays one.

The main window and the compact break window both open routines; both go
through this flow, so a routine is never shaped, or refused, differently in
one place than in the other. The decisions are the core's
(:func:`~stretchdesk.core.safety.todays_check_in` and
:func:`~stretchdesk.core.safety.adjust_routine`);
:class:`~stretchdesk.ui.checkin_dialog.CheckInDialog` asks when the check-in
is due. Warning signs never lead into a routine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from stretchdesk.core.engine import Summary
    from stretchdesk.core.model import Routine
    from stretchdesk.core.safety import SafetyContent
    from stretchdesk.core.settings import Settings
    from stretchdesk.library import Library
    from stretchdesk.ui.checkin_dialog import CheckInDialog, CheckInResult


class CheckInFlow(QObject):
    """Asks the day's check-in when it is due and hands on the routine today allows.

    Signals:
        routine_ready(object): the :class:`Routine` to play, shaped by today's answer.
        checked_in(object): the :class:`CheckInResult` of an answered (or skipped) check-in.
        remembered(object): the :class:`Settings` with what the check-in (or "It
            hurts") should be remembered as; the owner keeps and saves them.
    """

    routine_ready = Signal(object)
    checked_in = Signal(object)
    remembered = Signal(object)

    def __init__(
        self,
        host: QWidget,
        settings: Callable[[], Settings],
        library: Callable[[], Library],
        *,
        today: Callable[[], dt.date] = dt.date.today,
        clock_time: Callable[[], dt.time] = lambda: dt.datetime.now().time(),
        dialogs_on_top: bool = False,
    ) -> None:
        super().__init__(host)
        self._host = host
        self._settings = settings
        self._library = library
        self.today = today
        self._clock_time = clock_time
        self._dialogs_on_top = dialogs_on_top
        self._safety: SafetyContent | None = None
        self.dialog: CheckInDialog | None = None
        self.pain_before: int | None = None

    @property
    def safety(self) -> SafetyContent:
        """The safety texts (read on first use)."""
        if self._safety is None:
            from stretchdesk.core.safety import load_safety

            self._safety = load_safety()
        return self._safety

    def request(self, routine: Routine) -> None:
        """Ask the check-in if it is due; otherwise pass on the routine as today allows."""
        from stretchdesk.core.safety import adjust_routine, time_of_day_at, todays_check_in

        safety = self._settings().safety
        ask, outcome = todays_check_in(
            safety.last_checkin,
            safety.last_checkin_answer,
            self.today(),
            enabled=safety.check_in,
            time_of_day=time_of_day_at(self._clock_time()),
        )
        if ask:
            self._ask(routine)
            return
        session = adjust_routine(routine, self._library().catalogue, outcome)
        if session.routine is None:
            self._not_today(routine)
            return
        self.routine_ready.emit(session.routine)

    def _ask(self, routine: Routine) -> None:
        from stretchdesk.core.safety import time_of_day_at
        from stretchdesk.ui.checkin_dialog import CheckInDialog

        library = self._library()
        dialog = CheckInDialog(
            self.safety,
            routine,
            library.catalogue,
            time_of_day=time_of_day_at(self._clock_time()),
            ask_pain_score=self._settings().safety.ask_pain_score,
            suggested_routines={r.id: r for r in library.routines},
            parent=self._dialog_parent(),
        )
        if self._dialogs_on_top:
            dialog.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        dialog.checked_in.connect(self._answered)
        self.dialog = dialog
        dialog.open()

    def _dialog_parent(self) -> QWidget:
        return self._host.parentWidget() or self._host if self._dialogs_on_top else self._host

    def _answered(self, result: CheckInResult) -> None:
        from stretchdesk.core.safety import RECORD_SKIPPED

        record = RECORD_SKIPPED if result.skipped else result.outcome.answer.value
        self._remember(record)
        self.pain_before = result.pain_before
        self.checked_in.emit(result)
        if result.routine is not None:
            self.routine_ready.emit(result.routine)

    def record_hurt(self, summary: Summary) -> None:
        """A session stopped because it hurt: the next routine asks again."""
        from stretchdesk.core.engine import Ending
        from stretchdesk.core.safety import RECORD_HURT

        if summary.ending is Ending.HURT:
            self._remember(RECORD_HURT)

    def forget(self) -> None:
        """Ask again before the next routine (Help ▸ How is my back today?)."""
        self.remembered.emit(
            self._settings().evolve(
                {"safety.last_checkin": None, "safety.last_checkin_answer": None}
            )
        )

    def _remember(self, record: str) -> None:
        self.remembered.emit(
            self._settings().evolve(
                {"safety.last_checkin": self.today(), "safety.last_checkin_answer": record}
            )
        )

    def _not_today(self, routine: Routine) -> None:
        box = QMessageBox(self._dialog_parent())
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Not today")
        box.setText(
            f"Nothing in {routine.name} is gentle enough for how your back is today. "
            "Try the gentle flare-up routine, or rest, use ice and take an easy walk."
        )
        box.open()
