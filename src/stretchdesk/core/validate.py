"""Small, reusable checks over YAML read by :mod:`stretchdesk.core.yamlsafe`.

Every loader (stretches, routines, poses, settings) validates the same way: it
walks the parsed document with :class:`Node` handles, asks a :class:`Checker`
for typed values, and gets back either the value or ``None`` after a
:class:`~stretchdesk.core.yamlsafe.Problem` has been recorded. Nothing raises:
every problem in a file is collected, each with its file, line, column and
field path (``stretches[3].tempo[0].seconds``), and a message that says what
was expected and what was found.

A typical entry checker::

    def parse_thing(check: Checker, node: Node) -> Thing | None:
        before = check.count
        if check.mapping(node, allowed=FIELDS, required=("id", "name"), what="a thing") is None:
            return None
        thing_id = check.field(node, "id", check.identifier, required=True)
        name = check.field(node, "name", check.text, required=True)
        seconds = check.field(node, "seconds", check.positive_number, default=30.0)
        if check.count != before:  # something was wrong: leave this entry out
            return None
        return Thing(thing_id, name, seconds)

Conventions:

* A check method takes a :class:`Node` and returns the checked value, or
  ``None`` after reporting a problem. Callers decide whether an entry is
  valid by comparing :attr:`Checker.count` before and after, so they can keep
  checking the other fields and report everything at once.
* :meth:`Checker.field` reads a field: an absent key, or a key written with
  no value (``tips:``), gives the default. Required fields are listed in
  :meth:`Checker.mapping`, which reports those missing, and read with
  ``required=True``, so an empty value is reported as well.
* ``bool`` is not a number here: ``hold_seconds: true`` is wrong, although
  ``True`` is an ``int`` in Python.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from stretchdesk.core.yamlsafe import Mark, Problem, YMap, YSeq

T = TypeVar("T")

ID_PATTERN = re.compile(r"[a-z][a-z0-9-]*")
"""Ids: lowercase letters, digits and hyphens, starting with a letter."""

ID_RULE = "an id of lowercase letters, digits and hyphens that starts with a letter"

_TEXT_PREVIEW = 40  # characters of a wrong value quoted in a message
_MAX_LISTED = 12  # choices spelt out in a message when nothing is close


def child_path(path: str, key: object) -> str:
    """The field path of ``key`` under ``path``: ``a.b``, ``a[3]``, or ``b`` at the top."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def describe(value: object) -> str:
    """How a message names a value that was found: ``the text 'abc'``, ``a list``, ``true``."""
    if value is None:
        return "nothing"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        if not value.strip():
            return "empty text" if not value else "only spaces"
        shown = value if len(value) <= _TEXT_PREVIEW else value[: _TEXT_PREVIEW - 1] + "…"
        return f"the text {shown!r}"
    if isinstance(value, float):
        if math.isnan(value):
            return "not-a-number (.nan)"
        if math.isinf(value):
            return "infinity" if value > 0 else "minus infinity"
        return repr(value)
    if isinstance(value, int):
        return str(value) if len(str(abs(value))) <= 20 else "a number that is far too large"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"  # pragma: no cover - YAML gives no other types


