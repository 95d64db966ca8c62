"""The session engine against a fake clock: timeline, cues, controls, pauses, sleeps."""

from __future__ import annotations

import itertools

import pytest
from session_fixtures import FakeClock, catalogue, hold_stretch, rep_stretch, routine

from stretchdesk.core.engine import (
    SLEEP_GAP_SECONDS,
    BackTo,
    Control,
    ControlResult,
    CueKind,
    Ending,
    Outcome,
    SessionEngine,
    SkipTo,
    State,
)
from stretchdesk.core.model import Breath, Sides
from stretchdesk.core.routine import RoutineItem
from stretchdesk.core.timeline import Plan, SegmentKind, Side, expand, routine_duration

CAT = catalogue(
    hold_stretch("hold", hold=30),
    hold_stretch("short-hold", hold=10),
    hold_stretch("each-hold", hold=20, sides=Sides.EACH),
    hold_stretch("set-hold", hold=20, sets=2),
    rep_stretch("reps", reps=3),
    rep_stretch("alt-reps", reps=2, sides=Sides.ALTERNATING),
    rep_stretch("each-reps", reps=2, sides=Sides.EACH),
)


def kinds(plan: Plan) -> list[str]:
    return [str(s.kind) for s in plan.segments]


def run_to_end(engine: SessionEngine, clock: FakeClock) -> list:
    """Wake exactly at each deadline until nothing is timed; every cue seen."""
    cues = []
    while (deadline := engine.next_deadline()) is not None:
        clock.now = deadline
        cues.extend(engine.update(clock.now))
    return cues


def walk(engine: SessionEngine, clock: FakeClock, seconds: float) -> list:
    """Move the clock on by ``seconds``, waking at every deadline on the way, as a driver does."""
    target = clock.now + seconds
    cues = []
    while (deadline := engine.next_deadline()) is not None and deadline < target:
        clock.now = deadline
        cues.extend(engine.update(clock.now))
    clock.now = target
    cues.extend(engine.update(clock.now))
    return cues


def started(rt=None, start: float = 1000.0) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock(start)
    engine = SessionEngine(expand(rt or routine("hold", "reps"), CAT))
    assert engine.start(clock.now)
    return engine, clock


# --- the timeline ------------------------------------------------------------------------


def test_hold_item_is_rest_prepare_hold():
    plan = expand(routine("hold", "short-hold", rest=7, prepare=4), CAT)
    assert kinds(plan) == ["prepare", "hold", "rest", "prepare", "hold", "finished"]
    assert [s.duration for s in plan.segments] == [4, 30, 7, 4, 10, 0]
    assert plan.starts == (0, 4, 34, 41, 45, 55)
    assert plan.duration == 55
    hold = plan.segments[1]
    assert (hold.stretch_id, hold.side, hold.set, hold.rep, hold.phase) == (
        "hold",
        None,
        1,
        None,
        None,
    )
    assert hold.step == 2  # the hold step
    assert plan.segments[0].step == 0  # prepare shows the set-up from the first step
    assert plan.segments[2].item == 1 and plan.segments[2].between_items


def test_sides_each_hold_switches_sides():
    plan = expand(routine("each-hold", switch=3), CAT)
    assert kinds(plan) == ["prepare", "hold", "switch", "hold", "finished"]
    sides = [s.side for s in plan.segments[:4]]
    assert sides == [Side.LEFT, Side.LEFT, Side.RIGHT, Side.RIGHT]
    assert plan.duration == 5 + 20 + 3 + 20


def test_sets_are_separated_by_a_short_rest_of_switch_seconds():
    plan = expand(routine("set-hold", switch=4), CAT)
    assert kinds(plan) == ["prepare", "hold", "rest", "hold", "finished"]
    assert [s.set for s in plan.segments[1:4]] == [1, 2, 2]
    assert plan.segments[2].duration == 4 and not plan.segments[2].between_items


def test_sets_and_sides_each_switch_between_every_block():
    item = RoutineItem("each-hold", sets=2)
    plan = expand(routine(item, switch=2), CAT)
    assert kinds(plan) == ["prepare"] + ["hold", "switch"] * 3 + ["hold", "finished"]
    blocks = [(s.set, s.side) for s in plan.segments if s.kind is SegmentKind.HOLD]
    assert blocks == [(1, Side.LEFT), (1, Side.RIGHT), (2, Side.LEFT), (2, Side.RIGHT)]


