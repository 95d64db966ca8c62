"""The break scheduler under random days: work, time away, sleeps, clock changes and answers.

Invariants checked after every call:

* never two reminders showing at once, and at most one new reminder per call;
* no break reminder outside working hours, and no reminder at all while paused;
* a break never starts unless the user starts it;
* ``next_deadline`` is never in the past;
* two fresh reminders from the work timer are at least one short interval of
  work apart (postponed ones coming back, and fixed ones, are exempt).

A second desk lives the same day with idle changes reported as events (idle
watches, ``next_deadline(now, idle_events=True)``): it must see exactly the
same events at the same moments, with far fewer wake-ups.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from scheduler_desk import Desk

from stretchdesk.core.scheduler import (
    BreakRecord,
    Event,
    Outcome,
    Refused,
    ReminderDue,
    ReminderKind,
    ReminderWithdrawn,
    SchedulerConfig,
    State,
    config_data,
    config_from_data,
    restore_scheduler,
    scheduler_snapshot,
)
from stretchdesk.core.settings import FixedReminder, TimeSpan

ZONES = (ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"))
OFFICE = TimeSpan(dt.time(9, 0), dt.time(17, 30))
# Days around the clock changes of 2024 in both zones, and an ordinary one.
DAYS = (
    dt.date(2024, 3, 9),
    dt.date(2024, 3, 30),
    dt.date(2024, 6, 3),
    dt.date(2024, 10, 26),
    dt.date(2024, 11, 2),
)
TOLERANCE = 1e-6

fixed_reminders = st.lists(
    st.builds(
        FixedReminder,
        time=st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45])),
        routine=st.just("desk-reset"),
    ),
    max_size=2,
    unique_by=lambda f: f.time,
).map(tuple)

configs = st.builds(
    SchedulerConfig,
    short_interval=st.sampled_from([10 * 60.0, 20 * 60.0, 30 * 60.0]),
    short_length=st.sampled_from([30.0, 60.0, 120.0]),
    long_interval=st.sampled_from([None, 60 * 60.0, 120 * 60.0]),
    max_postpones=st.integers(0, 3),
    natural_breaks=st.booleans(),
    working_hours=st.sampled_from([None, (OFFICE,) * 5 + (None, None)]),
    fixed=fixed_reminders,
    tz=st.sampled_from(ZONES),
)


class SchedulerMachine(RuleBasedStateMachine):
    """A user's random days in front of the scheduler."""

    desk: Desk
    config: SchedulerConfig

    @initialize(
        config=configs,
        day=st.sampled_from(DAYS),
        minute=st.one_of(st.integers(9 * 60, 16 * 60), st.integers(0, 24 * 60 - 1)),
        idle_known=st.booleans(),
    )
    def setup(self, config: SchedulerConfig, day: dt.date, minute: int, idle_known: bool) -> None:
        assert config.tz is not None
        start = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=config.tz)
        self.config = config
        self.desk = Desk(start, config, idle_known=idle_known)
        self.twin = Desk(start, config, idle_known=idle_known, idle_events=True)
        self.desk.observer = self.observe
        self.showing = False
        self.last_fresh: float | None = None

    # --- checking -------------------------------------------------------------------------

    def observe(self, events: list[Event]) -> None:
        """After every ``update``: the invariants that must hold at that moment."""
        desk = self.desk
        now = desk.now()
        assert sum(isinstance(e, ReminderDue) for e in events) <= 1, events
        assert not any(
            isinstance(e, BreakRecord) and e.outcome is Outcome.STARTED for e in events
        ), "a break started on its own"
        self.follow(events)
        deadline = desk.scheduler.next_deadline(now)
        assert deadline is None or deadline > now.mono

    def follow(self, events: list[Event]) -> None:
        desk = self.desk
        for index, event in enumerate(events):
            if isinstance(event, ReminderDue):
                assert not self.showing, "two reminders showing at once"
                self.showing = True
                # An answer may catch up on a reminder due that moment, then pause (and
                # withdraw it); a reminder still showing afterwards must not be paused.
                if not any(isinstance(e, ReminderWithdrawn) for e in events[index:]):
                    status = desk.scheduler.status(desk.now())
                    assert status.paused_until is None, "a reminder while paused"
                kind = event.reminder.kind
                if kind is not ReminderKind.FIXED:
                    assert self.in_working_hours(desk.local), f"reminder at {desk.local}"
                    if event.reminder.postpones == 0:
                        if self.last_fresh is not None:
                            gap = desk.mono - self.last_fresh
                            assert gap >= self.config.short_interval - TOLERANCE, gap
                        self.last_fresh = desk.mono
            elif isinstance(event, ReminderWithdrawn) or (
                isinstance(event, BreakRecord)
                and event.outcome in (Outcome.STARTED, Outcome.SKIPPED, Outcome.POSTPONED)
            ):
                self.showing = False

    def in_working_hours(self, moment: dt.datetime) -> bool:
        hours = self.config.working_hours
        if hours is None:
            return True
        span = hours[moment.weekday()]
        return span is not None and span.start <= moment.time() < span.end

    def act(self, events: list[Event]) -> None:
        self.follow(events)
        deadline = self.desk.scheduler.next_deadline(self.desk.now())
        assert deadline is None or deadline > self.desk.mono

    def state(self) -> State:
        return self.desk.scheduler.status(self.desk.now()).state

    @invariant()
    def showing_matches_state(self) -> None:
        if hasattr(self, "desk"):
            assert self.showing == (self.state() is State.PROMPTING)

    @invariant()
    def idle_events_change_nothing(self) -> None:
        """The desk told of idle changes by events saw the same day as the one that asked."""
        if not hasattr(self, "desk"):
            return
        desk, twin = self.desk, self.twin
        assert twin.mono == desk.mono and twin.local == desk.local
        assert twin.events == desk.events
        assert twin.scheduler.status(twin.now()) == desk.scheduler.status(desk.now())
        assert twin.updates - twin.watches_fired <= desk.updates

    def both(self, action) -> None:
        """Let the same thing happen at both desks (the checks look at the first)."""
        for desk in (self.desk, self.twin):
            action(desk)

    # --- the user's day -------------------------------------------------------------------

    @rule(
        minutes=st.integers(1, 4 * 60),
        answer=st.sampled_from(["start", "skip", "postpone", "ignore"]),
    )
    def work(self, minutes: int, answer: str) -> None:
        """Work for a while, answering every reminder the same way."""
        self._work(self.desk, minutes, answer, self.act)
        self._work(self.twin, minutes, answer, lambda _events: None)

    @staticmethod
    def _work(desk: Desk, minutes: int, answer: str, act) -> None:
        end = desk.mono + minutes * 60
        while desk.mono < end:
            desk.run(end - desk.mono, present=True, until_prompt=True)
            state = desk.scheduler.status(desk.now()).state
            if state is not State.PROMPTING or answer == "ignore":
                continue
            if answer == "start":
                act(desk.start())
                desk.away(seconds=90)
                act(desk.finish())
            elif answer == "skip":
                act(desk.skip())
            else:
                act(desk.postpone())
                if desk.scheduler.status(desk.now()).state is State.PROMPTING:  # refused
                    act(desk.skip())

    @rule(seconds=st.integers(10, 3 * 60 * 60))
    def away(self, seconds: int) -> None:
        self.both(lambda desk: desk.away(seconds=seconds))

    @rule(minutes=st.sampled_from([0.2, 0.5, 3, 20, 90, 600]))
    def suspend(self, minutes: float) -> None:
        self.both(lambda desk: desk.suspend(minutes))

    @rule(minutes=st.sampled_from([-180, -60, -5, 5, 60, 180]))
    def set_clock(self, minutes: int) -> None:
        self.both(lambda desk: desk.set_clock(minutes))

    @precondition(lambda self: self.state() in (State.PROMPTING, State.POSTPONED))
    @rule()
    def start(self) -> None:
        self.act(self.desk.start())
        self.twin.start()

    @precondition(lambda self: self.state() is State.IN_BREAK)
    @rule()
    def finish(self) -> None:
        self.act(self.desk.finish())
        self.twin.finish()

    @precondition(lambda self: self.state() is State.PROMPTING)
    @rule(seconds=st.sampled_from([None, 300.0, 600.0]))
    def postpone(self, seconds: float | None) -> None:
        status = self.desk.scheduler.status(self.desk.now())
        events = self.desk.postpone(seconds)
        self.act(events)
        self.twin.postpone(seconds)
        refused = [e for e in events if isinstance(e, Refused)]
        assert bool(refused) == (status.postpone_refusal is not None)

    @precondition(lambda self: self.state() in (State.PROMPTING, State.POSTPONED))
    @rule()
    def skip(self) -> None:
        self.act(self.desk.skip())
        self.twin.skip()

    @rule()
    def hand_over(self) -> None:
        """The app hands the scheduler to a fresh process of itself: nothing may change."""
        config = config_from_data(json.loads(json.dumps(config_data(self.config))), self.config.tz)
        assert config_data(config) == config_data(self.config)
        for desk in (self.desk, self.twin):
            now = desk.now()
            saved = json.loads(json.dumps(scheduler_snapshot(desk.scheduler)))
            restored = restore_scheduler(self.config, saved, now)
            assert scheduler_snapshot(restored) == saved
            assert restored.status(now) == desk.scheduler.status(now)
            for events in (False, True):
                assert restored.next_deadline(
                    now, idle_events=events
                ) == desk.scheduler.next_deadline(now, idle_events=events)
            assert restored.idle_watch_wanted() == desk.scheduler.idle_watch_wanted()
            desk.scheduler = restored

    @rule()
    def take_break(self) -> None:
        self.act(self.desk.take_break())
        self.twin.take_break()

    @rule(minutes=st.sampled_from([30, 60, 120]))
    def pause(self, minutes: int) -> None:
        self.act(self.desk.pause(minutes))
        self.twin.pause(minutes)

    @rule()
    def pause_until_tomorrow(self) -> None:
        self.act(self.desk.pause_until_tomorrow())
        self.twin.pause_until_tomorrow()

    @rule()
    def resume(self) -> None:
        self.act(self.desk.resume())
        self.twin.resume()


SchedulerMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSchedulerMachine = SchedulerMachine.TestCase
