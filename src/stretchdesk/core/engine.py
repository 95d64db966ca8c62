"""The session engine: runs a routine's timeline against a clock it is given.

The engine never reads the time. Every call takes ``now``, a reading of a
monotonic clock in seconds, and the engine works out from deadlines where the
session is: which segment, how much is left, which cues became due. A driver
(the Qt player, the terminal runner, a test) asks :meth:`SessionEngine.next_deadline`
when something will next happen and calls :meth:`SessionEngine.update` then,
or whenever the user does something.

Every call that takes ``now`` first catches up to it and returns the cues
that became due, in order, each exactly once: :meth:`~SessionEngine.update`
returns them as a list, a control returns them in its :class:`ControlResult`.

Segments follow each other on their deadlines (a segment starts exactly
when the one before it was due to end, however late the call), so a session
does not drift, and pausing freezes the time spent in the current segment,
so pause and resume are exact.

If the clock jumps more than :data:`SLEEP_GAP_SECONDS` past the moment the
engine said it was next needed (the computer slept), the engine pauses where
it had got to at the previous call instead of racing through what was missed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from stretchdesk.core.model import Breath, Catalogue
from stretchdesk.core.routine import Routine
from stretchdesk.core.timeline import Plan, Segment, SegmentKind, expand

#: A call this many seconds later than the next deadline means the machine slept.
SLEEP_GAP_SECONDS = 5.0
#: Holds at least this long get a "halfway" cue.
LONG_HOLD_SECONDS = 20.0
#: Timed segments at least this long get a 3-2-1 countdown before they end.
COUNTDOWN_MIN_SECONDS = 5.0
COUNTDOWN_FROM = 3
#: "Back" within this many seconds of a stretch's start goes to the previous stretch.
BACK_GRACE_SECONDS = 3.0
#: What "add time" adds to the current segment.
ADD_SECONDS = 10.0
#: Segments that "add time" may lengthen.
EXTENDABLE = frozenset({SegmentKind.HOLD, SegmentKind.PREPARE, SegmentKind.REST})
_COUNTDOWN_KINDS = frozenset(
    {SegmentKind.HOLD, SegmentKind.PREPARE, SegmentKind.REST, SegmentKind.SWITCH}
)


class State(StrEnum):
    IDLE = "idle"  # created, not started
    RUNNING = "running"
    PAUSED = "paused"
    WAITING = "waiting"  # in a prepare that lasts until the user says ready
    FINISHED = "finished"
    STOPPED = "stopped"


ENDED = frozenset({State.FINISHED, State.STOPPED})


class CueKind(StrEnum):
    SEGMENT_STARTED = "segment-started"
    HALFWAY = "halfway"
    COUNTDOWN = "countdown"  # ``count`` is 3, 2, then 1
    SWITCH_SIDES = "switch-sides"
    BREATHE_IN = "breathe-in"
    BREATHE_OUT = "breathe-out"
    NEXT_UP = "next-up"  # the segment's stretch is the one coming
    ROUTINE_FINISHED = "routine-finished"
    PAUSED_AFTER_SLEEP = "paused-after-sleep"


@dataclass(frozen=True, slots=True)
class Cue:
    """Something the user should see or hear: ``due`` is when it belongs, on the clock given."""

    kind: CueKind
    due: float
    index: int  # the segment's index in the plan
    segment: Segment
    count: int | None = None


class Control(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    BACK = "back"
    ADD_TIME = "add-time"
    READY = "ready"
    STOP = "stop"
    HURT = "hurt"


class SkipTo(StrEnum):
    SEGMENT = "segment"  # the next segment
    STRETCH = "stretch"  # the next stretch's prepare


class BackTo(StrEnum):
    AUTO = "auto"  # restart this stretch, or the previous one when just started
    RESTART = "restart"  # the start of this stretch
    PREVIOUS = "previous"  # the start of the previous stretch


@dataclass(frozen=True, slots=True)
class ControlResult:
    """What a control did; it is truthy when accepted. ``reason`` says why not."""

    control: Control
    accepted: bool
    reason: str = ""
    cues: tuple[Cue, ...] = ()

    def __bool__(self) -> bool:
        return self.accepted


class Ending(StrEnum):
    FINISHED = "finished"
    STOPPED = "stopped"
    HURT = "hurt"  # stopped because it hurt


class Feeling(StrEnum):
    """The answer to "how do you feel now?" after a session."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class Outcome(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class ItemSummary:
    item: int
    stretch_id: str
    outcome: Outcome
    held_seconds: float  # time actually spent holding or moving
    planned_seconds: float


