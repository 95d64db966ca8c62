"""Routines and their timelines as text and as the JSON scripts rely on.

``stretchdesk routines [--json]`` and ``stretchdesk plan ROUTINE [--json]``
print what these functions return; the terminal runner uses the same wording
for segments, so the plan and the run read alike.

JSON shapes (every key is always present; ``null`` where it does not apply):

* a routine: ``id``, ``name``, ``description``, ``duration_seconds``,
  ``items`` (the stretch ids in order), ``prepare_seconds``, ``rest_seconds``,
  ``switch_seconds``, ``waits_for_ready``, ``source``;
* a plan: ``routine`` (the id), ``name``, ``duration_seconds``,
  ``waits_for_ready`` and ``segments``, each with ``index``,
  ``start_seconds``, ``duration_seconds``, ``kind``, ``item``, ``stretch_id``,
  ``stretch_name``, ``side``, ``set``, ``sets``, ``rep``, ``reps``, ``phase``,
  ``breath``, ``label``, ``step`` (counting from 1, like the catalogue
  file), ``text`` (that step's instruction) and ``waits_for_ready``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from stretchdesk.core.model import Breath, Catalogue, Sides
from stretchdesk.core.routine import Routine
from stretchdesk.core.timeline import Plan, Segment, SegmentKind, expand


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 3)


def format_clock(seconds: float, *, round_up: bool = False) -> str:
    """``m:ss`` (or ``h:mm:ss``). ``round_up`` suits a countdown: 4.2 s left shows ``0:05``."""
    whole = math.ceil(seconds - 1e-9) if round_up else math.floor(seconds + 1e-9)
    whole = max(whole, 0)
    minutes, secs = divmod(whole, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


# --- JSON ----------------------------------------------------------------------------------


def routine_to_json(routine: Routine, catalogue: Catalogue) -> dict[str, Any]:
    """One routine for ``routines --json``."""
    plan = expand(routine, catalogue)
    return {
        "id": routine.id,
        "name": routine.name,
        "description": routine.description,
        "duration_seconds": _number(plan.duration),
        "items": list(routine.stretch_ids),
        "prepare_seconds": _number(routine.prepare_seconds),
        "rest_seconds": _number(routine.rest_seconds),
        "switch_seconds": _number(routine.switch_seconds),
        "waits_for_ready": routine.waits_for_ready,
        "source": routine.source,
    }


def routines_to_json(routines: Iterable[Routine], catalogue: Catalogue) -> list[dict[str, Any]]:
    return [routine_to_json(routine, catalogue) for routine in routines]


def segment_to_json(plan: Plan, index: int) -> dict[str, Any]:
    segment = plan.segments[index]
    stretch = segment.stretch
    step = segment.step
    return {
        "index": index,
        "start_seconds": _number(plan.starts[index]),
        "duration_seconds": _number(segment.duration),
        "kind": str(segment.kind),
        "item": segment.item,
        "stretch_id": segment.stretch_id,
        "stretch_name": stretch.name if stretch is not None else None,
        "side": str(segment.side) if segment.side is not None else None,
        "set": segment.set,
        "sets": segment.sets,
        "rep": segment.rep,
        "reps": segment.reps,
        "phase": segment.phase,
        "breath": str(segment.breath) if segment.breath is not None else None,
        "label": segment.label or None,
        "step": step + 1 if step is not None else None,
        "text": stretch.steps[step].text if stretch is not None and step is not None else None,
        "waits_for_ready": segment.waits,
    }


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """A routine's full timeline for ``plan --json``."""
    return {
        "routine": plan.routine.id,
        "name": plan.routine.name,
        "duration_seconds": _number(plan.duration),
        "waits_for_ready": plan.waits_for_ready,
        "segments": [segment_to_json(plan, i) for i in range(len(plan.segments))],
    }


# --- words ---------------------------------------------------------------------------------

_BREATH_WORDS = {
    Breath.IN: "breathe in",
    Breath.OUT: "breathe out",
    Breath.HOLD: "pause",
    Breath.NATURAL: "move",
}


def breath_words(breath: Breath | None) -> str:
    return _BREATH_WORDS.get(breath, "") if breath is not None else ""


