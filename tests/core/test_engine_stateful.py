"""Random sequences of controls and clock moves keep the session engine's promises.

Invariants checked after every step:
* time left (in the segment and in the routine) is never negative;
* segments advance one by one, in order, except through skip and back;
* the time spent running equals the sum of the time spent in each segment,
  and grows exactly with the clock while running;
* while paused (or waiting, or ended) nothing changes however the clock moves;
* a refused control changes nothing.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from session_fixtures import catalogue, hold_stretch, rep_stretch, routine

from stretchdesk.core.engine import (
    ENDED,
    BackTo,
    ControlResult,
    CueKind,
    SessionEngine,
    SkipTo,
    State,
)
from stretchdesk.core.model import Sides
from stretchdesk.core.routine import RoutineItem
from stretchdesk.core.timeline import expand

CAT = catalogue(
    hold_stretch("hold", hold=21),
    hold_stretch("each-hold", hold=6, sides=Sides.EACH, sets=2),
    rep_stretch("reps", reps=2),
    rep_stretch("alt-reps", reps=2, sides=Sides.ALTERNATING),
)
PLANS = [
    expand(routine("hold", "reps", "each-hold"), CAT),
    expand(routine("alt-reps", RoutineItem("hold", hold_seconds=7), prepare=0, rest=0), CAT),
    expand(routine("each-hold", "alt-reps", "hold", prepare=2, rest=3, switch=1), CAT),
]

STEPS = st.one_of(
    st.sampled_from([0.0, 0.5, 1.0, 3.0]),
    st.floats(min_value=0, max_value=12, allow_nan=False),
    st.just(3600.0),  # the machine slept
)


class EngineMachine(RuleBasedStateMachine):
    @initialize(
        plan=st.sampled_from(PLANS),
        start=st.floats(0, 1e6, allow_nan=False),
        started=st.sampled_from([True] * 5 + [False]),
    )
    def setup(self, plan, start, started):
        self.engine = SessionEngine(plan)
        self.now = start
        self.expected_active = 0.0
        self.steps = 0
        if started:
            assert self.engine.start(self.now)

    # --- helpers -----------------------------------------------------------------------

    def _control(self, call) -> ControlResult:
        engine = self.engine
        before = engine.snapshot(self.now)
        result = call()
        assert isinstance(result, ControlResult)
        if not result.accepted:
            assert result.reason
            assert engine.snapshot(self.now) == before
        elif before.state is State.RUNNING:
            self.expected_active = engine.active_seconds(self.now)
        self._check_started_in_order(result.cues, None)
        return result

    def _check_started_in_order(self, cues, first_expected: int | None) -> None:
        started = [c.index for c in cues if c.kind is CueKind.SEGMENT_STARTED]
        if first_expected is not None and started:
            assert started[0] == first_expected
        for a, b in itertools.pairwise(started):
            assert b == a + 1 or b <= a  # in order, or back
        assert all(a.due <= b.due for a, b in itertools.pairwise(cues))
        if started:
            assert self.engine.index == started[-1]

    # --- rules -------------------------------------------------------------------------

    @rule(lateness=st.sampled_from([0.0, 0.001, 0.3, 4.9]))
    def wake_at_deadline(self, lateness):
        """What a driver does: sleep until the next deadline, waking a little late."""
        deadline = self.engine.next_deadline()
        self.clock_moves(0.0 if deadline is None else deadline - self.now + lateness)

    @rule(dt=STEPS)
    def clock_moves(self, dt):
        self.steps += 1
        engine = self.engine
        before = engine.snapshot(self.now)
        previous = self.now
        self.now += dt
        cues = engine.update(self.now)
        after = engine.snapshot(self.now)
        slept = any(c.kind is CueKind.PAUSED_AFTER_SLEEP for c in cues)
        if before.state is not State.RUNNING:
            assert cues == []
            assert after == before
            return
        assert after.index >= before.index
        self._check_started_in_order(cues, before.index + 1)
        if slept:
            assert after.state is State.PAUSED
            assert after.index == before.index and after.elapsed == before.elapsed
            assert engine.active_seconds(self.now) == pytest.approx(self.expected_active)
        elif after.state is State.RUNNING:
            self.expected_active += self.now - previous
            assert engine.active_seconds(self.now) == pytest.approx(self.expected_active, abs=1e-6)
        else:  # it reached a wait or the end part-way through the step
            active = engine.active_seconds(self.now)
            assert self.expected_active - 1e-6 <= active <= self.expected_active + dt + 1e-6
            self.expected_active = active

    @rule()
    def start(self):
        self._control(lambda: self.engine.start(self.now))

    @rule()
    def pause(self):
        self._control(lambda: self.engine.pause(self.now))

    @rule()
    def resume(self):
        self._control(lambda: self.engine.resume(self.now))

    @rule()
    def ready(self):
        self._control(lambda: self.engine.ready(self.now))

    @rule(to=st.sampled_from(SkipTo))
    def skip(self, to):
        before = self.engine.index
        if self._control(lambda: self.engine.skip(self.now, to)):
            assert self.engine.index > before

    @rule(to=st.sampled_from(BackTo))
    def back(self, to):
        before = self.engine.index
        if self._control(lambda: self.engine.back(self.now, to)):
            assert self.engine.index <= before
            assert self.engine.segment.kind == "prepare"

    @rule()
    def add_time(self):
        before = self.engine.snapshot(self.now)
        if self._control(lambda: self.engine.add_time(self.now)):
            after = self.engine.snapshot(self.now)
            assert after.seconds_left == pytest.approx(before.seconds_left + 10)

    @precondition(lambda self: self.steps > 15)
    @rule()
    def stop(self):
        self._control(lambda: self.engine.stop(self.now))

    @precondition(lambda self: self.steps > 15)
    @rule()
    def hurt(self):
        self._control(lambda: self.engine.hurt(self.now))

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def never_negative(self):
        snap = self.engine.snapshot(self.now)
        assert snap.seconds_left >= 0 and snap.total_left >= 0 and snap.elapsed >= 0
        assert 0 <= snap.segment_fraction <= 1 and 0 <= snap.routine_fraction <= 1
        assert snap.position + snap.total_left == pytest.approx(sum(self.engine.durations))

    @invariant()
    def time_spent_is_the_sum_of_segments(self):
        engine = self.engine
        assert sum(engine.segment_times(self.now)) == pytest.approx(
            engine.active_seconds(self.now), abs=1e-6
        )

    @invariant()
    def deadlines_only_while_running(self):
        deadline = self.engine.next_deadline()
        if self.engine.state is State.RUNNING:
            assert deadline is not None and deadline > self.now
        else:
            assert deadline is None

    @invariant()
    def summary_once_ended(self):
        summary = self.engine.summary()
        assert (summary is not None) == (self.engine.state in ENDED)
        if summary is not None:
            assert summary.held_seconds <= summary.active_seconds + 1e-6


EngineMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestEngineMachine = EngineMachine.TestCase
