"""Filtering the catalogue: one query type shared by the command line and the browser."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
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

    def matches(self, stretch: Stretch, haystack: str | None = None) -> bool:
        """Whether ``stretch`` is wanted; ``haystack`` is its :func:`search_text`, if known."""
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
            if haystack is None:
                haystack = search_text(stretch)
            return all(word in haystack for word in self.words)
        return True

    @property
    def words(self) -> tuple[str, ...]:
        """The search words, case-folded."""
        return tuple(self.text.casefold().split())

    def filter(self, stretches: Iterable[Stretch]) -> list[Stretch]:
        return [s for s in stretches if self.matches(s)]

    def narrows(self, other: StretchQuery) -> bool:
        """Whether everything ``other`` matches is matched by this query too.

        True when only the search text differs and ``other`` extends it (more
        letters typed, or another word): then only this query's matches need
        looking at again.
        """
        if dataclasses.replace(self, text="") != dataclasses.replace(other, text=""):
            return False
        mine, theirs = self.words, other.words
        if len(theirs) < len(mine):
            return False
        return all(m in t for m, t in zip(mine, theirs, strict=False))


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


class StretchIndex:
    """The stretches of a list by area, kind, level, position, equipment and flags.

    :meth:`mask` answers a query for every stretch at once with set
    operations, then looks at the search text only of the stretches left; it
    gives the same answers as :meth:`StretchQuery.matches`, fast enough for a
    browser filtering thousands of stretches on every keystroke.
    """

    def __init__(self, stretches: Sequence[Stretch]) -> None:
        self.stretches = tuple(stretches)
        self.haystacks = [search_text(s) for s in self.stretches]
        self.all = frozenset(range(len(self.stretches)))
        self.by_area: dict[str, set[int]] = {}
        self.by_kind: dict[Kind, set[int]] = {}
        self.by_level: dict[Level, set[int]] = {}
        self.by_position: dict[str, set[int]] = {}
        self.by_equipment: dict[str, set[int]] = {}
        self.by_time: dict[TimeOfDay, set[int]] = {}
        self.desk_friendly: set[int] = set()
        self.flare_safe: set[int] = set()
        for row, stretch in enumerate(self.stretches):
            for area in stretch.areas:
                self.by_area.setdefault(area, set()).add(row)
            self.by_kind.setdefault(stretch.kind, set()).add(row)
            self.by_level.setdefault(stretch.level, set()).add(row)
            for position in stretch.positions:
                self.by_position.setdefault(position, set()).add(row)
            for item in stretch.equipment:
                self.by_equipment.setdefault(item, set()).add(row)
            for time_of_day in stretch.best_time:
                self.by_time.setdefault(time_of_day, set()).add(row)
            if stretch.desk_friendly:
                self.desk_friendly.add(row)
            if stretch.flare_safe:
                self.flare_safe.add(row)

    def __len__(self) -> int:
        return len(self.stretches)

    @staticmethod
    def _any(index: dict, keys: Iterable) -> set[int]:
        rows: set[int] = set()
        for key in keys:
            rows |= index.get(key, set())
        return rows

    def rows(self, query: StretchQuery, among: Iterable[int] | None = None) -> set[int]:
        """The rows whose stretch matches ``query`` (looking only ``among`` these, if given)."""
        rows = set(self.all if among is None else among)
        if query.areas:
            rows &= self._any(self.by_area, query.areas)
        if query.kinds:
            rows &= self._any(self.by_kind, query.kinds)
        if query.levels:
            rows &= self._any(self.by_level, query.levels)
        if query.positions:
            rows &= self._any(self.by_position, query.positions)
        if query.equipment_available is not None:
            missing = set(self.by_equipment) - set(query.equipment_available)
            rows -= self._any(self.by_equipment, missing)
        if query.desk_friendly:
            rows &= self.desk_friendly
        if query.flare_safe:
            rows &= self.flare_safe
        if query.time_of_day is not None:
            rows &= self.by_time.get(query.time_of_day, set())
        haystacks = self.haystacks
        for word in query.words:  # one pass per word: quicker than all() per stretch
            rows = {r for r in rows if word in haystacks[r]}
        return rows

    def mask(self, query: StretchQuery, among: Iterable[int] | None = None) -> list[bool]:
        """Whether each stretch matches ``query``, in order."""
        out = [False] * len(self.stretches)
        for row in self.rows(query, among):
            out[row] = True
        return out
