"""Safe YAML reading that remembers where every value came from.

Every YAML file StretchDesk reads (catalogue, routines, poses, settings) comes
through :func:`read_yaml`. It builds plain Python values from the parser's
event stream in a single pass, so it can refuse hostile input before it costs
anything:

* files over :data:`MAX_BYTES` and bytes that are not UTF-8;
* tags that would construct objects (``!!python/object``, custom ``!tags``);
* nesting deeper than :data:`MAX_DEPTH`;
* aliases that expand to more than :data:`MAX_EXPANDED` values (alias bombs);
* duplicate keys in a mapping (YAML would silently keep the last one).

Mappings come back as :class:`YMap` and sequences as :class:`YSeq`: ordinary
``dict`` and ``list`` subclasses that also carry the position of themselves,
their keys and their values, so validators can point at the exact line and
column of a bad field. Scalars are plain ``str``, ``int``, ``float``, ``bool``
or ``None``, typed as YAML 1.1 does (``yes`` is true). Dates, and text that
looks typed but is not a valid value (``0x_``, ``2024-13-45``, a number with
thousands of digits), stay text, so validators report them in place; a plain
``<<`` anywhere but as a merge key is the text ``"<<"``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from stretchdesk.core.marks import (  # noqa: F401 - key_mark_of, mark_of: re-exported
    Mark,
    Problem,
    YMap,
    YSeq,
    key_mark_of,
    mark_of,
)

try:  # the C parser is much faster; fall back to pure Python when absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANDED = 2_000_000

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _MERGE_TAG = _TAG + "timestamp", _TAG + "merge"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}  # allowed as explicit tags
_STRING_TAGS = {None, "!", _STR}  # quoted, non-specific or !!str: text
_MAP_TAGS = {None, "!", _TAG + "map"}
_SEQ_TAGS = {None, "!", _TAG + "seq"}

# YAML 1.1 implicit typing of plain scalars, by first character (as PyYAML's SafeLoader does it).
_IMPLICIT: dict[str, list[tuple[str, Any]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_constructor = yaml.constructor.SafeConstructor()
_BOOL_VALUES: dict[str, bool] = _constructor.bool_values
_CONSTRUCT_ERRORS = (ValueError, KeyError, TypeError, AttributeError, OverflowError)


def _tag_name(tag: str | None) -> str:
    return "!!" + tag[len(_TAG) :] if tag and tag.startswith(_TAG) else str(tag)


class YamlInputError(Exception):
    """A file could not be read as YAML at all; ``problems`` says why and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


