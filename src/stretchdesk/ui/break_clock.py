"""The break scheduler on Qt's event loop: clocks, idle time, one timer, the tray's words.

:class:`BreakClock` owns a :class:`~stretchdesk.core.scheduler.Scheduler` and
one single-shot timer set to the scheduler's next deadline, so between
deadlines the app does not wake up at all. Each wake-up reads the clocks (and
the idle time, when the platform can tell) into an
:class:`~stretchdesk.core.scheduler.Instant` and hands the scheduler's events
to :meth:`BreakClock.handle_events`, which subclasses extend: the full
reminder controller (``ui/reminders.py``) shows reminders and keeps the
history; the tray-only resident process (``ui/resident.py``) hands over to the
full app when there is something to show.

Idle time: where the idle source can also *tell* when the user goes idle or
comes back (``open_watcher``: the X server's ``IDLETIME`` alarms, GNOME's idle
watches; see ``platform/idle.py``), the clock keeps exactly one watch armed,
of the kind :meth:`~stretchdesk.core.scheduler.Scheduler.idle_watch_wanted`
names after each scheduler call: "idle for ``idle_threshold``" while the user
is active, "the next input" while they are away, none while idle time does
not matter (reminders off or paused, outside working hours, in a break). A
watch firing wakes the scheduler like the timer does, and the timer is set
with ``next_deadline(now, idle_events=True)``, so an idle app is woken only by
the deadlines that matter and by the user leaving or coming back. The watcher
stays open (a quiet socket) while no watch is armed; :meth:`BreakClock.stop`
closes it and :meth:`BreakClock.wake` opens it again. When the source stops
working (``on_lost``, or a watch that cannot be made), the watcher is closed
for good and the clock goes back to asking for idle time at the scheduler's
deadlines, as it does on desktops without watches. Each wake-up still reads
the idle time once (``idle_seconds``) for the scheduler.

This module loads nothing but QtCore and the scheduler (and, when the idle
source has watches, their code in ``platform/``), so the resident process
stays small.

Monotonic timers stand still while the machine sleeps; the scheduler notices
the gap between the wall clock and the monotonic clock on the next wake-up
and counts the sleep as a break. On Linux that wake-up comes at once: a
``timerfd`` cancelled whenever the wall clock jumps (waking from sleep,
setting the clock; ``platform/clock_jumps.py``) wakes the clock. Elsewhere
it comes at the next deadline, never more than ``MAX_SLEEP_SECONDS`` of
monotonic time away. :attr:`BreakClock.sleeps_seen` counts those gaps.

Developer switches (environment variables):

``STRETCHDESK_TIME_SCALE=N``
    Every break interval, break length, postponement and quiet gap, and the
    do-not-disturb re-check, is ``N`` times shorter (``N`` from 1 to 3600), so
    "a break every 5 minutes" comes every 10 seconds with ``N=30``. Idle
    detection keeps its real thresholds.
``STRETCHDESK_WAKEUP_LOG=FILE``
    Append one line to ``FILE`` at every wake-up, by the timer or an idle
    watch (for benchmarks).
``STRETCHDESK_IDLE_WATCHES=off``
    Ask for idle time at the scheduler's deadlines even where the platform
    has idle watches (to compare the two).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import math
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QObject, QTimer, Signal

from stretchdesk.core.reminder_gate import Quiet
from stretchdesk.core.scheduler import (
    JUMP_SECONDS,
    Event,
    FixedReminder,
    IdleChange,
    Instant,
    Refused,
    Scheduler,
    SchedulerConfig,
    SnapshotError,
    State,
    Status,
    restore_scheduler,
)

TIME_SCALE_ENV = "STRETCHDESK_TIME_SCALE"
WAKEUP_LOG_ENV = "STRETCHDESK_WAKEUP_LOG"
IDLE_WATCHES_ENV = "STRETCHDESK_IDLE_WATCHES"

PRECISE_TIMER = 0
"""``Qt::PreciseTimer``, for ``setProperty("timerType", ...)``."""

MAX_TIMER_MS = 2**31 - 1
"""QTimer takes a signed 32-bit number of milliseconds."""


class IdleSource(Protocol):
    """Seconds since the user's last input, or ``None`` when unknown (``platform/idle.py``).

    A source that can also watch (an ``open_watcher`` method, as the X11 and
    GNOME monitors have) tells the clock when the user goes idle or comes back.
    """

    def idle_seconds(self) -> float | None: ...


class _Watch(Protocol):
    @property
    def armed(self) -> bool: ...

    def cancel(self) -> None: ...


class _Watcher(Protocol):
    """What the clock uses of ``platform.idle.IdleWatcher``."""

    def watch_idle(self, seconds: float, callback) -> _Watch: ...

    def watch_active(self, callback) -> _Watch: ...

    def close(self) -> None: ...


class Clock(Protocol):
    """Where the controller reads the time; tests pass a fake."""

    def monotonic(self) -> float: ...

    def wall(self) -> _dt.datetime: ...


class SystemClock:
    """The real clocks: ``time.monotonic`` and the aware local time."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> _dt.datetime:
        return _dt.datetime.now().astimezone()