def test_zero_switch_and_rest_leave_no_segment():
    plan = expand(routine("each-hold", "hold", switch=0, rest=0), CAT)
    assert kinds(plan) == ["prepare", "hold", "hold", "prepare", "hold", "finished"]


def test_reps_split_into_breath_phases():
    plan = expand(routine("reps"), CAT)
    reps = [s for s in plan.segments if s.kind is SegmentKind.REP]
    assert len(reps) == 3 * 2
    assert [(s.rep, s.phase, s.breath, s.duration) for s in reps[:2]] == [
        (1, 1, Breath.IN, 3),
        (1, 2, Breath.OUT, 4),
    ]
    assert [s.step for s in reps[:2]] == [1, 2]  # each phase shows its own step
    assert all(s.reps == 3 and s.side is None for s in reps)
    assert plan.duration == 5 + 3 * 7


def test_alternating_reps_switch_side_every_rep():
    plan = expand(routine("alt-reps"), CAT)
    reps = [s for s in plan.segments if s.kind is SegmentKind.REP]
    order = [(s.rep, s.side) for s in reps if s.phase == 1]
    assert order == [(1, Side.LEFT), (1, Side.RIGHT), (2, Side.LEFT), (2, Side.RIGHT)]
    assert SegmentKind.SWITCH not in {s.kind for s in plan.segments}


def test_each_reps_do_all_left_then_all_right():
    plan = expand(routine("each-reps", switch=2), CAT)
    assert kinds(plan).count("switch") == 1
    sides = [s.side for s in plan.segments if s.kind is SegmentKind.REP]
    assert sides == [Side.LEFT] * 4 + [Side.RIGHT] * 4


def test_overrides_apply():
    item = RoutineItem("hold", hold_seconds=12, sets=2)
    plan = expand(routine(item, switch=1), CAT)
    assert [s.duration for s in plan.segments if s.kind is SegmentKind.HOLD] == [12, 12]
    item = RoutineItem("reps", reps=1, sides=Sides.ALTERNATING)
    plan = expand(routine(item), CAT)
    assert [s.side for s in plan.segments if s.kind is SegmentKind.REP] == [
        Side.LEFT,
        Side.LEFT,
        Side.RIGHT,
        Side.RIGHT,
    ]


def test_prepare_zero_waits_and_counts_no_time():
    plan = expand(routine("hold", prepare=0), CAT)
    assert plan.segments[0].waits and plan.segments[0].duration == 0
    assert plan.waits_for_ready and plan.duration == 30


def test_unknown_stretch_is_a_key_error():
    with pytest.raises(KeyError):
        expand(routine("nope"), CAT)


# --- running -----------------------------------------------------------------------------

ROUTINES = [
    routine("hold", "reps"),
    routine("each-hold", "alt-reps", "set-hold", switch=2, rest=3),
    routine(RoutineItem("each-reps", sets=2), "short-hold", prepare=2, rest=0, switch=0),
]


@pytest.mark.parametrize("rt", ROUTINES, ids=lambda r: ",".join(r.stretch_ids))
def test_estimate_equals_actual(rt):
    engine, clock = started(rt)
    t0 = clock.now
    cues = run_to_end(engine, clock)
    assert engine.state is State.FINISHED
    assert clock.now - t0 == pytest.approx(routine_duration(rt, CAT), abs=1e-9)
    assert engine.active_seconds(clock.now) == pytest.approx(routine_duration(rt, CAT))
    assert cues[-1].kind is CueKind.ROUTINE_FINISHED


@pytest.mark.parametrize("step", [0.1, 0.7, 2.9, 4.9])
def test_late_and_sparse_updates_do_not_drift(step):
    """Segments start on their deadlines however the updates fall (short of a sleep)."""
    rt = ROUTINES[1]
    plan = expand(rt, CAT)
    engine, clock = started(rt, start=0.0)
    starts = {}
    while engine.state is State.RUNNING:
        clock.advance(step)
        for cue in engine.update(clock.now):
            if cue.kind is CueKind.SEGMENT_STARTED:
                starts[cue.index] = cue.due
    assert engine.state is State.FINISHED
    for index, due in starts.items():
        assert due == pytest.approx(plan.starts[index], abs=1e-9)
    assert len(starts) == len(plan.segments) - 1  # all but the first, cued by start()
    assert engine.summary().active_seconds == pytest.approx(plan.duration)


