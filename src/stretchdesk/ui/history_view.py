"""The History page: days in a row, minutes this week, breaks, a 28-day chart, recent sessions.

The numbers come from :mod:`stretchdesk.core.stats`; this module only reads
the history and draws. The history is the running app's own (the one the
reminders write to), passed in as a function, so the page never opens a
second connection and always sees the one in use.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core import stats
from stretchdesk.ui.style import mix, muted, set_muted

if TYPE_CHECKING:
    from stretchdesk.storage.history import History, SessionRecord

RECENT_SESSIONS = 20
"""How many sessions the list at the bottom shows."""

_FEELINGS = {"better": "Better", "same": "About the same", "worse": "Worse"}


def _day_words(day: _dt.date, today: _dt.date) -> str:
    if day == today:
        return "Today"
    if day == today - _dt.timedelta(days=1):
        return "Yesterday"
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def _minutes_words(minutes: float) -> str:
    n = stats.whole_minutes(minutes)
    return f"{n} minute{'s' * (n != 1)}"


def _table_minutes(minutes: float) -> str:
    return "<1" if 0 < minutes < 1 else str(stats.whole_minutes(minutes))


class MinutesChart(QWidget):
    """Minutes of stretching per day as bars, oldest on the left, today marked on the right.

    Colours come from the widget's palette, so it follows the light and dark
    themes. Hovering a bar tells its day and minutes. Emits no signals.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: tuple[stats.DayMinutes, ...] = ()
        self._today: _dt.date | None = None
        self._first_weekday = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Minutes of stretching per day, last four weeks")
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(640, self.fontMetrics().height() * 11)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.fontMetrics().height() * 9)

    def set_days(
        self, days: Sequence[stats.DayMinutes], today: _dt.date, first_weekday: int = 0
    ) -> None:
        self._days = tuple(days)
        self._today = today
        self._first_weekday = first_weekday
        self.setAccessibleDescription(self.description())
        self.update()

    def description(self) -> str:
        """The chart in words, for screen readers."""
        active = [d for d in self._days if d.sessions]
        if not active:
            return "No stretching recorded in the last four weeks."
        total = sum(d.minutes for d in self._days)
        best = max(active, key=lambda d: d.minutes)
        today = self._days[-1]
        return (
            f"You stretched on {len(active)} of the last {len(self._days)} days, "
            f"{_minutes_words(total)} in all. The most was {_minutes_words(best.minutes)} on "
            f"{_day_words(best.day, self._today or best.day)}. "
            f"Today: {_minutes_words(today.minutes) if today.sessions else 'nothing yet'}."
        )

    # --- geometry ------------------------------------------------------------------------

    def _scale_top(self) -> int:
        """The value of the top grid line: a round number of minutes above the highest bar."""
        highest = max((d.minutes for d in self._days), default=0.0)
        for step in (10, 20, 30, 40, 60, 90, 120, 180, 240):  # halves are whole minutes too
            if highest <= step:
                return step
        return int(-(-highest // 60) * 60)

    def _plot(self) -> QRectF:
        fm = self.fontMetrics()
        left = fm.horizontalAdvance("240 min") + 10
        return QRectF(
            left, fm.height() * 0.6, self.width() - left - 4, self.height() - fm.height() * 2.4
        )

    def _bar_at(self, x: float) -> int | None:
        plot = self._plot()
        if not self._days or not plot.left() <= x < plot.right():
            return None
        return min(int((x - plot.left()) / (plot.width() / len(self._days))), len(self._days) - 1)

    # --- drawing -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._days:
            return
        pal = self.palette()
        window = pal.color(QPalette.ColorRole.Window)
        text = pal.color(QPalette.ColorRole.WindowText)
        accent = pal.color(QPalette.ColorRole.Highlight)
        soft = muted(pal, 0.65)
        grid = mix(window, text, 0.15)
        bar = mix(window, accent, 0.7)
        band = mix(window, accent, 0.14)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        fm = self.fontMetrics()
        plot = self._plot()
        top = self._scale_top()
        slot = plot.width() / len(self._days)
        width = max(min(slot * 0.68, 28.0), 2.0)

        # grid lines and their minutes
        painter.setFont(self.font())
        for value in (0, top // 2, top):
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(soft)
            label = QRectF(0, y - fm.height() / 2, plot.left() - 8, fm.height())
            painter.drawText(
                label,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{value} min",
            )

        last = len(self._days) - 1
        for i, day in enumerate(self._days):
            centre = plot.left() + slot * (i + 0.5)
            is_today = i == last and day.day == self._today
            if is_today:  # a soft band behind today's column
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(band)
                painter.drawRoundedRect(
                    QRectF(centre - slot / 2 + 1, plot.top(), slot - 2, plot.height()), 4, 4
                )
            height = plot.height() * min(day.minutes, top) / top
            if day.sessions:
                height = max(height, 3.0)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(accent if is_today else bar)
                painter.drawRoundedRect(
                    QRectF(centre - width / 2, plot.bottom() - height, width, height), 3, 3
                )
            # the day's label: today, and the first day of each week
            label = None
            if is_today:
                label = "Today"
            elif day.day.weekday() == self._first_weekday and i < last - 2:
                label = f"{day.day.day} {day.day:%b}"
            if label:
                font = QFont(self.font())
                font.setBold(is_today)
                painter.setFont(font)
                painter.setPen(text if is_today else soft)
                advance = painter.fontMetrics().horizontalAdvance(label)
                x = min(centre - advance / 2, self.width() - advance - 2)
                painter.drawText(QPointF(x, plot.bottom() + fm.ascent() + 6), label)
                painter.setFont(self.font())
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            i = self._bar_at(event.position().x())
            if i is None:
                QToolTip.hideText()
                event.ignore()
                return True
            day = self._days[i]
            when = _day_words(day.day, self._today or day.day)
            if day.sessions:
                tip = (
                    f"{when}: {_minutes_words(day.minutes)}, "
                    f"{day.sessions} session{'s' * (day.sessions != 1)}"
                )
            else:
                tip = f"{when}: no stretching"
            QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)


class _Figure(QFrame):
    """One of the numbers at the top: a short phrase in large type, a line under it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.set_large(True)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        set_muted(self.detail, 0.7)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_large(self, large: bool) -> None:
        """Large type in a wide window; a little smaller when the three share a narrow one."""
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * (1.5 if large else 1.25))
        font.setBold(True)
        self.headline.setFont(font)

    def set_text(self, headline: str, detail: str) -> None:
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.setAccessibleDescription(f"{headline}. {detail}")


class HistoryView(QWidget):
    """The History page. Reads the history each time it is shown (and on :meth:`refresh`).

    ``history`` gives the app's open :class:`History` (or ``None`` when there is
    none); ``routine_name`` turns a stored routine id into the name to show;
    ``today`` gives the local date.

    Signals: ``routines_requested()`` — the empty page's button, to pick a routine.
    """

    routines_requested = Signal()

    def __init__(
        self,
        history: Callable[[], History | None],
        routine_name: Callable[[str], str],
        *,
        today: Callable[[], _dt.date] = _dt.date.today,
        first_weekday: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._history = history
        self._routine_name = routine_name
        self._today = today
        if first_weekday is None:
            from PySide6.QtCore import QLocale

            first_weekday = QLocale().firstDayOfWeek().value - 1
        self._first_weekday = first_weekday
        self.overview: stats.Overview | None = None
        self.stack = QStackedWidget(self)
        self._build_empty()
        self._build_content()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._connect_signals()

    def _build_empty(self) -> None:
        page = QWidget(self.stack)
        self.empty_title = QLabel("<h2>Your history will appear here</h2>", page)
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text = QLabel(page)
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setMaximumWidth(600)
        self.empty_text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.start_button = QPushButton("Choose a routine", page)
        self.start_button.setToolTip("Pick a routine to do now")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.start_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addStretch(1)
        layout.addWidget(self.empty_title)
        layout.addSpacing(8)
        column = QHBoxLayout()  # a word-wrapped label needs a layout row of its own to grow
        column.addStretch(1)
        column.addWidget(self.empty_text, 4)
        column.addStretch(1)
        layout.addLayout(column)
        layout.addSpacing(16)
        layout.addLayout(row)
        layout.addStretch(2)
        self.empty_page = page
        self.stack.addWidget(page)

    def _build_content(self) -> None:
        scroll = QScrollArea(self.stack)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page = QWidget(scroll)
        self.streak_figure = _Figure("Days in a row", page)
        self.minutes_figure = _Figure("Minutes this week", page)
        self.breaks_figure = _Figure("Breaks this week", page)
        figures = QHBoxLayout()
        figures.setSpacing(12)
        for figure in (self.streak_figure, self.minutes_figure, self.breaks_figure):
            figures.addWidget(figure, 1)
        self.pain_label = QLabel(page)
        self.pain_label.setWordWrap(True)
        self.pain_label.setAccessibleName("Pain before and after")
        chart_title = QLabel("<b>Minutes each day, last four weeks</b>", page)
        self.chart = MinutesChart(page)
        sessions_title = QLabel("<b>Recent sessions</b>", page)
        self.sessions = QTreeWidget(page)
        self.sessions.setRootIsDecorated(False)
        self.sessions.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.sessions.setUniformRowHeights(True)
        self.sessions.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.sessions.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.sessions.setAccessibleName("Recent sessions")
        self.sessions.setHeaderLabels(["When", "Routine", "Minutes", "How you felt", "Pain"])
        self.sessions.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sessions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sessions.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.sessions.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.no_sessions = QLabel(
            "No routines yet: only breaks so far. Routines you do will be listed here.", page
        )
        self.no_sessions.setWordWrap(True)
        set_muted(self.no_sessions)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addLayout(figures)
        layout.addWidget(self.pain_label)
        layout.addSpacing(6)
        layout.addWidget(chart_title)
        layout.addWidget(self.chart)
        layout.addSpacing(6)
        layout.addWidget(sessions_title)
        layout.addWidget(self.sessions)
        layout.addWidget(self.no_sessions)
        layout.addStretch(1)
        scroll.setWidget(page)
        self.content_page = scroll
        self.stack.addWidget(scroll)

    def _connect_signals(self) -> None:
        self.start_button.clicked.connect(self.routines_requested)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        large = self.width() >= 960
        for figure in (self.streak_figure, self.minutes_figure, self.breaks_figure):
            figure.set_large(large)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    # --- filling in ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the history again and show what it holds now."""
        history = self._history()
        if history is None or not history.enabled:
            self._show_off(history)
            return
        today = self._today()
        start = stats.week_start(today, self._first_weekday)
        since = min(start, today - _dt.timedelta(days=stats.CHART_DAYS - 1))
        recent = sorted(
            history.recent_sessions(RECENT_SESSIONS),
            key=lambda s: s.started.timestamp(),
            reverse=True,
        )
        overview = stats.overview(
            history.sessions_since(since),
            history.reminders_since(start),
            today,
            session_days=history.session_days(today),
            first_weekday=self._first_weekday,
            pain_sessions=recent,
        )
        self.overview = overview
        if overview.empty and not recent:
            self._show_empty()
            return
        self._show_overview(overview)
        self._show_sessions(recent, today)
        self.stack.setCurrentWidget(self.content_page)

    def _show_empty(self) -> None:
        self.empty_title.setText("<h2>Your history will appear here</h2>")
        self.empty_text.setText(
            "<p>Each time you do a routine or take a break, StretchDesk notes it here: how "
            "many days in a row you have stretched, your minutes this week, a chart of the "
            "last four weeks, and how you felt after each session.</p>"
            "<p>A few gentle minutes are enough to begin. Your history stays on this "
            "computer.</p>"
        )
        self.start_button.show()
        self.stack.setCurrentWidget(self.empty_page)

    def _show_off(self, history: History | None) -> None:
        self.overview = None
        self.empty_title.setText("<h2>No history this time</h2>")
        reasons = " ".join(history.notices) if history is not None else ""
        self.empty_text.setText(
            reasons
            or "StretchDesk is not keeping a history right now, so there is nothing to show. "
            "Your routines and reminders work as usual."
        )
        self.start_button.hide()
        self.stack.setCurrentWidget(self.empty_page)

    def _show_overview(self, overview: stats.Overview) -> None:
        days = overview.streak
        if days >= 2:
            streak_detail = "Every day counts, however short."
        elif days == 1:
            streak_detail = "A short routine tomorrow makes it two."
        else:
            streak_detail = "A few minutes today starts a new one."
        self.streak_figure.set_text(stats.streak_text(days), streak_detail)
        self.minutes_figure.set_text(
            stats.minutes_text(overview.week_minutes), stats.sessions_text(overview.week_sessions)
        )
        breaks = overview.breaks
        detail = f"{breaks.started} from reminders, {breaks.natural} away from the desk"
        if breaks.postponed:
            detail += f", {breaks.postponed} put off"
        self.breaks_figure.set_text(stats.breaks_text(breaks), detail)
        self.breaks_figure.setToolTip(stats.breaks_detail(breaks))
        pain = stats.pain_text(overview.pain)
        self.pain_label.setText(pain)
        self.pain_label.setVisible(bool(pain))
        self.chart.set_days(overview.days, overview.today, self._first_weekday)

    def _show_sessions(self, recent: Sequence[SessionRecord], today: _dt.date) -> None:
        self.sessions.clear()
        for record in recent:
            felt = _FEELINGS.get(record.feeling or "", "")
            if record.ending == "hurt":
                felt = f"{felt} (stopped: it hurt)" if felt else "Stopped: it hurt"
            if record.pain_before is not None and record.pain_after is not None:
                pain = f"{record.pain_before} → {record.pain_after}"
            elif record.pain_before is not None:
                pain = f"{record.pain_before} before"
            else:
                pain = ""
            start = record.started
            when = f"{_day_words(start.date(), today)}, {start:%H:%M}"
            item = QTreeWidgetItem(
                [
                    when,
                    self._routine_name(record.routine),
                    _table_minutes(stats.session_minutes(record)),
                    felt or "—",
                    pain or "—",
                ]
            )
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if pain:
                item.setToolTip(4, "Pain before → after, from 0 (none) to 10")
            self.sessions.addTopLevelItem(item)
        count = len(recent)
        self.sessions.setVisible(count > 0)
        self.no_sessions.setVisible(count == 0)
        rows = self.sessions.sizeHintForRow(0) if count else 0
        header = self.sessions.header().sizeHint().height()
        frame = self.sessions.frameWidth() * 2
        self.sessions.setFixedHeight(header + rows * count + frame + 2)
