"""What the History page shows, worked out from the stored records.

Pure: no Qt, no clock. ``today`` is always passed in, and every "per day"
question uses the local date a session *started* on (the date the history
stores with it), so a session from 23:55 to 00:10 counts for the day it began
and a day with a daylight-saving change is simply one more date.

Minutes are a session's active time (from its start to its end as recorded;
pauses are not in it), worked out in UTC so that a clock change in the middle
of a session neither adds nor removes an hour.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from stretchdesk.core.scheduler import BreakRecord, Outcome

CHART_DAYS = 28
"""How many days the minutes chart covers, today included."""

PAIN_SESSIONS = 10
"""How many recent sessions (with a score before and after) the pain trend averages."""


class SessionFacts(Protocol):
    """What the statistics need of a stored session (``storage.history.SessionRecord`` fits)."""

    @property
    def started(self) -> _dt.datetime: ...

    @property
    def ended(self) -> _dt.datetime: ...

    @property
    def pain_before(self) -> int | None: ...

    @property
    def pain_after(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class DayMinutes:
    """One bar of the chart: a local date, its minutes and how many sessions."""

    day: _dt.date
    minutes: float = 0.0
    sessions: int = 0


@dataclass(frozen=True, slots=True)
class BreakCounts:
    """Reminders and breaks over a stretch of days."""

    started: int = 0  # a reminder answered with Start (or "Take a break now")
    natural: int = 0  # the user was away from the desk long enough anyway
    skipped: int = 0
    postponed: int = 0

    @property
    def taken(self) -> int:
        """Breaks actually taken: started ones and natural ones."""
        return self.started + self.natural


@dataclass(frozen=True, slots=True)
class PainTrend:
    """Average pain (0-10) before and after the last ``sessions`` sessions that have both."""

    sessions: int
    before: float
    after: float

    @property
    def change(self) -> float:
        """After minus before: below zero means less pain after stretching."""
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the History page's numbers and chart need."""

    today: _dt.date
    streak: int
    week_start: _dt.date
    week_minutes: float
    week_sessions: int
    days: tuple[DayMinutes, ...]  # oldest first, today last
    breaks: BreakCounts  # this week
    pain: PainTrend | None

    @property
    def empty(self) -> bool:
        """Nothing at all to show yet: no session in the chart and no break this week."""
        return (
            self.streak == 0
            and not any(d.sessions for d in self.days)
            and self.breaks == BreakCounts()
        )


# --- the pieces -----------------------------------------------------------------------------


def session_day(session: SessionFacts) -> _dt.date:
    """The local date a session counts for: the one it started on."""
    return session.started.date()


def session_minutes(session: SessionFacts) -> float:
    """A session's length in minutes (never below zero, even for a clock set back)."""
    started, ended = session.started, session.ended
    if started.tzinfo is not None and ended.tzinfo is not None:
        started = started.astimezone(_dt.UTC)
        ended = ended.astimezone(_dt.UTC)
    return max((ended - started).total_seconds(), 0.0) / 60.0


def streak(days: Iterable[_dt.date], today: _dt.date) -> int:
    """Days in a row with a session, ending today, or yesterday while today has none yet.

    Today is not over, so a day without a session so far does not break the
    streak; yesterday without one does. Days after ``today`` are ignored.
    """
    had = {day for day in days if day <= today}
    day = today if today in had else today - _dt.timedelta(days=1)
    count = 0
    while day in had:
        count += 1
        day -= _dt.timedelta(days=1)
    return count


def week_start(today: _dt.date, first_weekday: int = 0) -> _dt.date:
    """The first day of ``today``'s week; ``first_weekday`` 0 is Monday, 6 is Sunday."""
    return today - _dt.timedelta(days=(today.weekday() - first_weekday) % 7)


def minutes_per_day(
    sessions: Iterable[SessionFacts], today: _dt.date, days: int = CHART_DAYS
) -> tuple[DayMinutes, ...]:
    """Minutes and sessions for each of the last ``days`` days, oldest first, today last."""
    first = today - _dt.timedelta(days=days - 1)
    minutes: dict[_dt.date, float] = {}
    counts: dict[_dt.date, int] = {}
    for session in sessions:
        day = session_day(session)
        if first <= day <= today:
            minutes[day] = minutes.get(day, 0.0) + session_minutes(session)
            counts[day] = counts.get(day, 0) + 1
    return tuple(
        DayMinutes(d, minutes.get(d, 0.0), counts.get(d, 0))
        for d in (first + _dt.timedelta(days=n) for n in range(days))
    )


