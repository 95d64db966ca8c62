""" "How is your back today?": the check-in before a routine, and what each answer leads to.

The decisions are :mod:`stretchdesk.core.safety`'s; this dialog only asks and
shows. A warning-signs answer never offers a way into a routine: its page has
no start button at all.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.model import Catalogue, Routine, TimeOfDay
from stretchdesk.core.safety import (
    AdjustedSession,
    CheckInAnswer,
    CheckInOutcome,
    SafetyContent,
    SignGroup,
    Urgency,
    adjust_routine,
    decide,
    routine_allowed,
    skipped_check_in,
)
from stretchdesk.ui.safety_dialogs import (
    PROFESSIONAL_ACCENT,
    LearnMoreLinks,
    WarningGroupBox,
    heading,
)


@dataclass(frozen=True, slots=True)
class CheckInResult:
    """What the check-in decided: the outcome, the optional pain score, what to start."""

    outcome: CheckInOutcome
    skipped: bool
    pain_before: int | None
    routine: Routine | None  # None: start nothing


def _text(text: str, parent: QWidget, *, rich: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    return label


class PainScore(QWidget):
    """A 0-10 slider with its prompt and labels; can be left out."""

    def __init__(self, content: SafetyContent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text = content.pain_score
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(_text(text.before_prompt, self))
        row = QHBoxLayout()
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 10)
        self.slider.setValue(0)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setAccessibleName("Pain score from 0 to 10")
        self.value_label = QLabel("0", self)
        self.value_label.setMinimumWidth(24)
        self.slider.valueChanged.connect(lambda v: self.value_label.setText(str(v)))
        row.addWidget(QLabel(text.min_label, self))
        row.addWidget(self.slider, 1)
        row.addWidget(QLabel(text.max_label, self))
        row.addWidget(self.value_label)
        layout.addLayout(row)
        hint = _text(text.hint, self)
        hint.setEnabled(False)
        layout.addWidget(hint)
        self.give = QCheckBox("Record my pain score", self)
        self.give.setChecked(False)
        self.slider.sliderPressed.connect(lambda: self.give.setChecked(True))
        self.slider.valueChanged.connect(lambda _v: self.give.setChecked(True))
        layout.addWidget(self.give)

    def score(self) -> int | None:
        return self.slider.value() if self.give.isChecked() else None


class CheckInDialog(QDialog):
    """Asks how the back is, shows what that means, and offers (or refuses) the routine.

    Signals: ``checked_in(CheckInResult)`` once the user has answered, skipped or
    closed an outcome page; ``result`` holds the same.
    """

    checked_in = Signal(object)

    def __init__(
        self,
        content: SafetyContent,
        routine: Routine,
        catalogue: Catalogue,
        *,
        time_of_day: TimeOfDay | None = None,
        ask_pain_score: bool = True,
        suggested_routines: dict[str, Routine] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.content = content
        self.routine = routine
        self.catalogue = catalogue
        self.time_of_day = time_of_day
        self.ask_pain_score = ask_pain_score
        self.suggested_routines = suggested_routines or {}
        self.result_value: CheckInResult | None = None
        self.outcome: CheckInOutcome | None = None
        self.setWindowTitle(content.check_in.question)
        self.setMinimumWidth(520)
        self.pages = QStackedWidget(self)
        self.question_page = self._build_question()
        self.emergency_page = self._build_emergency()
        self.pages.addWidget(self.question_page)
        self.pages.addWidget(self.emergency_page)
        self.outcome_page: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # --- pages -----------------------------------------------------------------------

    def _build_question(self) -> QWidget:
        text = self.content.check_in
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(heading(text.question, page, 1.5))
        layout.addWidget(_text(text.intro, page))
        self.answer_buttons: dict[CheckInAnswer, QCommandLinkButton] = {}
        for answer in text.answers:
            button = QCommandLinkButton(answer.label, answer.description, page)
            button.setObjectName(f"answer-{answer.answer.value}")
            button.clicked.connect(lambda _=False, a=answer.answer: self.choose(a))
            self.answer_buttons[answer.answer] = button
            layout.addWidget(button)
        row = QHBoxLayout()
        row.addStretch(1)
        self.skip_button = QPushButton(text.skip_label, page)
        self.skip_button.setToolTip("Go ahead without answering; you won't be asked again today")
        self.skip_button.clicked.connect(self.skip)
        row.addWidget(self.skip_button)
        layout.addLayout(row)
        return page

    def _build_emergency(self) -> QWidget:
        text = self.content.check_in
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(heading(text.emergency_question, page, 1.4))
        layout.addWidget(
            WarningGroupBox(self.content.warning_signs.group(SignGroup.EMERGENCY), page)
        )
        row = QHBoxLayout()
        self.emergency_yes = QPushButton(text.emergency_yes_label, page)
        self.emergency_no = QPushButton(text.emergency_no_label, page)
        self.emergency_yes.clicked.connect(lambda: self._show_outcome(self._decide(True)))
        self.emergency_no.clicked.connect(lambda: self._show_outcome(self._decide(False)))
        row.addStretch(1)
        row.addWidget(self.emergency_no)
        row.addWidget(self.emergency_yes)
        layout.addStretch(1)
        layout.addLayout(row)
        return page

    def _decide(self, emergency: bool) -> CheckInOutcome:
        return decide(CheckInAnswer.WARNING_SIGNS, emergency=emergency)

    # --- answering ---------------------------------------------------------------------

    def choose(self, answer: CheckInAnswer) -> None:
        """The user picked an answer on the first page."""
        if answer is CheckInAnswer.WARNING_SIGNS:
            self.pages.setCurrentWidget(self.emergency_page)
            self.adjustSize()
            return
        self._show_outcome(decide(answer, time_of_day=self.time_of_day))

    def skip(self) -> None:
        self._finish(CheckInResult(skipped_check_in(), True, None, self.routine))

    def _show_outcome(self, outcome: CheckInOutcome) -> None:
        self.outcome = outcome
        if self.outcome_page is not None:
            self.pages.removeWidget(self.outcome_page)
            self.outcome_page.deleteLater()
        self.outcome_page = self._build_outcome(outcome)
        self.pages.addWidget(self.outcome_page)
        self.pages.setCurrentWidget(self.outcome_page)
        self.adjustSize()

    def _build_outcome(self, outcome: CheckInOutcome) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.pain: PainScore | None = None
        self.start_buttons: list[QPushButton] = []
        if routine_allowed(outcome):
            self._allowed_outcome(outcome, page, layout, buttons)
        else:
            self._blocked_outcome(outcome, page, layout, buttons)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _blocked_outcome(
        self, outcome: CheckInOutcome, page: QWidget, layout: QVBoxLayout, buttons: QHBoxLayout
    ) -> None:
        """Warning signs: say what to do, and offer no way into a routine."""
        emergency = outcome.urgency is Urgency.SEEK_CARE_NOW
        group = self.content.warning_signs.group(
            SignGroup.EMERGENCY if emergency else SignGroup.SEE_A_PROFESSIONAL
        )
        answer = self.content.check_in.answer(CheckInAnswer.WARNING_SIGNS)
        if not emergency:  # for an emergency the red box's own title says it all
            title = heading(answer.label, page, 1.4)
            title.setStyleSheet(f"color: {PROFESSIONAL_ACCENT};")
            layout.addWidget(title)
            layout.addWidget(_text(answer.guidance, page))
        layout.addWidget(WarningGroupBox(group, page))
        layout.addWidget(LearnMoreLinks(self.content.learn_more, page))
        close = QPushButton("Close", page)
        close.setDefault(True)
        close.clicked.connect(lambda: self._finish(CheckInResult(outcome, False, None, None)))
        buttons.addWidget(close)

    def _allowed_outcome(
        self, outcome: CheckInOutcome, page: QWidget, layout: QVBoxLayout, buttons: QHBoxLayout
    ) -> None:
        first = True
        for message in self.content.messages_for(outcome):
            if message.title:
                layout.addWidget(heading(message.title, page, 1.4 if first else 1.1))
                first = False
            layout.addWidget(_text(message.text, page))
        suggestions = self.content.suggestion_texts(outcome)
        if suggestions:
            items = "".join(f"<li>{html.escape(s)}</li>" for s in suggestions)
            layout.addWidget(_text(f"<ul style='margin-left:-18px'>{items}</ul>", page, rich=True))
        session = adjust_routine(self.routine, self.catalogue, outcome)
        self._describe_changes(session, layout, page)
        if self.ask_pain_score:
            self.pain = PainScore(self.content, page)
            layout.addWidget(self.pain)
        not_now = QPushButton("Not now", page)
        not_now.clicked.connect(lambda: self._finish(CheckInResult(outcome, False, None, None)))
        buttons.addWidget(not_now)
        suggested = self.suggested_routines.get(outcome.suggested_routine or "")
        if suggested is not None and suggested.id != self.routine.id:
            alt = adjust_routine(suggested, self.catalogue, outcome).routine
            if alt is not None:
                other = QPushButton(f"Try {suggested.name} instead", page)
                other.setDefault(True)
                other.clicked.connect(lambda _=False, r=alt: self._start(outcome, r))
                buttons.addWidget(other)
                self.start_buttons.append(other)
        if session.routine is not None:
            gently = session.adjusted.dropped or any(
                item.shortened for item in session.adjusted.items
            )
            label = f"Start {self.routine.name}" + (", gently" if gently else "")
            start = QPushButton(label, page)
            start.setDefault(not self.start_buttons)
            start.clicked.connect(lambda _=False, r=session.routine: self._start(outcome, r))
            buttons.addWidget(start)
            self.start_buttons.append(start)

    def _describe_changes(self, session: AdjustedSession, layout: QVBoxLayout, page: QWidget):
        shortened = [item.stretch.name for item in session.adjusted.items if item.shortened]
        lines = []
        if shortened:
            lines.append(f"Shorter holds today: {', '.join(shortened)}.")
        by_reason: dict = {}
        for dropped in session.adjusted.dropped:
            by_reason.setdefault(dropped.reason, []).append(dropped.stretch.name)
        for reason, names in by_reason.items():
            lines.append(f"{self.content.drop_reason(reason)} {', '.join(names)}.")
        if session.routine is None:
            lines.append(f"Nothing in {self.routine.name} is gentle enough for today.")
        if lines:
            note = _text("\n".join(lines), page)
            note.setObjectName("changes")
            layout.addWidget(note)

    def _start(self, outcome: CheckInOutcome, routine: Routine) -> None:
        pain = self.pain.score() if self.pain is not None else None
        self._finish(CheckInResult(outcome, False, pain, routine))

    def _finish(self, result: CheckInResult) -> None:
        self.result_value = result
        self.checked_in.emit(result)
        self.accept()