def segment_title(segment: Segment) -> str:
    """What a segment is, in a few words: ``Pigeon Pose: hold, left side, set 1 of 2``."""
    stretch = segment.stretch
    if segment.kind is SegmentKind.FINISHED or stretch is None:
        return "Finished"
    if segment.kind is SegmentKind.REST and segment.between_items:
        return f"Rest. Next up: {stretch.name}"
    parts: list[str] = []
    if segment.kind is SegmentKind.PREPARE:
        parts.append("get into position" + (" (say when you are ready)" if segment.waits else ""))
    elif segment.kind is SegmentKind.SWITCH:
        parts.append(f"switch to the {segment.side} side")
    elif segment.kind is SegmentKind.REST:
        parts.append("release and rest before the next set")
    elif segment.kind is SegmentKind.HOLD:
        parts.append("hold")
    elif segment.kind is SegmentKind.REP:
        parts.append(f"rep {segment.rep} of {segment.reps}")
        words = breath_words(segment.breath)
        if words:
            parts.append(words + (f" ({segment.label})" if segment.label else ""))
    if segment.side is not None and segment.kind is not SegmentKind.SWITCH:
        parts.append(f"{segment.side} side")
    if segment.sets and segment.sets > 1 and segment.kind is not SegmentKind.PREPARE:
        parts.append(f"set {segment.set} of {segment.sets}")
    return f"{stretch.name}: " + ", ".join(parts)


def _reps_line(segments: list[Segment]) -> str:
    first = segments[0]
    stretch = first.stretch
    assert stretch is not None
    tempo = ", ".join(
        f"{breath_words(p.breath)} {format_seconds(p.seconds)}"
        + (f" ({p.label})" if p.label else "")
        for p in stretch.tempo
    )
    if stretch.sides is Sides.ALTERNATING:
        count = f"{first.reps} reps each side, alternating"
    else:
        count = f"{first.reps} reps"
        if first.side is not None:
            count += f", {first.side} side"
    if first.sets and first.sets > 1:
        count += f", set {first.set} of {first.sets}"
    return f"{stretch.name}: {count}: {tempo}"


def format_seconds(seconds: float) -> str:
    return f"{_number(seconds)} s"


def plan_lines(plan: Plan, *, every_rep: bool = False) -> list[str]:
    """The timeline as lines: start time, length, kind and what happens.

    The breath phases of a set of reps share one line unless ``every_rep``.
    """
    routine = plan.routine
    lines = [f"{routine.name} ({routine.id}): {format_clock(plan.duration)}"]
    if plan.waits_for_ready:
        lines.append("Each stretch starts when you say you are ready; waiting is not counted.")
    lines.append(f"{'start':>7}  {'length':>6}  {'kind':<8}  what")
    index = 0
    segments = plan.segments
    while index < len(segments):
        segment = segments[index]
        start = plan.starts[index]
        if segment.kind is SegmentKind.REP and not every_rep:
            end = index
            while (
                end + 1 < len(segments)
                and segments[end + 1].kind is SegmentKind.REP
                and (segments[end + 1].item, segments[end + 1].set) == (segment.item, segment.set)
                and (
                    segments[end + 1].side == segment.side
                    or (segment.stretch is not None and segment.stretch.sides is Sides.ALTERNATING)
                )
            ):
                end += 1
            group = list(segments[index : end + 1])
            length = sum(s.duration for s in group)
            what, kind = _reps_line(group), "reps"
            index = end + 1
        else:
            length, what, kind = segment.duration, segment_title(segment), str(segment.kind)
            if segment.kind is SegmentKind.HOLD and segment.stretch is not None:
                what += f". {segment.stretch.steps[segment.stretch.hold_step].text}"
            index += 1
        shown = "wait" if segment.waits else ("" if kind == "finished" else format_clock(length))
        lines.append(f"{format_clock(start):>7}  {shown:>6}  {kind:<8}  {what}")
    return lines


def routine_lines(routines: Iterable[Routine], catalogue: Catalogue) -> list[str]:
    """``routines``: one line per routine with its length, then its description."""
    rows = [(r, expand(r, catalogue).duration) for r in routines]
    width = max((len(r.id) for r, _ in rows), default=0)
    lines = []
    for routine, duration in rows:
        lines.append(f"{routine.id:<{width}}  {format_clock(duration):>6}  {routine.name}")
        if routine.description:
            lines.append(f"{'':<{width}}  {'':>6}  {routine.description}")
    return lines
