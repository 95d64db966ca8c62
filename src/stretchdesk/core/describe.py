"""How much of a stretch, in words: ``Hold 30 s on each side, 2 sets``, ``8 reps``.

Shared by the printed sheet and the command line, so both say it alike.
"""

from __future__ import annotations

from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Sides, Stretch
from stretchdesk.core.timeline_text import breath_words


def dose_text(stretch: Stretch) -> str:
    """The hold or reps, the sides and the sets of a stretch (overrides already applied)."""
    sets = f", {stretch.sets} sets" if stretch.sets > 1 else ""
    if stretch.hold_seconds is not None:
        side = " on each side" if stretch.sides is Sides.EACH else ""
        return f"Hold {format_duration(stretch.hold_seconds)}{side}{sets}"
    if stretch.sides is Sides.ALTERNATING:
        side = " on each side, alternating"
    elif stretch.sides is Sides.EACH:
        side = " on each side"
    else:
        side = ""
    return f"{stretch.reps or 0} reps{side}{sets}"


def tempo_text(stretch: Stretch) -> str:
    """``Each rep: breathe in 3 s (cow), breathe out 3 s (cat)``; empty for a hold."""
    if stretch.hold_seconds is not None or not stretch.tempo:
        return ""
    parts = []
    for phase in stretch.tempo:
        text = f"{breath_words(phase.breath)} {format_duration(phase.seconds)}"
        parts.append(text + (f" ({phase.label})" if phase.label else ""))
    return "Each rep: " + ", ".join(parts)
