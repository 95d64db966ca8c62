"""Routines and stretches as the plain data of their YAML files (the reverse of the loaders).

:func:`routine_file_data` and :func:`stretch_file_data` build the mapping a
routine file (``docs/routines.md``) or a user stretch file
(``docs/catalogue.md``) holds, leaving out every value that equals its
default so a saved file reads like a hand-written one. Reading the result
back through :mod:`stretchdesk.core.routine` or :mod:`stretchdesk.core.loader`
gives the same objects again; the stores check that on every save.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stretchdesk.core.model import (
    DEFAULT_PREPARE_SECONDS,
    DEFAULT_REST_SECONDS,
    DEFAULT_SWITCH_SECONDS,
    Level,
    Phase,
    Routine,
    RoutineItem,
    Sides,
    Step,
    Stretch,
    TimeOfDay,
)

FILE_VERSION = 1
_ALL_TIMES = (TimeOfDay.MORNING, TimeOfDay.EVENING)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def routine_item_data(item: RoutineItem) -> str | dict[str, Any]:
    """A plain stretch id, or a mapping with the overrides."""
    overrides: dict[str, Any] = {}
    if item.hold_seconds is not None:
        overrides["hold_seconds"] = _number(item.hold_seconds)
    if item.sets is not None:
        overrides["sets"] = item.sets
    if item.reps is not None:
        overrides["reps"] = item.reps
    if item.sides is not None:
        overrides["sides"] = str(item.sides)
    return {"stretch": item.stretch_id, **overrides} if overrides else item.stretch_id


def routine_data(routine: Routine) -> dict[str, Any]:
    """One routine as a mapping of the routine file format."""
    data: dict[str, Any] = {"id": routine.id, "name": routine.name}
    if routine.description:
        data["description"] = routine.description
    for key, value, default in (
        ("prepare_seconds", routine.prepare_seconds, DEFAULT_PREPARE_SECONDS),
        ("rest_seconds", routine.rest_seconds, DEFAULT_REST_SECONDS),
        ("switch_seconds", routine.switch_seconds, DEFAULT_SWITCH_SECONDS),
    ):
        if value != default:
            data[key] = _number(value)
    data["items"] = [routine_item_data(item) for item in routine.items]
    return data


def routine_file_data(routines: Iterable[Routine]) -> dict[str, Any]:
    """A whole routine file: ``version`` and the ``routines`` list."""
    return {"version": FILE_VERSION, "routines": [routine_data(r) for r in routines]}


def _step_data(step: Step) -> str | dict[str, Any]:
    return {"text": step.text, "pose": step.pose} if step.pose is not None else step.text


def _phase_data(phase: Phase) -> dict[str, Any]:
    data: dict[str, Any] = {
        "breath": str(phase.breath),
        "seconds": _number(phase.seconds),
        "step": phase.step + 1,
    }
    if phase.label:
        data["label"] = phase.label
    return data


def stretch_data(stretch: Stretch) -> dict[str, Any]:
    """One stretch as a mapping of the catalogue format (step numbers count from 1)."""
    data: dict[str, Any] = {
        "id": stretch.id,
        "name": stretch.name,
        "summary": stretch.summary,
        "areas": list(stretch.areas),
        "kind": str(stretch.kind),
    }
    if stretch.level is not Level.BASIC:
        data["level"] = str(stretch.level)
    positions = list(stretch.positions)
    data["position"] = positions[0] if len(positions) == 1 else positions
    if stretch.equipment:
        data["equipment"] = list(stretch.equipment)
    if stretch.optional_equipment:
        data["optional_equipment"] = list(stretch.optional_equipment)
    if stretch.desk_friendly:
        data["desk_friendly"] = True
    if stretch.flare_safe:
        data["flare_safe"] = True
    if stretch.sides is not Sides.NONE:
        data["sides"] = str(stretch.sides)
    if stretch.hold_seconds is not None:
        data["hold_seconds"] = _number(stretch.hold_seconds)
    if stretch.reps is not None:
        data["reps"] = stretch.reps
    if stretch.sets != 1:
        data["sets"] = stretch.sets
    if stretch.tempo:
        data["tempo"] = [_phase_data(p) for p in stretch.tempo]
    if stretch.hold_step != len(stretch.steps) - 1:
        data["hold_step"] = stretch.hold_step + 1
    data["steps"] = [_step_data(s) for s in stretch.steps]
    for key in ("tips", "cautions", "advice"):
        values = getattr(stretch, key)
        if values:
            data[key] = list(values)
    if tuple(stretch.best_time) != _ALL_TIMES:
        data["best_time"] = [str(t) for t in stretch.best_time]
    return data


def stretch_file_data(stretches: Iterable[Stretch]) -> dict[str, Any]:
    """A whole user stretch file: ``version`` and the ``stretches`` list."""
    return {"version": FILE_VERSION, "stretches": [stretch_data(s) for s in stretches]}
