"""The break scheduler, through whole simulated workdays on a fake clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from scheduler_desk import Desk, clock

from stretchdesk.core.scheduler import (
    MAX_SLEEP_SECONDS,
    BreakRecord,
    IdleChange,
    Instant,
    Outcome,
    PauseEnded,
    Refused,
    ReminderDue,
    ReminderKind,
    ReminderWithdrawn,
    Scheduler,
    SchedulerConfig,
    State,
    Withdrawal,
    local_instant,
)
from stretchdesk.core.settings import FixedReminder, Reminders, TimeSpan, WorkingHours

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = dt.date(2024, 6, 3)
OFFICE = TimeSpan(dt.time(9, 0), dt.time(17, 30))
WEEKDAYS = (OFFICE,) * 5 + (None, None)
COFFEE = FixedReminder(time=dt.time(8, 30), routine="morning-mobility", label="after coffee")


def at(day: dt.date, hhmm: str, tz: dt.tzinfo = BERLIN) -> dt.datetime:
    """``hhmm`` (or ``hh:mm:ss``) on ``day``, local time."""
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=tz)


def config(**changes: object) -> SchedulerConfig:
    return dataclasses.replace(SchedulerConfig(tz=BERLIN), **changes)


def fixed(hhmm: str, routine: str = "evening-unwind", label: str = "") -> FixedReminder:
    hour, minute = map(int, hhmm.split(":"))
    return FixedReminder(time=dt.time(hour, minute), routine=routine, label=label)


def outcomes(desk: Desk) -> list[tuple[str, str, str]]:
    return [(clock(r.at), r.kind.value, r.outcome.value) for r in desk.records()]


# --- inputs ---------------------------------------------------------------------------------


def test_instant_needs_an_aware_wall_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        Instant(0.0, dt.datetime(2024, 6, 3, 9, 0))
    with pytest.raises(ValueError, match="idle"):
        Instant(0.0, at(MONDAY, "09:00"), idle=-1.0)


def test_config_checks_its_values() -> None:
    with pytest.raises(ValueError, match="short_interval"):
        SchedulerConfig(short_interval=0)
    with pytest.raises(ValueError, match="working_hours"):
        SchedulerConfig(working_hours=(OFFICE,))


def test_config_from_settings() -> None:
    reminders = Reminders(
        short_every_minutes=20,
        short_length_seconds=45,
        long_every_minutes=90,
        long_length_minutes=4,
        postpone_minutes=10,
        max_postpones=2,
        working_hours_only=True,
        working_hours=WorkingHours(friday=None),
        fixed=(COFFEE,),
    )
    made = SchedulerConfig.from_settings(reminders, tz=BERLIN)
    assert (made.short_interval, made.short_length) == (1200, 45)
    assert (made.long_interval, made.long_length) == (5400, 240)
    assert (made.postpone_length, made.max_postpones) == (600, 2)
    assert made.working_hours is not None
    assert made.working_hours[0] == TimeSpan(dt.time(9, 0), dt.time(17, 0))
    assert made.working_hours[4] is None and made.working_hours[6] is None
    assert made.fixed == (COFFEE,) and made.tz is BERLIN
    assert SchedulerConfig.from_settings(Reminders(long_breaks=False)).long_interval is None
    assert SchedulerConfig.from_settings(Reminders()).working_hours is None


@pytest.mark.parametrize(
    ("tz", "day", "hhmm", "utc"),
    [
        (BERLIN, dt.date(2024, 6, 3), "08:30", "06:30"),
        (BERLIN, dt.date(2024, 3, 31), "02:30", "01:00"),  # skipped: the jump to 03:00
        (BERLIN, dt.date(2024, 10, 27), "02:30", "00:30"),  # twice: the first
        (NEW_YORK, dt.date(2024, 3, 10), "02:30", "07:00"),
        (NEW_YORK, dt.date(2024, 11, 3), "01:30", "05:30"),
    ],
)
def test_local_instant(tz: ZoneInfo, day: dt.date, hhmm: str, utc: str) -> None:
    hour, minute = map(int, hhmm.split(":"))
    moment = local_instant(day, dt.time(hour, minute), tz)
    assert f"{moment.astimezone(dt.UTC):%H:%M:%S}" == f"{utc}:00"


# --- a plain workday ------------------------------------------------------------------------


def test_workday_taking_every_break() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    while desk.local.hour < 17:
        desk.work_until_prompt()
        desk.take_offered_break()
    # 30 minutes of work between breaks; the fourth break of each cycle is the long one
    # (120 minutes of work), which replaces the short one due at the same time.
    assert desk.reminders() == [
        ("09:30", "short"),
        ("10:01", "short"),
        ("10:32", "short"),
        ("11:03", "long"),
        ("11:38", "short"),
        ("12:09", "short"),
        ("12:40", "short"),
        ("13:11", "long"),
        ("13:46", "short"),
        ("14:17", "short"),
        ("14:48", "short"),
        ("15:19", "long"),
        ("15:54", "short"),
        ("16:25", "short"),
        ("16:56", "short"),
        ("17:27", "long"),
    ]
    first = desk.records()[:2]
    assert [(r.outcome, clock(r.at), r.seconds) for r in first] == [
        (Outcome.STARTED, "09:30", None),
        (Outcome.FINISHED, "09:31", 60.0),
    ]
    assert first[0].due == at(MONDAY, "09:30")


def test_workday_skipping_every_break() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    for _ in range(5):
        desk.work_until_prompt()
        desk.skip()
    assert desk.reminders() == [
        ("09:30", "short"),
        ("10:00", "short"),
        ("10:30", "short"),
        ("11:00", "long"),
        ("11:30", "short"),
    ]
    assert {r.outcome for r in desk.records()} == {Outcome.SKIPPED}
    assert desk.scheduler.status(desk.now()).skipped_today == 5


def test_a_reminder_waits_for_an_answer() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=90)  # ignores the reminder all along
    assert desk.reminders() == [("09:30", "short")]
    assert desk.scheduler.status(desk.now()).state is State.PROMPTING


# --- idle time and natural breaks -----------------------------------------------------------


def test_short_idle_spells_count_as_work() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    for _ in range(10):
        desk.work(minutes=2)
        desk.away(seconds=50)  # under the 60 s idle threshold
    desk.work_until_prompt()
    assert desk.reminders() == [("09:30", "short")]
    assert desk.records() == []


def test_idle_time_does_not_count_and_return_is_quiet() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(short_length=180))
    desk.work(minutes=10)
    desk.away(minutes=2)  # idle, but too short for a 3-minute break
    desk.work(minutes=19)
    desk.away(minutes=2)  # 09:31-09:33: one minute of work left when back
    desk.work_until_prompt()
    # Work reaches 30 minutes at 09:34, but nothing comes within 2 minutes of coming back.
    assert desk.reminders() == [("09:35", "short")]
    assert desk.records() == []


def test_idle_time_is_counted_from_the_last_input() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(short_length=600, long_length=900))
    desk.work(minutes=10)
    desk.away(minutes=5)
    desk.work_until_prompt()
    assert desk.reminders() == [("09:35", "short")]


def test_natural_short_break() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=10)
    desk.away(seconds=90)
    desk.work_until_prompt()
    assert desk.reminders() == [("09:41:30", "short")]
    [record] = desk.records()
    assert (record.kind, record.outcome) == (ReminderKind.SHORT, Outcome.NATURAL_BREAK)
    assert (clock(record.at), record.seconds, record.due) == ("09:11:30", 90.0, None)


def test_natural_long_break_restarts_both_timers() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=60)
    desk.away(minutes=6)
    for _ in range(4):
        desk.work_until_prompt()
        desk.skip()
    assert desk.reminders() == [
        ("09:30", "short"),
        ("10:36", "short"),
        ("11:06", "short"),
        ("11:36", "short"),
        ("12:06", "long"),
    ]
    natural = [r for r in desk.records() if r.outcome is Outcome.NATURAL_BREAK]
    assert [(r.kind, clock(r.at), r.seconds) for r in natural] == [
        (ReminderKind.LONG, "10:06", 360.0)
    ]
    # The reminder shown at 09:30 was still waiting: the time away took its place.
    assert natural[0].due == at(MONDAY, "09:30")


def test_time_away_answers_a_waiting_reminder() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work_until_prompt()
    desk.away(minutes=2)
    desk.work_until_prompt()
    [(when, withdrawn)] = desk.of(ReminderWithdrawn)
    assert when == "09:31" and withdrawn.reason is Withdrawal.NATURAL_BREAK
    assert outcomes(desk) == [("09:32", "short", "natural-break")]
    assert desk.reminders() == [("09:30", "short"), ("10:02", "short")]


def test_natural_breaks_can_be_turned_off() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(natural_breaks=False))
    desk.work(minutes=10)
    desk.away(minutes=10)
    desk.work_until_prompt()
    # The time away still does not count as work; it just is not a break taken.
    assert desk.reminders() == [("09:40", "short")]
    assert desk.records() == []


# --- postponing -----------------------------------------------------------------------------


def test_postpone_up_to_the_limit() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    first = desk.work_until_prompt()
    assert first.postpone_refusal is None
    for _ in range(3):
        desk.postpone()
        desk.work_until_prompt()
    last = desk.of(ReminderDue)[-1][1]
    assert isinstance(last, ReminderDue) and last.reminder.postpones == 3
    assert last.postpone_refusal is not None and "3 times in a row" in last.postpone_refusal
    [refused] = desk.postpone()
    assert isinstance(refused, Refused) and refused.reason == last.postpone_refusal
    desk.skip()
    desk.work_until_prompt()
    assert desk.reminders() == [
        ("09:30", "short"),
        ("09:35", "short"),
        ("09:40", "short"),
        ("09:45", "short"),
        ("10:15", "short"),
    ]
    assert outcomes(desk) == [
        ("09:30", "short", "postponed"),
        ("09:35", "short", "postponed"),
        ("09:40", "short", "postponed"),
        ("09:45", "short", "skipped"),
    ]
    assert desk.of(ReminderDue)[-1][1].reminder.postpones == 0  # type: ignore[attr-defined]


def test_postpone_for_ten_minutes() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(postpone_length=600))
    desk.work_until_prompt()
    desk.postpone()
    desk.work_until_prompt()
    desk.postpone(300)
    desk.work_until_prompt()
    assert desk.reminders() == [("09:30", "short"), ("09:40", "short"), ("09:45", "short")]
    assert [r.seconds for r in desk.records()] == [600.0, 300.0]


def test_postponing_can_be_turned_off() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(max_postpones=0))
    due = desk.work_until_prompt()
    assert due.postpone_refusal == "Putting breaks off is turned off in the settings."
    assert isinstance(desk.postpone()[-1], Refused)
    assert desk.scheduler.status(desk.now()).state is State.PROMPTING


def test_a_postponed_short_break_close_to_a_long_one_comes_back_long() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    for _ in range(2):
        desk.work_until_prompt()
        desk.skip()
    desk.work_until_prompt()
    desk.postpone(600)  # the long break is due at 11:00
    assert desk.work_until_prompt().reminder.kind is ReminderKind.SHORT  # 20 minutes before
    desk.postpone(600)
    due = desk.work_until_prompt()  # 10 minutes before: offered as the long one
    assert due.reminder.kind is ReminderKind.LONG and due.reminder.break_seconds == 300
    assert desk.reminders()[-3:] == [("10:30", "short"), ("10:40", "short"), ("10:50", "long")]


def test_answers_without_a_reminder_are_refused() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    for answer in (desk.start, desk.skip, desk.postpone, desk.finish):
        [refused] = answer()
        assert isinstance(refused, Refused)


# --- breaks from the menu -------------------------------------------------------------------


def test_take_a_break_from_the_menu() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=20)
    desk._log(desk.scheduler.take_break(desk.now(), ReminderKind.LONG))
    assert desk.scheduler.status(desk.now()).state is State.IN_BREAK
    desk.away(minutes=5)
    desk.finish()
    desk.work_until_prompt()
    started, finished = desk.records()
    assert (started.outcome, started.due, started.kind) == (Outcome.STARTED, None, "long")
    assert (finished.outcome, finished.seconds) == (Outcome.FINISHED, 300.0)
    assert desk.reminders() == [("09:55", "short")]


# --- pausing --------------------------------------------------------------------------------


def test_pause_freezes_the_timer() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=10)
    desk.pause(60)
    status = desk.scheduler.status(desk.now())
    assert status.state is State.PAUSED and status.paused_until == at(MONDAY, "10:10")
    desk.work(minutes=30)
    assert desk.scheduler.status(desk.now()).work_left == 20 * 60
    desk.work_until_prompt()
    assert desk.of(PauseEnded) == [("10:10", PauseEnded(at(MONDAY, "10:10")))]
    assert desk.reminders() == [("10:30", "short")]


def test_pause_dismisses_a_waiting_reminder_and_resume_ends_it() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work_until_prompt()
    desk.pause(120)
    desk.work(minutes=15)
    desk.resume()
    desk.work_until_prompt()
    [(when, withdrawn)] = desk.of(ReminderWithdrawn)
    assert (when, withdrawn.reason) == ("09:30", Withdrawal.PAUSED)
    assert outcomes(desk) == [("09:30", "short", "dismissed")]
    # Paused from 09:30 to 09:45: the timer restarted at 09:30 stood still meanwhile.
    assert desk.reminders() == [("09:30", "short"), ("10:15", "short")]


def test_pause_until_tomorrow_with_working_hours() -> None:
    desk = Desk(at(MONDAY, "14:00"), config(working_hours=WEEKDAYS))
    desk.pause_until_tomorrow()
    assert desk.scheduler.status(desk.now()).paused_until == at(MONDAY + dt.timedelta(1), "09:00")
    friday = Desk(at(dt.date(2024, 6, 7), "07:30"), config(working_hours=WEEKDAYS))
    friday.pause_until_tomorrow()
    assert friday.scheduler.status(friday.now()).paused_until == at(dt.date(2024, 6, 10), "09:00")


def test_pause_until_tomorrow_without_working_hours_ends_at_midnight() -> None:
    desk = Desk(at(MONDAY, "14:00"))
    desk.pause_until_tomorrow()
    desk.work(hours_to_minutes(12))
    assert desk.of(PauseEnded) == [("00:00", PauseEnded(at(MONDAY + dt.timedelta(1), "00:00")))]
    assert desk.reminders() == [("00:30", "short")]


def hours_to_minutes(hours: float) -> float:
    return hours * 60


# --- working hours --------------------------------------------------------------------------


def test_working_hours() -> None:
    desk = Desk(at(MONDAY, "08:00"), config(working_hours=WEEKDAYS))
    desk.work_until_prompt()
    assert desk.reminders() == [("09:30", "short")]  # nothing counted before 09:00
    desk.skip()
    while desk.local < at(MONDAY, "17:00"):
        desk.work_until_prompt()
        desk.skip()
    desk.to("19:00")  # 17:30: the hours end; work after them does not count
    desk.to("09:00")  # Tuesday
    desk.work_until_prompt()
    assert desk.reminders(day=True)[-3:] == [
        ("Mon 16:30", "short"),
        ("Mon 17:00", "long"),
        ("Tue 09:30", "short"),
    ]


def test_a_reminder_waiting_when_the_hours_end_is_withdrawn() -> None:
    desk = Desk(at(MONDAY, "16:55"), config(working_hours=WEEKDAYS))
    desk.to("18:00")
    assert desk.reminders() == [("17:25", "short")]
    [(when, withdrawn)] = desk.of(ReminderWithdrawn)
    assert (when, withdrawn.reason) == ("17:30", Withdrawal.OFF_HOURS)
    assert desk.scheduler.status(desk.now()).state is State.OFF_HOURS


def test_no_reminders_at_the_weekend() -> None:
    friday = dt.date(2024, 6, 7)
    desk = Desk(at(friday, "16:45"), config(working_hours=WEEKDAYS))
    desk.work(minutes=30)
    desk.skip()
    desk.to("10:00")  # Saturday
    desk.to("10:00")  # Sunday
    desk.to("10:00")  # Monday
    assert desk.reminders(day=True) == [("Fri 17:15", "short"), ("Mon 09:30", "short")]


def test_working_hours_past_midnight() -> None:
    night = TimeSpan(dt.time(22, 0), dt.time(6, 0))
    desk = Desk(at(MONDAY, "21:00"), config(working_hours=(night,) * 7))
    for _ in range(15):
        desk.work_until_prompt()
        desk.skip()
    desk.to("21:00")
    times = [t for t, _kind in desk.reminders(day=True)]
    assert (len(times), times[0], times[-1]) == (15, "Mon 22:30", "Tue 05:30")


# --- fixed daily reminders ------------------------------------------------------------------


def test_fixed_reminder_once_a_day_outside_working_hours() -> None:
    desk = Desk(at(MONDAY, "07:00"), config(working_hours=WEEKDAYS, fixed=(COFFEE,)))
    desk.away(minutes=90)
    [(when, due)] = desk.of(ReminderDue)
    assert when == "08:30" and isinstance(due, ReminderDue)
    assert due.reminder == dataclasses.replace(
        due.reminder,
        kind=ReminderKind.FIXED,
        due=at(MONDAY, "08:30"),
        label="after coffee",
        routine="morning-mobility",
    )
    desk.start()
    desk.away(minutes=10)
    desk.finish()
    desk.to("09:00", present=False)
    desk.to("09:00", present=False)  # Tuesday
    assert desk.reminders(day=True) == [("Mon 08:30", "fixed"), ("Tue 08:30", "fixed")]
    assert desk.records()[0].routine == "morning-mobility"


def test_fixed_reminder_waits_for_the_one_showing() -> None:
    desk = Desk(at(MONDAY, "09:30"), config(fixed=(fixed("10:05"),)))
    desk.work_until_prompt()  # 10:00, left unanswered
    desk.work(minutes=10)
    desk.skip()
    desk.work_until_prompt()
    assert desk.reminders() == [("10:00", "short"), ("10:12", "fixed")]
    assert desk.of(ReminderDue)[-1][1].reminder.due == at(MONDAY, "10:05")  # type: ignore[attr-defined]


def test_fixed_reminder_while_paused_fires_late_once() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(fixed=(fixed("09:15"),)))
    desk.pause(30)
    desk.work(minutes=60)
    assert ("09:30", "fixed") in desk.reminders()


def test_fixed_times_passed_before_start_are_done() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(fixed=(COFFEE,)))
    desk.away(minutes=60)
    assert desk.reminders() == []
    assert desk.scheduler.fixed_fired == {COFFEE: MONDAY}
    saved = {COFFEE: MONDAY - dt.timedelta(1)}
    again = Scheduler(config(fixed=(COFFEE,)), Instant(0.0, at(MONDAY, "09:00")), fixed_fired=saved)
    [due] = again.update(Instant(1.0, at(MONDAY, "09:00") + dt.timedelta(seconds=1)))
    assert isinstance(due, ReminderDue) and due.reminder.kind is ReminderKind.FIXED


def test_clock_set_back_does_not_fire_a_fixed_reminder_twice() -> None:
    desk = Desk(at(MONDAY, "09:45"), config(fixed=(fixed("10:00"),)))
    desk.work_until_prompt()
    desk.skip()
    desk.work(minutes=20)
    desk.set_clock(-60)  # 10:20 -> 09:20
    desk.work(minutes=90)
    assert [k for _t, k in desk.reminders()].count("fixed") == 1


def test_clock_set_back_across_midnight() -> None:
    desk = Desk(at(MONDAY, "23:00"), config(fixed=(fixed("23:30"),)))
    desk.away(minutes=40)
    desk.set_clock(-60)  # Tuesday 00:10 -> Monday 23:10
    desk.to("23:45", present=False)  # Monday, again
    desk.to("23:45", present=False)  # Tuesday
    fixed_ones = [t for t, kind in desk.reminders(day=True) if kind == "fixed"]
    assert fixed_ones == ["Mon 23:30", "Tue 23:30"]


def test_clock_set_forward_past_a_fixed_time_fires_it_late_once() -> None:
    desk = Desk(at(MONDAY, "09:30"), config(fixed=(fixed("10:00"),)))
    desk.work(minutes=5)
    desk.set_clock(60)  # 09:35 -> 10:35: looks like a sleep, so it is a break
    desk.work(minutes=60)
    # Not the moment the clock jumps (time away is a break: quiet for 2 minutes).
    assert desk.reminders()[0] == ("10:37", "fixed")
    assert [k for _t, k in desk.reminders()].count("fixed") == 1


def test_clock_set_far_forward_drops_that_days_fixed_reminder() -> None:
    desk = Desk(at(MONDAY, "09:30"), config(fixed=(fixed("10:00"),)))
    desk.set_clock(180)  # past 10:00 by more than the two hours' grace
    desk.away(minutes=60 * 24)
    assert [t for t, k in desk.reminders(day=True) if k == "fixed"] == ["Tue 10:00"]


# --- daylight saving ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "hhmm", "fired"),
    [
        (BERLIN, dt.date(2024, 3, 31), "02:30", ["Sun 03:00 +0200"]),  # spring forward
        (BERLIN, dt.date(2024, 10, 27), "02:30", ["Sun 02:30 +0200"]),  # fall back
        (NEW_YORK, dt.date(2024, 3, 10), "02:30", ["Sun 03:00 -0400"]),
        (NEW_YORK, dt.date(2024, 11, 3), "01:30", ["Sun 01:30 -0400"]),
    ],
)
def test_fixed_reminder_on_a_daylight_saving_day(
    tz: ZoneInfo, day: dt.date, hhmm: str, fired: list[str]
) -> None:
    start = at(day - dt.timedelta(1), "20:00", tz)
    only_fixed = config(tz=tz, fixed=(fixed(hhmm),), short_interval=86400, long_interval=None)
    desk = Desk(start, only_fixed, idle_known=False)
    desk.away(minutes=60 * 12)
    shown = [when for when, e in desk.events if isinstance(e, ReminderDue)]
    assert [f"{w:%a %H:%M %z}" for w in shown] == fired
    [due] = [e for _w, e in desk.events if isinstance(e, ReminderDue)]
    assert due.reminder.due == shown[0]


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK])
@pytest.mark.parametrize("day", [dt.date(2024, 3, 31), dt.date(2024, 10, 27)])
def test_a_clock_change_is_not_a_time_jump(tz: ZoneInfo, day: dt.date) -> None:
    if tz is NEW_YORK:
        day = {3: dt.date(2024, 3, 10), 10: dt.date(2024, 11, 3)}[day.month]
    desk = Desk(at(day, "00:45", tz), config(tz=tz))
    for _ in range(6):
        desk.work_until_prompt()
        desk.skip()
    shown = [when.astimezone(dt.UTC) for when, e in desk.events if isinstance(e, ReminderDue)]
    assert [(b - a).total_seconds() for a, b in itertools.pairwise(shown)] == [1800] * 5
    assert not [r for r in desk.records() if r.outcome is Outcome.NATURAL_BREAK]


# --- suspend, lock and other time faults ----------------------------------------------------


def test_suspend_counts_as_a_break_and_nothing_fires_on_waking() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=20)
    assert desk.suspend(60) == [
        BreakRecord(
            kind=ReminderKind.LONG,
            outcome=Outcome.NATURAL_BREAK,
            at=at(MONDAY, "10:20"),
            seconds=3600.0,
        )
    ]
    desk.work_until_prompt()
    assert desk.reminders() == [("10:50", "short")]


def test_a_short_suspend_is_not_a_break() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=20)
    assert desk.suspend(0.5) == []
    desk.work_until_prompt()
    assert desk.reminders() == [("09:30:30", "short")]


def test_no_burst_of_reminders_after_a_long_sleep() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(fixed=(fixed("10:00"),)))
    desk.work_until_prompt()  # 09:30, ignored
    desk.work(minutes=10)
    events = desk.suspend(90)  # 09:40 -> 11:10, past the fixed time and the long break
    assert [type(e) for e in events] == [ReminderWithdrawn, BreakRecord]
    desk.work(minutes=45)
    assert desk.reminders() == [("09:30", "short"), ("11:12", "fixed")]


def test_suspend_without_idle_detection() -> None:
    desk = Desk(at(MONDAY, "09:00"), idle_known=False)
    desk.work(minutes=25)
    desk.suspend(3)
    desk.work_until_prompt()
    assert desk.reminders() == [("09:58", "short")]
    assert outcomes(desk) == [("09:28", "short", "natural-break")]


def test_a_lock_screen_is_time_away() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=25)
    desk.away(minutes=15)  # locked: no input, the monotonic clock runs on
    desk.work_until_prompt()
    assert outcomes(desk) == [("09:40", "long", "natural-break")]
    assert desk.reminders() == [("10:10", "short")]


def test_the_monotonic_clock_must_not_go_back() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    with pytest.raises(ValueError, match="backwards"):
        desk.scheduler.update(Instant(desk.mono - 1, desk.local))


# --- status, deadlines, settings ------------------------------------------------------------


def test_status_for_the_tray() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(fixed=(fixed("12:00", label="lunch walk"),)))
    desk.work(minutes=18)
    status = desk.scheduler.status(desk.now())
    assert status.state is State.WORKING and status.next_kind is ReminderKind.SHORT
    assert status.work_left == 12 * 60 and status.fraction == pytest.approx(0.6)
    assert status.next_fixed is not None and status.next_fixed.at == at(MONDAY, "12:00")
    assert status.next_fixed.reminder.label == "lunch walk"
    desk.away(minutes=0.5)
    assert desk.scheduler.status(desk.now()).work_left == 11.5 * 60  # under the threshold
    desk.away(minutes=1)
    status = desk.scheduler.status(desk.now())
    assert status.state is State.AWAY and status.work_left == 30 * 60  # a natural break
    desk.work_until_prompt()
    desk.postpone()
    status = desk.scheduler.status(desk.now())
    assert status.state is State.POSTPONED and status.postponed_until == at(MONDAY, "09:54:30")


def test_wakeups_are_rare() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(short_interval=7200, long_interval=None))
    desk.work(minutes=60)
    assert desk.updates <= 62  # idle known: about once a minute, when idleness could begin
    blind = Desk(at(MONDAY, "09:00"), config(short_interval=7200), idle_known=False)
    blind.work(minutes=60)
    assert blind.updates <= 60 * 60 / MAX_SLEEP_SECONDS + 2


def test_disabled_reminders() -> None:
    desk = Desk(at(MONDAY, "08:00"), config(enabled=False, fixed=(COFFEE,)))
    desk.work(minutes=240)
    assert desk.events == []
    assert desk.scheduler.next_deadline(desk.now()) is None
    assert desk.scheduler.status(desk.now()).state is State.DISABLED


def test_turning_reminders_off_withdraws_the_one_showing() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work_until_prompt()
    events = desk.scheduler.set_config(config(enabled=False), desk.now())
    assert isinstance(events[0], ReminderWithdrawn) and events[0].reason is Withdrawal.DISABLED
    desk.scheduler.set_config(config(), desk.now())
    desk.work_until_prompt()
    assert desk.reminders() == [("09:30", "short"), ("10:00", "short")]


def test_new_settings_keep_the_work_done() -> None:
    desk = Desk(at(MONDAY, "09:00"))
    desk.work(minutes=10)
    desk.scheduler.set_config(config(short_interval=20 * 60), desk.now())
    desk.work_until_prompt()
    assert desk.reminders() == [("09:20", "short")]


def test_long_breaks_can_be_turned_off() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(long_interval=None))
    for _ in range(5):
        desk.work_until_prompt()
        desk.skip()
    assert {kind for _t, kind in desk.reminders()} == {"short"}


def test_an_unanswered_fixed_reminder_expires() -> None:
    only_fixed = config(fixed=(COFFEE,), short_interval=86400.0, long_interval=None)
    desk = Desk(at(MONDAY, "07:00"), only_fixed, idle_known=False)
    desk.to("12:00", present=False)
    [(when, withdrawn)] = desk.of(ReminderWithdrawn)
    assert (when, withdrawn.reason) == ("10:30", Withdrawal.EXPIRED)
    assert outcomes(desk) == [("10:30", "fixed", "dismissed")]


# --- idle changes as events -----------------------------------------------------------------


def both_ways(start: dt.datetime, cfg: SchedulerConfig) -> tuple[Desk, Desk]:
    """A desk that asks for idle time on a schedule, and one told of idle changes by events."""
    return Desk(start, cfg), Desk(start, cfg, idle_events=True)


def test_idle_events_leave_out_the_idle_wakeups_while_working() -> None:
    polling, watching = both_ways(at(MONDAY, "09:00"), config(short_interval=7200))
    for desk in (polling, watching):
        desk.work(minutes=60)
    assert polling.updates >= 59  # once a minute, in case idleness began
    assert watching.updates <= 60 * 60 / MAX_SLEEP_SECONDS + 2  # the clock check only
    assert watching.watches_fired == 0
    assert watching.scheduler.idle_watch_wanted() is IdleChange.IDLE
    assert watching.events == polling.events == []


def test_idle_events_while_away_keep_the_break_lengths() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(), idle_events=True)
    desk.work(minutes=10)
    desk.away(seconds=30)
    assert desk.watches_fired == 0 and desk.scheduler.idle_watch_wanted() is IdleChange.IDLE
    desk.away(seconds=40)  # 70 s without input: the idle watch fired at 60 s
    assert desk.watches_fired == 1
    assert desk.scheduler.status(desk.now()).state is State.AWAY
    assert desk.scheduler.idle_watch_wanted() is IdleChange.BACK
    now = desk.now()
    left = 5 * 60 - 70  # until the time away is as long as a long break
    assert desk.scheduler.next_deadline(now) == now.mono + 15  # asking: every idle_poll
    assert desk.scheduler.next_deadline(now, idle_events=True) == pytest.approx(now.mono + left)
    before = desk.updates
    desk.away(minutes=30)
    assert desk.updates - before <= 1 + 3 + 1  # back at the start, the long break, clock checks
    desk.work(minutes=1)
    [record] = desk.records()
    assert (record.kind, record.outcome) == (ReminderKind.LONG, Outcome.NATURAL_BREAK)
    assert record.seconds == 30 * 60 + 70


@pytest.mark.parametrize(
    ("script", "cfg"),
    [
        ("natural breaks", config()),
        ("a reminder answered by time away", config(short_interval=10 * 60.0)),
        ("postponed while away", config(short_interval=10 * 60.0)),
        ("working hours", config(working_hours=WEEKDAYS, fixed=(COFFEE,))),
    ],
)
def test_idle_events_give_the_same_day_as_asking(script: str, cfg: SchedulerConfig) -> None:
    desks = both_ways(at(MONDAY, "08:10"), cfg)
    for desk in desks:
        desk.work(minutes=25)
        desk.away(seconds=50)
        desk.work(minutes=3)
        desk.away(minutes=2)
        if script == "postponed while away":
            desk.work_until_prompt()
            desk.postpone()
            desk.away(minutes=4)
        desk.work_until_prompt()
        desk.away(minutes=7)
        desk.suspend(minutes=12)
        desk.work(minutes=95)
        desk.away(minutes=3)
        desk.to("18:00", present=False)
        desk.work(minutes=40)
    polling, watching = desks
    assert watching.events == polling.events
    assert watching.records() and watching.reminders()
    assert watching.updates < polling.updates / 2


@pytest.mark.parametrize(
    ("setup", "wanted"),
    [
        ("working", IdleChange.IDLE),
        ("away", IdleChange.BACK),
        ("prompting", IdleChange.IDLE),
        ("in break", None),
        ("paused", None),
        ("off hours", None),
        ("disabled", None),
        ("idle unknown", None),
    ],
)
def test_the_idle_watch_wanted(setup: str, wanted: IdleChange | None) -> None:
    cfg = config(
        working_hours=WEEKDAYS if setup == "off hours" else None,
        enabled=setup != "disabled",
    )
    start = at(MONDAY, "18:00" if setup == "off hours" else "09:00")
    desk = Desk(start, cfg, idle_known=setup != "idle unknown", idle_events=True)
    desk.work(minutes=5)
    if setup == "away":
        desk.away(minutes=2)
    elif setup == "prompting":
        desk.work_until_prompt()
    elif setup == "in break":
        desk.take_break()
    elif setup == "paused":
        desk.pause(30)
    assert desk.scheduler.idle_watch_wanted() is wanted


def test_an_idle_time_a_hair_short_of_the_threshold_counts() -> None:
    desk = Desk(at(MONDAY, "09:00"), config(idle_threshold=60.0))
    desk.work(minutes=5)
    now = desk.now()
    later = Instant(now.mono + 60.0, now.wall + dt.timedelta(seconds=60), 60.0 - 1e-9)
    desk.scheduler.update(later)
    assert desk.scheduler.status(later).state is State.AWAY