def test_cues_in_a_long_hold():
    engine, clock = started(routine("hold"))
    cues = run_to_end(engine, clock)
    hold = [c for c in cues if c.index == 1]
    assert [(c.kind, c.count) for c in hold] == [
        (CueKind.SEGMENT_STARTED, None),
        (CueKind.HALFWAY, None),
        (CueKind.COUNTDOWN, 3),
        (CueKind.COUNTDOWN, 2),
        (CueKind.COUNTDOWN, 1),
    ]
    assert [c.due - 1000 for c in hold] == [5, 20, 32, 33, 34]


def test_short_hold_has_countdown_but_no_halfway():
    engine, clock = started(routine("short-hold"))
    cues = run_to_end(engine, clock)
    assert CueKind.HALFWAY not in {c.kind for c in cues}
    assert sum(c.kind is CueKind.COUNTDOWN for c in cues if c.index == 1) == 3


def test_switch_breath_next_up_and_finished_cues():
    rt = routine("each-hold", "alt-reps", rest=3, switch=4)
    engine, clock = started(rt)
    first = engine.update(clock.now)
    assert first == []  # start() already returned its cues
    cues = run_to_end(engine, clock)
    by_kind = {k: [c for c in cues if c.kind is k] for k in CueKind}
    assert len(by_kind[CueKind.SWITCH_SIDES]) == 1
    assert by_kind[CueKind.SWITCH_SIDES][0].segment.side is Side.RIGHT
    assert len(by_kind[CueKind.BREATHE_IN]) == 4 and len(by_kind[CueKind.BREATHE_OUT]) == 4
    (next_up,) = by_kind[CueKind.NEXT_UP]  # the first came with start()
    assert next_up.segment.kind is SegmentKind.REST and next_up.segment.stretch_id == "alt-reps"
    assert len(by_kind[CueKind.ROUTINE_FINISHED]) == 1
    assert all(a.due <= b.due for a, b in itertools.pairwise(cues))


def test_next_up_at_prepare_when_there_is_no_rest():
    clock = FakeClock()
    engine = SessionEngine(expand(routine("short-hold", "hold", rest=0), CAT))
    result = engine.start(clock.now)
    assert [c.kind for c in result.cues] == [CueKind.SEGMENT_STARTED, CueKind.NEXT_UP]
    cues = run_to_end(engine, clock)
    assert [c.segment.stretch_id for c in cues if c.kind is CueKind.NEXT_UP] == ["hold"]


def test_cues_are_given_once_even_when_late():
    engine, clock = started(routine("hold"))
    clock.advance(3.5)  # the prepare's "3" was due at 2 s and its "2" at 3 s
    late = engine.update(clock.now)
    assert [(c.kind, c.count) for c in late] == [(CueKind.COUNTDOWN, 3), (CueKind.COUNTDOWN, 2)]
    assert engine.update(clock.now) == []


def test_snapshot_reports_time_left_and_fractions():
    engine, clock = started(routine("hold"))  # 5 s prepare + 30 s hold
    walk(engine, clock, 5 + 6)
    snap = engine.snapshot(clock.now)
    assert snap.segment.kind is SegmentKind.HOLD and snap.state is State.RUNNING
    assert snap.seconds_left == pytest.approx(24)
    assert snap.segment_fraction == pytest.approx(0.2)
    assert snap.total_left == pytest.approx(24)
    assert snap.routine_fraction == pytest.approx(11 / 35)
    assert snap.next_segment.kind is SegmentKind.FINISHED


def test_snapshot_does_not_go_negative_when_update_is_late():
    engine, clock = started(routine("hold"))
    snap = engine.snapshot(clock.now + 100)
    assert snap.seconds_left == 0 and snap.total_left >= 0
    assert snap.index == 0  # snapshot is a pure query


def test_clock_going_backwards_is_ignored():
    engine, clock = started(routine("hold"))
    walk(engine, clock, 3)
    assert engine.update(clock.now - 2) == []
    assert engine.snapshot(clock.now).elapsed == pytest.approx(3)


# --- pause and resume --------------------------------------------------------------------


def test_pause_freezes_and_resume_is_exact():
    rt = ROUTINES[1]
    duration = routine_duration(rt, CAT)
    engine, clock = started(rt, start=0.0)
    paused_total = 0.0
    for i in range(40):
        clock.advance(0.37 * (i % 5) + 0.11)
        engine.update(clock.now)
        if engine.state is not State.RUNNING:
            break
        assert engine.pause(clock.now)
        before = engine.snapshot(clock.now)
        assert engine.next_deadline() is None
        pause = 1.3 + i * 0.77
        clock.advance(pause)
        assert engine.update(clock.now) == []
        after = engine.snapshot(clock.now)
        assert before == after
        paused_total += pause
        assert engine.resume(clock.now)
    run_to_end(engine, clock)
    assert clock.now == pytest.approx(duration + paused_total, abs=1e-9)
    assert engine.summary().active_seconds == pytest.approx(duration, abs=1e-9)


