"""Where a value came from in an input file, and problems that point there.

:class:`YMap` and :class:`YSeq` are what :mod:`stretchdesk.core.yamlsafe`
builds from YAML: a ``dict`` and a ``list`` that also carry the line and column
of themselves, their keys and their items. Validators (the catalogue, the
settings, the poses) read those marks to report a :class:`Problem` at the exact
place. This module needs no YAML parser, so code that only checks values (the
settings, the break scheduler's start-up) does not load one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


class Mark(NamedTuple):
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, printed as ``FILE:LINE:COL: path: message``."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class YMap(dict):
    """A YAML mapping that knows where it, its keys and its values are."""

    __slots__ = ("key_marks", "mark", "merged_keys", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[Any, Mark] = {}
        self.value_marks: dict[Any, Mark] = {}
        self.merged_keys: set[Any] = set()  # keys that came from a '<<' merge


class YSeq(list):
    """A YAML sequence that knows where it and each of its items are."""

    __slots__ = ("item_marks", "mark")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []


def mark_of(container: Any, key: Any = None) -> Mark | None:
    """Where ``container[key]`` is (or the container itself when ``key`` is None)."""
    if key is None:
        return getattr(container, "mark", None)
    if isinstance(container, YMap):
        return container.value_marks.get(key)
    if isinstance(container, YSeq) and isinstance(key, int) and 0 <= key < len(container):
        return container.item_marks[key]
    return None


def key_mark_of(mapping: Any, key: Any) -> Mark | None:
    """Where the key ``key`` itself is written in a mapping."""
    if isinstance(mapping, YMap):
        return mapping.key_marks.get(key)
    return None