@dataclass(frozen=True, slots=True)
class Summary:
    """How a session went, for the history and the after-session screen."""

    routine_id: str
    ending: Ending
    items: tuple[ItemSummary, ...]
    active_seconds: float  # running time, pauses and waiting not counted
    planned_seconds: float
    feeling: Feeling | None = None  # "how do you feel now?", once answered

    def with_feeling(self, feeling: Feeling | None) -> Summary:
        """This summary with the answer to "how do you feel now?"."""
        return replace(self, feeling=feeling)

    @property
    def held_seconds(self) -> float:
        return sum(item.held_seconds for item in self.items)

    @property
    def done_count(self) -> int:
        return sum(item.outcome is Outcome.DONE for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return {
            "routine": self.routine_id,
            "ending": str(self.ending),
            "active_seconds": round(self.active_seconds, 3),
            "planned_seconds": round(self.planned_seconds, 3),
            "held_seconds": round(self.held_seconds, 3),
            "feeling": str(self.feeling) if self.feeling is not None else None,
            "items": [
                {
                    "stretch_id": item.stretch_id,
                    "outcome": str(item.outcome),
                    "held_seconds": round(item.held_seconds, 3),
                    "planned_seconds": round(item.planned_seconds, 3),
                }
                for item in self.items
            ],
        }


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The session at one moment."""

    state: State
    index: int
    segment: Segment
    next_segment: Segment | None
    elapsed: float  # seconds into the current segment
    seconds_left: float  # in the current segment
    segment_fraction: float  # 0..1 of the current segment done
    position: float  # seconds of the timeline behind us
    total_left: float  # seconds of the timeline ahead
    routine_fraction: float  # 0..1 of the timeline done
    active_seconds: float  # time spent running


class SessionEngine:
    """Runs one session of a :class:`Plan`. See the module docstring for the model.

    Controls (:meth:`start`, :meth:`pause`, :meth:`resume`, :meth:`skip`,
    :meth:`back`, :meth:`add_time`, :meth:`ready`, :meth:`stop`,
    :meth:`hurt`) never raise for being used at the wrong moment: they return
    a refused :class:`ControlResult` with a reason a person can read.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._segments = plan.segments
        self._durations = [s.duration for s in plan.segments]
        self._state = State.IDLE
        self._index = 0
        self._started_at = 0.0  # when the current segment began (valid while RUNNING)
        self._frozen = 0.0  # seconds into the current segment (valid unless RUNNING)
        self._cued_upto = 0.0  # seconds into the segment up to which cues went out
        self._halfway_done = False
        self._time_in = [0.0] * len(plan.segments)  # past visits only
        self._completed = [False] * len(plan.segments)
        self._active = 0.0  # closed running intervals
        self._run_since = 0.0
        self._last_now: float | None = None
        self._expected: float | None = None  # the deadline announced at the last call
        self._pending: list[Cue] = []
        self._ending: Ending | None = None
        self._item_starts = {
            s.item: i for i, s in enumerate(plan.segments) if s.kind is SegmentKind.PREPARE
        }

    @classmethod
    def for_routine(cls, routine: Routine, catalogue: Catalogue) -> SessionEngine:
        return cls(expand(routine, catalogue))

    # --- queries -------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    @property
    def index(self) -> int:
        return self._index

    @property
    def segment(self) -> Segment:
        return self._segments[self._index]

    @property
    def durations(self) -> tuple[float, ...]:
        """Current segment durations (a lengthened hold counts its extra time)."""
        return tuple(self._durations)

    def next_deadline(self) -> float | None:
        """When the next cue or segment end is due, or ``None`` if nothing is timed."""
        if self._state is not State.RUNNING:
            return None
        rel = self._next_rel()
        return self._started_at + rel

    def elapsed(self, now: float) -> float:
        """Seconds into the current segment (never more than its duration)."""
        if self._state is State.RUNNING:
            return min(max(now - self._started_at, 0.0), self._durations[self._index])
        return self._frozen

    def active_seconds(self, now: float) -> float:
        """Seconds spent running; pauses, waiting and slept time excluded."""
        if self._state is State.RUNNING:
            deadline = self._started_at + self._durations[self._index]
            return self._active + max(min(now, deadline) - self._run_since, 0.0)
        return self._active

    def segment_times(self, now: float) -> list[float]:
        """Seconds spent in each segment so far (revisits add up)."""
        times = list(self._time_in)
        if self._state is not State.IDLE:
            times[self._index] += self.elapsed(now)
        return times

    def snapshot(self, now: float) -> Snapshot:
        """The state at ``now``; pure, and clamped at the next boundary if ``update`` is late."""
        index = self._index
        duration = self._durations[index]
        elapsed = self.elapsed(now) if self._state is not State.IDLE else 0.0
        behind = sum(self._durations[:index]) + elapsed
        ahead = (duration - elapsed) + sum(self._durations[index + 1 :])
        total = behind + ahead
        if self._state is State.FINISHED:
            routine_fraction = 1.0
        else:
            routine_fraction = behind / total if total > 0 else 0.0
        return Snapshot(
            state=self._state,
            index=index,
            segment=self._segments[index],
            next_segment=self._segments[index + 1] if index + 1 < len(self._segments) else None,
            elapsed=elapsed,
            seconds_left=max(duration - elapsed, 0.0),
            segment_fraction=elapsed / duration if duration > 0 else 0.0,
            position=behind,
            total_left=max(ahead, 0.0),
            routine_fraction=routine_fraction,
            active_seconds=self.active_seconds(now),
        )

    def summary(self) -> Summary | None:
        """How the session went, once it has ended; ``None`` before."""
        if self._ending is None:
            return None
        times = self.segment_times(self._last_now or 0.0)
        items = []
        for item, stretch in enumerate(self.plan.stretches):
            work = [i for i, s in enumerate(self._segments) if s.item == item and s.is_work]
            held = sum(times[i] for i in work)
            if all(self._completed[i] for i in work):
                outcome = Outcome.DONE
            elif held > 0 or any(self._completed[i] for i in work):
                outcome = Outcome.PARTIAL
            else:
                outcome = Outcome.SKIPPED
            planned = sum(self._segments[i].duration for i in work)
            items.append(ItemSummary(item, stretch.id, outcome, held, planned))
        return Summary(
            self.plan.routine.id,
            self._ending,
            tuple(items),
            self._active,
            self.plan.duration,
        )

    # --- the clock -----------------------------------------------------------------------

    def update(self, now: float) -> list[Cue]:
        """Catch up to ``now``; the cues that became due, in order."""
        self._catch_up(now)
        return self._drain()

    # --- controls ------------------------------------------------------------------------

    def start(self, now: float) -> ControlResult:
        if self._state is not State.IDLE:
            return self._refuse(Control.START, "the session has already started")
        self._last_now = now
        self._set_state(State.RUNNING, now)
        self._enter(0, now, from_index=None)
        return self._accept(Control.START)

    def pause(self, now: float) -> ControlResult:
        self._catch_up(now)
        if self._state is not State.RUNNING:
            return self._refuse(Control.PAUSE, self._why_not_running("pause"))
        self._frozen = self.elapsed(now)
        self._cued_upto = max(self._cued_upto, self._frozen)
        self._set_state(State.PAUSED, now)
        return self._accept(Control.PAUSE)

    def resume(self, now: float) -> ControlResult:
        self._catch_up(now)
        if self._state is not State.PAUSED:
            reason = {
                State.RUNNING: "the session is not paused",
                State.WAITING: "the session is waiting for you to say you are ready",
            }.get(self._state) or self._why_not_running("resume")
            return self._refuse(Control.RESUME, reason)
        if self.segment.waits and self._frozen == 0:
            self._set_state(State.WAITING, now)
        else:
            self._started_at = now - self._frozen
            self._set_state(State.RUNNING, now)
        return self._accept(Control.RESUME)

    def ready(self, now: float) -> ControlResult:
        """The user is in position: end the current prepare and start the stretch."""
        self._catch_up(now)
        if self._state is State.PAUSED:
            return self._refuse(Control.READY, "the session is paused; resume it first")
        if self._state not in (State.WAITING, State.RUNNING):
            return self._refuse(Control.READY, self._why_not_running("start the stretch"))
        if self.segment.kind is not SegmentKind.PREPARE:
            return self._refuse(Control.READY, "you are not getting into position right now")
        self._jump(self._index + 1, now)
        return self._accept(Control.READY)

    def skip(self, now: float, to: SkipTo = SkipTo.SEGMENT) -> ControlResult:
        """Go to the next segment, or the next stretch; the last skip finishes."""
        self._catch_up(now)
        if self._state not in (State.RUNNING, State.PAUSED, State.WAITING):
            return self._refuse(Control.SKIP, self._why_not_running("skip"))
        if to is SkipTo.SEGMENT:
            target = self._index + 1
        else:
            owner = self._owner(self._index)
            target = self._item_starts.get(owner + 1, len(self._segments) - 1)
        self._jump(target, now)
        return self._accept(Control.SKIP)

    def back(self, now: float, to: BackTo = BackTo.AUTO) -> ControlResult:
        """Restart the current stretch, or go to the previous one."""
        self._catch_up(now)
        if self._state not in (State.RUNNING, State.PAUSED, State.WAITING):
            return self._refuse(Control.BACK, self._why_not_running("go back"))
        owner = self._owner(self._index)
        start = self._item_starts[owner]
        if to is BackTo.AUTO:
            into = sum(self._durations[start : self._index]) + self.elapsed(now)
            to = BackTo.PREVIOUS if into < BACK_GRACE_SECONDS and owner > 0 else BackTo.RESTART
        if to is BackTo.PREVIOUS:
            if owner == 0:
                return self._refuse(Control.BACK, "this is the first stretch")
            start = self._item_starts[owner - 1]
        leaving = self._index
        self._jump(start, now)
        for i in range(start, leaving + 1):  # a redone stretch runs as planned
            self._durations[i] = self._segments[i].duration
        return self._accept(Control.BACK)

    def add_time(self, now: float, seconds: float = ADD_SECONDS) -> ControlResult:
        """Lengthen the current hold (or rest, or timed prepare)."""
        self._catch_up(now)
        if self._state not in (State.RUNNING, State.PAUSED, State.WAITING):
            return self._refuse(Control.ADD_TIME, self._why_not_running("add time"))
        segment = self.segment
        if segment.waits:
            return self._refuse(Control.ADD_TIME, "take your time: this waits until you are ready")
        if segment.kind is SegmentKind.REP:
            return self._refuse(
                Control.ADD_TIME, "repetitions follow the breath; pause if you need a moment"
            )
        if segment.kind not in EXTENDABLE:
            return self._refuse(Control.ADD_TIME, f"a {segment.kind} cannot be lengthened")
        if seconds <= 0:
            return self._refuse(Control.ADD_TIME, "the time to add must be positive")
        self._durations[self._index] += seconds
        return self._accept(Control.ADD_TIME)

    def stop(self, now: float) -> ControlResult:
        return self._end(Control.STOP, Ending.STOPPED, now)

    def hurt(self, now: float) -> ControlResult:
        """Stop because it hurts; the summary records why."""
        return self._end(Control.HURT, Ending.HURT, now)

    # --- internals -----------------------------------------------------------------------

    def _accept(self, control: Control) -> ControlResult:
        return ControlResult(control, True, "", tuple(self._drain()))

    def _refuse(self, control: Control, reason: str) -> ControlResult:
        return ControlResult(control, False, reason, tuple(self._drain()))

    def _drain(self) -> list[Cue]:
        cues, self._pending = self._pending, []
        self._expected = self.next_deadline()
        return cues

    def _why_not_running(self, what: str) -> str:
        if self._state is State.IDLE:
            return f"cannot {what}: the session has not started"
        if self._state in ENDED:
            return f"cannot {what}: the session has ended"
        if self._state is State.WAITING:
            return f"cannot {what}: the session is waiting for you to say you are ready"
        return f"cannot {what}: the session is paused"

    def _end(self, control: Control, ending: Ending, now: float) -> ControlResult:
        self._catch_up(now)
        if self._state is State.IDLE and ending is Ending.STOPPED:
            return self._refuse(control, "the session has not started")
        if self._state in ENDED:
            return self._refuse(control, "the session has already ended")
        if self._state is not State.IDLE:
            self._frozen = self.elapsed(now)
        self._set_state(State.STOPPED, now)
        self._ending = ending
        return self._accept(control)

    def _set_state(self, state: State, at: float) -> None:
        if self._state is State.RUNNING and state is not State.RUNNING:
            self._active += max(at - self._run_since, 0.0)
        elif state is State.RUNNING and self._state is not State.RUNNING:
            self._run_since = at
        self._state = state

    def _owner(self, index: int) -> int:
        """The item "back" and "skip to next stretch" treat as current."""
        segment = self._segments[index]
        if segment.item is None:  # finished
            return len(self.plan.stretches) - 1
        return segment.item - 1 if segment.between_items else segment.item

    def _mid_cues(self) -> list[tuple[float, CueKind, int | None]]:
        """Cues inside the current segment, as (seconds into it, kind, count), in order."""
        segment = self.segment
        duration = self._durations[self._index]
        out: list[tuple[float, CueKind, int | None]] = []
        if segment.waits:
            return out
        if (
            segment.kind is SegmentKind.HOLD
            and duration >= LONG_HOLD_SECONDS
            and not self._halfway_done
        ):
            out.append((duration / 2, CueKind.HALFWAY, None))
        if segment.kind in _COUNTDOWN_KINDS and duration >= COUNTDOWN_MIN_SECONDS:
            out.extend((duration - n, CueKind.COUNTDOWN, n) for n in range(COUNTDOWN_FROM, 0, -1))
        return out

    def _next_rel(self) -> float:
        for rel, _, _ in self._mid_cues():
            if rel > self._cued_upto:
                return rel
        return self._durations[self._index]

    def _catch_up(self, now: float) -> None:
        last = self._last_now
        if last is not None and now < last:
            now = last  # a monotonic clock does not go back; ignore a stray reading
        if (
            self._state is State.RUNNING
            and last is not None
            and self._expected is not None
            and now > max(self._expected, last) + SLEEP_GAP_SECONDS
        ):
            self._frozen = self.elapsed(last)
            self._cued_upto = max(self._cued_upto, self._frozen)
            self._set_state(State.PAUSED, last)
            self._pending.append(Cue(CueKind.PAUSED_AFTER_SLEEP, now, self._index, self.segment))
        self._last_now = now
        while self._state is State.RUNNING:
            for rel, kind, count in self._mid_cues():
                due = self._started_at + rel
                if rel > self._cued_upto and due <= now:
                    if kind is CueKind.HALFWAY:
                        self._halfway_done = True
                    self._pending.append(Cue(kind, due, self._index, self.segment, count))
                    self._cued_upto = rel
            end = self._started_at + self._durations[self._index]
            if end > now:
                self._cued_upto = max(self._cued_upto, now - self._started_at)
                return
            self._completed[self._index] = True
            self._jump(self._index + 1, end)

    def _jump(self, target: int, at: float) -> None:
        """Leave the current segment at ``at`` and enter ``target``."""
        leaving = self._index
        self._time_in[leaving] += self.elapsed(at)
        self._enter(target, at, from_index=leaving)

    def _enter(self, index: int, at: float, from_index: int | None) -> None:
        self._index = index
        self._frozen = 0.0
        self._cued_upto = 0.0
        self._halfway_done = False
        segment = self._segments[index]
        self._queue_start_cues(index, segment, at, from_index)
        if segment.kind is SegmentKind.FINISHED:
            self._set_state(State.FINISHED, at)
            self._ending = Ending.FINISHED
        elif self._state is State.PAUSED:
            pass
        elif segment.waits:
            self._set_state(State.WAITING, at)
        else:
            if self._state is State.WAITING:
                self._set_state(State.RUNNING, at)
            self._started_at = at

    def _queue_start_cues(
        self, index: int, segment: Segment, at: float, from_index: int | None
    ) -> None:
        def cue(kind: CueKind) -> None:
            self._pending.append(Cue(kind, at, index, segment))

        cue(CueKind.SEGMENT_STARTED)
        if segment.kind is SegmentKind.SWITCH:
            cue(CueKind.SWITCH_SIDES)
        elif segment.kind is SegmentKind.REP and segment.breath is Breath.IN:
            cue(CueKind.BREATHE_IN)
        elif segment.kind is SegmentKind.REP and segment.breath is Breath.OUT:
            cue(CueKind.BREATHE_OUT)
        elif segment.between_items:
            cue(CueKind.NEXT_UP)
        elif segment.kind is SegmentKind.PREPARE:
            came_from_rest = from_index == index - 1 and self._segments[index - 1].between_items
            if not came_from_rest:
                cue(CueKind.NEXT_UP)
        elif segment.kind is SegmentKind.FINISHED:
            cue(CueKind.ROUTINE_FINISHED)
