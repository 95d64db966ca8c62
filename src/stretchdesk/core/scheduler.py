"""The break scheduler: when to remind the user to get up, and what became of each reminder.

The scheduler never reads the clock. Every call takes ``now``, an :class:`Instant`:
a monotonic reading in seconds, the aware wall-clock time, and how long the user
has been idle (no keyboard or mouse input) when the platform can tell. The app
asks :meth:`Scheduler.next_deadline` when to call next, calls
:meth:`Scheduler.update` then (and whenever the user does something), and shows
what the returned events say. The user's answers go in through
:meth:`~Scheduler.start`, :meth:`~Scheduler.postpone`, :meth:`~Scheduler.skip`,
:meth:`~Scheduler.finish_break`, :meth:`~Scheduler.pause` and friends; each
catches up to ``now``, takes the answer, and catches up again (so whatever the
answer makes due shows at once), returning the events of all three.

The rules
---------
Work time
    Only active time counts towards a break: time when the user has been idle
    for at least ``idle_threshold`` (from their last input, not from when the
    idleness was noticed), paused time, time outside working hours and time in
    a break do not. Deadlines are kept as the monotonic time at which the next
    break would be due if the user kept working; time that does not count moves
    them later.

Short and long breaks
    A short break is due after ``short_interval`` of work, a long one after
    ``long_interval``. A long break due at the same time as a short one, or
    within ``merge_window`` after it, is offered instead of the short one. Any
    break taken, skipped or dismissed restarts the short timer, and the long
    one is never due sooner than the next short one, so two reminders for the
    work timer are always at least ``short_interval`` of work apart (apart from
    re-showing a postponed one).

Reminders wait for the user
    When a break is due the scheduler emits :class:`ReminderDue` and waits.
    *Start* begins the break (it lasts until :meth:`~Scheduler.finish_break`),
    *postpone* shows the same reminder again later (refused, with a reason,
    after ``max_postpones`` in a row), *skip* drops it and restarts the timer.
    The scheduler never starts a break on its own. Only one reminder exists at
    a time: while one is showing, postponed or being taken, others wait.

Natural breaks
    Time away from the desk at least as long as a break (``short_length`` or
    ``long_length``) counts as that break: the timers restart, a reminder that
    was waiting for that break is withdrawn, and when the user is back one
    :class:`BreakRecord` with outcome ``natural-break`` is emitted for the whole
    time away. Coming back to the desk (and any answered reminder or finished
    break) opens a ``quiet_after`` gap in which no reminder appears, so
    returning never triggers one at once.

Working hours
    With ``working_hours`` set, break reminders come only inside them. A break
    reminder still waiting when the hours end is withdrawn; work time does not
    accumulate outside the hours, and an off-hours stretch at least as long as
    a long break (a night, a weekend) restarts both timers, so each working day
    starts fresh.

Fixed daily reminders
    Each :class:`~stretchdesk.core.settings.FixedReminder` fires once per local
    date at its local time, whatever the working hours (the user chose that
    time). On a day when daylight-saving time skips the time, it fires when the
    clocks jump (02:30 fires at 03:00); when the time happens twice, it fires at
    the first. The scheduler remembers the last local date each one fired, so a
    clock set back never fires one twice. A reminder that could not fire at its
    time (the clock jumped past it, the machine slept, the user paused, another
    reminder was showing) fires late once if at most ``fixed_grace`` has
    passed, and is otherwise dropped for that day; one left unanswered is
    withdrawn ``fixed_grace`` after its time. Fixed times that had
    already passed when the scheduler was made are taken as done, unless
    ``fixed_fired`` says otherwise.

Time faults
    When the wall clock moved more than :data:`JUMP_SECONDS` further than the
    monotonic clock since the previous call, the machine slept (or the clock
    was set forward, which looks the same): the missing time counts as time
    away, so a long enough sleep is a natural break, and nothing fires on
    waking. A lock screen is just idle time, as long as the app passes the
    idle time through. Daylight-saving changes are not jumps: wall-clock
    differences are always taken in UTC. Pauses end by the wall clock, since
    the user was told "paused until 14:30".

When to call
    :meth:`Scheduler.next_deadline` is the earliest of: the next break due
    (assuming the user keeps working), the end of a postponement or pause or
    quiet gap, the next working-hours boundary, the next fixed time, and at
    most :data:`MAX_SLEEP_SECONDS` ahead (so a clock change is noticed). While
    work time counts and idle times are known, it adds the moments the time
    away reaches a break's length (no input marks them), and, unless idle
    changes come as events (below): when the user is active, the moment they
    would first count as idle (their last input plus ``idle_threshold``, so at
    most one wake-up per threshold and an idle period is always seen when it
    begins); when they are away, every ``idle_poll`` seconds.

Idle changes as events
    Where the platform can say when the user goes idle or comes back (an X
    server's ``IDLETIME`` alarms, GNOME's idle watches), the app does not ask
    for idle time on a schedule. After every call it keeps one watch armed, of
    the kind :meth:`Scheduler.idle_watch_wanted` names: :attr:`IdleChange.IDLE`
    (tell me when idle time reaches ``idle_threshold``) while the user counts
    as active, :attr:`IdleChange.BACK` (tell me at the next input) while they
    are away, and none while idle time does not matter (reminders off or
    paused, outside working hours, in a break, idle time unknown). When the
    watch fires it calls :meth:`~Scheduler.update` (with an idle time of at
    least ``idle_threshold`` for an idle watch), and it asks for deadlines
    with ``next_deadline(now, idle_events=True)``, which leaves out the two
    idle wake-ups above and keeps everything else. For the same input the
    events are the same as when asking on a schedule: every decision that
    depends on idleness is taken either at a deadline that is kept or at one
    of those two changes. Idle times within a microsecond of a threshold
    count as reaching it, so that rounding cannot make the two ways differ.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from stretchdesk.core.timespan import TimeSpan

if TYPE_CHECKING:
    from stretchdesk.core.settings import Reminders

JUMP_SECONDS = 10.0
"""The wall clock moving this much further than the monotonic one means the machine slept."""

MAX_SLEEP_SECONDS = 600.0
""":meth:`Scheduler.next_deadline` is never further ahead than this."""

_EPS = 1e-6
_UTC = _dt.UTC
_ONE_DAY = _dt.timedelta(days=1)


# --- time ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Instant:
    """One reading of the clocks: the ``now`` every scheduler call takes.

    ``mono`` is a monotonic clock in seconds (it may stop while the machine
    sleeps); ``wall`` is the aware wall-clock time; ``idle`` is how many seconds
    ago the user last touched the keyboard or mouse, or ``None`` when unknown.
    """

    mono: float
    wall: _dt.datetime
    idle: float | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.mono):
            raise ValueError(f"Instant.mono must be finite, found {self.mono!r}")
        if self.wall.tzinfo is None or self.wall.utcoffset() is None:
            raise ValueError("Instant.wall must be an aware datetime")
        if self.idle is not None and not (math.isfinite(self.idle) and self.idle >= 0):
            raise ValueError(f"Instant.idle must be a number of seconds >= 0, found {self.idle!r}")


def local_instant(day: _dt.date, at: _dt.time, tz: _dt.tzinfo) -> _dt.datetime:
    """The moment (in UTC) when clocks in ``tz`` show ``at`` on ``day``.

    A time that happens twice (clocks set back) gives the first occurrence; a
    time that does not happen (clocks set forward past it) gives the moment of
    the jump, the first moment local clocks show a later time.
    """
    naive = _dt.datetime.combine(day, at)
    shown = [
        moment.astimezone(_UTC)
        for moment in (naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1))
    ]
    real = [m for m in shown if m.astimezone(tz).replace(tzinfo=None) == naive]
    if real:
        return min(real)
    # In a gap: find the first second whose local time is at or after ``naive``.
    low, high = min(shown), max(shown)
    while (high - low).total_seconds() > 1:
        middle = low + (high - low) / 2
        if middle.astimezone(tz).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _union_length(spans: list[tuple[float, float]]) -> tuple[float, float]:
    """The total length covered by ``(start, end)`` spans, and where the last one ends."""
    total = 0.0
    reach = -math.inf
    for start, end in sorted(spans):
        if end <= start:
            continue
        total += end - max(start, reach) if end > reach else 0.0
        reach = max(reach, end)
    return total, reach


def _utc(moment: _dt.datetime) -> _dt.datetime:
    # Arithmetic and comparison on datetimes sharing a tzinfo ignore the UTC offset
    # (and fold), which is wrong across a daylight-saving change: always work in UTC.
    return moment.astimezone(_UTC)


# --- configuration ------------------------------------------------------------------------


class FixedReminder(Protocol):
    """A reminder at a fixed time each day: what the scheduler reads of one.

    The settings' :class:`~stretchdesk.core.settings.FixedReminder` is one;
    so is :class:`FixedTime`, which the tray-only process uses so that it does
    not load the settings code. Both must be hashable (they key ``fixed_fired``).
    """

    @property
    def time(self) -> _dt.time: ...

    @property
    def routine(self) -> str: ...

    @property
    def label(self) -> str: ...


@dataclass(frozen=True, slots=True)
class FixedTime:
    """A fixed reminder as :func:`config_from_data` reads it back."""

    time: _dt.time
    routine: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class SchedulerConfig:
    """What the scheduler does. All durations are in seconds.

    ``working_hours`` is ``None`` (reminders at any time) or seven entries,
    Monday first, each a :class:`~stretchdesk.core.settings.TimeSpan` or ``None``
    for a day off. ``long_interval`` ``None`` turns long breaks off. ``tz`` is the
    user's time zone for working hours and fixed times; ``None`` uses the zone
    of each ``now.wall`` (pass a real zone, e.g. ``ZoneInfo``, so that times
    ahead are right across daylight-saving changes).
    """

    enabled: bool = True
    short_interval: float = 30 * 60.0
    short_length: float = 60.0
    long_interval: float | None = 120 * 60.0
    long_length: float = 5 * 60.0
    merge_window: float = 10 * 60.0
    postpone_length: float = 5 * 60.0
    max_postpones: int = 3
    natural_breaks: bool = True
    idle_threshold: float = 60.0
    idle_poll: float = 15.0
    quiet_after: float = 2 * 60.0
    working_hours: tuple[TimeSpan | None, ...] | None = None
    fixed: tuple[FixedReminder, ...] = ()
    fixed_grace: float = 2 * 60 * 60.0
    tz: _dt.tzinfo | None = None

    def __post_init__(self) -> None:
        positive = {
            "short_interval": self.short_interval,
            "short_length": self.short_length,
            "long_length": self.long_length,
            "postpone_length": self.postpone_length,
            "idle_threshold": self.idle_threshold,
            "idle_poll": self.idle_poll,
        }
        if self.long_interval is not None:
            positive["long_interval"] = self.long_interval
        for name, value in positive.items():
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"SchedulerConfig.{name} must be > 0, found {value!r}")
        for name in ("merge_window", "quiet_after"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"SchedulerConfig.{name} must be >= 0, found {value!r}")
        if not 0 <= self.fixed_grace <= 12 * 60 * 60:
            raise ValueError("SchedulerConfig.fixed_grace must be between 0 and 12 hours")
        if self.max_postpones < 0:
            raise ValueError("SchedulerConfig.max_postpones must be >= 0")
        if self.working_hours is not None and len(self.working_hours) != 7:
            raise ValueError("SchedulerConfig.working_hours needs one entry per weekday")
        object.__setattr__(self, "fixed", tuple(self.fixed))

    @classmethod
    def from_settings(cls, reminders: Reminders, tz: _dt.tzinfo | None = None) -> SchedulerConfig:
        """The configuration for the user's reminder settings."""
        hours = reminders.working_hours
        return cls(
            enabled=reminders.enabled,
            short_interval=reminders.short_every_minutes * 60.0,
            short_length=float(reminders.short_length_seconds),
            long_interval=reminders.long_every_minutes * 60.0 if reminders.long_breaks else None,
            long_length=reminders.long_length_minutes * 60.0,
            postpone_length=reminders.postpone_minutes * 60.0,
            max_postpones=reminders.max_postpones,
            natural_breaks=reminders.natural_breaks,
            working_hours=(
                tuple(hours.for_weekday(day) for day in range(7))
                if reminders.working_hours_only
                else None
            ),
            fixed=tuple(reminders.fixed),
            tz=tz,
        )


