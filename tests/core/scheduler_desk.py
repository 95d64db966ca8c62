"""A fake desk for scheduler tests: a clock, a user at the keyboard or not, and the app's loop.

:class:`Desk` drives a :class:`~stretchdesk.core.scheduler.Scheduler` the way the
app does: it asks ``next_deadline``, lets time pass until then, and calls
``update``; a present user touches the keyboard all the time, an absent one
not at all. Every event is logged with the local time it happened.

With ``idle_events`` it drives the scheduler as the app does where the
platform has idle watches: it asks ``next_deadline(now, idle_events=True)``
and, when the scheduler wants to hear of the user going idle
(``idle_watch_wanted``), calls ``update`` the moment an absent user's idle
time reaches the threshold, as a fired watch would. Coming back to the
keyboard is heard at once either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from stretchdesk.core.scheduler import (
    BreakRecord,
    Event,
    IdleChange,
    Instant,
    ReminderDue,
    Scheduler,
    SchedulerConfig,
)

UTC = dt.UTC


class Desk:
    """A simulated workday: ``work``, ``away``, ``suspend``, ``set_clock``, the user's answers."""

    def __init__(
        self,
        start: dt.datetime,
        config: SchedulerConfig | None = None,
        *,
        idle_known: bool = True,
        idle_events: bool = False,
        scheduler_factory: type[Scheduler] = Scheduler,
    ) -> None:
        assert start.tzinfo is not None
        self.tz = start.tzinfo
        self.mono = 10_000.0
        self.utc = start.astimezone(UTC)
        self.last_input = self.mono
        self.idle_known = idle_known
        self.idle_events = idle_events
        self.present = True
        self.updates = 0
        self.watches_fired = 0  # idle watches (``idle_events``) that woke the scheduler
        self.events: list[tuple[dt.datetime, Event]] = []
        self.observer: Callable[[list[Event]], None] | None = None  # sees each update's events
        self.scheduler = scheduler_factory(config or SchedulerConfig(tz=self.tz), self.now())

    # --- the clock ------------------------------------------------------------------------

    @property
    def local(self) -> dt.datetime:
        return self.utc.astimezone(self.tz)

    def now(self, idle_floor: float = 0.0) -> Instant:
        idle = max(self.mono - self.last_input, idle_floor) if self.idle_known else None
        return Instant(self.mono, self.local, idle)

    def _tick(self, seconds: float) -> None:
        self.mono += seconds
        self.utc += dt.timedelta(seconds=seconds)
        if self.present:
            self.last_input = self.mono

    def _log(self, events: Iterable[Event]) -> list[Event]:
        events = list(events)
        self.events.extend((self.local, event) for event in events)
        return events

    def update(self, idle_floor: float = 0.0) -> list[Event]:
        self.updates += 1
        events = self._log(self.scheduler.update(self.now(idle_floor)))
        if self.observer is not None:
            self.observer(events)
        return events

    def run(self, seconds: float, *, present: bool, until_prompt: bool = False) -> None:
        """Let ``seconds`` pass, calling ``update`` at every deadline the scheduler asks for.

        With ``until_prompt``, stop early right after a reminder appears.
        """
        if present and not self.present:
            self.last_input = self.mono  # back at the keyboard: the app hears of it at once
        self.present = present
        self.update()
        target = self.mono + seconds
        while self.mono < target - 1e-9:
            deadline = self.scheduler.next_deadline(self.now(), idle_events=self.idle_events)
            assert deadline is None or deadline > self.mono, (deadline, self.mono)
            step = target if deadline is None else min(deadline, target)
            watch = self._idle_watch_fires()
            fired = watch is not None and watch <= step
            self._tick((watch if fired else step) - self.mono)
            if fired:
                self.watches_fired += 1
            events = self.update(self.scheduler.config.idle_threshold if fired else 0.0)
            if until_prompt and any(isinstance(e, ReminderDue) for e in events):
                return

    def _idle_watch_fires(self) -> float | None:
        """When the idle watch the scheduler wants would fire (``idle_events`` only)."""
        if not (self.idle_events and self.idle_known) or self.present:
            return None
        if self.scheduler.idle_watch_wanted() is not IdleChange.IDLE:
            return None
        fires = self.last_input + self.scheduler.config.idle_threshold
        assert fires > self.mono, "the scheduler missed the user going idle"
        return fires

    def work(self, minutes: float = 0, seconds: float = 0) -> None:
        self.run(minutes * 60 + seconds, present=True)

    def away(self, minutes: float = 0, seconds: float = 0) -> None:
        self.run(minutes * 60 + seconds, present=False)

    def to(self, hhmm: str, *, present: bool = True) -> None:
        """Let time pass until the local clock next shows ``hhmm``."""
        hour, minute = map(int, hhmm.split(":"))
        target = self.local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if target <= self.local:
            target += dt.timedelta(days=1)
        self.run((target.astimezone(UTC) - self.utc).total_seconds(), present=present)

    def work_until_prompt(self, max_minutes: float = 600) -> ReminderDue:
        before = len(self.events)
        self.run(max_minutes * 60, present=True, until_prompt=True)
        due = [e for _t, e in self.events[before:] if isinstance(e, ReminderDue)]
        assert due, "no reminder came"
        return due[-1]

    def suspend(self, minutes: float) -> list[Event]:
        """The machine sleeps: the wall clock moves, the monotonic one does not."""
        self.utc += dt.timedelta(minutes=minutes)
        self.last_input = self.mono  # the user wakes it up
        self.present = True
        return self.update()

    def set_clock(self, minutes: float) -> list[Event]:
        """Someone sets the wall clock forward (or back, with a negative number)."""
        self.utc += dt.timedelta(minutes=minutes)
        return self.update()

    # --- the user's answers ---------------------------------------------------------------

    def take_break(self) -> list[Event]:
        return self._log(self.scheduler.take_break(self.now()))

    def start(self) -> list[Event]:
        return self._log(self.scheduler.start(self.now()))

    def postpone(self, seconds: float | None = None) -> list[Event]:
        return self._log(self.scheduler.postpone(self.now(), seconds))

    def skip(self) -> list[Event]:
        return self._log(self.scheduler.skip(self.now()))

    def finish(self) -> list[Event]:
        return self._log(self.scheduler.finish_break(self.now()))

    def take_offered_break(self) -> None:
        """Start the reminder showing, stretch away from the keyboard, come back."""
        current = self.scheduler.status(self.now()).reminder
        assert current is not None and current.break_seconds is not None
        self.start()
        self.away(seconds=current.break_seconds)
        self.finish()

    def pause(self, minutes: float) -> list[Event]:
        return self._log(self.scheduler.pause(self.now(), minutes * 60))

    def pause_until_tomorrow(self) -> list[Event]:
        return self._log(self.scheduler.pause_until_tomorrow(self.now()))

    def resume(self) -> list[Event]:
        return self._log(self.scheduler.resume(self.now()))

    # --- what happened --------------------------------------------------------------------

    def reminders(self, day: bool = False) -> list[tuple[str, str]]:
        """``(local time, kind)`` of each reminder shown, seconds only when not zero."""
        return [
            (clock(when, day), event.reminder.kind.value)
            for when, event in self.events
            if isinstance(event, ReminderDue)
        ]

    def records(self) -> list[BreakRecord]:
        return [event for _when, event in self.events if isinstance(event, BreakRecord)]

    def of(self, kind: type) -> list[tuple[str, Event]]:
        return [(clock(when), event) for when, event in self.events if isinstance(event, kind)]


def clock(moment: dt.datetime, day: bool = False) -> str:
    text = f"{moment:%H:%M}" if moment.second == 0 else f"{moment:%H:%M:%S}"
    return f"{moment:%a} {text}" if day else text
