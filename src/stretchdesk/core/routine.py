"""Routines: an ordered list of catalogue stretches with optional overrides.

A routine file is YAML with a ``routines`` list (see ``docs/routines.md``).
This module turns such files into frozen :class:`Routine` objects, checking
every field against the catalogue and reporting each problem with file, line,
column and field path, in the same shape as the catalogue loader.

Merge rules (the same as the catalogue's): the built-in file is read first,
then every ``*.yaml`` / ``*.yml`` file of the user's folder in name order. A
user routine with the id of a built-in one replaces it, and a notice says so.
A file that is not readable YAML is skipped as a whole; in a readable file,
each routine with a problem is skipped and every valid routine still loads.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from stretchdesk.core.loader import user_files
from stretchdesk.core.model import (
    DEFAULT_PREPARE_SECONDS,
    DEFAULT_REST_SECONDS,
    DEFAULT_SWITCH_SECONDS,
    Catalogue,
    Routine,
    RoutineItem,
    Sides,
    Stretch,
)
from stretchdesk.core.validate import Checker, Node, unknown_message
from stretchdesk.core.yamlsafe import Problem, YamlInputError, YMap, read_yaml

#: Upper limits that catch typos (an hour-long hold is a mistake, not a plan).
MAX_SETTING_SECONDS = 600.0
MAX_HOLD_SECONDS = 3600.0
MAX_SETS = 20
MAX_REPS = 200

ROUTINES_KEY = "routines"
FILE_VERSION = 1
_ROUTINE_KEYS = (
    "id",
    "name",
    "description",
    "prepare_seconds",
    "rest_seconds",
    "switch_seconds",
    "items",
)
_ITEM_KEYS = ("stretch", "hold_seconds", "sets", "reps", "sides")
_FILE_KEYS = ("version", ROUTINES_KEY)


class RoutineLoadResult(NamedTuple):
    """What :func:`load_routines` found; unpacks as ``routines, problems, notices``."""

    routines: tuple[Routine, ...]
    problems: list[Problem]
    notices: list[str]


class UnknownRoutineError(LookupError):
    """No routine has the id or name asked for; the message suggests near matches."""

    def __init__(self, query: str, suggestions: Sequence[str]) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        message = f"no routine is called {query!r}"
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


def apply_overrides(stretch: Stretch, item: RoutineItem) -> Stretch:
    """The stretch as this item does it: the catalogue entry with the item's overrides."""
    changes: dict[str, Any] = {}
    if item.hold_seconds is not None:
        changes["hold_seconds"] = float(item.hold_seconds)
    if item.sets is not None:
        changes["sets"] = item.sets
    if item.reps is not None:
        changes["reps"] = item.reps
    if item.sides is not None:
        changes["sides"] = item.sides
    return dataclasses.replace(stretch, **changes) if changes else stretch


def resolve_items(routine: Routine, catalogue: Catalogue) -> tuple[Stretch, ...]:
    """Each item's stretch with its overrides applied; ``KeyError`` for an unknown id."""
    return tuple(apply_overrides(catalogue[item.stretch_id], item) for item in routine.items)


def find_routine(routines: Iterable[Routine], query: str) -> Routine:
    """The routine whose id, or name ignoring case and spacing, is ``query``.

    Raises :class:`UnknownRoutineError` with close matches when none is.
    """
    wanted = " ".join(query.split()).casefold()
    candidates = list(routines)
    for routine in candidates:
        if routine.id == query:
            return routine
    for routine in candidates:
        if routine.id.casefold() == wanted or " ".join(routine.name.split()).casefold() == wanted:
            return routine
    names = {r.id: r.id for r in candidates} | {r.name.casefold(): r.id for r in candidates}
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[c] for c in close))
    raise UnknownRoutineError(query, suggestions)


# --- reading -------------------------------------------------------------------------------

_NUMBER_TYPES = (int, float)