# --- what the scheduler tells the app -----------------------------------------------------


class State(StrEnum):
    """Where the scheduler is, as the tray shows it."""

    DISABLED = "disabled"  # reminders are turned off
    WORKING = "working"  # counting work time towards the next break
    AWAY = "away"  # the user is idle: the timer stands still
    PROMPTING = "prompting"  # a reminder is showing, waiting for an answer
    POSTPONED = "postponed"  # the user said "later"
    IN_BREAK = "in-break"  # the user is taking a break
    PAUSED = "paused"  # reminders paused for a while
    OFF_HOURS = "off-hours"  # outside working hours


class IdleChange(StrEnum):
    """The change of the user's idleness the scheduler wants to hear of, when watched."""

    IDLE = "idle"  # idle time reaching ``idle_threshold``: the user went away
    BACK = "back"  # the next keyboard or mouse input: the user is back


class ReminderKind(StrEnum):
    SHORT = "short"  # one desk stretch
    LONG = "long"  # a short routine
    FIXED = "fixed"  # a fixed daily time, tied to a routine


class Outcome(StrEnum):
    STARTED = "started"
    POSTPONED = "postponed"
    SKIPPED = "skipped"
    NATURAL_BREAK = "natural-break"  # the user was away long enough
    FINISHED = "finished"  # a started break ended
    DISMISSED = "dismissed"  # withdrawn unanswered: paused, working hours ended, turned off


