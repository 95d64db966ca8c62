"""Drives a :class:`~stretchdesk.core.engine.SessionEngine` with Qt timers.

One single-shot ``PreciseTimer`` is armed at the engine's next deadline, so
nothing wakes up between cues and a countdown never drifts (the engine
computes everything from deadlines). A second timer refreshes the display
(the countdown ring, the animated figure) at the interval the view asks for
(:meth:`SessionDriver.set_frame_interval`: fast while the figure moves, slow
while only a countdown changes); it runs only while a view says it is
visible and the session is running. When no session runs, no timer is
active.

The clock is injected: a callable returning monotonic seconds. Tests pass a
fake clock and call :meth:`SessionDriver.catch_up` after moving it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from stretchdesk.core.engine import (
    ENDED,
    ControlResult,
    Cue,
    SessionEngine,
    Snapshot,
    State,
    Summary,
)
from stretchdesk.core.timeline import Plan

#: The display refresh until the view asks for another: ten times a second, enough
#: for a countdown ring and a slow breath.
FRAME_INTERVAL_MS = 100
#: :meth:`SessionDriver.skip_ahead` moves the clock at most this far per step, so the
#: engine never mistakes the jump for the computer waking from sleep.
_SKIP_STEP_SECONDS = 1.0

Clock = Callable[[], float]


class SessionDriver(QObject):
    """Runs one session on the clock it is given.

    Signals:

    * ``cues_due(list)`` — the :class:`~stretchdesk.core.engine.Cue` objects that
      became due together, in order (never empty);
    * ``segment_changed(int)`` — the session moved to the segment with this index;
    * ``state_changed(str)`` — the engine's :class:`~stretchdesk.core.engine.State`
      changed (its value, e.g. ``"paused"``);
    * ``frame_due()`` — time to redraw the moving parts of the display;
    * ``control_refused(str)`` — a control could not be used now; the reason in words;
    * ``session_ended(object)`` — the session finished or was stopped; the
      :class:`~stretchdesk.core.engine.Summary`.
    """

    cues_due = Signal(list)
    segment_changed = Signal(int)
    state_changed = Signal(str)
    frame_due = Signal()
    control_refused = Signal(str)
    session_ended = Signal(object)

    def __init__(
        self, plan: Plan, clock: Clock = time.monotonic, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.engine = SessionEngine(plan)
        self._clock = clock
        self._offset = 0.0  # added to the clock by skip_ahead()
        self._display_active = False
        self._last_state = self.engine.state
        self._last_index = self.engine.index
        self._deadline_timer = QTimer(self)
        self._deadline_timer.setSingleShot(True)
        self._deadline_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(FRAME_INTERVAL_MS)
        self._frame_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._deadline_timer.timeout.connect(self.catch_up)
        self._frame_timer.timeout.connect(self.frame_due)

    # --- queries ---------------------------------------------------------------------

    def now(self) -> float:
        """The driver's clock reading (the injected clock plus any skip ahead)."""
        return self._clock() + self._offset

    @property
    def state(self) -> State:
        return self.engine.state

    @property
    def running(self) -> bool:
        """The session has started and not ended (it may be paused or waiting)."""
        return self.engine.state not in ENDED and self.engine.state is not State.IDLE

    def snapshot(self) -> Snapshot:
        return self.engine.snapshot(self.now())

    def summary(self) -> Summary | None:
        return self.engine.summary()

    def active_timers(self) -> list[str]:
        """Names of the timers now running (``"deadline"``, ``"frame"``); for checks."""
        timers = {"deadline": self._deadline_timer, "frame": self._frame_timer}
        return [name for name, timer in timers.items() if timer.isActive()]

    # --- display ---------------------------------------------------------------------

    def set_display_active(self, active: bool) -> None:
        """A view shows the session (``True``) or no longer does (``False``)."""
        self._display_active = active
        self._update_frame_timer()

    @property
    def frame_interval(self) -> int:
        """Milliseconds between ``frame_due`` signals while the display refreshes."""
        return self._frame_timer.interval()

    def set_frame_interval(self, ms: int) -> None:
        """Refresh the display every ``ms`` milliseconds from now on."""
        ms = max(1, int(ms))
        if ms != self._frame_timer.interval():
            self._frame_timer.setInterval(ms)

    # --- controls --------------------------------------------------------------------

    def start(self) -> bool:
        return self._apply(self.engine.start(self.now()))

    def pause(self) -> bool:
        return self._apply(self.engine.pause(self.now()))

    def resume(self) -> bool:
        return self._apply(self.engine.resume(self.now()))

    def ready(self) -> bool:
        return self._apply(self.engine.ready(self.now()))

    def skip(self) -> bool:
        return self._apply(self.engine.skip(self.now()))

    def back(self) -> bool:
        return self._apply(self.engine.back(self.now()))

    def add_time(self) -> bool:
        return self._apply(self.engine.add_time(self.now()))

    def stop(self) -> bool:
        return self._apply(self.engine.stop(self.now()))

    def hurt(self) -> bool:
        return self._apply(self.engine.hurt(self.now()))

    def primary(self) -> bool:
        """What Space does: start, pause, resume, or say "ready" when a stretch waits."""
        state = self.engine.state
        if state is State.IDLE:
            return self.start()
        if state is State.RUNNING:
            return self.pause()
        if state is State.PAUSED:
            return self.resume()
        if state is State.WAITING:
            return self.ready()
        return False

    def skip_ahead(self, seconds: float) -> None:
        """Move the session's clock ``seconds`` ahead, as if that time had passed.

        For demonstrations and screenshots (``STRETCHDESK_PLAYER_SKIP``): the
        clock moves in steps of at most a second so every cue comes due in order.
        """
        left = seconds
        while left > 0 and self.engine.state is State.RUNNING:
            step = min(left, _SKIP_STEP_SECONDS)
            self._offset += step
            left -= step
            self.catch_up()

    # --- the clock -------------------------------------------------------------------

    def catch_up(self) -> None:
        """Bring the engine up to now, emit what came due, and re-arm the deadline timer."""
        cues = self.engine.update(self.now())
        self._after(cues)

    def _apply(self, result: ControlResult) -> bool:
        if not result:
            self.control_refused.emit(result.reason)
        self._after(list(result.cues))
        return bool(result)

    def _after(self, cues: list[Cue]) -> None:
        self._arm()
        self._update_frame_timer()
        engine = self.engine
        if engine.index != self._last_index:
            self._last_index = engine.index
            self.segment_changed.emit(engine.index)
        if cues:
            self.cues_due.emit(cues)
        if engine.state is not self._last_state:
            self._last_state = engine.state
            self.state_changed.emit(str(engine.state))
            if engine.state in ENDED:
                self.session_ended.emit(engine.summary())

    def _arm(self) -> None:
        deadline = self.engine.next_deadline()
        if deadline is None:
            self._deadline_timer.stop()
            return
        # Round up: a timer that fires a little early would find nothing due yet.
        wait_ms = max(0, math.ceil((deadline - self.now()) * 1000.0))
        self._deadline_timer.start(min(wait_ms, 2**31 - 1))

    def _update_frame_timer(self) -> None:
        wanted = self._display_active and self.engine.state is State.RUNNING
        if wanted and not self._frame_timer.isActive():
            self._frame_timer.start()
        elif not wanted and self._frame_timer.isActive():
            self._frame_timer.stop()
        if not wanted:
            self.frame_due.emit()  # one last frame shows the paused or ended state

    def shutdown(self) -> None:
        """Stop every timer (the session, if any, is left where it is)."""
        self._deadline_timer.stop()
        self._frame_timer.stop()
        self._display_active = False
