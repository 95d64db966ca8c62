"""The end of a session: time spent, stretches done, how the user feels, what to try next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.engine import Ending, Feeling, Summary
from stretchdesk.core.player_text import next_time
from stretchdesk.core.stats import streak_text
from stretchdesk.core.timeline import Plan
from stretchdesk.core.timeline_text import format_clock
from stretchdesk.ui.scaling import column_margins, set_pixel_font, window_unit

_FEELINGS = ((Feeling.BETTER, "Better"), (Feeling.SAME, "About the same"), (Feeling.WORSE, "Worse"))


class FinishedView(QWidget):
    """The after-session page.

    Signals:

    * ``feeling_chosen(str)`` — the answer to "how do you feel now?" (a ``Feeling`` value);
    * ``pain_after_chosen(int)`` — the pain score after the session, 0 to 10, when asked
      (see :meth:`ask_pain`);
    * ``again_requested()`` — run the same routine again;
    * ``close_requested()`` — leave the player.
    """

    feeling_chosen = Signal(str)
    pain_after_chosen = Signal(int)
    again_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._summary: Summary | None = None
        self._plan: Plan | None = None
        self.title = QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.facts = QLabel(self)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.facts.setAccessibleName("How the session went")
        self.streak = QLabel(self)
        self.streak.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.streak.setAccessibleName("Days in a row")
        self.streak.hide()
        self.question = question = QLabel("How do you feel now?", self)
        question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.feelings = QButtonGroup(self)
        feeling_row = QHBoxLayout()
        feeling_row.addStretch(1)
        for feeling, label in _FEELINGS:
            button = QPushButton(label, self)
            button.setCheckable(True)
            button.setToolTip(f"I feel {label.lower()} than before the session")
            button.setProperty("feeling", str(feeling))
            self.feelings.addButton(button)
            feeling_row.addWidget(button)
        feeling_row.addStretch(1)
        self.pain_question = QLabel(self)
        self.pain_question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pain_question.setWordWrap(True)
        self.pain_scores = QButtonGroup(self)
        pain_row = QHBoxLayout()
        pain_row.addStretch(1)
        for score in range(11):
            button = QPushButton(str(score), self)
            button.setCheckable(True)
            button.setAccessibleName(f"Pain {score} of 10")
            button.setToolTip("0: no pain · 10: the worst pain you can imagine")
            self.pain_scores.addButton(button, score)
            pain_row.addWidget(button)
        pain_row.addStretch(1)
        self.pain_result = QLabel(self)
        self.pain_result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pain_result.setWordWrap(True)
        self._pain_widgets = (self.pain_question, *self.pain_scores.buttons(), self.pain_result)
        for widget in self._pain_widgets:
            widget.hide()
        self.suggestion = QLabel(self)
        self.suggestion.setWordWrap(True)
        self.suggestion.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.suggestion.setAccessibleName("For next time")
        self.again_button = QPushButton("Do it again", self)
        self.again_button.setToolTip("Run this routine again from the start")
        self.close_button = QPushButton("Back to routines", self)
        self.close_button.setToolTip("Leave the player")
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.again_button)
        actions.addWidget(self.close_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.streak)
        layout.addSpacing(24)
        layout.addWidget(question)
        layout.addLayout(feeling_row)
        layout.addSpacing(12)
        layout.addWidget(self.pain_question)
        layout.addLayout(pain_row)
        layout.addWidget(self.pain_result)
        layout.addSpacing(16)
        layout.addWidget(self.suggestion)
        layout.addSpacing(24)
        layout.addLayout(actions)
        layout.addStretch(2)
        self._connect_signals()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_fonts()

    def _scale_fonts(self) -> None:
        """Text grows with the window, like the session page's."""
        unit = window_unit(self)
        base = self.font()
        for widget, px in (
            (self.title, 14),
            (self.facts, 13),
            (self.streak, 15),
            (self.question, 17),
        ):
            set_pixel_font(widget, base, px, unit)
        set_pixel_font(self.suggestion, base, 14, unit)
        side = column_margins(self.width(), 640 * unit, 48)  # lines short enough to read
        self.layout().setContentsMargins(side, 32, side, 32)
        for button in (*self.feelings.buttons(), self.again_button, self.close_button):
            set_pixel_font(button, base, 14, unit)
            button.setMinimumHeight(round(34 * unit))
        for button in self.feelings.buttons():
            button.setMinimumWidth(round(150 * unit))

    def _connect_signals(self) -> None:
        self.feelings.buttonClicked.connect(self._feeling_clicked)
        self.pain_scores.idClicked.connect(self.pain_after_chosen)
        self.again_button.clicked.connect(self.again_requested)
        self.close_button.clicked.connect(self.close_requested)

    def show_summary(self, summary: Summary, plan: Plan) -> None:
        self._summary, self._plan = summary, plan
        self.hide_pain()
        self.show_streak(None)
        self.feelings.setExclusive(False)
        for button in self.feelings.buttons():
            button.setChecked(False)
        self.feelings.setExclusive(True)
        finished = summary.ending is Ending.FINISHED
        self.title.setText(f"<h1>{'Well done' if finished else 'Session stopped'}</h1>")
        total = len(summary.items)
        self.facts.setText(
            f"<p style='font-size:x-large'>Time spent: <b>{format_clock(summary.active_seconds)}"
            f"</b> &nbsp;·&nbsp; Stretches done: <b>{summary.done_count} of {total}</b></p>"
            f"<p>{plan.routine.name}</p>"
        )
        self.suggestion.setText(next_time(summary, plan))

    def show_streak(self, days: int | None) -> None:
        """Days in a row with a session, this one included; ``None`` (no history) hides it."""
        if not days:
            self.streak.clear()
            self.streak.hide()
            return
        self.streak.setText(f"<b>{streak_text(days)}</b>")
        self.streak.show()

    def ask_pain(self, prompt: str) -> None:
        """Ask for the pain score after the session (when one was given before it)."""
        self.pain_question.setText(prompt)
        self.pain_scores.setExclusive(False)
        for button in self.pain_scores.buttons():
            button.setChecked(False)
        self.pain_scores.setExclusive(True)
        self.pain_result.clear()
        for widget in self._pain_widgets:
            widget.show()

    def show_pain_result(self, text: str) -> None:
        """How the pain compares with before, once the score is in."""
        self.pain_result.setText(text)

    def hide_pain(self) -> None:
        for widget in self._pain_widgets:
            widget.hide()

    def update_summary(self, summary: Summary) -> None:
        """Show the suggestion again once the feeling is known."""
        self._summary = summary
        if self._plan is not None:
            self.suggestion.setText(next_time(summary, self._plan))

    def _feeling_clicked(self, button: QPushButton) -> None:
        self.feeling_chosen.emit(str(button.property("feeling")))
