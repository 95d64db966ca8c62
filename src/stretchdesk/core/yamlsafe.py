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
or ``None``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is much faster; fall back to pure Python when absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANDED = 2_000_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAGS = {None, "!", _TAG + "map"}
_SEQ_TAGS = {None, "!", _TAG + "seq"}
_MERGE_TAG = _TAG + "merge"

_resolver = yaml.resolver.Resolver()


def _tag_name(tag: str | None) -> str:
    return "!!" + tag[len(_TAG) :] if tag and tag.startswith(_TAG) else str(tag)


_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, slots=True)
class Mark:
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


class YamlInputError(Exception):
    """A file could not be read as YAML at all; ``problems`` says why and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


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


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


class _Builder:
    """Turns the parser's events into YMap/YSeq/scalars, refusing what is unsafe."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.anchors: dict[str, Any] = {}
        self.sizes: dict[int, int] = {}
        self.expanded = 0

    def fail(self, mark: Mark, message: str) -> YamlInputError:
        return YamlInputError([Problem(self.filename, mark.line, mark.column, "", message)])

    def count(self, mark: Mark, n: int) -> None:
        self.expanded += n
        if self.expanded > MAX_EXPANDED:
            raise self.fail(
                mark,
                f"the file expands to more than {MAX_EXPANDED:,} values "
                "(aliases repeated too often); refused",
            )

    def scalar(self, event: yaml.ScalarEvent, mark: Mark) -> Any:
        tag = event.tag
        if tag in (None, "!"):
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS and tag != _MERGE_TAG:
            raise self.fail(mark, f"the YAML tag {_tag_name(event.tag)} is not allowed here")
        if tag == _MERGE_TAG:
            return _MergeKey()
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        value = _constructor.yaml_constructors[tag](_constructor, node)
        if isinstance(value, _dt.date):  # dates are not a type we use: keep the text
            return event.value
        return value

    def build(self, events: Any) -> Any:
        stack: list[list[Any]] = []  # [container, pending_key, pending_key_mark, anchor]
        root: Any = None
        have_root = False
        for event in events:
            if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent):
                continue
            if isinstance(event, yaml.DocumentStartEvent):
                if have_root:
                    raise self.fail(_mark(event.start_mark), "only one YAML document is allowed")
                continue
            if isinstance(event, yaml.DocumentEndEvent):
                continue
            mark = _mark(event.start_mark)
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(mark, f"nested deeper than {MAX_DEPTH} levels; refused")
                if isinstance(event, yaml.MappingStartEvent):
                    if event.tag not in _MAP_TAGS:
                        raise self.fail(
                            mark, f"the YAML tag {_tag_name(event.tag)} is not allowed here"
                        )
                    container: Any = YMap(mark)
                else:
                    if event.tag not in _SEQ_TAGS:
                        raise self.fail(
                            mark, f"the YAML tag {_tag_name(event.tag)} is not allowed here"
                        )
                    container = YSeq(mark)
                stack.append([container, _NO_KEY, None, event.anchor, 1])
                continue
            if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                container, _, _, anchor, size = stack.pop()
                self.sizes[id(container)] = size
                if anchor is not None:
                    self.anchors[anchor] = container
                value, value_mark, value_size = container, container.mark, size
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise self.fail(mark, f"unknown alias *{event.anchor}")
                value = self.anchors[event.anchor]
                value_mark = mark
                value_size = self.sizes.get(id(value), 1)
                self.count(mark, value_size)
            elif isinstance(event, yaml.ScalarEvent):
                value, value_mark, value_size = self.scalar(event, mark), mark, 1
                if event.anchor is not None:
                    self.anchors[event.anchor] = value
            else:  # pragma: no cover - PyYAML emits no other events
                continue
            self.count(value_mark, 1)
            if not stack:
                root, have_root = value, True
                continue
            self.attach(stack[-1], value, value_mark, value_size)
        return root

    def attach(self, frame: list[Any], value: Any, mark: Mark, size: int) -> None:
        container = frame[0]
        frame[4] += size
        if isinstance(container, YSeq):
            container.append(value)
            container.item_marks.append(mark)
            return
        if frame[1] is _NO_KEY:
            if isinstance(value, YMap | YSeq):
                raise self.fail(mark, "a mapping key must be a plain value, not a list or mapping")
            frame[1], frame[2] = value, mark
            return
        key, key_mark = frame[1], frame[2]
        frame[1], frame[2] = _NO_KEY, None
        if isinstance(key, _MergeKey):
            self.merge(container, value, mark)
            return
        if key in container and key not in container.merged_keys:
            first = container.key_marks[key]
            raise self.fail(key_mark, f"the key {key!r} appears twice (first on line {first.line})")
        container.merged_keys.discard(key)  # an explicit key beats a merged one
        container[key] = value
        container.key_marks[key] = key_mark
        container.value_marks[key] = mark

    def merge(self, target: YMap, value: Any, mark: Mark) -> None:
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


class _MergeKey:
    """Stands for the ``<<`` merge key while a mapping is being built."""

    __slots__ = ()

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _MergeKey)


_NO_KEY = object()


def decode(data: bytes, filename: str) -> str:
    """UTF-8 text of ``data`` (a BOM is allowed), or a clear error."""
    if len(data) > MAX_BYTES:
        raise YamlInputError(
            [
                Problem(
                    filename,
                    1,
                    1,
                    "",
                    f"the file is {len(data) / 1024 / 1024:.1f} MB; "
                    f"files over {MAX_BYTES // 1024 // 1024} MB are refused",
                )
            ]
        )
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
    if len(text) > MAX_BYTES:
        return read_yaml_bytes(text.encode("utf-8", "surrogatepass"), filename)
    builder = _Builder(filename)
    try:
        return builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        line, column = (where.line + 1, where.column + 1) if where else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        raise YamlInputError(
            [Problem(filename, line, column, "", f"not valid YAML: {what}")]
        ) from None
    except yaml.YAMLError as exc:
        raise YamlInputError([Problem(filename, 1, 1, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise YamlInputError(
            [Problem(filename, 1, 1, "", "nested too deeply to read; refused")]
        ) from None


def read_yaml_bytes(data: bytes, filename: str) -> Any:
    return read_yaml_text(decode(data, filename), filename)


def read_yaml(path: Path, filename: str | None = None) -> Any:
    """Read and parse a YAML file. ``filename`` is how messages name it (default: the path)."""
    name = filename or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return read_yaml_bytes(b"\0" * (MAX_BYTES + 1), name)
        data = path.read_bytes()
    except OSError as exc:
        raise YamlInputError(
            [Problem(name, 1, 1, "", f"cannot be read: {exc.strerror or exc}")]
        ) from None
    return read_yaml_bytes(data, name)
