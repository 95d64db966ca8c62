"""A routine expanded into the timed segments a session runs through.

:func:`expand` is the single place that decides what a routine does, second
by second. The session engine runs exactly these segments, so the duration
shown for a routine (:attr:`Plan.duration`) is the time the engine takes.

For each item, in order:

* a ``rest`` of the routine's ``rest_seconds`` (not before the first item);
* a ``prepare`` of ``prepare_seconds`` to get into position, showing the
  set-up steps (with ``prepare_seconds: 0`` it waits until the user is ready
  and counts as no time);
* the work, set by set: a ``hold`` per side, or one ``rep`` segment per
  breath phase of every repetition. Sides ``each`` do the whole set on the
  left, a ``switch`` of ``switch_seconds``, then the right; ``alternating``
  reps go left, right, left, ... A new set starts after a ``switch`` when the
  side changes, or a short ``rest`` of ``switch_seconds`` when it does not;
* after the last item, a ``finished`` segment of no duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate
from typing import Any

from stretchdesk.core.model import Breath, Catalogue, Sides, Stretch
from stretchdesk.core.routine import Routine, resolve_items


class SegmentKind(StrEnum):
    PREPARE = "prepare"
    HOLD = "hold"
    SWITCH = "switch"
    REP = "rep"
    REST = "rest"
    FINISHED = "finished"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


#: Kinds of segment in which the user works the stretch (counted as "held").
WORK_KINDS = frozenset({SegmentKind.HOLD, SegmentKind.REP})


@dataclass(frozen=True, slots=True)
class Segment:
    """One timed piece of a session.

    ``item`` indexes the routine's items (a rest between two stretches belongs
    to the one that follows it; ``None`` for ``finished``). ``stretch`` is the
    item's stretch with the routine's overrides applied. ``set`` and ``rep``
    count from 1 (``rep`` per side), ``sets`` and ``reps`` are the totals;
    ``phase`` counts the breath phases of a rep from 1; ``step`` is the
    0-based index of the stretch step the segment illustrates. ``waits`` marks
    a prepare that lasts until the user says ready; its ``duration`` is 0.
    """

    kind: SegmentKind
    duration: float
    item: int | None = None
    stretch: Stretch | None = None
    side: Side | None = None
    set: int | None = None
    sets: int | None = None
    rep: int | None = None
    reps: int | None = None
    phase: int | None = None
    breath: Breath | None = None
    label: str = ""
    step: int | None = None
    waits: bool = False

    @property
    def stretch_id(self) -> str | None:
        return self.stretch.id if self.stretch is not None else None

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS

    @property
    def between_items(self) -> bool:
        """A rest separating two stretches (rather than two sets of one)."""
        return self.kind is SegmentKind.REST and self.set is None


@dataclass(frozen=True, slots=True)
class Plan:
    """A routine's segments in order (the last is ``finished``) and their start times."""

    routine: Routine
    stretches: tuple[Stretch, ...]  # per item, overrides applied
    segments: tuple[Segment, ...]
    starts: tuple[float, ...]  # seconds from the start of the session

    @property
    def duration(self) -> float:
        """The seconds the session runs (waiting for "ready" not counted)."""
        return self.starts[-1] + self.segments[-1].duration

    @property
    def waits_for_ready(self) -> bool:
        return any(segment.waits for segment in self.segments)

    def item_start(self, item: int) -> int:
        """Index of the item's ``prepare`` segment."""
        for index, segment in enumerate(self.segments):
            if segment.item == item and segment.kind is SegmentKind.PREPARE:
                return index
        raise IndexError(item)


def _sides(stretch: Stretch) -> tuple[Side | None, ...]:
    return (Side.LEFT, Side.RIGHT) if stretch.sides is Sides.EACH else (None,)


def _work(stretch: Stretch, item: int, set_no: int, side: Side | None) -> list[Segment]:
    common = {"item": item, "stretch": stretch, "set": set_no, "sets": stretch.sets}
    if stretch.hold_seconds is not None:
        return [
            Segment(
                SegmentKind.HOLD,
                float(stretch.hold_seconds),
                side=side,
                step=stretch.hold_step,
                **common,
            )
        ]
    rep_sides = (Side.LEFT, Side.RIGHT) if stretch.sides is Sides.ALTERNATING else (side,)
    return rep_segments(stretch, stretch.reps or 0, rep_sides, **common)


def rep_segments(
    stretch: Stretch, reps: int, sides: tuple[Side | None, ...], /, **common: Any
) -> list[Segment]:
    """``reps`` repetitions, each on every side of ``sides`` in turn, phase by phase.

    ``common`` holds the fields every segment shares (the stretch, item, set).
    """
    out: list[Segment] = []
    for rep in range(1, reps + 1):
        for side in sides:
            for number, phase in enumerate(stretch.tempo, start=1):
                out.append(
                    Segment(
                        SegmentKind.REP,
                        float(phase.seconds),
                        side=side,
                        rep=rep,
                        reps=reps,
                        phase=number,
                        breath=phase.breath,
                        label=phase.label,
                        step=phase.step,
                        **common,
                    )
                )
    return out


def _item_segments(routine: Routine, stretch: Stretch, item: int) -> list[Segment]:
    out: list[Segment] = []
    if item > 0 and routine.rest_seconds > 0:
        out.append(
            Segment(
                SegmentKind.REST, float(routine.rest_seconds), item=item, stretch=stretch, step=0
            )
        )
    sides = _sides(stretch)
    out.append(
        Segment(
            SegmentKind.PREPARE,
            float(routine.prepare_seconds),
            item=item,
            stretch=stretch,
            side=sides[0] if stretch.sides is Sides.EACH else None,
            step=0,
            waits=routine.waits_for_ready,
        )
    )
    previous: Side | None = None
    first = True
    for set_no in range(1, stretch.sets + 1):
        for side in sides:
            if not first and routine.switch_seconds > 0:
                kind = SegmentKind.SWITCH if side != previous else SegmentKind.REST
                out.append(
                    Segment(
                        kind,
                        float(routine.switch_seconds),
                        item=item,
                        stretch=stretch,
                        side=side,
                        set=set_no,
                        sets=stretch.sets,
                        step=stretch.hold_step if kind is SegmentKind.SWITCH else 0,
                    )
                )
            out.extend(_work(stretch, item, set_no, side))
            previous, first = side, False
    return out


def expand(routine: Routine, catalogue: Catalogue) -> Plan:
    """The routine's full timeline; ``KeyError`` if an item names an unknown stretch."""
    stretches = resolve_items(routine, catalogue)
    segments: list[Segment] = []
    for item, stretch in enumerate(stretches):
        segments.extend(_item_segments(routine, stretch, item))
    segments.append(Segment(SegmentKind.FINISHED, 0.0))
    starts = tuple(accumulate((s.duration for s in segments[:-1]), initial=0.0))
    return Plan(routine, stretches, tuple(segments), starts)


def routine_duration(routine: Routine, catalogue: Catalogue) -> float:
    """Seconds the routine takes, exactly as the session engine runs it."""
    return expand(routine, catalogue).duration