def test_pause_keeps_cues_for_after_resume():
    engine, clock = started(routine("hold"))
    walk(engine, clock, 5 + 14)
    engine.pause(clock.now)
    clock.advance(600)  # a long pause is not a sleep
    assert engine.update(clock.now) == []
    engine.resume(clock.now)
    clock.advance(1)
    (cue,) = engine.update(clock.now)
    assert cue.kind is CueKind.HALFWAY and cue.due == pytest.approx(clock.now)


# --- the sleep jump ----------------------------------------------------------------------


def test_a_clock_jump_pauses_where_the_session_was():
    engine, clock = started(routine("hold", "reps"))
    walk(engine, clock, 5 + 8)  # 8 s into the hold
    clock.advance(3600)  # the machine slept
    cues = engine.update(clock.now)
    assert [c.kind for c in cues] == [CueKind.PAUSED_AFTER_SLEEP]
    snap = engine.snapshot(clock.now)
    assert snap.state is State.PAUSED and snap.segment.kind is SegmentKind.HOLD
    assert snap.elapsed == pytest.approx(8)
    assert engine.active_seconds(clock.now) == pytest.approx(13)
    assert engine.resume(clock.now)
    cues = walk(engine, clock, 22)
    assert cues[-2].kind is CueKind.SEGMENT_STARTED and cues[-2].segment.kind is SegmentKind.REST


def test_waking_at_a_distant_deadline_is_not_a_sleep():
    """The halfway cue of a 30 s hold is 15 s away: waking for it is on time."""
    engine, clock = started(routine("hold"))
    walk(engine, clock, 5)  # the hold starts
    clock.now = engine.next_deadline() + SLEEP_GAP_SECONDS - 0.5  # a little late
    cues = engine.update(clock.now)
    assert [c.kind for c in cues] == [CueKind.HALFWAY]
    assert engine.state is State.RUNNING


def test_a_jump_during_a_control_pauses_first():
    engine, clock = started(routine("hold"))
    clock.advance(3600)
    result = engine.pause(clock.now)
    assert not result and "paused" in result.reason
    assert [c.kind for c in result.cues] == [CueKind.PAUSED_AFTER_SLEEP]


# --- skip and back -----------------------------------------------------------------------


def test_skip_to_next_segment_and_next_stretch():
    rt = routine("each-hold", "hold", "reps", switch=2)
    plan = expand(rt, CAT)
    engine, clock = started(rt)
    clock.advance(1)
    result = engine.skip(clock.now)
    assert result and engine.index == 1 and engine.segment.kind is SegmentKind.HOLD
    assert result.cues[0].kind is CueKind.SEGMENT_STARTED and result.cues[0].due == clock.now
    assert engine.skip(clock.now, SkipTo.STRETCH)
    assert engine.index == plan.item_start(1)  # the rest is skipped too
    assert [c.kind for c in engine.update(clock.now)] == []
    assert engine.skip(clock.now, SkipTo.STRETCH)
    assert engine.index == plan.item_start(2)
    assert engine.skip(clock.now, SkipTo.STRETCH)
    assert engine.state is State.FINISHED
    assert engine.summary().ending is Ending.FINISHED


def test_skip_exactly_at_a_boundary_skips_the_segment_that_just_started():
    engine, clock = started(routine("hold", "reps"))
    clock.now = 1000 + 5  # the prepare ends: the hold starts now
    result = engine.skip(clock.now)
    started_ = [c.index for c in result.cues if c.kind is CueKind.SEGMENT_STARTED]
    assert started_ == [1, 2]
    assert engine.segment.kind is SegmentKind.REST


def test_skip_while_paused_stays_paused_at_the_next_segment():
    engine, clock = started(routine("hold", "reps"))
    clock.advance(2)
    engine.pause(clock.now)
    assert engine.skip(clock.now)
    snap = engine.snapshot(clock.now)
    assert snap.state is State.PAUSED and snap.index == 1 and snap.elapsed == 0
    engine.resume(clock.now + 1)
    assert engine.next_deadline() == pytest.approx(clock.now + 1 + 15)


