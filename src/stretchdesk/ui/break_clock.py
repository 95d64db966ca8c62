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

This module loads nothing but QtCore and the scheduler, so the resident
process stays small.

Monotonic timers stand still while the machine sleeps; the scheduler notices
the gap between the wall clock and the monotonic clock on the next wake-up
(never more than ``MAX_SLEEP_SECONDS`` of monotonic time away) and counts the
sleep as a break. :attr:`BreakClock.sleeps_seen` counts those gaps.

Developer switches (environment variables):

``STRETCHDESK_TIME_SCALE=N``
    Every break interval, break length, postponement and quiet gap, and the
    do-not-disturb re-check, is ``N`` times shorter (``N`` from 1 to 3600), so
    "a break every 5 minutes" comes every 10 seconds with ``N=30``. Idle
    detection keeps its real thresholds.
``STRETCHDESK_WAKEUP_LOG=FILE``
    Append one line to ``FILE`` at every timer wake-up (for benchmarks).
"""

from __future__ import annotations

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

PRECISE_TIMER = 0
"""``Qt::PreciseTimer``, for ``setProperty("timerType", ...)``."""

MAX_TIMER_MS = 2**31 - 1
"""QTimer takes a signed 32-bit number of milliseconds."""


class IdleSource(Protocol):
    """Seconds since the user's last input, or ``None`` when unknown (``platform/idle.py``)."""

    def idle_seconds(self) -> float | None: ...


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

    # --- reading --------------------------------------------------------------------------

    @property
    def held(self) -> Quiet | None:
        """Why a reminder due is held back quietly; never, unless a subclass holds them."""
        return None

    def status(self) -> Status:
        return self.scheduler.status(self._now(idle=False))

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
        """Catch up now (the platform saw the user come back, the machine woke up, ...)."""
        self._wake()

    def stop(self) -> None:
        self._timer.stop()

    # --- the loop -------------------------------------------------------------------------

    def handle_events(self, events: list[Event], now: Instant) -> None:
        """Act on the scheduler's events; here: say why an answer was refused, re-arm."""
        for event in events:
            if isinstance(event, Refused):
                self.notice_posted.emit(event.reason)
        self.arm(now)
        self.status_changed.emit()

    def arm(self, now: Instant) -> None:
        """Set the one timer to the scheduler's next deadline."""
        deadline = self.scheduler.next_deadline(now)
        if deadline is None:
            self._timer.stop()
            return
        ms = math.ceil(max(0.0, deadline - now.mono) * 1000.0)
        self._timer.start(min(ms, MAX_TIMER_MS))

    def _now(self, idle: bool = True) -> Instant:
        seconds = None
        if idle and self._idle is not None:
            try:
                seconds = self._idle.idle_seconds()
            except Exception:  # a failing platform source means "unknown", never a crash
                seconds = None
            if seconds is not None and not (math.isfinite(seconds) and seconds >= 0):
                seconds = None
        mono = self._clock.monotonic()
        last = self._last_instant
        if last is not None and mono < last.mono:
            mono = last.mono
        instant = Instant(mono, self._clock.wall(), seconds)
        if idle:
            self._last_instant = instant
        return instant

    def _wake(self) -> None:
        self.wakeups += 1
        if self._wakeup_log:
            try:
                with open(self._wakeup_log, "a", encoding="utf-8") as log:
                    log.write(f"{time.time():.3f}\n")
            except OSError:
                self._wakeup_log = None
        last = self._last_instant
        now = self._now()
        if last is not None:
            gap = (now.wall - last.wall).total_seconds() - (now.mono - last.mono)
            if gap > JUMP_SECONDS:
                self.sleeps_seen += 1
        self.handle_events(self.scheduler.update(now), now)