def local_zone() -> _dt.tzinfo | None:
    """The system's time zone as a real zone (with its daylight-saving rules), if known."""
    name = os.environ.get("TZ", "").lstrip(":")
    try:
        if name:
            return ZoneInfo(name)
        localtime = Path("/etc/localtime")
        if localtime.is_symlink():
            target = str(localtime.resolve())
            if "zoneinfo/" in target:
                return ZoneInfo(target.split("zoneinfo/", 1)[1])
        if localtime.exists():
            with localtime.open("rb") as f:
                return ZoneInfo.from_file(f, key="localtime")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return None


def time_scale(env: Mapping[str, str] | None = None) -> float:
    """The developer time scale (``STRETCHDESK_TIME_SCALE``); 1 when unset or invalid."""
    text = (os.environ if env is None else env).get(TIME_SCALE_ENV, "")
    try:
        scale = float(text) if text else 1.0
    except ValueError:
        return 1.0
    return scale if math.isfinite(scale) and 1.0 <= scale <= 3600.0 else 1.0


class BreakClock(QObject):
    """Runs the break scheduler on the event loop; see the module docstring.

    ``restore`` is a :func:`~stretchdesk.core.scheduler.scheduler_snapshot`
    handed over from another process of the app; when it cannot be used the
    scheduler starts afresh (:attr:`restore_problem` says why).

    Signals:
        status_changed(): the state or the next deadline changed (the tray redraws).
        notice_posted(str): a sentence for the user (an answer that was refused, ...).
    """

    status_changed = Signal()
    notice_posted = Signal(str)

    def __init__(
        self,
        config: SchedulerConfig,
        *,
        clock: Clock | None = None,
        idle: IdleSource | None = None,
        fixed_fired: Mapping[FixedReminder, _dt.date] | None = None,
        restore: object = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock or SystemClock()
        self._clock_is_real = clock is None  # a test's fake clock never jumps by itself
        self._idle = idle
        self._last_instant: Instant | None = None
        self.wakeups = 0
        self.sleeps_seen = 0
        self.restore_problem: str | None = None
        self._wakeup_log = os.environ.get(WAKEUP_LOG_ENV)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise: a coarse timer may fire early, which costs a second wake-up to re-arm.
        # Set by value: naming Qt's enums costs the tray-only process 1.3 MB (see ui/tray.py).
        self._timer.setProperty("timerType", PRECISE_TIMER)
        self._timer.timeout.connect(self._wake)
        self._watcher: _Watcher | None = None
        self._watch: _Watch | None = None
        self._watch_key: tuple[IdleChange, float] | None = None
        self._watches_failed = os.environ.get(IDLE_WATCHES_ENV, "").strip().lower() == "off"
        self.idle_watch_problem: str | None = None  # why watches stopped, once they did
        now = self._now()
        scheduler = None
        if restore is not None:
            try:
                scheduler = restore_scheduler(config, restore, now)
            except SnapshotError as exc:
                self.restore_problem = str(exc)
        if scheduler is None:
            scheduler = Scheduler(config, now, fixed_fired=fixed_fired)
        self.scheduler = scheduler
        self._open_watcher()
        self._jumps = None
        self._open_jump_watch()

    # --- reading --------------------------------------------------------------------------

    @property
    def held(self) -> Quiet | None:
        """Why a reminder due is held back quietly; never, unless a subclass holds them."""
        return None

    def status(self) -> Status:
        return self.scheduler.status(self._now(idle=False))

    @property
    def idle_events(self) -> bool:
        """Whether the platform tells of idle changes (watches) instead of being asked."""
        return self._watcher is not None

    @property
    def idle_watch(self) -> IdleChange | None:
        """The kind of idle watch armed now, if any."""
        watch = self._watch
        if watch is None or not watch.armed or self._watch_key is None:
            return None
        return self._watch_key[0]

    def deadline_in(self) -> float | None:
        """Seconds of monotonic time until the timer fires; ``None`` when it is off."""
        if not self._timer.isActive():
            return None
        return self._timer.remainingTime() / 1000.0

    def status_text(self, *, seconds: bool = False) -> str:
        """The tray's line: "Next break in 12 min" (``mm:ss`` with ``seconds``), or the state."""
        status = self.status()
        state = status.state
        if state is State.DISABLED:
            return "Reminders are off"
        if state is State.PAUSED and status.paused_until is not None:
            return f"Reminders paused until {status.paused_until:%H:%M}"
        if state is State.OFF_HOURS:
            return "Outside your working hours"
        if state is State.PROMPTING:
            held = self.held
            if held is Quiet.DO_NOT_DISTURB:
                return "Break time (waiting until do-not-disturb is off)"
            if held is Quiet.FULL_SCREEN:
                return "Break time (waiting until you leave full screen)"
            return "Break time"
        if state is State.IN_BREAK:
            return "On a break"
        if state is State.POSTPONED and status.postponed_until is not None:
            return f"Break put off until {status.postponed_until:%H:%M}"
        left = status.work_left or 0.0
        if seconds:
            minutes, secs = divmod(math.ceil(left), 60)
            text = f"Next break in {minutes:02d}:{secs:02d}"
        else:
            text = f"Next break in {max(1, math.ceil(left / 60))} min"
        return text + (" (you are away)" if state is State.AWAY else "")

    # --- commands -------------------------------------------------------------------------

    def pause(self, seconds: float) -> None:
        """No reminders for ``seconds`` (real seconds, whatever the time scale)."""
        now = self._now()
        self.handle_events(self.scheduler.pause(now, seconds), now)

    def pause_until_tomorrow(self) -> None:
        now = self._now()
        self.handle_events(self.scheduler.pause_until_tomorrow(now), now)

    def resume(self) -> None:
        now = self._now()
        self.handle_events(self.scheduler.resume(now), now)

    def wake(self) -> None:
        """Catch up now (after :meth:`stop`, the machine woke up, ...)."""
        if self._watcher is None:
            self._open_watcher()
        if self._jumps is None:
            self._open_jump_watch()
        self._wake()

    def stop(self) -> None:
        """No more wake-ups: the timer stops and the idle watcher is closed."""
        self._timer.stop()
        self._close_watcher()
        jumps, self._jumps = self._jumps, None
        if jumps is not None:
            jumps.close()

    # --- the loop -------------------------------------------------------------------------

    def handle_events(self, events: list[Event], now: Instant) -> None:
        """Act on the scheduler's events; here: say why an answer was refused, re-arm."""
        for event in events:
            if isinstance(event, Refused):
                self.notice_posted.emit(event.reason)
        self.arm(now)
        self.status_changed.emit()

    def arm(self, now: Instant) -> None:
        """Arm the idle watch the scheduler wants, and set the timer to its next deadline."""
        self._arm_watch()
        deadline = self.scheduler.next_deadline(now, idle_events=self._watcher is not None)
        if deadline is None:
            self._timer.stop()
            return
        ms = math.ceil(max(0.0, deadline - now.mono) * 1000.0)
        self._timer.start(min(ms, MAX_TIMER_MS))

    # --- the machine waking, the clock being set -------------------------------------------

    def _open_jump_watch(self) -> None:
        """Hear of a wake from sleep or a clock change at once (Linux), not at the next deadline."""
        if not self._clock_is_real:
            return
        from stretchdesk.platform.clock_jumps import open_clock_jump_watch

        self._jumps = open_clock_jump_watch(self._wake)

    # --- idle watches ---------------------------------------------------------------------

    def _open_watcher(self) -> None:
        if self._watches_failed or getattr(self._idle, "open_watcher", None) is None:
            return
        from stretchdesk.platform.idle import open_idle_watcher  # loaded with the source

        try:
            self._watcher = open_idle_watcher(self._idle, on_lost=self._watcher_lost)
        except Exception as exc:  # watches are a saving, never a reason to stop
            self._give_up_watching(f"the idle watches could not be opened ({exc})")
            return
        if self._watcher is None:
            self._give_up_watching("the idle source has no watches here")

    def _arm_watch(self) -> None:
        """Keep exactly the one watch armed that the scheduler wants (or none)."""
        watcher = self._watcher
        if watcher is None:
            return
        wanted = self.scheduler.idle_watch_wanted()
        threshold = self.scheduler.config.idle_threshold
        key = None if wanted is None else (wanted, threshold)
        watch = self._watch
        if watch is not None and watch.armed and key == self._watch_key:
            return
        self._cancel_watch()
        if key is None:
            return
        try:
            if wanted is IdleChange.IDLE:
                self._watch = watcher.watch_idle(threshold, self._went_idle)
            else:
                self._watch = watcher.watch_active(self._came_back)
        except Exception as exc:  # IdleUnavailable, or a source gone wrong: ask instead
            self._give_up_watching(f"an idle watch could not be made ({exc})")
            return
        self._watch_key = key

    def _cancel_watch(self) -> None:
        watch, self._watch, self._watch_key = self._watch, None, None
        if watch is not None:
            watch.cancel()

    def _close_watcher(self) -> None:
        self._cancel_watch()
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            # Closing a broken connection must not stop the app.
            with contextlib.suppress(Exception):
                watcher.close()

    def _give_up_watching(self, why: str) -> None:
        """Watches do not work here any more: close them and ask for idle time instead."""
        self._watches_failed = True
        self.idle_watch_problem = why
        self._close_watcher()

    def _watcher_lost(self) -> None:
        if self._watcher is None:
            return
        self._give_up_watching("the idle watches stopped working")
        self._wake()  # re-armed as when asking: the timer looks for idleness again

    def _went_idle(self) -> None:
        self._watch = self._watch_key = None
        # At least the threshold: a reading rounded down must not arm the same watch again.
        self._wake(idle_floor=self.scheduler.config.idle_threshold)

    def _came_back(self) -> None:
        self._watch = self._watch_key = None
        self._wake()

    # --- reading the clocks ---------------------------------------------------------------

    def _now(self, idle: bool = True, idle_floor: float | None = None) -> Instant:
        seconds = None
        if idle and self._idle is not None:
            try:
                seconds = self._idle.idle_seconds()
            except Exception:  # a failing platform source means "unknown", never a crash
                seconds = None
            if seconds is not None and not (math.isfinite(seconds) and seconds >= 0):
                seconds = None
        if idle and idle_floor is not None:
            seconds = max(seconds or 0.0, idle_floor)
        mono = self._clock.monotonic()
        last = self._last_instant
        if last is not None and mono < last.mono:
            mono = last.mono
        instant = Instant(mono, self._clock.wall(), seconds)
        if idle:
            self._last_instant = instant
        return instant

    def _wake(self, idle_floor: float | None = None) -> None:
        self.wakeups += 1
        if self._wakeup_log:
            try:
                with open(self._wakeup_log, "a", encoding="utf-8") as log:
                    log.write(f"{time.time():.3f}\n")
            except OSError:
                self._wakeup_log = None
        last = self._last_instant
        now = self._now(idle_floor=idle_floor)
        if last is not None:
            gap = (now.wall - last.wall).total_seconds() - (now.mono - last.mono)
            if gap > JUMP_SECONDS:
                self.sleeps_seen += 1
        self.handle_events(self.scheduler.update(now), now)
