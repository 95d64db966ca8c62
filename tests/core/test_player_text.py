"""What the player says, shows and plays: every branch of core/player_text.py, without Qt."""

from __future__ import annotations

import dataclasses

import pytest
from session_fixtures import catalogue, hold_stretch, rep_stretch, routine

from stretchdesk.core.engine import Cue, CueKind, Ending, Feeling, ItemSummary, Outcome, Summary
from stretchdesk.core.model import Advice, Breath, Catalogue
from stretchdesk.core.player_text import (
    HOLD_BREATH_IN,
    HOLD_BREATH_OUT,
    Chime,
    Sounds,
    hold_breath,
    next_time,
    paced_routine,
    segment_heading,
    sounds_for,
    status_line,
    step_text,
    tip_for,
)
from stretchdesk.core.settings import Player
from stretchdesk.core.timeline import Segment, SegmentKind, Side, expand

HOLD = hold_stretch("child-pose")
REPS = rep_stretch("cat-cow")


def seg(kind: SegmentKind = SegmentKind.HOLD, **fields) -> Segment:
    fields.setdefault("stretch", HOLD)
    fields.setdefault("step", 2)
    fields.setdefault("item", 0)
    return Segment(kind=kind, duration=10.0, **fields)


def cue(kind: CueKind, segment: Segment, index: int = 0, count: int | None = None) -> Cue:
    return Cue(kind=kind, due=0.0, index=index, segment=segment, count=count)


# --- status_line ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({}, ""),
        ({"side": Side.LEFT}, "Left side"),
        ({"set": 1, "sets": 1}, ""),  # one set: not worth saying
        ({"set": 2, "sets": 2}, "Set 2 of 2"),
        ({"set": 1, "sets": 2, "side": Side.RIGHT}, "Right side · set 1 of 2"),
        ({"sets": 2}, ""),  # no current set
    ],
)
def test_status_line_of_a_hold(fields, line):
    assert status_line(seg(**fields)) == line


def test_status_line_counts_reps_only_in_rep_segments():
    rep = seg(SegmentKind.REP, stretch=REPS, side=Side.LEFT, set=2, sets=2, rep=4, reps=10)
    assert status_line(rep) == "Left side · set 2 of 2 · rep 4 of 10"
    assert status_line(seg(SegmentKind.REP, stretch=REPS, rep=1, reps=3)) == "Rep 1 of 3"
    assert status_line(seg(SegmentKind.REP, stretch=REPS)) == ""  # no rep number
    assert status_line(seg(SegmentKind.HOLD, rep=4, reps=10)) == ""  # not a rep segment


# --- segment_heading and step_text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("segment", "heading"),
    [
        (seg(SegmentKind.PREPARE), "Get into position"),
        (seg(SegmentKind.HOLD), "Hold"),
        (seg(SegmentKind.SWITCH), "Switch sides"),
        (seg(SegmentKind.REST), "Rest"),  # between stretches (no set)
        (seg(SegmentKind.REST, set=1, sets=2), "Release and rest"),  # between sets
        (seg(SegmentKind.REP, breath=Breath.IN, label="arch"), "Breathe in · arch"),
        (seg(SegmentKind.REP, breath=Breath.OUT), "Breathe out"),
        (seg(SegmentKind.REP, breath=Breath.HOLD), "Pause"),
        (seg(SegmentKind.REP, breath=Breath.NATURAL, label="lift"), "Move · lift"),
        (seg(SegmentKind.REP), "Move"),
        (Segment(SegmentKind.FINISHED, 0.0), "Finished"),
    ],
)
def test_segment_heading(segment, heading):
    assert segment_heading(segment) == heading


def test_step_text():
    assert step_text(seg(step=1)) == "Sit back."
    assert step_text(seg(step=None)) == ""
    assert step_text(Segment(SegmentKind.FINISHED, 0.0)) == ""


# --- sounds_for ----------------------------------------------------------------------------


def test_countdown_ticks_and_says_the_number():
    assert sounds_for([cue(CueKind.COUNTDOWN, seg(), count=3)]) == Sounds(Chime.TICK, "3")


@pytest.mark.parametrize(
    ("kind", "sounds"),
    [
        (CueKind.SWITCH_SIDES, Sounds(Chime.SWITCH, "Switch sides.")),
        (CueKind.BREATHE_IN, Sounds(None, "Breathe in.")),
        (CueKind.BREATHE_OUT, Sounds(None, "Breathe out.")),
        (CueKind.HALFWAY, Sounds(None, "Halfway.")),
        (CueKind.ROUTINE_FINISHED, Sounds(Chime.FINISHED, "Well done.")),
        (CueKind.PAUSED_AFTER_SLEEP, Sounds()),
    ],
)
def test_single_cues(kind, sounds):
    assert sounds_for([cue(kind, seg())]) == sounds