class Withdrawal(StrEnum):
    """Why the scheduler took back a reminder nobody answered."""

    NATURAL_BREAK = "natural-break"
    PAUSED = "paused"
    OFF_HOURS = "off-hours"
    DISABLED = "disabled"
    EXPIRED = "expired"  # a fixed reminder left unanswered for ``fixed_grace``


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder: what kind, when it came due, and for a fixed one its label and routine.

    The scheduler does not pick the stretch to suggest; the app does, from the
    kind (``break_seconds`` is the break's configured length; ``None`` for a
    fixed reminder, whose routine sets its own length).
    """

    kind: ReminderKind
    due: _dt.datetime
    break_seconds: float | None = None
    label: str = ""
    routine: str | None = None
    postpones: int = 0  # times put off in a row so far


@dataclass(frozen=True, slots=True)
class ReminderDue:
    """Show this reminder (again, after a postponement, when ``reminder.postpones`` > 0)."""

    reminder: Reminder
    postpone_refusal: str | None = None  # why "later" is not offered; None when it is


@dataclass(frozen=True, slots=True)
class ReminderWithdrawn:
    """Hide the reminder: nobody answered it and it is no longer wanted."""

    reminder: Reminder
    reason: Withdrawal


@dataclass(frozen=True, slots=True)
class BreakRecord:
    """One line of history: a reminder's outcome, or a break taken without one.

    ``due`` is when the reminder came due (``None`` for a break without one);
    ``at`` when this happened; ``seconds`` the time away (natural break), the
    break's length (finished) or the postponement (postponed).
    """

    kind: ReminderKind
    outcome: Outcome
    at: _dt.datetime
    due: _dt.datetime | None = None
    seconds: float | None = None
    postpones: int = 0
    label: str = ""
    routine: str | None = None


@dataclass(frozen=True, slots=True)
class PauseEnded:
    at: _dt.datetime


@dataclass(frozen=True, slots=True)
class Refused:
    """An answer that could not be taken, and why, in words for the user."""

    action: str
    reason: str


Event = ReminderDue | ReminderWithdrawn | BreakRecord | PauseEnded | Refused


@dataclass(frozen=True, slots=True)
class NextFixed:
    reminder: FixedReminder
    at: _dt.datetime


@dataclass(frozen=True, slots=True)
class Status:
    """What the tray shows.

    ``work_left`` is the work time (seconds) until the next break and
    ``fraction`` how far the user is towards it (0 to 1); ``next_kind`` is the
    kind that break will be. ``reminder`` is the one showing, postponed or
    being taken.
    """

    state: State
    next_kind: ReminderKind | None
    work_left: float | None
    fraction: float
    reminder: Reminder | None
    postponed_until: _dt.datetime | None
    postpone_refusal: str | None
    paused_until: _dt.datetime | None
    next_fixed: NextFixed | None
    skipped_today: int


# --- the scheduler ------------------------------------------------------------------------


class _Phase(StrEnum):
    PROMPTING = "prompting"
    POSTPONED = "postponed"
    IN_BREAK = "in-break"


@dataclass(slots=True)
class _Current:
    """The one reminder in play."""

    reminder: Reminder
    phase: _Phase
    prompted: bool = True  # False for a break the user took from the menu
    postponed_until: float = 0.0  # monotonic
    started: float = 0.0  # monotonic, when in a break


@dataclass(slots=True)
class _Away:
    """A stretch of time away from the desk, while it lasts."""

    start: float  # monotonic time of the user's last input
    slept: float  # seconds the machine slept meanwhile (not on the monotonic clock)
    short: bool = False  # counted as a short break already
    long: bool = False
    resolved: Reminder | None = None  # the reminder it took the place of

    def length(self, at: float) -> float:
        return at - self.start + self.slept


class Scheduler:
    """Decides when to remind the user to take a break; see the module docstring for the rules.

    Each call returns a list of events: :class:`ReminderDue` (show a reminder),
    :class:`ReminderWithdrawn` (hide it), :class:`BreakRecord` (for the
    history), :class:`PauseEnded` and :class:`Refused` (an answer not taken).
    """

    def __init__(
        self,
        config: SchedulerConfig,
        now: Instant,
        *,
        fixed_fired: Mapping[FixedReminder, _dt.date] | None = None,
    ) -> None:
        self._config = config
        self._last = now
        self._short_due = 0.0
        self._long_due: float | None = None
        self._mark = now.mono  # work time before this is settled
        self._away_floor = now.mono  # time away is counted from no earlier than this
        self._away: _Away | None = None
        self._current: _Current | None = None
        self._paused_until: _dt.datetime | None = None  # UTC
        self._off_since: _dt.datetime | None = None  # UTC, while outside working hours
        self._quiet_until = now.mono
        self._user_idle = False
        self._skips: tuple[_dt.date, int] | None = None
        self._fixed_fired: dict[FixedReminder, _dt.date] = dict(fixed_fired or {})
        self._restart(now.mono, long=True)
        self._settle_fixed(now)
        if not self._in_hours(_utc(now.wall), now):
            self._off_since = _utc(now.wall)

    # --- reading --------------------------------------------------------------------------

    @property
    def config(self) -> SchedulerConfig:
        return self._config

    @property
    def fixed_fired(self) -> dict[FixedReminder, _dt.date]:
        """The local date each fixed reminder last fired (or was dropped); save it across runs."""
        return dict(self._fixed_fired)

    def status(self, now: Instant) -> Status:
        """The state as of the last call, with times projected to ``now``."""
        config = self._config
        current = self._current
        counting = self._counting()
        at = now.mono if counting and not self._user_idle else self._last.mono
        work_left: float | None = None
        next_kind: ReminderKind | None = None
        fraction = 0.0
        if config.enabled:
            due = self._interval_due()
            work_left = max(0.0, due - at)
            next_kind = self._interval_kind(due)
            fraction = min(1.0, max(0.0, 1.0 - work_left / config.short_interval))
        postponed_until = None
        if current is not None and current.phase is _Phase.POSTPONED:
            postponed_until = self._wall_at(current.postponed_until, now)
        today = self._local(now).date()
        return Status(
            state=self._state(),
            next_kind=next_kind,
            work_left=work_left,
            fraction=fraction,
            reminder=current.reminder if current else None,
            postponed_until=postponed_until,
            postpone_refusal=self._postpone_refusal(current.reminder) if current else None,
            paused_until=self._to_local(self._paused_until, now) if self._paused_until else None,
            next_fixed=self._next_fixed(now),
            skipped_today=self._skips[1] if self._skips and self._skips[0] == today else 0,
        )

    def idle_watch_wanted(self) -> IdleChange | None:
        """What to watch for, as of the last call, when idle changes come as events.

        :attr:`IdleChange.IDLE` while the user counts as active,
        :attr:`IdleChange.BACK` while they are away, ``None`` while idle time
        does not matter (reminders off or paused, outside working hours, in a
        break) or is unknown. See "Idle changes as events" in the module docstring.
        """
        if self._last.idle is None or not self._counting():
            return None
        return IdleChange.BACK if self._away is not None or self._user_idle else IdleChange.IDLE

    def next_deadline(self, now: Instant, *, idle_events: bool = False) -> float | None:
        """The monotonic time at which :meth:`update` should next be called.

        Call it right after :meth:`update` with the same ``now``. ``None`` when
        reminders are off (nothing happens until the configuration changes).
        With ``idle_events``, the app watches for :meth:`idle_watch_wanted`
        itself, so the wake-ups that only look for the user going idle or
        coming back are left out.
        """
        config = self._config
        if not config.enabled:
            return None
        wall = _utc(now.wall)
        current = self._current
        candidates = [now.mono + MAX_SLEEP_SECONDS]
        if self._paused_until is not None:
            candidates.append(self._mono_at(self._paused_until, now))
        if current is not None and current.phase is _Phase.POSTPONED:
            candidates.append(max(current.postponed_until, self._quiet_until))
        if (
            current is not None
            and current.phase is not _Phase.IN_BREAK
            and current.reminder.kind is ReminderKind.FIXED
        ):
            expiry = current.reminder.due + _dt.timedelta(seconds=config.fixed_grace)
            candidates.append(self._mono_at(_utc(expiry), now))
        change = self._next_hours_change(wall, now)
        if change is not None:
            candidates.append(self._mono_at(change, now))
        if current is None and self._paused_until is None:
            fixed = self._next_fixed_moment(now)
            if fixed is not None:
                candidates.append(max(self._mono_at(fixed, now), self._quiet_until))
            if self._off_since is None:
                candidates.append(max(self._interval_due(), self._quiet_until))
        if self._last.idle is not None and self._counting():
            away = self._away
            if away is not None:
                if not idle_events:
                    candidates.append(now.mono + config.idle_poll)
                if not away.short:
                    candidates.append(away.start - away.slept + config.short_length)
                if config.long_interval is not None and not away.long:
                    candidates.append(away.start - away.slept + config.long_length)
            elif not self._user_idle and not idle_events:
                candidates.append(self._last.mono - self._last.idle + config.idle_threshold)
        return min(c for c in candidates if c > now.mono + _EPS)

    # --- advancing ------------------------------------------------------------------------

    def update(self, now: Instant) -> list[Event]:
        """Catch up to ``now``; the events that happened meanwhile, in order."""
        if now.mono < self._last.mono:
            raise ValueError("the monotonic clock went backwards")
        config = self._config
        events: list[Event] = []
        last = self._last
        wall = _utc(now.wall)
        slept = (wall - _utc(last.wall)).total_seconds() - (now.mono - last.mono)
        slept = slept if slept > JUMP_SECONDS else 0.0
        user_idle = now.idle is not None and now.idle >= config.idle_threshold - _EPS
        if not config.enabled:
            self._mark = now.mono
            for _due, fixed, day in self._pending_fixed(now):
                self._fixed_fired[fixed] = day  # times passing while off are not made up
        else:
            self._credit(now, user_idle)
            if self._paused_until is not None and wall >= self._paused_until:
                self._paused_until = None
                events.append(PauseEnded(self._local(now)))
            self._follow_hours(now, events)
            self._follow_away(now, user_idle, slept, events)
            self._fire(now, user_idle, events)
        self._user_idle = user_idle
        self._last = now
        return events

    # --- answers and commands -------------------------------------------------------------

    def start(self, now: Instant) -> list[Event]:
        """The user starts the break offered (also from a postponed reminder)."""
        events = self.update(now)
        current = self._current
        if current is None or current.phase is _Phase.IN_BREAK:
            return [*events, Refused("start", "There is no reminder waiting.")]
        current.phase = _Phase.IN_BREAK
        current.started = now.mono
        events.append(self._record(Outcome.STARTED, now, current))
        return events + self.update(now)

    def postpone(self, now: Instant, seconds: float | None = None) -> list[Event]:
        """Show the reminder again later (``postpone_length`` unless ``seconds`` is given)."""
        events = self.update(now)
        current = self._current
        if current is None or current.phase is not _Phase.PROMPTING:
            return [*events, Refused("postpone", "There is no reminder waiting.")]
        refusal = self._postpone_refusal(current.reminder)
        if refusal is not None:
            return [*events, Refused("postpone", refusal)]
        length = self._config.postpone_length if seconds is None else seconds
        if not (math.isfinite(length) and length > 0):
            raise ValueError(f"postpone needs a positive number of seconds, found {seconds!r}")
        events.append(self._record(Outcome.POSTPONED, now, current, seconds=length))
        current.reminder = dataclasses.replace(
            current.reminder, postpones=current.reminder.postpones + 1
        )
        current.phase = _Phase.POSTPONED
        current.postponed_until = now.mono + length
        return events + self.update(now)

    def skip(self, now: Instant) -> list[Event]:
        """The user skips the break offered (also a postponed one)."""
        events = self.update(now)
        current = self._current
        if current is None or current.phase is _Phase.IN_BREAK:
            return [*events, Refused("skip", "There is no reminder waiting.")]
        events.append(self._record(Outcome.SKIPPED, now, current))
        self._close(current, now)
        today = self._local(now).date()
        count = self._skips[1] if self._skips and self._skips[0] == today else 0
        self._skips = (today, count + 1)
        return events + self.update(now)

    def take_break(self, now: Instant, kind: ReminderKind = ReminderKind.SHORT) -> list[Event]:
        """Take a break now, from the menu (starts the waiting reminder's break if there is one)."""
        events = self.update(now)
        current = self._current
        if current is not None:
            if current.phase is _Phase.IN_BREAK:
                return [*events, Refused("take-break", "A break is already on.")]
            return [*events, *self.start(now)]
        reminder = Reminder(kind, self._local(now), self._break_seconds(kind))
        current = _Current(reminder, _Phase.IN_BREAK, prompted=False, started=now.mono)
        self._current = current
        events.append(self._record(Outcome.STARTED, now, current))
        return events + self.update(now)

    def finish_break(self, now: Instant) -> list[Event]:
        """The break (started from a reminder or the menu) is over; the timers restart."""
        events = self.update(now)
        current = self._current
        if current is None or current.phase is not _Phase.IN_BREAK:
            return [*events, Refused("finish-break", "No break is on.")]
        length = now.mono - current.started
        events.append(self._record(Outcome.FINISHED, now, current, seconds=length))
        kind = current.reminder.kind
        self._current = None
        self._restart(
            now.mono, long=kind is ReminderKind.LONG or length >= self._config.long_length
        )
        self._away_floor = now.mono
        self._quiet_until = now.mono + self._config.quiet_after
        return events + self.update(now)

    def pause(self, now: Instant, seconds: float) -> list[Event]:
        """No reminders for ``seconds`` (by the wall clock); a waiting reminder is dismissed."""
        if not (math.isfinite(seconds) and seconds > 0):
            raise ValueError(f"pause needs a positive number of seconds, found {seconds!r}")
        return self._pause(now, _utc(now.wall) + _dt.timedelta(seconds=seconds))

    def pause_until_tomorrow(self, now: Instant) -> list[Event]:
        """Pause until the next working-hours start on a later day, or the next local midnight."""
        wall = _utc(now.wall)
        today = self._local(now).date()
        until = None
        if self._config.working_hours is not None:
            starts = (
                start
                for start, _end in self._periods(today, now)
                if start > wall and start.astimezone(self._tz(now)).date() > today
            )
            until = min(starts, default=None)
        if until is None:
            until = local_instant(today + _ONE_DAY, _dt.time(0, 0), self._tz(now))
        return self._pause(now, until)

    def resume(self, now: Instant) -> list[Event]:
        """End a pause early."""
        events = self.update(now)
        if self._paused_until is not None:
            self._paused_until = None
            events.append(PauseEnded(self._local(now)))
        return events + self.update(now)

    def set_config(self, config: SchedulerConfig, now: Instant) -> list[Event]:
        """Use new settings; work done so far counts towards the new intervals."""
        events = self.update(now)
        old = self._config
        self._config = config
        current = self._current
        if not config.enabled:
            if current is not None and current.phase is not _Phase.IN_BREAK:
                events += self._withdraw(current, now, Withdrawal.DISABLED)
            self._away = None
        elif not old.enabled:
            self._restart(now.mono, long=True)
        else:
            worked = old.short_interval - (self._short_due - now.mono)
            self._short_due = now.mono + max(0.0, config.short_interval - worked)
            if config.long_interval is None:
                self._long_due = None
            elif old.long_interval is None or self._long_due is None:
                self._long_due = now.mono + config.long_interval
            else:
                worked = old.long_interval - (self._long_due - now.mono)
                self._long_due = now.mono + max(0.0, config.long_interval - worked)
        kept = set(config.fixed)
        self._fixed_fired = {f: d for f, d in self._fixed_fired.items() if f in kept}
        self._settle_fixed(now)
        if self._off_since is None and not self._in_hours(_utc(now.wall), now):
            self._off_since = _utc(now.wall)
        return events + self.update(now)

    # --- inside update --------------------------------------------------------------------

    def _credit(self, now: Instant, user_idle: bool) -> None:
        """Move the break deadlines later by the time since the last call that was not work."""
        spans = []
        idle = now.idle
        if user_idle:
            assert idle is not None
            spans.append((now.mono - idle, now.mono))
        elif self._away is not None and idle is not None:
            spans.append((self._away.start, now.mono - idle))  # away until they came back
        current = self._current
        in_break = current is not None and current.phase is _Phase.IN_BREAK
        if self._paused_until is not None or self._off_since is not None or in_break:
            spans.append((self._last.mono, now.mono))
        shift, end = _union_length([(max(a, self._mark), b) for a, b in spans])
        if shift > 0:
            self._short_due += shift
            if self._long_due is not None:
                self._long_due += shift
            self._mark = max(self._mark, end)

    def _follow_hours(self, now: Instant, events: list[Event]) -> None:
        wall = _utc(now.wall)
        if not self._in_hours(wall, now):
            if self._off_since is None:
                self._off_since = wall
                current = self._current
                if (
                    current is not None
                    and current.phase is not _Phase.IN_BREAK
                    and current.reminder.kind is not ReminderKind.FIXED
                ):
                    events += self._withdraw(current, now, Withdrawal.OFF_HOURS)
                if self._away is not None:
                    events += self._end_away(self._away, now, now.mono)
        elif self._off_since is not None:
            if (wall - self._off_since).total_seconds() >= self._config.long_length:
                self._restart(now.mono, long=True)
            self._off_since = None

    def _follow_away(
        self, now: Instant, user_idle: bool, slept: float, events: list[Event]
    ) -> None:
        """Track time away from the desk; long enough, it counts as a break."""
        config = self._config
        current = self._current
        if self._off_since is not None or (
            current is not None and current.phase is _Phase.IN_BREAK
        ):
            self._away = None
            return
        idle = now.idle or 0.0
        away = self._away
        if away is None and (slept or user_idle):
            start = max(now.mono - (idle if user_idle else 0.0), self._away_floor)
            away = self._away = _Away(start, slept)
        elif away is not None:
            away.slept += slept
        if away is None:
            return
        back = now.mono if user_idle else max(away.start, now.mono - idle)
        length = away.length(back)
        restart_at = back if not user_idle and self._paused_until is None else now.mono
        if config.natural_breaks:
            long_enough = config.long_interval is not None and length >= config.long_length - _EPS
            if long_enough and not away.long:
                away.short = away.long = True
                self._restart(restart_at, long=True)
            elif length >= config.short_length - _EPS and not away.short:
                away.short = True
                self._restart(restart_at, long=False)
        if current is not None and current.reminder.kind is not ReminderKind.FIXED:
            taken = away.long if current.reminder.kind is ReminderKind.LONG else away.short
            if taken:
                away.resolved = current.reminder
                self._current = None
                events.append(ReminderWithdrawn(current.reminder, Withdrawal.NATURAL_BREAK))
        if not user_idle:
            events += self._end_away(away, now, back)

    def _end_away(self, away: _Away, now: Instant, back: float) -> list[Event]:
        """The user is back (or the working day is over): record the time away as a break."""
        self._away = None
        self._quiet_until = max(self._quiet_until, back + self._config.quiet_after)
        if not away.short:
            return []
        resolved = away.resolved
        return [
            BreakRecord(
                kind=ReminderKind.LONG if away.long else ReminderKind.SHORT,
                outcome=Outcome.NATURAL_BREAK,
                at=self._wall_at(back, now),
                due=resolved.due if resolved else None,
                seconds=away.length(back),
                postpones=resolved.postpones if resolved else 0,
            )
        ]

    def _fire(self, now: Instant, user_idle: bool, events: list[Event]) -> None:
        """Show the reminder that is due, if any may be shown now."""
        pending = self._pending_fixed(now)
        current = self._current
        if (
            current is not None
            and current.phase is not _Phase.IN_BREAK
            and current.reminder.kind is ReminderKind.FIXED
            and (_utc(now.wall) - current.reminder.due).total_seconds()
            >= self._config.fixed_grace - _EPS
        ):
            events += self._withdraw(current, now, Withdrawal.EXPIRED)
            current = None
        if current is not None:
            ready = max(current.postponed_until, self._quiet_until) <= now.mono + _EPS
            fixed = current.reminder.kind is ReminderKind.FIXED
            if current.phase is _Phase.POSTPONED and ready and (fixed or not user_idle):
                if not fixed and self._interval_kind(now.mono) is ReminderKind.LONG:
                    current.reminder = dataclasses.replace(
                        current.reminder,
                        kind=ReminderKind.LONG,
                        break_seconds=self._config.long_length,
                    )
                current.phase = _Phase.PROMPTING
                events.append(self._due(current.reminder))
            return
        if self._paused_until is not None or now.mono < self._quiet_until - _EPS:
            return
        if pending:
            due, fixed_reminder, day = pending[0]
            self._fixed_fired[fixed_reminder] = day
            reminder = Reminder(
                ReminderKind.FIXED,
                self._to_local(due, now),
                label=fixed_reminder.label,
                routine=fixed_reminder.routine,
            )
            self._current = _Current(reminder, _Phase.PROMPTING)
            events.append(self._due(reminder))
            return
        due_at = self._interval_due()
        if self._off_since is None and not user_idle and due_at <= now.mono + _EPS:
            kind = self._interval_kind(now.mono)
            reminder = Reminder(kind, self._wall_at(due_at, now), self._break_seconds(kind))
            self._current = _Current(reminder, _Phase.PROMPTING)
            events.append(self._due(reminder))

    # --- helpers --------------------------------------------------------------------------

    def _restart(self, at: float, *, long: bool) -> None:
        """Restart the short timer (and the long one) as of monotonic time ``at``."""
        config = self._config
        self._short_due = at + config.short_interval
        if config.long_interval is None:
            self._long_due = None
        elif long or self._long_due is None:
            self._long_due = at + config.long_interval
        else:
            self._long_due = max(self._long_due, self._short_due)
        self._mark = max(self._mark, at)

    def _interval_due(self) -> float:
        if self._long_due is None:
            return self._short_due
        return min(self._short_due, self._long_due)

    def _interval_kind(self, at: float) -> ReminderKind:
        """The kind of break to offer when the work timer is due at ``at``."""
        long_due = self._long_due
        if long_due is not None and long_due <= at + self._config.merge_window + _EPS:
            return ReminderKind.LONG
        return ReminderKind.SHORT

    def _break_seconds(self, kind: ReminderKind) -> float | None:
        if kind is ReminderKind.SHORT:
            return self._config.short_length
        if kind is ReminderKind.LONG:
            return self._config.long_length
        return None

    def _counting(self) -> bool:
        """Whether work time counts at the moment (as of the last call)."""
        current = self._current
        return (
            self._config.enabled
            and self._paused_until is None
            and self._off_since is None
            and (current is None or current.phase is not _Phase.IN_BREAK)
        )

    def _state(self) -> State:
        current = self._current
        if not self._config.enabled:
            return State.DISABLED
        if current is not None:
            return {
                _Phase.IN_BREAK: State.IN_BREAK,
                _Phase.PROMPTING: State.PROMPTING,
                _Phase.POSTPONED: State.POSTPONED,
            }[current.phase]
        if self._paused_until is not None:
            return State.PAUSED
        if self._off_since is not None:
            return State.OFF_HOURS
        return State.AWAY if self._user_idle else State.WORKING

    def _postpone_refusal(self, reminder: Reminder) -> str | None:
        limit = self._config.max_postpones
        if limit == 0:
            return "Putting breaks off is turned off in the settings."
        if reminder.postpones >= limit:
            times = "once" if limit == 1 else "twice" if limit == 2 else f"{limit} times"
            return f"This break has been put off {times} in a row: take it now, or skip it."
        return None

    def _due(self, reminder: Reminder) -> ReminderDue:
        return ReminderDue(reminder, self._postpone_refusal(reminder))

    def _record(
        self, outcome: Outcome, now: Instant, current: _Current, seconds: float | None = None
    ) -> BreakRecord:
        reminder = current.reminder
        return BreakRecord(
            kind=reminder.kind,
            outcome=outcome,
            at=self._local(now),
            due=reminder.due if current.prompted else None,
            seconds=seconds,
            postpones=reminder.postpones,
            label=reminder.label,
            routine=reminder.routine,
        )

    def _close(self, current: _Current, now: Instant) -> None:
        """A reminder was skipped or dismissed: the next break is a full interval away."""
        self._current = None
        if current.reminder.kind is not ReminderKind.FIXED:
            self._restart(now.mono, long=current.reminder.kind is ReminderKind.LONG)
        self._quiet_until = max(self._quiet_until, now.mono + self._config.quiet_after)

    def _withdraw(self, current: _Current, now: Instant, reason: Withdrawal) -> list[Event]:
        events: list[Event] = [
            ReminderWithdrawn(current.reminder, reason),
            self._record(Outcome.DISMISSED, now, current),
        ]
        self._close(current, now)
        return events

    def _pause(self, now: Instant, until: _dt.datetime) -> list[Event]:
        events = self.update(now)
        current = self._current
        if current is not None and current.phase is not _Phase.IN_BREAK:
            events += self._withdraw(current, now, Withdrawal.PAUSED)
        self._paused_until = until
        return events + self.update(now)

    # --- wall-clock matters ---------------------------------------------------------------

    def _tz(self, now: Instant) -> _dt.tzinfo:
        tz = self._config.tz or now.wall.tzinfo
        assert tz is not None
        return tz

    def _local(self, now: Instant) -> _dt.datetime:
        return now.wall.astimezone(self._tz(now))

    def _to_local(self, moment: _dt.datetime, now: Instant) -> _dt.datetime:
        return moment.astimezone(self._tz(now))

    def _wall_at(self, mono: float, now: Instant) -> _dt.datetime:
        """The local wall time of a monotonic time near ``now``."""
        return self._to_local(_utc(now.wall) + _dt.timedelta(seconds=mono - now.mono), now)

    @staticmethod
    def _mono_at(moment: _dt.datetime, now: Instant) -> float:
        return now.mono + (moment - _utc(now.wall)).total_seconds()

    def _periods(
        self, around: _dt.date, now: Instant
    ) -> Iterator[tuple[_dt.datetime, _dt.datetime]]:
        """Working periods (UTC start, end) from the day before ``around`` to a week after."""
        hours = self._config.working_hours
        if hours is None:
            return
        tz = self._tz(now)
        for offset in range(-1, 9):
            day = around + _dt.timedelta(days=offset)
            span = hours[day.weekday()]
            if span is None:
                continue
            end_day = day if span.start < span.end else day + _ONE_DAY
            yield local_instant(day, span.start, tz), local_instant(end_day, span.end, tz)

    def _in_hours(self, wall: _dt.datetime, now: Instant) -> bool:
        if self._config.working_hours is None:
            return True
        day = wall.astimezone(self._tz(now)).date()
        return any(start <= wall < end for start, end in self._periods(day, now))

    def _next_hours_change(self, wall: _dt.datetime, now: Instant) -> _dt.datetime | None:
        day = wall.astimezone(self._tz(now)).date()
        changes = (b for period in self._periods(day, now) for b in period if b > wall)
        return min(changes, default=None)

    def _settle_fixed(self, now: Instant) -> None:
        """Take fixed times that have already passed as done, without firing them."""
        tz = self._tz(now)
        wall = _utc(now.wall)
        today = wall.astimezone(tz).date()
        for fixed in self._config.fixed:
            if fixed in self._fixed_fired:
                continue
            passed = local_instant(today, fixed.time, tz) <= wall
            self._fixed_fired[fixed] = today if passed else today - _ONE_DAY

    def _pending_fixed(self, now: Instant) -> list[tuple[_dt.datetime, FixedReminder, _dt.date]]:
        """Fixed reminders due and not yet fired, earliest first; drops those too late."""
        tz = self._tz(now)
        wall = _utc(now.wall)
        today = wall.astimezone(tz).date()
        pending = []
        for fixed in self._config.fixed:
            for day in (today - _ONE_DAY, today):
                fired = self._fixed_fired.get(fixed)
                if fired is not None and fired >= day:
                    continue
                due = local_instant(day, fixed.time, tz)
                if due > wall:
                    continue
                if (wall - due).total_seconds() > self._config.fixed_grace:
                    self._fixed_fired[fixed] = day
                    continue
                pending.append((due, fixed, day))
        return sorted(pending, key=lambda item: item[0])

    def _next_fixed_moment(self, now: Instant) -> _dt.datetime | None:
        """When the next fixed reminder is due (UTC), or is due already but waiting."""
        found = self._next_fixed(now)
        return _utc(found.at) if found is not None else None

    def _next_fixed(self, now: Instant) -> NextFixed | None:
        tz = self._tz(now)
        wall = _utc(now.wall)
        today = wall.astimezone(tz).date()
        best: tuple[_dt.datetime, FixedReminder] | None = None
        for fixed in self._config.fixed:
            fired = self._fixed_fired.get(fixed)
            for day in (today - _ONE_DAY, today, today + _ONE_DAY):
                if fired is not None and fired >= day:
                    continue
                due = local_instant(day, fixed.time, tz)
                if (wall - due).total_seconds() > self._config.fixed_grace:
                    continue
                if best is None or due < best[0]:
                    best = (due, fixed)
                break
        if best is None:
            return None
        return NextFixed(best[1], best[0].astimezone(tz))


# --- handing the scheduler to another process ---------------------------------------------

SNAPSHOT_VERSION = 1


class SnapshotError(ValueError):
    """A saved scheduler state that cannot be read back (damaged, or from another version)."""


def _when(moment: _dt.datetime | None) -> str | None:
    return None if moment is None else _utc(moment).isoformat()


def _read_when(value: object, what: str) -> _dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise SnapshotError(f"{what}: expected a time, found {value!r}")
    try:
        moment = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise SnapshotError(f"{what}: {value!r} is not a time") from None
    if moment.tzinfo is None:
        raise SnapshotError(f"{what}: {value!r} has no time zone")
    return _utc(moment)


def _read_number(value: object, what: str, *, optional: bool = False) -> float:
    if value is None and optional:
        return None  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SnapshotError(f"{what}: expected a number, found {value!r}")
    return float(value)


def _read_bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise SnapshotError(f"{what}: expected true or false, found {value!r}")
    return value


def _read_text(value: object, what: str, *, optional: bool = False) -> str:
    if value is None and optional:
        return None  # type: ignore[return-value]
    if not isinstance(value, str):
        raise SnapshotError(f"{what}: expected text, found {value!r}")
    return value


def _fields(value: object, what: str, names: tuple[str, ...]) -> dict[str, object]:
    if not isinstance(value, dict) or set(value) != set(names):
        raise SnapshotError(f"{what}: expected the fields {', '.join(names)}")
    return value


def _reminder_data(reminder: Reminder) -> dict[str, object]:
    return {
        "kind": str(reminder.kind),
        "due": _when(reminder.due),
        "break_seconds": reminder.break_seconds,
        "label": reminder.label,
        "routine": reminder.routine,
        "postpones": reminder.postpones,
    }


def _read_reminder(value: object, what: str, tz: _dt.tzinfo) -> Reminder:
    data = _fields(value, what, ("kind", "due", "break_seconds", "label", "routine", "postpones"))
    try:
        kind = ReminderKind(data["kind"])
    except ValueError:
        raise SnapshotError(f"{what}.kind: unknown kind {data['kind']!r}") from None
    postpones = data["postpones"]
    if isinstance(postpones, bool) or not isinstance(postpones, int) or postpones < 0:
        raise SnapshotError(f"{what}.postpones: expected a count, found {postpones!r}")
    due = _read_when(data["due"], f"{what}.due")
    if due is None:
        raise SnapshotError(f"{what}.due: missing")
    return Reminder(
        kind=kind,
        due=due.astimezone(tz),  # local, as the scheduler made it (fold and all)
        break_seconds=_read_number(data["break_seconds"], f"{what}.break_seconds", optional=True),
        label=_read_text(data["label"], f"{what}.label"),
        routine=_read_text(data["routine"], f"{what}.routine", optional=True),
        postpones=postpones,
    )


def _fixed_key(fixed: FixedReminder) -> list[str]:
    return [f"{fixed.time:%H:%M}", fixed.routine, fixed.label]


def scheduler_snapshot(scheduler: Scheduler) -> dict[str, object]:
    """Everything ``scheduler`` knows (not its configuration), as JSON-ready values.

    The monotonic readings in it stay meaningful in another process on the same
    machine (the monotonic clock is system-wide), which is what it is for: the
    app hands a running scheduler to a fresh process of itself with
    :func:`restore_scheduler`.
    """
    s = scheduler
    away = s._away
    current = s._current
    return {
        "version": SNAPSHOT_VERSION,
        "last": {"mono": s._last.mono, "wall": _when(s._last.wall), "idle": s._last.idle},
        "short_due": s._short_due,
        "long_due": s._long_due,
        "mark": s._mark,
        "away_floor": s._away_floor,
        "away": None
        if away is None
        else {
            "start": away.start,
            "slept": away.slept,
            "short": away.short,
            "long": away.long,
            "resolved": None if away.resolved is None else _reminder_data(away.resolved),
        },
        "current": None
        if current is None
        else {
            "reminder": _reminder_data(current.reminder),
            "phase": str(current.phase),
            "prompted": current.prompted,
            "postponed_until": current.postponed_until,
            "started": current.started,
        },
        "paused_until": _when(s._paused_until),
        "off_since": _when(s._off_since),
        "quiet_until": s._quiet_until,
        "user_idle": s._user_idle,
        "skips": None if s._skips is None else [s._skips[0].isoformat(), s._skips[1]],
        "fixed_fired": [[*_fixed_key(f), day.isoformat()] for f, day in s._fixed_fired.items()],
    }


def restore_scheduler(config: SchedulerConfig, data: object, now: Instant) -> Scheduler:
    """The scheduler :func:`scheduler_snapshot` saved, now running with ``config``.

    It is as it was when saved; call :meth:`Scheduler.update` with ``now`` to
    catch up. Fixed reminders are matched to ``config.fixed`` by time, routine
    and label; ones no longer configured are dropped. Raises
    :class:`SnapshotError` when ``data`` is not a snapshot this version wrote,
    or ``now`` is earlier than it (the machine restarted meanwhile).
    """
    names = (
        "version",
        "last",
        "short_due",
        "long_due",
        "mark",
        "away_floor",
        "away",
        "current",
        "paused_until",
        "off_since",
        "quiet_until",
        "user_idle",
        "skips",
        "fixed_fired",
    )
    if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
        raise SnapshotError("not a scheduler snapshot of this version")
    data = _fields(data, "snapshot", names)
    last = _fields(data["last"], "last", ("mono", "wall", "idle"))
    last_wall = _read_when(last["wall"], "last.wall")
    if last_wall is None:
        raise SnapshotError("last.wall: missing")
    idle = _read_number(last["idle"], "last.idle", optional=True)
    if idle is not None and idle < 0:
        raise SnapshotError("last.idle: below zero")
    last_instant = Instant(_read_number(last["mono"], "last.mono"), last_wall, idle)
    if now.mono < last_instant.mono:
        raise SnapshotError("the snapshot is from a later moment than now (another boot?)")
    scheduler = Scheduler(config, last_instant)
    zone = scheduler._tz(now)
    scheduler._short_due = _read_number(data["short_due"], "short_due")
    scheduler._long_due = _read_number(data["long_due"], "long_due", optional=True)
    scheduler._mark = _read_number(data["mark"], "mark")
    scheduler._away_floor = _read_number(data["away_floor"], "away_floor")
    scheduler._away = None
    if data["away"] is not None:
        away = _fields(data["away"], "away", ("start", "slept", "short", "long", "resolved"))
        scheduler._away = _Away(
            start=_read_number(away["start"], "away.start"),
            slept=_read_number(away["slept"], "away.slept"),
            short=_read_bool(away["short"], "away.short"),
            long=_read_bool(away["long"], "away.long"),
            resolved=None
            if away["resolved"] is None
            else _read_reminder(away["resolved"], "away.resolved", zone),
        )
    scheduler._current = None
    if data["current"] is not None:
        current = _fields(
            data["current"],
            "current",
            ("reminder", "phase", "prompted", "postponed_until", "started"),
        )
        try:
            phase = _Phase(current["phase"])
        except ValueError:
            raise SnapshotError(f"current.phase: unknown phase {current['phase']!r}") from None
        scheduler._current = _Current(
            reminder=_read_reminder(current["reminder"], "current.reminder", zone),
            phase=phase,
            prompted=_read_bool(current["prompted"], "current.prompted"),
            postponed_until=_read_number(current["postponed_until"], "current.postponed_until"),
            started=_read_number(current["started"], "current.started"),
        )
    scheduler._paused_until = _read_when(data["paused_until"], "paused_until")
    scheduler._off_since = _read_when(data["off_since"], "off_since")
    scheduler._quiet_until = _read_number(data["quiet_until"], "quiet_until")
    scheduler._user_idle = _read_bool(data["user_idle"], "user_idle")
    scheduler._skips = None
    skips = data["skips"]
    if skips is not None:
        if not (isinstance(skips, list) and len(skips) == 2 and isinstance(skips[1], int)):
            raise SnapshotError(f"skips: expected a day and a count, found {skips!r}")
        try:
            scheduler._skips = (_dt.date.fromisoformat(_read_text(skips[0], "skips")), skips[1])
        except ValueError:
            raise SnapshotError(f"skips: {skips[0]!r} is not a day") from None
    by_key = {tuple(_fixed_key(f)): f for f in config.fixed}
    fired = data["fixed_fired"]
    if not isinstance(fired, list):
        raise SnapshotError("fixed_fired: expected a list")
    scheduler._fixed_fired = {}
    for entry in fired:
        if not (
            isinstance(entry, list) and len(entry) == 4 and all(isinstance(x, str) for x in entry)
        ):
            raise SnapshotError(
                f"fixed_fired: expected time, routine, label and day, found {entry!r}"
            )
        fixed = by_key.get(tuple(entry[:3]))
        if fixed is None:
            continue  # no longer configured
        try:
            scheduler._fixed_fired[fixed] = _dt.date.fromisoformat(entry[3])
        except ValueError:
            raise SnapshotError(f"fixed_fired: {entry[3]!r} is not a day") from None
    scheduler._settle_fixed(last_instant)  # fixed reminders added meanwhile: as at start-up
    return scheduler


_CONFIG_NUMBERS = (
    "short_interval",
    "short_length",
    "long_length",
    "merge_window",
    "postpone_length",
    "idle_threshold",
    "idle_poll",
    "quiet_after",
    "fixed_grace",
)


def config_data(config: SchedulerConfig) -> dict[str, object]:
    """``config`` as JSON-ready values, all but its time zone (see :func:`config_from_data`)."""
    return {
        "enabled": config.enabled,
        "long_interval": config.long_interval,
        "max_postpones": config.max_postpones,
        "natural_breaks": config.natural_breaks,
        **{name: getattr(config, name) for name in _CONFIG_NUMBERS},
        "working_hours": None
        if config.working_hours is None
        else [None if span is None else str(span) for span in config.working_hours],
        "fixed": [_fixed_key(f) for f in config.fixed],
    }


def config_from_data(data: object, tz: _dt.tzinfo | None) -> SchedulerConfig:
    """The configuration :func:`config_data` wrote, in time zone ``tz``.

    Raises :class:`SnapshotError` when ``data`` is not one.
    """
    names = (
        "enabled",
        "long_interval",
        "max_postpones",
        "natural_breaks",
        "working_hours",
        "fixed",
    )
    data = _fields(data, "config", (*names, *_CONFIG_NUMBERS))
    max_postpones = data["max_postpones"]
    if isinstance(max_postpones, bool) or not isinstance(max_postpones, int):
        raise SnapshotError(f"config.max_postpones: expected a count, found {max_postpones!r}")
    hours = data["working_hours"]
    fixed = data["fixed"]
    if hours is not None and not isinstance(hours, list):
        raise SnapshotError("config.working_hours: expected a list")
    if not isinstance(fixed, list):
        raise SnapshotError("config.fixed: expected a list")
    try:
        return SchedulerConfig(
            enabled=_read_bool(data["enabled"], "config.enabled"),
            long_interval=_read_number(
                data["long_interval"], "config.long_interval", optional=True
            ),
            max_postpones=max_postpones,
            natural_breaks=_read_bool(data["natural_breaks"], "config.natural_breaks"),
            working_hours=None
            if hours is None
            else tuple(
                None if span is None else TimeSpan.parse(_read_text(span, "config.working_hours"))
                for span in hours
            ),
            fixed=tuple(_read_fixed(entry) for entry in fixed),
            tz=tz,
            **{name: _read_number(data[name], f"config.{name}") for name in _CONFIG_NUMBERS},
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, SnapshotError):
            raise
        raise SnapshotError(f"config: {exc}") from None


def _read_fixed(entry: object) -> FixedTime:
    if not (isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry)):
        raise SnapshotError(f"config.fixed: expected time, routine and label, found {entry!r}")
    return FixedTime(time=_dt.time.fromisoformat(entry[0]), routine=entry[1], label=entry[2])