def test_back_restarts_the_stretch_or_goes_to_the_previous_one():
    rt = routine("short-hold", "hold")
    plan = expand(rt, CAT)
    engine, clock = started(rt)
    walk(engine, clock, 5 + 10 + 2)  # 2 s into the rest before "hold"
    assert engine.segment.between_items
    assert engine.back(clock.now)  # from the rest: redo the stretch just done
    assert engine.index == plan.item_start(0)
    walk(engine, clock, 5 + 3)
    engine.skip(clock.now, SkipTo.STRETCH)  # now at the start of "hold"
    assert engine.index == plan.item_start(1)
    assert engine.back(clock.now)  # just started: go to the previous stretch
    assert engine.index == plan.item_start(0)
    clock.advance(1)
    assert engine.back(clock.now)  # the first stretch: restart it
    assert engine.index == 0
    refused = engine.back(clock.now, BackTo.PREVIOUS)
    assert not refused and "first" in refused.reason
    engine.skip(clock.now, SkipTo.STRETCH)
    walk(engine, clock, 10)
    assert engine.back(clock.now, BackTo.RESTART)
    assert engine.index == plan.item_start(1)


def test_back_at_a_boundary():
    rt = routine("short-hold", "hold", rest=0)
    plan = expand(rt, CAT)
    engine, clock = started(rt)
    clock.now = 1000 + plan.starts[plan.item_start(1)]  # "hold" prepares from now
    assert engine.back(clock.now)
    assert engine.index == plan.item_start(0)


def test_back_undoes_added_time():
    engine, clock = started(routine("hold"))
    engine.skip(clock.now)
    engine.add_time(clock.now)
    assert engine.durations[1] == 40
    engine.back(clock.now, BackTo.RESTART)
    assert engine.durations[1] == 30


# --- add time and ready ------------------------------------------------------------------


def test_add_time_lengthens_the_hold_and_moves_the_countdown():
    engine, clock = started(routine("hold"))
    walk(engine, clock, 5 + 28.5)  # countdown 3 and 2 have gone
    assert engine.add_time(clock.now)
    assert engine.snapshot(clock.now).seconds_left == pytest.approx(11.5)
    cues = run_to_end(engine, clock)
    counts = [c.count for c in cues if c.kind is CueKind.COUNTDOWN]
    assert counts == [3, 2, 1]
    assert CueKind.HALFWAY not in {c.kind for c in cues}
    assert clock.now == pytest.approx(1000 + 45)
    assert engine.summary().items[0].held_seconds == pytest.approx(40)


def test_add_time_is_refused_for_reps_and_waiting():
    engine, clock = started(routine("reps", prepare=0))
    result = engine.add_time(clock.now)
    assert not result and "ready" in result.reason
    engine.ready(clock.now)
    result = engine.add_time(clock.now)
    assert not result and "breath" in result.reason


def test_ready_ends_a_waiting_prepare():
    engine, clock = started(routine("hold", "short-hold", prepare=0))
    assert engine.state is State.WAITING and engine.next_deadline() is None
    clock.advance(100)
    assert engine.update(clock.now) == []
    result = engine.ready(clock.now)
    assert result and engine.state is State.RUNNING and engine.segment.kind is SegmentKind.HOLD
    walk(engine, clock, 30 + 5)  # the hold and the rest
    assert engine.state is State.WAITING and engine.segment.item == 1
    assert engine.active_seconds(clock.now) == pytest.approx(35)


def test_ready_cuts_a_timed_prepare_short_and_is_refused_elsewhere():
    engine, clock = started(routine("hold"))
    clock.advance(1)
    assert engine.ready(clock.now)
    assert engine.segment.kind is SegmentKind.HOLD
    assert engine.next_deadline() == pytest.approx(clock.now + 15)
    refused = engine.ready(clock.now)
    assert not refused and "position" in refused.reason


# --- every control from every state --------------------------------------------------------


def _in_state(state: State) -> tuple[SessionEngine, FakeClock]:
    clock = FakeClock()
    engine = SessionEngine(expand(routine("hold", "short-hold", prepare=0), CAT))
    if state is State.IDLE:
        return engine, clock
    engine.start(clock.now)  # waiting
    if state is State.WAITING:
        return engine, clock
    engine.ready(clock.now)
    if state is State.PAUSED:
        engine.pause(clock.now)
    elif state is State.FINISHED:
        for _ in range(10):
            engine.skip(clock.now)
    elif state is State.STOPPED:
        engine.stop(clock.now)
    return engine, clock


