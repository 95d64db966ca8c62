"""The JSON shapes that scripts rely on (``list --json``, ``show --json``)."""

from __future__ import annotations

from typing import Any

from stretchdesk.core.model import Stretch


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def stretch_to_json(stretch: Stretch) -> dict[str, Any]:
    """A plain dict for one stretch; every documented key is always present."""
    return {
        "id": stretch.id,
        "name": stretch.name,
        "summary": stretch.summary,
        "areas": list(stretch.areas),
        "kind": str(stretch.kind),
        "level": str(stretch.level),
        "position": stretch.position,
        "positions": list(stretch.positions),
        "equipment": list(stretch.equipment),
        "optional_equipment": list(stretch.optional_equipment),
        "desk_friendly": stretch.desk_friendly,
        "flare_safe": stretch.flare_safe,
        "sides": str(stretch.sides),
        "hold_seconds": _number(stretch.hold_seconds),
        "reps": stretch.reps,
        "sets": stretch.sets,
        "tempo": [
            {
                "breath": str(p.breath),
                "seconds": _number(p.seconds),
                "step": p.step + 1,
                "label": p.label,
            }
            for p in stretch.tempo
        ],
        "steps": [step.text for step in stretch.steps],
        "poses": [step.pose for step in stretch.steps],
        "duration_seconds": _number(stretch.duration_seconds),
        "tips": list(stretch.tips),
        "cautions": list(stretch.cautions),
        "advice": list(stretch.advice),
        "best_time": [str(t) for t in stretch.best_time],
    }


def format_duration(seconds: float) -> str:
    """``45 s``, ``2 min``, ``2 min 30 s``: how people say a short duration."""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"