def _seconds_or_zero(check: Checker, node: Node) -> float | None:
    """A number of seconds, 0 or more, up to :data:`MAX_SETTING_SECONDS`."""
    value = node.value
    if type(value) in _NUMBER_TYPES and math.isfinite(value) and value >= 0:
        if value <= MAX_SETTING_SECONDS:
            return float(value)
        check.wrong(node, f"a number of seconds up to {MAX_SETTING_SECONDS:g}")
        return None
    check.wrong(node, "a number of seconds, 0 or more")
    return None


class _RoutineReader:
    """Checks routine entries against the catalogue they will run from."""

    def __init__(self, check: Checker, catalogue: Catalogue, source: str) -> None:
        self.check = check
        self.catalogue = catalogue
        self.source = source
        self.stretch_ids = [s.id for s in catalogue.stretches]

    def routine(self, node: Node) -> Routine | None:
        check = self.check
        before = check.count
        if (
            check.mapping(
                node, allowed=_ROUTINE_KEYS, required=("id", "name", "items"), what="a routine"
            )
            is None
        ):
            return None
        routine_id = check.field(node, "id", check.identifier)
        name = check.field(node, "name", check.text)
        description = check.field(node, "description", check.text, default="")
        settings = {
            key: check.field(node, key, lambda n: _seconds_or_zero(check, n), default=default)
            for key, default in (
                ("prepare_seconds", DEFAULT_PREPARE_SECONDS),
                ("rest_seconds", DEFAULT_REST_SECONDS),
                ("switch_seconds", DEFAULT_SWITCH_SECONDS),
            )
        }
        items_node = node.get("items")
        items: tuple[RoutineItem, ...] | None = None
        if items_node is not None:
            items = check.list_of(items_node, self.item, what="a list of stretches", non_empty=True)
        if check.count != before or routine_id is None or name is None or items is None:
            return None
        return Routine(
            id=routine_id,
            name=name.strip(),
            description=(description or "").strip(),
            items=items,
            source=self.source,
            **settings,  # type: ignore[arg-type]
        )

    def stretch(self, node: Node) -> Stretch | None:
        value = node.value
        if type(value) is not str:
            self.check.wrong(node, "a stretch id")
            return None
        stretch = self.catalogue.get(value)
        if stretch is None:
            self.check.report(node, unknown_message("stretch", value, self.stretch_ids))
        return stretch

    def item(self, node: Node) -> RoutineItem | None:
        check = self.check
        if not isinstance(node.value, YMap):
            if type(node.value) is not str:
                check.wrong(node, "a stretch id or a mapping with 'stretch'")
                return None
            stretch = self.stretch(node)
            return None if stretch is None else RoutineItem(stretch.id)
        before = check.count
        check.mapping(node, allowed=_ITEM_KEYS, required=("stretch",), what="an item")
        stretch_node = node.get("stretch")
        stretch = self.stretch(stretch_node) if stretch_node is not None else None
        hold = check.field(
            node, "hold_seconds", lambda n: check.positive_number(n, maximum=MAX_HOLD_SECONDS)
        )
        reps = check.field(node, "reps", lambda n: check.positive_int(n, maximum=MAX_REPS))
        sets = check.field(node, "sets", lambda n: check.positive_int(n, maximum=MAX_SETS))
        sides_text = check.field(
            node, "sides", lambda n: check.choice(n, [s.value for s in Sides], what="sides")
        )
        sides = Sides(sides_text) if sides_text is not None else None
        if stretch is not None:
            if hold is not None and stretch.hold_seconds is None:
                check.report(
                    node.get("hold_seconds") or node,
                    f"{stretch.id!r} is done in reps, not held; set 'reps' instead",
                )
            if reps is not None and stretch.reps is None:
                check.report(
                    node.get("reps") or node,
                    f"{stretch.id!r} is held, not done in reps; set 'hold_seconds' instead",
                )
            if sides is Sides.ALTERNATING and stretch.reps is None:
                check.report(
                    node.get("sides") or node,
                    "'alternating' needs a stretch done in reps; use 'each' for a hold",
                )
        if check.count != before or stretch is None:
            return None
        return RoutineItem(stretch.id, hold, sets, reps, sides)