def test_next_up_is_said_during_a_rest_only():
    rest = seg(SegmentKind.REST, stretch=REPS)
    assert sounds_for([cue(CueKind.NEXT_UP, rest)]) == Sounds(None, "Rest. Next up: Cat Cow.")
    prepare = seg(SegmentKind.PREPARE, stretch=REPS)
    assert sounds_for([cue(CueKind.NEXT_UP, prepare)]) == Sounds()  # the prepare names it
    nothing = Segment(SegmentKind.FINISHED, 0.0)
    assert sounds_for([cue(CueKind.NEXT_UP, nothing)]) == Sounds()


def test_segment_starts():
    prepare = seg(SegmentKind.PREPARE, step=0)
    assert sounds_for([cue(CueKind.SEGMENT_STARTED, prepare)]) == Sounds(
        None, "Child Pose. Get into position. Kneel."
    )
    hold = seg(SegmentKind.HOLD, step=2)
    assert sounds_for([cue(CueKind.SEGMENT_STARTED, hold)]) == Sounds(
        Chime.START, "Hold. Breathe and hold."
    )
    first = seg(SegmentKind.REP, stretch=REPS, rep=1, phase=1)
    assert sounds_for([cue(CueKind.SEGMENT_STARTED, first)]) == Sounds(Chime.START, "")
    for rep, phase in ((1, 2), (2, 1)):
        later = seg(SegmentKind.REP, stretch=REPS, rep=rep, phase=phase)
        assert sounds_for([cue(CueKind.SEGMENT_STARTED, later)]) == Sounds()
    for kind in (SegmentKind.REST, SegmentKind.SWITCH):
        assert sounds_for([cue(CueKind.SEGMENT_STARTED, seg(kind))]) == Sounds()
    no_stretch = Segment(SegmentKind.PREPARE, 5.0)
    assert sounds_for([cue(CueKind.SEGMENT_STARTED, no_stretch)]) == Sounds()


def test_a_batch_keeps_the_most_important_chime_and_the_latest_words():
    batch = [
        cue(CueKind.COUNTDOWN, seg(), index=1, count=1),
        cue(CueKind.SWITCH_SIDES, seg(SegmentKind.SWITCH), index=2),
        cue(CueKind.SEGMENT_STARTED, seg(SegmentKind.HOLD), index=3),
        cue(CueKind.HALFWAY, seg(SegmentKind.HOLD), index=3),
    ]
    assert sounds_for(batch) == Sounds(Chime.SWITCH, "Hold. Breathe and hold. Halfway.")
    finished = [*batch, cue(CueKind.ROUTINE_FINISHED, seg(), index=4)]
    assert sounds_for(finished) == Sounds(Chime.FINISHED, "Well done.")


def test_no_cues_no_sound():
    assert sounds_for([]) == Sounds()


# --- tip_for -------------------------------------------------------------------------------

TIPPED = dataclasses.replace(
    HOLD,
    tips=("Let your hips sink.",),
    cautions=("Not with a knee injury.", "Stop if it pinches."),
    advice=("no-bounce", "breathe", "unknown-advice"),
)
ADVICE = (
    Advice("no-bounce", "No bouncing", "Never bounce.", ("during-hold",)),
    Advice("breathe", "Breathe", "Keep breathing.", ("during-hold", "during-reps")),
)
CATALOGUE = Catalogue(areas=(), equipment=(), advice=ADVICE, stretches=(TIPPED,))


def test_cautions_come_before_the_stretch():
    assert tip_for(seg(SegmentKind.PREPARE, stretch=TIPPED), CATALOGUE) == (
        "Not with a knee injury."
    )
    assert tip_for(seg(SegmentKind.REST, stretch=TIPPED), CATALOGUE) == "Not with a knee injury."
    assert tip_for(seg(SegmentKind.PREPARE, stretch=HOLD), CATALOGUE) == ""  # none to give


