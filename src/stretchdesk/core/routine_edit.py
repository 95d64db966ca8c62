"""Editing a routine: the changes the routine builder makes, as pure functions.

Each function returns a new :class:`~stretchdesk.core.model.Routine`; the one
passed in is never changed. Overrides that equal the stretch's own value are
stored as ``None`` (no override), so a saved file only says what differs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from stretchdesk.core.model import Routine, RoutineItem, Sides, Stretch


def insert_stretches(
    routine: Routine, stretch_ids: Sequence[str], row: int | None = None
) -> Routine:
    """``stretch_ids`` added before item ``row`` (at the end when ``None``)."""
    items = list(routine.items)
    at = len(items) if row is None else max(0, min(row, len(items)))
    items[at:at] = [RoutineItem(s) for s in stretch_ids]
    return dataclasses.replace(routine, items=tuple(items))


def move_item(routine: Routine, source: int, target: int) -> Routine:
    """Item ``source`` moved to position ``target`` (both 0-based, clamped)."""
    items = list(routine.items)
    if not 0 <= source < len(items):
        return routine
    item = items.pop(source)
    items.insert(max(0, min(target, len(items))), item)
    return dataclasses.replace(routine, items=tuple(items))


def reorder(routine: Routine, order: Sequence[int]) -> Routine:
    """The items in ``order`` (a permutation of their indexes)."""
    if sorted(order) != list(range(len(routine.items))):
        raise ValueError("order must name every item once")
    return dataclasses.replace(routine, items=tuple(routine.items[i] for i in order))


def remove_item(routine: Routine, row: int) -> Routine:
    items = list(routine.items)
    if 0 <= row < len(items):
        del items[row]
    return dataclasses.replace(routine, items=tuple(items))


def override_item(
    routine: Routine,
    row: int,
    stretch: Stretch,
    *,
    amount: float | None = None,
    sets: int | None = None,
    sides: Sides | None = None,
) -> Routine:
    """Item ``row`` (of ``stretch``) with a new hold (or reps), sets and sides.

    ``amount`` is seconds for a held stretch and reps for one done in reps.
    ``None`` keeps the item's current value; a value equal to the stretch's
    own clears the override. Alternating sides are only for reps.
    """
    item = routine.items[row]
    hold, reps = item.hold_seconds, item.reps
    if amount is not None:
        if stretch.hold_seconds is not None:
            hold = None if float(amount) == stretch.hold_seconds else float(amount)
        else:
            reps = None if int(amount) == stretch.reps else int(amount)
    new_sets = item.sets
    if sets is not None:
        new_sets = None if sets == stretch.sets else sets
    new_sides = item.sides
    if sides is not None:
        if sides is Sides.ALTERNATING and stretch.reps is None:
            sides = Sides.EACH
        new_sides = None if sides is stretch.sides else sides
    changed = RoutineItem(item.stretch_id, hold, new_sets, reps, new_sides)
    items = list(routine.items)
    items[row] = changed
    return dataclasses.replace(routine, items=tuple(items))


def reset_item(routine: Routine, row: int) -> Routine:
    """Item ``row`` back to its stretch's own hold, reps, sets and sides."""
    items = list(routine.items)
    items[row] = RoutineItem(items[row].stretch_id)
    return dataclasses.replace(routine, items=tuple(items))


def slug(name: str, fallback: str = "my-routine") -> str:
    """An id made from a name: ``"Morning, gently!"`` -> ``morning-gently``."""
    text = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    if not text or not text[0].isalpha():
        text = f"{fallback}-{text}".strip("-") if text else fallback
    return text[:60].rstrip("-")
