"""What the routine player says, shows and plays, decided without Qt.

The player window and its sound layer ask this module:

* :func:`status_line` — where the user is: ``Left side · set 2 of 2 · rep 4 of 10``;
* :func:`sounds_for` — the chime and the words for a batch of cues that came due together;
* :func:`tip_for` — the tip or caution that matters in a segment;
* :func:`hold_breath` — the calm breathing rhythm the pacer shows on holds;
* :func:`paced_routine` — a routine with the user's own pacing settings applied;
* :func:`next_time` — a suggestion for the next session, from how this one went.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from stretchdesk.core.engine import Cue, CueKind, Ending, Feeling, Outcome, Summary
from stretchdesk.core.model import Catalogue, Routine, Stretch
from stretchdesk.core.settings import Player
from stretchdesk.core.timeline import Plan, Segment, SegmentKind

#: The breathing rhythm shown on holds: seconds in, seconds out (six breaths a minute).
HOLD_BREATH_IN = 4.0
HOLD_BREATH_OUT = 6.0


class Chime(StrEnum):
    """The short sounds of a session; each is ``assets/sounds/<value>.wav``."""

    START = "start"
    TICK = "tick"
    SWITCH = "switch"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class Sounds:
    """What to play for a batch of cues: at most one chime and one utterance."""

    chime: Chime | None = None
    words: str = ""


# --- where we are --------------------------------------------------------------------------


def status_line(segment: Segment) -> str:
    """Side, set and rep of a segment, joined by middle dots; empty when none apply."""
    parts: list[str] = []
    if segment.side is not None:
        parts.append(f"{str(segment.side).capitalize()} side")
    if segment.sets and segment.sets > 1 and segment.set is not None:
        parts.append(f"set {segment.set} of {segment.sets}")
    if segment.kind is SegmentKind.REP and segment.rep is not None:
        parts.append(f"rep {segment.rep} of {segment.reps}")
    line = " · ".join(parts)
    return line[:1].upper() + line[1:]


def segment_heading(segment: Segment) -> str:
    """A few words for what the user does now: ``Get into position``, ``Hold``, ``Rest``."""
    kind = segment.kind
    if kind is SegmentKind.PREPARE:
        return "Get into position"
    if kind is SegmentKind.HOLD:
        return "Hold"
    if kind is SegmentKind.SWITCH:
        return "Switch sides"
    if kind is SegmentKind.REST:
        return "Rest" if segment.between_items else "Release and rest"
    if kind is SegmentKind.REP:
        words = {"in": "Breathe in", "out": "Breathe out", "hold": "Pause"}
        base = words.get(str(segment.breath), "Move")
        return f"{base} · {segment.label}" if segment.label else base
    return "Finished"


def step_text(segment: Segment) -> str:
    """The instruction of the step a segment shows (empty when there is none)."""
    stretch = segment.stretch
    if stretch is None or segment.step is None:
        return ""
    return stretch.steps[segment.step].text


# --- sound ---------------------------------------------------------------------------------

_CHIME_ORDER = (Chime.FINISHED, Chime.SWITCH, Chime.START, Chime.TICK)


def _cue_sounds(cue: Cue) -> tuple[Chime | None, str]:
    segment = cue.segment
    kind = cue.kind
    if kind is CueKind.COUNTDOWN:
        return Chime.TICK, str(cue.count)
    if kind is CueKind.SWITCH_SIDES:
        return Chime.SWITCH, "Switch sides."
    if kind is CueKind.BREATHE_IN:
        return None, "Breathe in."
    if kind is CueKind.BREATHE_OUT:
        return None, "Breathe out."
    if kind is CueKind.HALFWAY:
        return None, "Halfway."
    if kind is CueKind.ROUTINE_FINISHED:
        return Chime.FINISHED, "Well done."
    if kind is CueKind.NEXT_UP and segment.stretch is not None:
        if segment.kind is SegmentKind.REST:
            return None, f"Rest. Next up: {segment.stretch.name}."
        return None, ""  # the prepare that starts now names the stretch
    if kind is CueKind.SEGMENT_STARTED:
        if segment.kind is SegmentKind.PREPARE and segment.stretch is not None:
            return None, f"{segment.stretch.name}. Get into position. {step_text(segment)}"
        if segment.kind is SegmentKind.HOLD:
            return Chime.START, f"Hold. {step_text(segment)}"
        if segment.kind is SegmentKind.REP and segment.rep == 1 and segment.phase == 1:
            return Chime.START, ""
    return None, ""


def sounds_for(cues: Iterable[Cue]) -> Sounds:
    """One chime (the most important) and the words of cues that came due together.

    Only the latest segment's words are kept: when the clock catches up over
    several segments, saying all of them would be noise.
    """
    batch = list(cues)
    chimes: set[Chime] = set()
    words: list[str] = []
    last_index = max((c.index for c in batch), default=0)
    for cue in batch:
        chime, text = _cue_sounds(cue)
        if chime is not None:
            chimes.add(chime)
        if text and cue.index == last_index:
            words.append(text.strip())
    chime = next((c for c in _CHIME_ORDER if c in chimes), None)
    return Sounds(chime, " ".join(words))


# --- tips ----------------------------------------------------------------------------------


def tip_for(segment: Segment, catalogue: Catalogue, reminders: Sequence[str] = ()) -> str:
    """The one tip or caution to show during ``segment`` ("" for none).

    Cautions come before a stretch starts (while getting into position or
    resting before it); during holds and reps a tip of the stretch, or general
    advice for that moment (no bouncing, keep breathing), taking turns by set
    and side. ``reminders`` are extra one-liners for the moment (from the
    safety content).
    """
    stretch = segment.stretch
    if stretch is None:
        return ""
    if segment.kind is SegmentKind.PREPARE or segment.between_items:
        return stretch.cautions[0] if stretch.cautions else ""
    if segment.kind in (SegmentKind.HOLD, SegmentKind.REP):
        moment = "during-hold" if segment.kind is SegmentKind.HOLD else "during-reps"
        choices = [*stretch.tips, *_advice_texts(stretch, catalogue, moment), *reminders]
        if not choices:
            return ""
        turn = (segment.set or 1) - 1 + (1 if str(segment.side) == "right" else 0)
        return choices[turn % len(choices)]
    return ""


def _advice_texts(stretch: Stretch, catalogue: Catalogue, moment: str) -> list[str]:
    out = []
    for advice_id in stretch.advice:
        advice = catalogue.advice_by_id(advice_id)
        if advice is not None and moment in advice.moments:
            out.append(advice.text)
    return out


# --- breathing -----------------------------------------------------------------------------


def hold_breath(elapsed: float) -> tuple[bool, float]:
    """The pacer on a hold ``elapsed`` seconds in: (breathing in?, lungs 0..1 full)."""
    cycle = HOLD_BREATH_IN + HOLD_BREATH_OUT
    t = elapsed % cycle
    if t < HOLD_BREATH_IN:
        return True, t / HOLD_BREATH_IN
    return False, 1.0 - (t - HOLD_BREATH_IN) / HOLD_BREATH_OUT


# --- pacing --------------------------------------------------------------------------------


def paced_routine(routine: Routine, player: Player) -> Routine:
    """The routine with the user's pacing wherever they changed it from the default.

    A routine sets its own prepare, rest and switch times; a user who changed
    one of those settings (e.g. ``prepare_seconds: 0`` to start each stretch
    with Space) gets their choice in every routine.
    """
    default = Player()
    changes: dict[str, float] = {}
    if player.prepare_seconds != default.prepare_seconds:
        changes["prepare_seconds"] = float(player.prepare_seconds)
    if player.rest_seconds != default.rest_seconds:
        changes["rest_seconds"] = float(player.rest_seconds)
    if player.switch_sides_seconds != default.switch_sides_seconds:
        changes["switch_seconds"] = float(player.switch_sides_seconds)
    return dataclasses.replace(routine, **changes) if changes else routine


# --- after the session ---------------------------------------------------------------------


def next_time(summary: Summary, plan: Plan) -> str:
    """A suggestion for the next session, from how this one ended and how the user feels."""
    if summary.ending is Ending.HURT or summary.feeling is Feeling.WORSE:
        return (
            "Take it easy today. Next time, try the gentle flare-up routine with shorter "
            "holds, and stop well before anything hurts."
        )
    skipped = [
        plan.stretches[item.item].name for item in summary.items if item.outcome is not Outcome.DONE
    ]
    if summary.ending is Ending.STOPPED and skipped:
        return f"Next time, see if you can get to {skipped[0]}. Little and often is what helps."
    if summary.feeling is Feeling.BETTER:
        return (
            "Good work. Do it again tomorrow; when it feels easy, add a few seconds to each "
            "hold or try a deeper routine."
        )
    return "Ten minutes a day does more than one long session. Same time tomorrow?"