class _MergeKey:
    """Stands for a plain ``<<`` while a mapping is being built (a merge when it is a key)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<<'"


_MERGE = _MergeKey()
_NO_KEY = object()


class _Frame:
    """A mapping or sequence being built, and the key waiting for its value."""

    __slots__ = ("anchor", "container", "is_map", "key", "key_mark", "start")

    def __init__(self, container: YMap | YSeq, anchor: str | None, start: int) -> None:
        self.container = container
        self.is_map = type(container) is YMap
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_mark: Mark | None = None
        self.start = start  # values counted before this one: its size is the difference


class _Builder:
    """Turns the parser's events into YMap/YSeq/scalars in one pass, refusing what is unsafe.

    Plain scalars are typed the YAML 1.1 way, as PyYAML's SafeLoader does, but
    without building PyYAML nodes except for numbers and booleans.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, expanded size)

    def fail(self, mark: Mark, message: str) -> YamlInputError:
        return YamlInputError([Problem(self.filename, mark.line, mark.column, "", message)])

    def tagged(self, event: yaml.ScalarEvent, mark: Mark) -> Any:
        """The value of a scalar with an explicit tag such as ``!!int``; other tags are refused."""
        if event.tag not in _SCALAR_TAGS:
            raise self.fail(mark, f"the YAML tag {_tag_name(event.tag)} is not allowed here")
        return self.construct(event.tag, event.value, event)

    @staticmethod
    def construct(tag: str, text: str, event: yaml.ScalarEvent) -> Any:
        """The value of ``text`` typed as ``tag``; the text itself when it is not a valid one.

        Keeping the text (``0x_``, ``2024-13-45``, a 5,000-digit number) lets the
        validators report it as a wrong type at its position, instead of the
        whole file failing to load.
        """
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _BOOL_VALUES.get(text.lower(), text)
        if tag == _INT and len(text) < 19 and text.isascii() and text.isdigit() and text[0] != "0":
            return int(text)  # the common case; "0", octal, hex, "1_000", huge ones: the long way
        if tag == _MERGE_TAG:
            return _MERGE
        if tag not in (_INT, _FLOAT):  # timestamps and YAML's '=' and '!' stay text
            return text
        node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
        try:
            return _constructor.yaml_constructors[tag](_constructor, node)
        except _CONSTRUCT_ERRORS:
            return text

    def build(self, loader: Any) -> Any:
        """Build the one document ``loader`` parses (None for an empty file)."""
        # Locals, exact-type dispatch and inlined steps: this loop runs once per
        # event, hundreds of thousands of times for a large catalogue.
        get_event, anchors, implicit = loader.get_event, self.anchors, _IMPLICIT
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        new_mark = partial(tuple.__new__, Mark)
        stack: list[_Frame] = []  # the enclosing frames of ``frame``
        frame: _Frame | None = None  # the container being filled
        root: Any = None
        have_root = False
        expanded = 0  # values so far, aliases expanded: a container's size is a difference
        while True:
            event = get_event()
            cls = type(event)
            if cls is scalar_event:
                start = event.start_mark
                mark = new_mark((start.line + 1, start.column + 1))
                value = event.value
                if event.tag is None and event.implicit[0]:  # plain: typed the YAML 1.1 way
                    for implicit_tag, regexp in implicit.get(value[:1], ()):
                        if regexp.match(value):
                            value = self.construct(implicit_tag, value, event)
                            break
                elif event.tag not in _STRING_TAGS:
                    value = self.tagged(event, mark)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                expanded += 1
            elif cls is map_start or cls is seq_start:
                start = event.start_mark
                mark = new_mark((start.line + 1, start.column + 1))
                if len(stack) + (frame is not None) >= MAX_DEPTH:
                    raise self.fail(mark, f"nested deeper than {MAX_DEPTH} levels; refused")
                is_map = cls is map_start
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    raise self.fail(
                        mark, f"the YAML tag {_tag_name(event.tag)} is not allowed here"
                    )
                if frame is not None:
                    stack.append(frame)
                frame = _Frame(YMap(mark) if is_map else YSeq(mark), event.anchor, expanded)
                continue
            elif cls is map_end or cls is seq_end:
                done: Any = frame  # the parser always ends what it started
                frame = stack.pop() if stack else None
                value, mark = done.container, done.container.mark
                expanded += 1
                if done.anchor is not None:
                    anchors[done.anchor] = (value, expanded - done.start)
            elif cls is alias_event:
                start = event.start_mark
                mark = new_mark((start.line + 1, start.column + 1))
                if event.anchor not in anchors:
                    raise self.fail(mark, f"unknown alias *{event.anchor}")
                value, size = anchors[event.anchor]
                expanded += size
                if expanded > MAX_EXPANDED:
                    raise self.fail(
                        mark,
                        f"the file holds more than {MAX_EXPANDED:,} values once its aliases "
                        "are expanded; refused",
                    )
            elif cls is yaml.DocumentStartEvent:
                if have_root:
                    start = event.start_mark
                    raise self.fail(
                        Mark(start.line + 1, start.column + 1), "only one YAML document is allowed"
                    )
                continue
            elif cls is yaml.StreamEndEvent or event is None:
                return root
            else:  # stream start, document end
                continue
            if frame is None:
                root, have_root = ("<<" if value is _MERGE else value), True
                continue
            container = frame.container
            if not frame.is_map:
                container.append("<<" if value is _MERGE else value)
                container.item_marks.append(mark)
            elif frame.key is _NO_KEY:
                if type(value) is YMap or type(value) is YSeq:
                    raise self.fail(
                        mark, "a mapping key must be a plain value, not a list or mapping"
                    )
                frame.key, frame.key_mark = value, mark
            else:
                key = frame.key
                frame.key = _NO_KEY
                if key is _MERGE:
                    self.merge(container, value, mark)
                    continue
                if key in container:
                    self.check_duplicate(container, key, frame.key_mark)
                container[key] = "<<" if value is _MERGE else value
                container.key_marks[key] = frame.key_mark
                container.value_marks[key] = mark

    def check_duplicate(self, mapping: YMap, key: Any, key_mark: Any) -> None:
        """Refuse a key written twice; one that came from a ``<<`` merge may be overridden."""
        if key not in mapping.merged_keys:
            first = mapping.key_marks[key]
            raise self.fail(key_mark, f"the key {key!r} appears twice (first on line {first.line})")
        mapping.merged_keys.discard(key)  # an explicit key beats a merged one

    def merge(self, target: YMap, value: Any, mark: Mark) -> None:
        """Apply ``<<: value``: keys of the merged mappings that ``target`` lacks."""
        sources = value if isinstance(value, YSeq) else [value]
        for source in sources:
            if not isinstance(source, YMap):
                raise self.fail(mark, "'<<' must merge a mapping or a list of mappings")
            for k, v in source.items():
                if k not in target:
                    target[k] = v
                    target.key_marks[k] = source.key_marks[k]
                    target.value_marks[k] = source.value_marks[k]
                    target.merged_keys.add(k)