def did_you_mean(word: object, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (case and ``_``/``-`` aside first), or None."""
    if not isinstance(word, str):
        return None
    options = list(choices)
    folded = word.strip().lower().replace("_", "-").replace(" ", "-")
    for option in options:
        if option.lower() == folded or option.lower().replace("_", "-") == folded:
            return option
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_message(what: str, value: object, choices: Sequence[str]) -> str:
    """``unknown body area 'lowerback'; did you mean 'lower-back'?`` (or the list of choices)."""
    found = repr(value) if isinstance(value, str) else describe(value)
    message = f"unknown {what} {found}"
    guess = did_you_mean(value, choices)
    if guess is not None:
        return f"{message}; did you mean {guess!r}?"
    if not choices:
        return f"{message}; none are defined"
    if len(choices) <= _MAX_LISTED:
        return f"{message}; expected one of: {', '.join(choices)}"
    return message


class Node:
    """A value in a parsed document, with its field path and where it is written.

    ``mark`` is the value's own position when YAML recorded one, else the
    position of the closest enclosing value.
    """

    __slots__ = ("mark", "path", "value")

    def __init__(self, value: Any, path: str, mark: Mark) -> None:
        self.value = value
        self.path = path
        self.mark = mark

    @classmethod
    def root(cls, value: Any) -> Node:
        """The top of a document read by :func:`~stretchdesk.core.yamlsafe.read_yaml`."""
        return cls(value, "", getattr(value, "mark", None) or Mark(1, 1))

    def get(self, key: str) -> Node | None:
        """The node of ``key`` in this mapping; None when absent (or this is not a mapping)."""
        value = self.value
        if not isinstance(value, dict) or key not in value:
            return None
        marks = getattr(value, "value_marks", None)
        mark = marks.get(key, self.mark) if marks is not None else self.mark
        return Node(value[key], f"{self.path}.{key}" if self.path else key, mark)

    def key_mark(self, key: object) -> Mark:
        """Where the key ``key`` itself is written (this node's mark when unknown)."""
        marks = getattr(self.value, "key_marks", None)
        return marks.get(key, self.mark) if marks is not None else self.mark

    def items(self) -> list[Node]:
        """The nodes of this sequence's items (empty when this is not a sequence)."""
        value = self.value
        if not isinstance(value, list):
            return []
        marks = value.item_marks if isinstance(value, YSeq) else [self.mark] * len(value)
        path = self.path
        return [Node(item, f"{path}[{i}]", marks[i]) for i, item in enumerate(value)]

    def __repr__(self) -> str:
        return f"Node({self.path or '<top>'} at {self.mark.line}:{self.mark.column})"


class Checker:
    """Collects the problems found in one file.

    Each check method returns the checked value, or None after recording a
    problem. ``count`` tells a caller whether anything was reported while it
    checked an entry.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []

    @property
    def count(self) -> int:
        """How many problems have been reported so far."""
        return len(self.problems)

    def report(self, where: Node | Mark, message: str, path: str | None = None) -> None:
        """Record a problem at a node (or at a mark, with the field path given)."""
        if isinstance(where, Node):
            mark, field_path = where.mark, where.path if path is None else path
        else:
            mark, field_path = where, path or ""
        self.problems.append(Problem(self.filename, mark.line, mark.column, field_path, message))

    def wrong(self, node: Node, expected: str) -> None:
        """Report ``expected EXPECTED, found WHAT-WAS-THERE`` at ``node``."""
        self.report(node, f"expected {expected}, found {describe(node.value)}")

    # -- structure ---------------------------------------------------------------

    def mapping(
        self,
        node: Node,
        *,
        allowed: Collection[str],
        required: Iterable[str] = (),
        what: str = "a mapping",
        not_here: Mapping[str, str] | None = None,
    ) -> YMap | None:
        """The mapping at ``node``, after reporting unknown keys and missing required ones.

        ``allowed`` are the known field names (unknown ones get a "did you
        mean"); ``not_here`` gives a specific message for keys that are known
        elsewhere but not allowed in this place.
        """
        value = node.value
        if not isinstance(value, YMap):
            self.wrong(node, what)
            return None
        for key in value:
            if key in allowed:
                continue
            where = node.key_mark(key)
            path = child_path(node.path, key)
            if not_here is not None and key in not_here:
                self.report(where, not_here[key], path)
            else:
                shown = repr(key) if isinstance(key, str) else describe(key)
                message = f"unknown field {shown}"
                guess = did_you_mean(key, allowed)
                if guess is not None:
                    message += f"; did you mean {guess!r}?"
                elif len(allowed) <= _MAX_LISTED:
                    message += f"; expected one of: {', '.join(allowed)}"
                self.report(where, message, path)
        for key in required:
            if key not in value:
                self.report(node, f"missing required field {key!r}")
        return value

    def field(
        self,
        parent: Node,
        key: str,
        check: Callable[[Node], T | None],
        default: T | None = None,
        *,
        required: bool = False,
    ) -> T | None:
        """``check`` applied to the value of ``key`` in the mapping ``parent``.

        An absent key gives ``default`` (:meth:`mapping` reports missing
        required keys). A key written with nothing after it (``tips:``) counts
        as absent too, unless the field is ``required``: then ``check`` sees
        the empty value and reports it (``expected text, found nothing``).
        """
        value = parent.value
        if key not in value or (value[key] is None and not required):
            return default
        mark = value.value_marks[key] if type(value) is YMap else parent.mark
        return check(Node(value[key], f"{parent.path}.{key}" if parent.path else key, mark))

    def sequence(self, node: Node, *, what: str = "a list", non_empty: bool = False) -> list[Node]:
        """The item nodes of the list at ``node``; empty after a problem.

        With ``non_empty``, an empty list is a problem too.
        """
        if not isinstance(node.value, YSeq):
            self.wrong(node, what)
            return []
        if non_empty and not node.value:
            self.report(node, f"expected {what} with at least one item, found an empty list")
            return []
        return node.items()

    def list_of(
        self,
        node: Node,
        check: Callable[[Node], T | None],
        *,
        what: str,
        non_empty: bool = False,
        unique: bool = False,
        accept: Callable[[Any], bool] | None = None,
    ) -> tuple[T, ...] | None:
        """Every item of the list at ``node`` checked with ``check``; None if any failed.

        ``what`` names the list in messages (``a list of body areas``). With
        ``unique``, an item written twice is a problem.

        ``accept`` is an optional fast path for large files: a cheap test that
        a raw item is valid exactly as written (``check`` would return it
        unchanged). When every item passes, no per-item nodes are made.
        """
        value = node.value
        if (
            accept is not None
            and type(value) is YSeq
            and (value or not non_empty)
            and all(map(accept, value))
            and (not unique or len(set(value)) == len(value))
        ):
            return tuple(value)
        before = self.count
        items = self.sequence(node, what=what, non_empty=non_empty)
        values: list[T] = []
        for item in items:
            checked = check(item)
            if checked is None:
                continue
            if unique and checked in values:
                self.report(item, f"{checked!r} is listed twice")
                continue
            values.append(checked)
        return tuple(values) if self.count == before else None

    def choice_list(
        self,
        node: Node,
        choices: Collection[str],
        *,
        what: str,
        plural: str | None = None,
        non_empty: bool = False,
        unique: bool = True,
    ) -> tuple[str, ...] | None:
        """A list of values from ``choices``, each written once unless ``unique`` is False.

        ``what`` names one value (``body area``), ``plural`` several (default:
        ``what`` + "s").
        """

        def accept(item: Any) -> bool:
            return type(item) is str and item in choices

        def check(item: Node) -> str | None:
            return self.choice(item, choices, what=what)

        return self.list_of(
            node,
            check,
            what=f"a list of {plural or what + 's'}",
            non_empty=non_empty,
            unique=unique,
            accept=accept,
        )

    def text_list(self, node: Node, *, non_empty: bool = False) -> tuple[str, ...] | None:
        """A list of non-blank texts (tips, cautions)."""
        return self.list_of(
            node, self.text, what="a list of texts", non_empty=non_empty, accept=_is_text
        )

    def one_or_more(
        self, node: Node, check: Callable[[Node], T | None], *, what: str, unique: bool = True
    ) -> tuple[T, ...] | None:
        """One value or a non-empty list of them (``position: seated``, ``[seated, bed]``)."""
        if isinstance(node.value, YSeq):
            return self.list_of(
                node, check, what=f"a list of {what}", non_empty=True, unique=unique
            )
        value = check(node)
        return None if value is None else (value,)

    # -- scalars -----------------------------------------------------------------

    def text(self, node: Node) -> str | None:
        """Non-blank text (a number or ``true`` where text is expected is a problem)."""
        value = node.value
        if _is_text(value):
            return value
        self.wrong(node, "text")
        return None

    def boolean(self, node: Node) -> bool | None:
        """``true`` or ``false``."""
        value = node.value
        if value is True or value is False:
            return value
        self.wrong(node, "true or false")
        return None

    def positive_int(self, node: Node, *, maximum: int | None = None) -> int | None:
        """A whole number of at least 1 (and at most ``maximum``)."""
        value = node.value
        if type(value) is int and value >= 1 and (maximum is None or value <= maximum):
            return value
        if type(value) is int and value >= 1:
            self.wrong(node, f"a whole number up to {maximum}")
        else:
            self.wrong(node, "a positive whole number")
        return None

    def positive_number(self, node: Node, *, maximum: float | None = None) -> float | None:
        """A finite number above 0 (and at most ``maximum``); whole numbers are accepted."""
        value = node.value
        kind = type(value)
        if (kind is int or kind is float) and value > 0 and math.isfinite(value):
            if maximum is None or value <= maximum:
                return float(value)
            self.wrong(node, f"a number up to {maximum:g}")
            return None
        self.wrong(node, "a positive number")
        return None

    def choice(self, node: Node, choices: Collection[str], *, what: str) -> str | None:
        """One of ``choices``, with "did you mean" when a known one is close.

        ``what`` names the kind of value (``body area``, ``kind``).
        """
        value = node.value
        if type(value) is str and value in choices:
            return value
        if type(value) is not str:
            self.wrong(node, f"a {what}" if what[:1] not in "aeiou" else f"an {what}")
            return None
        self.report(node, unknown_message(what, value, sorted_choices(choices)))
        return None

    def identifier(self, node: Node, *, what: str = "id") -> str | None:
        """An id as :data:`ID_PATTERN` defines it (``lower-back``, ``cat-cow``)."""
        value = node.value
        if type(value) is str and ID_PATTERN.fullmatch(value):
            return value
        self.wrong(node, ID_RULE if what == "id" else f"{what}: {ID_RULE}")
        return None

    def unique(self, node: Node, value: str, seen: dict[str, Node], *, what: str = "id") -> bool:
        """False (with a problem) when ``value`` is already in ``seen``; else remember it."""
        first = seen.get(value)
        if first is not None:
            self.report(
                node,
                f"duplicate {what} {value!r}; already used by {first.path} "
                f"on line {first.mark.line}",
            )
            return False
        seen[value] = node
        return True


def _is_text(value: Any) -> bool:
    return type(value) is str and bool(value.strip())


def sorted_choices(choices: Collection[str]) -> list[str]:
    """Choices in a stable order for messages: as given for sequences, sorted for sets."""
    return list(choices) if isinstance(choices, Sequence) else sorted(choices)