_CALLS = {
    Control.START: lambda e, t: e.start(t),
    Control.PAUSE: lambda e, t: e.pause(t),
    Control.RESUME: lambda e, t: e.resume(t),
    Control.SKIP: lambda e, t: e.skip(t),
    Control.BACK: lambda e, t: e.back(t),
    Control.ADD_TIME: lambda e, t: e.add_time(t),
    Control.READY: lambda e, t: e.ready(t),
    Control.STOP: lambda e, t: e.stop(t),
    Control.HURT: lambda e, t: e.hurt(t),
}

# (state, control) -> the state after it, or None when refused
_EXPECTED = {
    State.IDLE: {Control.START: State.WAITING, Control.HURT: State.STOPPED},
    State.WAITING: {
        Control.SKIP: State.RUNNING,
        Control.BACK: State.WAITING,
        Control.READY: State.RUNNING,
        Control.STOP: State.STOPPED,
        Control.HURT: State.STOPPED,
    },
    State.RUNNING: {
        Control.PAUSE: State.PAUSED,
        Control.SKIP: State.RUNNING,
        Control.BACK: State.WAITING,
        Control.ADD_TIME: State.RUNNING,
        Control.STOP: State.STOPPED,
        Control.HURT: State.STOPPED,
    },
    State.PAUSED: {
        Control.RESUME: State.RUNNING,
        Control.SKIP: State.PAUSED,
        Control.BACK: State.PAUSED,
        Control.ADD_TIME: State.PAUSED,
        Control.STOP: State.STOPPED,
        Control.HURT: State.STOPPED,
    },
    State.FINISHED: {},
    State.STOPPED: {},
}


@pytest.mark.parametrize("control", list(Control))
@pytest.mark.parametrize("state", list(State))
def test_every_control_from_every_state(state, control):
    engine, clock = _in_state(state)
    assert engine.state is state
    clock.advance(0.5)
    result = _CALLS[control](engine, clock.now)
    assert isinstance(result, ControlResult) and result.control is control
    expected = _EXPECTED[state].get(control)
    if expected is None:
        assert not result.accepted and result.reason
        assert engine.state is state
    else:
        assert result.accepted and not result.reason
        assert engine.state is expected
    snap = engine.snapshot(clock.now)
    assert snap.seconds_left >= 0 and snap.total_left >= 0


# --- the summary ---------------------------------------------------------------------------


def test_summary_of_a_finished_session():
    rt = routine("hold", "reps")
    engine, clock = started(rt)
    assert engine.summary() is None
    run_to_end(engine, clock)
    summary = engine.summary()
    assert summary.ending is Ending.FINISHED
    assert [i.outcome for i in summary.items] == [Outcome.DONE, Outcome.DONE]
    assert [i.held_seconds for i in summary.items] == [30, 21]
    assert summary.held_seconds == 51 and summary.done_count == 2
    assert summary.active_seconds == pytest.approx(routine_duration(rt, CAT))
    data = summary.to_json()
    assert data["ending"] == "finished" and data["items"][1]["stretch_id"] == "reps"


def test_summary_of_a_stopped_session():
    engine, clock = started(routine("hold", "short-hold", "reps"))
    walk(engine, clock, 5 + 12)
    engine.skip(clock.now, SkipTo.STRETCH)  # the hold was partly done
    engine.skip(clock.now)  # skip the prepare
    walk(engine, clock, 10)  # the short hold is done, the rest begins
    assert engine.stop(clock.now)
    summary = engine.summary()
    assert summary.ending is Ending.STOPPED
    assert [i.outcome for i in summary.items] == [Outcome.PARTIAL, Outcome.DONE, Outcome.SKIPPED]
    assert summary.items[0].held_seconds == pytest.approx(12)


def test_it_hurts_stops_and_says_so():
    engine, clock = started(routine("hold"))
    walk(engine, clock, 9)
    assert engine.hurt(clock.now)
    assert engine.state is State.STOPPED
    summary = engine.summary()
    assert summary.ending is Ending.HURT
    assert summary.items[0].outcome is Outcome.PARTIAL
    assert summary.items[0].held_seconds == pytest.approx(4)
    assert summary.active_seconds == pytest.approx(9)
    assert not engine.hurt(clock.now)


def test_for_routine_builds_the_plan():
    engine = SessionEngine.for_routine(routine("hold"), CAT)
    assert engine.plan.duration == 35 and engine.state is State.IDLE
    assert engine.next_deadline() is None