def parse_routines(
    data: Any, filename: str, catalogue: Catalogue
) -> tuple[list[Routine], list[Problem]]:
    """Valid routines of one parsed file, and every problem found in it (top to bottom).

    Routines with a problem are left out; of two routines with one id in the
    same file, the second is a problem.
    """
    found, problems = _parse_marked(data, filename, catalogue)
    return [routine for routine, _ in found], problems


def _parse_marked(
    data: Any, filename: str, catalogue: Catalogue
) -> tuple[list[tuple[Routine, Node]], list[Problem]]:
    check = Checker(filename)
    top = Node.root(data)
    found: list[tuple[Routine, Node]] = []
    if data is None:
        check.report(top, "the file is empty; expected a mapping with a 'routines' list")
    elif check.mapping(
        top, allowed=_FILE_KEYS, required=(ROUTINES_KEY,), what="a mapping with a 'routines' list"
    ) is not None and _version_ok(check, top):
        reader = _RoutineReader(check, catalogue, filename)
        seen: dict[str, Node] = {}
        routines_node = top.get(ROUTINES_KEY)
        entries = [] if routines_node is None else check.sequence(routines_node, what="a list")
        for entry in entries:
            routine = reader.routine(entry)
            if routine is None:
                continue
            id_node = entry.get("id") or entry
            if check.unique(id_node, routine.id, seen, what="routine id"):
                found.append((routine, id_node))
    problems = sorted(check.problems, key=lambda p: (p.line, p.column))
    return found, problems


def _version_ok(check: Checker, top: Node) -> bool:
    version = top.get("version")
    if version is None or (type(version.value) is int and version.value == FILE_VERSION):
        return True
    check.wrong(version, f"version {FILE_VERSION}")
    return False


def _read_file(
    path: Path, catalogue: Catalogue
) -> tuple[list[tuple[Routine, Node]], list[Problem]]:
    try:
        data = read_yaml(path)
    except YamlInputError as exc:
        return [], list(exc.problems)
    return _parse_marked(data, str(path), catalogue)


def check_routine_file(path: Path, catalogue: Catalogue) -> list[Problem]:
    """Every problem in one routine file (empty when it is valid)."""
    return _read_file(Path(path), catalogue)[1]


def load_routines(
    builtin_file: Path | None, user_dir: Path | None, catalogue: Catalogue
) -> RoutineLoadResult:
    """The built-in routines merged with the user's (``user_dir/*.yaml``), problems and notices.

    Checked against ``catalogue``, which should be the merged catalogue (built-in
    and the user's stretches). User files are read in name order; a user routine
    with the id of an earlier one replaces it in place, with a notice.
    """
    problems: list[Problem] = []
    notices: list[str] = []
    merged: dict[str, Routine] = {}
    origin: dict[str, str] = {}  # id -> the user file it came from; "" = built-in
    if builtin_file is not None:
        found, file_problems = _read_file(Path(builtin_file), catalogue)
        problems += file_problems
        for routine, _ in found:
            merged[routine.id] = routine
            origin[routine.id] = ""
    files, listing_problems = user_files(user_dir)
    problems += listing_problems
    for path in files:
        found, file_problems = _read_file(path, catalogue)
        problems += file_problems
        for routine, _ in found:
            previous = origin.get(routine.id)
            if previous == "":
                notices.append(
                    f"{path.name}: routine {routine.id!r} replaces the built-in routine of that id"
                )
            elif previous is not None:
                notices.append(
                    f"{path.name}: routine {routine.id!r} replaces the one in {previous}"
                )
            merged[routine.id] = routine
            origin[routine.id] = path.name
    return RoutineLoadResult(tuple(merged.values()), problems, notices)
