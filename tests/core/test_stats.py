"""The History page's numbers: streak, minutes per day, this week, breaks and pain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from stretchdesk.core import stats
from stretchdesk.core.scheduler import BreakRecord, Outcome, ReminderKind

TODAY = dt.date(2026, 3, 18)  # a Wednesday
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class S:
    started: dt.datetime
    ended: dt.datetime
    pain_before: int | None = None
    pain_after: int | None = None


def at(day: dt.date, hour: int = 10, minute: int = 0, tz=BERLIN) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def session(day: dt.date, minutes: float = 10, hour: int = 10, **pain) -> S:
    start = at(day, hour)
    return S(start, start + dt.timedelta(minutes=minutes), **pain)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def reminder(outcome: Outcome, day: dt.date) -> BreakRecord:
    return BreakRecord(ReminderKind.SHORT, outcome, at(day, 11))


# --- streak --------------------------------------------------------------------------------


def test_no_history_no_streak():
    assert stats.streak([], TODAY) == 0


def test_streak_ending_today_counts_today():
    assert stats.streak([TODAY, days_ago(1), days_ago(2)], TODAY) == 3


def test_streak_ending_yesterday_still_counts_while_today_is_not_over():
    assert stats.streak([days_ago(1), days_ago(2)], TODAY) == 2


def test_streak_ending_the_day_before_yesterday_is_broken():
    assert stats.streak([days_ago(2), days_ago(3)], TODAY) == 0


def test_a_gap_ends_the_streak():
    assert stats.streak([TODAY, days_ago(1), days_ago(3), days_ago(4), days_ago(5)], TODAY) == 2


def test_only_today():
    assert stats.streak([TODAY], TODAY) == 1


def test_future_days_are_ignored():
    assert stats.streak([TODAY + dt.timedelta(days=1)], TODAY) == 0
    assert stats.streak([TODAY + dt.timedelta(days=1), days_ago(1)], TODAY) == 1


def test_streak_over_month_and_year_ends():
    days = [dt.date(2026, 1, 2) - dt.timedelta(days=n) for n in range(5)]
    assert stats.streak(days, dt.date(2026, 1, 2)) == 5


def test_streak_through_a_daylight_saving_change():
    # In Berlin, 29 March 2026 has 23 hours; it is one date like any other.
    spring = dt.date(2026, 3, 29)
    sessions = [session(spring + dt.timedelta(days=n), hour=1) for n in (-1, 0, 1)]
    assert stats.streak([stats.session_day(s) for s in sessions], spring + dt.timedelta(1)) == 3


@given(
    st.sets(st.integers(min_value=-5, max_value=60), max_size=60),
)
def test_streak_matches_counting_back_day_by_day(offsets):
    days = {TODAY - dt.timedelta(days=n) for n in offsets}

    def brute_force() -> int:
        # the longest run of consecutive days ending today, else ending yesterday
        for end in (TODAY, TODAY - dt.timedelta(days=1)):
            run = 0
            while end - dt.timedelta(days=run) in days:
                run += 1
            if run:
                return run
        return 0

    assert stats.streak(days, TODAY) == brute_force()


# --- minutes ---------------------------------------------------------------------------------


def test_session_minutes():
    assert stats.session_minutes(session(TODAY, 12.5)) == 12.5


def test_a_session_across_midnight_counts_for_the_day_it_started():
    start = at(days_ago(1), 23, 55)
    late = S(start, start + dt.timedelta(minutes=20))
    chart = stats.minutes_per_day([late], TODAY)
    assert chart[-2] == stats.DayMinutes(days_ago(1), 20.0, 1)
    assert chart[-1] == stats.DayMinutes(TODAY, 0.0, 0)
    assert stats.streak([stats.session_day(late)], TODAY) == 1


def test_minutes_across_the_spring_change_are_real_minutes():
    # 01:50 to 03:10 on the night the clocks go forward is 20 minutes, not 80.
    start = dt.datetime(2026, 3, 29, 1, 50, tzinfo=BERLIN)
    end = dt.datetime(2026, 3, 29, 3, 10, tzinfo=BERLIN)
    assert stats.session_minutes(S(start, end)) == 20.0


def test_minutes_across_the_autumn_change_are_real_minutes():
    # 02:50 (summer time) to 02:10 (winter time, fold=1) on 25 October 2026 is 20 minutes.
    start = dt.datetime(2026, 10, 25, 2, 50, tzinfo=BERLIN)
    end = dt.datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)
    assert stats.session_minutes(S(start, end)) == 20.0


def test_minutes_with_fixed_offsets_as_stored():
    # What the history reads back: ISO text with its own UTC offset each.
    start = dt.datetime.fromisoformat("2026-03-29T01:50:00+01:00")
    end = dt.datetime.fromisoformat("2026-03-29T03:10:00+02:00")
    assert stats.session_minutes(S(start, end)) == 20.0


def test_a_clock_set_back_never_gives_negative_minutes():
    start = at(TODAY, 10)
    assert stats.session_minutes(S(start, start - dt.timedelta(minutes=5))) == 0.0


def test_naive_times_work_too():
    start = dt.datetime(2026, 3, 18, 9, 0)
    assert stats.session_minutes(S(start, start + dt.timedelta(minutes=7))) == 7.0


def test_the_chart_has_28_days_ending_today_with_gaps_as_zero():
    chart = stats.minutes_per_day(
        [session(TODAY, 5), session(TODAY, 7, hour=15), session(days_ago(3), 10)], TODAY
    )
    assert len(chart) == 28
    assert chart[0].day == days_ago(27) and chart[-1].day == TODAY
    assert chart[-1] == stats.DayMinutes(TODAY, 12.0, 2)
    assert chart[-4] == stats.DayMinutes(days_ago(3), 10.0, 1)
    assert sum(d.minutes for d in chart) == 22.0


def test_the_chart_leaves_out_older_and_future_sessions():
    chart = stats.minutes_per_day(
        [session(days_ago(28), 10), session(TODAY + dt.timedelta(days=1), 10)], TODAY
    )
    assert all(d.minutes == 0 and d.sessions == 0 for d in chart)


def test_the_chart_over_the_daylight_saving_change_has_one_bar_per_date():
    today = dt.date(2026, 3, 30)
    chart = stats.minutes_per_day([session(dt.date(2026, 3, 29), 15, hour=3)], today)
    assert [d.day for d in chart][-2:] == [dt.date(2026, 3, 29), today]
    assert chart[-2].minutes == 15.0
    assert len({d.day for d in chart}) == 28


# --- the week and the overview ---------------------------------------------------------------


def test_week_start_monday_and_sunday():
    assert stats.week_start(TODAY) == dt.date(2026, 3, 16)
    assert stats.week_start(TODAY, first_weekday=6) == dt.date(2026, 3, 15)
    monday = dt.date(2026, 3, 16)
    assert stats.week_start(monday) == monday


def test_overview_of_an_empty_history():
    view = stats.overview([], [], TODAY)
    assert view.empty
    assert view.streak == 0 and view.week_minutes == 0 and view.week_sessions == 0
    assert len(view.days) == 28 and view.pain is None
    assert view.breaks == stats.BreakCounts()


def test_overview_counts_this_week_only():
    sessions = [
        session(days_ago(3), 20),  # Sunday, last week
        session(days_ago(2), 10),  # Monday
        session(days_ago(1), 15),
        session(TODAY, 10),
    ]
    reminders = [
        reminder(Outcome.STARTED, TODAY),
        reminder(Outcome.STARTED, days_ago(1)),
        reminder(Outcome.NATURAL_BREAK, days_ago(2)),
        reminder(Outcome.SKIPPED, days_ago(1)),
        reminder(Outcome.POSTPONED, TODAY),
        reminder(Outcome.FINISHED, TODAY),  # the end of a started break: not a second one
        reminder(Outcome.DISMISSED, TODAY),
        reminder(Outcome.SKIPPED, days_ago(3)),  # last week
    ]
    view = stats.overview(sessions, reminders, TODAY)
    assert not view.empty
    assert view.week_start == days_ago(2)
    assert (view.week_minutes, view.week_sessions) == (35.0, 3)
    assert view.streak == 4
    assert view.breaks == stats.BreakCounts(started=2, natural=1, skipped=1, postponed=1)
    assert view.breaks.taken == 3


def test_overview_with_sunday_as_first_day():
    view = stats.overview([session(days_ago(3), 20), session(TODAY, 5)], [], TODAY, first_weekday=6)
    assert view.week_minutes == 25.0 and view.week_sessions == 2


def test_older_session_days_lengthen_the_streak():
    recent = [session(days_ago(n)) for n in range(28)]
    older = [days_ago(n) for n in range(28, 40)]
    assert stats.overview(recent, [], TODAY, session_days=older).streak == 40


def test_only_reminders_is_not_empty():
    assert not stats.overview([], [reminder(Outcome.SKIPPED, TODAY)], TODAY).empty


# --- pain ----------------------------------------------------------------------------------


def test_pain_trend_needs_both_scores():
    assert stats.pain_trend([session(TODAY, pain_before=5)]) is None
    assert stats.pain_trend([]) is None


def test_pain_trend_averages_the_latest_sessions_with_both():
    sessions = [session(days_ago(n), pain_before=6, pain_after=4) for n in range(1, 12)]
    sessions.append(session(TODAY, pain_before=2, pain_after=2))
    sessions.append(session(TODAY, hour=12, pain_before=8))  # no score after: left out
    trend = stats.pain_trend(sessions, limit=10)
    assert trend is not None
    assert trend.sessions == 10
    assert trend.before == (2 + 9 * 6) / 10 and trend.after == (2 + 9 * 4) / 10
    assert trend.change < 0


# --- words ---------------------------------------------------------------------------------


def test_words():
    assert stats.streak_text(0) == "No streak yet"
    assert stats.streak_text(1) == "1 day so far"
    assert stats.streak_text(4) == "4 days in a row"
    assert stats.minutes_text(35.2) == "35 minutes this week"
    assert stats.minutes_text(0.4) == "1 minute this week"
    assert stats.minutes_text(0) == "0 minutes this week"
    assert stats.sessions_text(1) == "1 session this week"
    assert stats.breaks_text(stats.BreakCounts(started=4, natural=2, skipped=2)) == (
        "6 breaks taken, 2 skipped"
    )
    assert stats.breaks_text(stats.BreakCounts(started=1)) == "1 break taken"
    assert "2 put off for later" in stats.breaks_detail(stats.BreakCounts(postponed=2))


def test_pain_words():
    assert stats.pain_text(None) == ""
    lower = stats.pain_text(stats.PainTrend(3, 5.0, 3.0))
    assert "5.0 → 3.0" in lower and "last 3 sessions" in lower and "lower" in lower
    worse = stats.pain_text(stats.PainTrend(1, 3.0, 5.0))
    assert "your last session" in worse and "health professional" in worse
    same = stats.pain_text(stats.PainTrend(2, 4.0, 4.0))
    assert same.endswith("on average.")