def test_tips_take_turns_by_set_and_side():
    hold = seg(SegmentKind.HOLD, stretch=TIPPED)
    assert tip_for(hold, CATALOGUE) == "Let your hips sink."
    right = dataclasses.replace(hold, side=Side.RIGHT)
    assert tip_for(right, CATALOGUE) == "Never bounce."
    second_set_right = dataclasses.replace(hold, set=2, side=Side.RIGHT)
    assert tip_for(second_set_right, CATALOGUE) == "Keep breathing."
    reminders = ("Move slowly.",)
    third = dataclasses.replace(hold, set=4)
    assert tip_for(third, CATALOGUE, reminders) == "Move slowly."


def test_reps_get_the_advice_for_reps():
    rep = seg(SegmentKind.REP, stretch=dataclasses.replace(TIPPED, tips=()), set=1)
    assert tip_for(rep, CATALOGUE) == "Keep breathing."


def test_no_tip_when_there_is_nothing_to_say():
    assert tip_for(seg(SegmentKind.HOLD, stretch=HOLD), catalogue(HOLD)) == ""
    assert tip_for(seg(SegmentKind.SWITCH, stretch=TIPPED), CATALOGUE) == ""
    between_sets = seg(SegmentKind.REST, stretch=TIPPED, set=1, sets=2)
    assert tip_for(between_sets, CATALOGUE) == ""
    assert tip_for(Segment(SegmentKind.FINISHED, 0.0), CATALOGUE) == ""


# --- hold_breath ---------------------------------------------------------------------------


def test_hold_breath_swells_then_eases():
    assert hold_breath(0.0) == (True, 0.0)
    assert hold_breath(HOLD_BREATH_IN / 2) == (True, pytest.approx(0.5))
    assert hold_breath(HOLD_BREATH_IN) == (False, pytest.approx(1.0))
    assert hold_breath(HOLD_BREATH_IN + HOLD_BREATH_OUT / 2) == (False, pytest.approx(0.5))
    cycle = HOLD_BREATH_IN + HOLD_BREATH_OUT
    assert hold_breath(cycle + 1.0) == hold_breath(1.0)


# --- paced_routine -------------------------------------------------------------------------


def test_the_routines_own_pacing_stays_unless_the_user_changed_it():
    base = routine("child-pose", prepare=7, rest=8, switch=9)
    assert paced_routine(base, Player()) is base
    paced = paced_routine(base, Player(prepare_seconds=0, rest_seconds=20, switch_sides_seconds=3))
    assert (paced.prepare_seconds, paced.rest_seconds, paced.switch_seconds) == (0.0, 20.0, 3.0)
    only_rest = paced_routine(base, Player(rest_seconds=20))
    assert (only_rest.prepare_seconds, only_rest.rest_seconds, only_rest.switch_seconds) == (
        7,
        20.0,
        9,
    )


# --- next_time -----------------------------------------------------------------------------

PLAN = expand(routine("child-pose", "cat-cow"), catalogue(HOLD, REPS))


def summary(ending: Ending, *outcomes: Outcome, feeling: Feeling | None = None) -> Summary:
    items = tuple(
        ItemSummary(i, s.id, outcome, 0.0, 10.0)
        for i, (s, outcome) in enumerate(zip(PLAN.stretches, outcomes, strict=True))
    )
    return Summary("test-routine", ending, items, 60.0, 60.0, feeling)


def test_next_time_after_pain_or_feeling_worse():
    done = (Outcome.DONE, Outcome.DONE)
    assert "flare-up routine" in next_time(summary(Ending.HURT, *done), PLAN)
    worse = summary(Ending.FINISHED, *done, feeling=Feeling.WORSE)
    assert "flare-up routine" in next_time(worse, PLAN)


def test_next_time_after_stopping_early():
    stopped = summary(Ending.STOPPED, Outcome.DONE, Outcome.SKIPPED)
    assert next_time(stopped, PLAN).startswith("Next time, see if you can get to Cat Cow.")
    partial = summary(Ending.STOPPED, Outcome.PARTIAL, Outcome.SKIPPED)
    assert "Child Pose" in next_time(partial, PLAN)
    all_done = summary(Ending.STOPPED, Outcome.DONE, Outcome.DONE)
    assert "Same time tomorrow" in next_time(all_done, PLAN)


def test_next_time_after_finishing():
    done = (Outcome.DONE, Outcome.DONE)
    better = summary(Ending.FINISHED, *done, feeling=Feeling.BETTER)
    assert next_time(better, PLAN).startswith("Good work.")
    for feeling in (Feeling.SAME, None):
        plain = summary(Ending.FINISHED, *done, feeling=feeling)
        assert "Same time tomorrow" in next_time(plain, PLAN)
