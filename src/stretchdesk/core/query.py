"""Filtering the catalogue: one query type shared by the command line and the browser."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stretchdesk.core.model import Catalogue, Kind, Level, Stretch, TimeOfDay


@dataclass(frozen=True, slots=True)
class StretchQuery:
    """What the user asked for. Empty fields match everything.

    Within one field the choices are alternatives (any area of ``areas``);
    across fields all must hold. ``text`` matches words of the name, summary,
    areas and steps, case-insensitively; every word must appear.
    """

    areas: frozenset[str] = frozenset()
    kinds: frozenset[Kind] = frozenset()
    levels: frozenset[Level] = frozenset()
    positions: frozenset[str] = frozenset()
    equipment_available: frozenset[str] | None = None  # None: do not filter by equipment
    desk_friendly: bool = False
    flare_safe: bool = False
    time_of_day: TimeOfDay | None = None
    text: str = ""

    def matches(self, stretch: Stretch) -> bool:
        if self.areas and self.areas.isdisjoint(stretch.areas):
            return False
        if self.kinds and stretch.kind not in self.kinds:
            return False
        if self.levels and stretch.level not in self.levels:
            return False
        if self.positions and self.positions.isdisjoint(stretch.positions):
            return False
        if self.equipment_available is not None and not set(stretch.equipment) <= set(
            self.equipment_available
        ):
            return False
        if self.desk_friendly and not stretch.desk_friendly:
            return False
        if self.flare_safe and not stretch.flare_safe:
            return False
        if self.time_of_day is not None and self.time_of_day not in stretch.best_time:
            return False
        if self.text:
            haystack = search_text(stretch)
            return all(word in haystack for word in self.text.casefold().split())
        return True

    def filter(self, stretches: Iterable[Stretch]) -> list[Stretch]:
        return [s for s in stretches if self.matches(s)]


def search_text(stretch: Stretch) -> str:
    """The lower-cased text a search looks through."""
    parts = [stretch.id, stretch.name, stretch.summary, " ".join(stretch.areas)]
    parts.extend(step.text for step in stretch.steps)
    return " ".join(parts).casefold()


def area_counts(catalogue: Catalogue) -> dict[str, int]:
    """How many stretches work each body area, for every area of the taxonomy."""
    counts = {area.id: 0 for area in catalogue.areas}
    for stretch in catalogue.stretches:
        for area in stretch.areas:
            counts[area] = counts.get(area, 0) + 1
    return counts