def _reader_error_mark(text: str, position: int) -> Mark:
    """Where a reader error is, given its position (a UTF-8 byte offset for libyaml)."""
    if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text
        before = text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "replace")
    else:  # pragma: no cover - depends on how PyYAML was built
        before = text[:position]
    line_start = before.rfind("\n") + 1
    return Mark(before.count("\n") + 1, len(before) - line_start + 1)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large tree of new objects is built.

    Building a big document allocates hundreds of thousands of containers that
    all stay alive; the collector would scan them again and again for nothing
    (about 40% of the time of a 5,000-stretch catalogue). Reference counting
    still frees everything as usual, and the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _too_big(filename: str, size: int) -> YamlInputError:
    return YamlInputError(
        [
            Problem(
                filename,
                1,
                1,
                "",
                f"the file is {size / 1024 / 1024:.1f} MB; "
                f"files over {MAX_BYTES // 1024 // 1024} MB are refused",
            )
        ]
    )


def decode(data: bytes, filename: str) -> str:
    """UTF-8 text of ``data`` (a BOM is allowed), or a clear error."""
    if len(data) > MAX_BYTES:
        raise _too_big(filename, len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlInputError(
            [
                Problem(
                    filename,
                    line,
                    column,
                    "",
                    f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                )
            ]
        ) from None


def read_yaml_text(text: str, filename: str) -> Any:
    """Parse YAML text into YMap/YSeq/scalars; raise :class:`YamlInputError` if unreadable."""
    if len(text) > MAX_BYTES // 4:  # a character takes at most 4 bytes in UTF-8
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            raise _too_big(filename, size)
    loader = _Loader(text)
    try:
        with gc_paused():
            return _Builder(filename).build(loader)
    except yaml.reader.ReaderError as exc:
        where = _reader_error_mark(text, exc.position)
        what = f"the character U+{exc.character:04X} is not allowed in YAML ({exc.reason})"
        raise YamlInputError(
            [Problem(filename, where.line, where.column, "", f"not valid YAML: {what}")]
        ) from None
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        line, column = (where.line + 1, where.column + 1) if where else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        raise YamlInputError(
            [Problem(filename, line, column, "", f"not valid YAML: {what}")]
        ) from None
    except yaml.YAMLError as exc:
        raise YamlInputError([Problem(filename, 1, 1, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()


def read_yaml_bytes(data: bytes, filename: str) -> Any:
    return read_yaml_text(decode(data, filename), filename)


def read_yaml(path: Path, filename: str | None = None) -> Any:
    """Read and parse a YAML file. ``filename`` is how messages name it (default: the path).

    At most :data:`MAX_BYTES` + 1 bytes are ever read, so a huge file, or one that
    never ends such as ``/dev/zero``, is refused without filling memory.
    """
    name = filename or str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                try:
                    size = max(os.fstat(stream.fileno()).st_size, len(data))
                except OSError:  # pragma: no cover - fstat on an open file does not fail
                    size = len(data)
                raise _too_big(name, size)
    except OSError as exc:
        raise YamlInputError(
            [Problem(name, 1, 1, "", f"cannot be read: {exc.strerror or exc}")]
        ) from None
    return read_yaml_bytes(data, name)