def break_counts(reminders: Iterable[BreakRecord], since: _dt.date, until: _dt.date) -> BreakCounts:
    """Reminder outcomes on the local dates ``since`` to ``until``, both included."""
    tally = {Outcome.STARTED: 0, Outcome.NATURAL_BREAK: 0, Outcome.SKIPPED: 0, Outcome.POSTPONED: 0}
    for record in reminders:
        if record.outcome in tally and since <= record.at.date() <= until:
            tally[record.outcome] += 1
    return BreakCounts(
        started=tally[Outcome.STARTED],
        natural=tally[Outcome.NATURAL_BREAK],
        skipped=tally[Outcome.SKIPPED],
        postponed=tally[Outcome.POSTPONED],
    )


def pain_trend(sessions: Iterable[SessionFacts], limit: int = PAIN_SESSIONS) -> PainTrend | None:
    """Average pain before and after, over the ``limit`` latest sessions that have both.

    ``None`` when no session has both scores.
    """
    scored = sorted(
        (s for s in sessions if s.pain_before is not None and s.pain_after is not None),
        key=lambda s: _utc_key(s.started),
        reverse=True,
    )[:limit]
    if not scored:
        return None
    n = len(scored)
    return PainTrend(
        sessions=n,
        before=sum(s.pain_before for s in scored) / n,  # type: ignore[misc]
        after=sum(s.pain_after for s in scored) / n,  # type: ignore[misc]
    )


def overview(
    sessions: Sequence[SessionFacts],
    reminders: Iterable[BreakRecord],
    today: _dt.date,
    *,
    session_days: Iterable[_dt.date] = (),
    first_weekday: int = 0,
    days: int = CHART_DAYS,
    pain_sessions: Sequence[SessionFacts] | None = None,
) -> Overview:
    """The page's numbers from the sessions of the last weeks and this week's reminders.

    ``sessions`` should reach back at least ``days`` days and to the start of the
    week; ``session_days`` adds the dates of older sessions, for a streak longer
    than that; ``pain_sessions`` are the sessions the pain trend averages over
    (``sessions`` when not given).
    """
    start = week_start(today, first_weekday)
    this_week = [s for s in sessions if start <= session_day(s) <= today]
    return Overview(
        today=today,
        streak=streak({*session_days, *(session_day(s) for s in sessions)}, today),
        week_start=start,
        week_minutes=sum(session_minutes(s) for s in this_week),
        week_sessions=len(this_week),
        days=minutes_per_day(sessions, today, days),
        breaks=break_counts(reminders, start, today),
        pain=pain_trend(sessions if pain_sessions is None else pain_sessions),
    )


# --- in words -------------------------------------------------------------------------------


def whole_minutes(minutes: float) -> int:
    """Minutes as the page shows them: rounded, but a short session is never "0"."""
    if minutes <= 0:
        return 0
    return max(round(minutes), 1)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def streak_text(days: int) -> str:
    """ "4 days in a row", or a gentle line when there is no streak."""
    if days <= 0:
        return "No streak yet"
    if days == 1:
        return "1 day so far"
    return f"{days} days in a row"


def minutes_text(minutes: float) -> str:
    """ "35 minutes this week"."""
    return f"{_plural(whole_minutes(minutes), 'minute')} this week"


def sessions_text(sessions: int) -> str:
    return f"{_plural(sessions, 'session')} this week"


def breaks_text(breaks: BreakCounts) -> str:
    """ "6 breaks taken, 2 skipped" (the skipped part only when there are any)."""
    text = f"{_plural(breaks.taken, 'break')} taken"
    if breaks.skipped:
        text += f", {breaks.skipped} skipped"
    return text


def breaks_detail(breaks: BreakCounts) -> str:
    """The parts of :func:`breaks_text`: started, away from the desk, skipped, put off."""
    parts = [
        f"{breaks.started} started from a reminder",
        f"{breaks.natural} away from the desk anyway",
        f"{breaks.skipped} skipped",
        f"{breaks.postponed} put off for later",
    ]
    return "This week: " + ", ".join(parts) + "."


def pain_text(trend: PainTrend | None) -> str:
    """The pain trend in a sentence, or ``""`` when there are no scores to compare."""
    if trend is None:
        return ""
    over = "your last session" if trend.sessions == 1 else f"your last {trend.sessions} sessions"
    line = f"Pain before and after {over}: {trend.before:.1f} → {trend.after:.1f} on average"
    if trend.change <= -0.5:
        return line + ", a little lower after stretching."
    if trend.change >= 0.5:
        return (
            line + ". If stretching keeps making it worse, ease off and talk to a health "
            "professional."
        )
    return line + "."


def _utc_key(moment: _dt.datetime) -> _dt.datetime:
    """A sort key that orders aware and naive datetimes alike (naive ones taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=_dt.UTC)
    return moment.astimezone(_dt.UTC)
