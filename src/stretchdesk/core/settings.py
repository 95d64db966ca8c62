"""The user's settings: one frozen, typed object with defaults, and its YAML form.

:class:`Settings` groups the options by the part of the app that uses them
(appearance, player, reminders, safety, desktop). Every field is declared with
:func:`setting`, which records its default and what it allows (a range, a set
of choices, a pattern), so one generic routine does all the work:

* :func:`parse_settings` turns a mapping read by :mod:`stretchdesk.core.yamlsafe`
  into :class:`Settings`. Unknown keys are reported (with "did you mean ...?")
  and ignored; a wrong value is reported with its file, line, column and field
  path, and only that field falls back to its default.
* :func:`to_yaml_dict` gives the plain mapping to save: the ``version`` and the
  values that differ from the defaults, nothing else.
* Constructing any of the dataclasses checks the same rules, so code that
  builds or changes settings (``replace``, :meth:`Settings.evolve`) can never
  make an object that the file format could not hold.

Files carry a ``version``. :data:`MIGRATIONS` upgrades an older raw mapping one
version at a time before it is read; a file without a ``version`` is taken to
be current. Pure Python: no Qt, no clock reads.
"""

# Every settings field is declared with setting(), a dataclasses.field() wrapper that adds
# the field's rules; ruff cannot tell it is a field specifier.
# ruff: noqa: RUF009

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import functools
import math
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from stretchdesk.core.marks import Mark, Problem, YMap, key_mark_of, mark_of
from stretchdesk.core.timespan import TimeSpan, parse_time

CURRENT_VERSION = 2
"""The settings format this version of the app reads and writes."""

ROUTINE_ID_PATTERN = r"[a-z][a-z0-9-]*"
"""Routine and stretch ids: lowercase letters, digits and hyphens, starting with a letter."""


# --- declaring settings -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spec:
    """What one setting allows beyond its type, and what it is for.

    ``minimum``/``maximum`` bound numbers (inclusive); ``choices`` lists the only
    values allowed; ``pattern`` must match a text value in full; ``max_length``
    bounds text; ``max_items`` bounds a list.
    """

    doc: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] = ()
    pattern: str | None = None
    max_length: int | None = None
    max_items: int | None = None


def setting(
    default: Any = dataclasses.MISSING,
    *,
    doc: str,
    default_factory: Any = dataclasses.MISSING,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[Any, ...] = (),
    pattern: str | None = None,
    max_length: int | None = None,
    max_items: int | None = None,
) -> Any:
    """Declare a settings field: its default and what it allows.

    Leave out both ``default`` and ``default_factory`` for a required field
    (only items of a list, such as a fixed reminder's time, have those).
    """
    spec = Spec(doc, minimum, maximum, choices, pattern, max_length, max_items)
    return dataclasses.field(
        default=default, default_factory=default_factory, metadata={"spec": spec}
    )


class _Invalid(Exception):
    """A value does not fit its field: what was expected, and a hint."""

    def __init__(self, expected: str, hint: str = "", found: str | None = None) -> None:
        super().__init__(expected)
        self.expected = expected
        self.hint = hint  # e.g. " (did you mean 'dark'?)"
        self.found = found  # how to show the value, when not the usual way

    def describe(self, value: Any) -> str:
        found = self.found if self.found is not None else _found(value)
        return f"expected {self.expected}, found {found}{self.hint}"


class _SettingsGroup:
    """Shared behaviour of every settings dataclass: checked on construction, ``replace``."""

    __slots__ = ()

    def __post_init__(self) -> None:
        for f in _fields_of(type(self)):
            value = getattr(self, f.name)
            try:
                fixed = f.check(value)
            except _Invalid as bad:
                raise ValueError(f"{type(self).__name__}.{f.name}: {bad.describe(value)}") from None
            if fixed is not value:
                object.__setattr__(self, f.name, fixed)

    def replace(self, **changes: Any) -> typing.Self:
        """A copy with some fields changed; the new values are checked like any other."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


# --- value types --------------------------------------------------------------------------


class CheckInRecord(StrEnum):
    """What the last check-in said; the answers of :class:`~stretchdesk.core.safety.CheckInAnswer`,
    and whether it was skipped or a session stopped because it hurt."""

    FINE = "fine"
    STIFF = "stiff"
    SORE = "sore"
    FLARE_UP = "flare-up"
    WARNING_SIGNS = "warning-signs"
    SKIPPED = "skipped"
    HURT = "hurt"


class Theme(StrEnum):
    SYSTEM = "system"  # follow the desktop's light or dark preference
    LIGHT = "light"
    DARK = "dark"


# --- the settings -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Appearance(_SettingsGroup):
    theme: Theme = setting(Theme.SYSTEM, doc="Light or dark look; 'system' follows the desktop.")


@dataclass(frozen=True, slots=True)
class Player(_SettingsGroup):
    """How the routine player runs a session."""

    prepare_seconds: int = setting(
        5,
        minimum=0,
        maximum=60,
        doc="Time to get into position before each stretch; 0 waits for Space or a click.",
    )
    rest_seconds: int = setting(
        10, minimum=0, maximum=300, doc="Rest between sets and between stretches."
    )
    switch_sides_seconds: int = setting(
        5, minimum=0, maximum=60, doc="Pause to change sides in a one-sided stretch."
    )
    chimes: bool = setting(True, doc="Play short chimes for start, 3-2-1, switch sides, finish.")
    chime_volume: int = setting(70, minimum=0, maximum=100, doc="Chime volume, in percent.")
    voice: bool = setting(True, doc="Speak the cues aloud.")
    voice_volume: int = setting(80, minimum=0, maximum=100, doc="Voice volume, in percent.")
    voice_rate: float = setting(
        0.0, minimum=-1.0, maximum=1.0, doc="Speaking rate: -1 slowest, 0 normal, 1 fastest."
    )


_WEEKDAY_HOURS = TimeSpan(_dt.time(9, 0), _dt.time(17, 0))


@dataclass(frozen=True, slots=True)
class WorkingHours(_SettingsGroup):
    """Hours on each weekday when reminders may come; ``None`` (``off``) = none that day."""

    monday: TimeSpan | None = setting(_WEEKDAY_HOURS, doc="Working hours on Mondays.")
    tuesday: TimeSpan | None = setting(_WEEKDAY_HOURS, doc="Working hours on Tuesdays.")
    wednesday: TimeSpan | None = setting(_WEEKDAY_HOURS, doc="Working hours on Wednesdays.")
    thursday: TimeSpan | None = setting(_WEEKDAY_HOURS, doc="Working hours on Thursdays.")
    friday: TimeSpan | None = setting(_WEEKDAY_HOURS, doc="Working hours on Fridays.")
    saturday: TimeSpan | None = setting(None, doc="Working hours on Saturdays.")
    sunday: TimeSpan | None = setting(None, doc="Working hours on Sundays.")

    def for_weekday(self, weekday: int) -> TimeSpan | None:
        """The hours for ``weekday`` as :meth:`datetime.date.weekday` numbers it (0 = Monday)."""
        return getattr(self, _WEEKDAYS[weekday])


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class FixedReminder(_SettingsGroup):
    """A reminder at a fixed time every day, tied to a routine ("after my morning coffee")."""

    time: _dt.time = setting(doc="Time of day, e.g. 08:30.")
    routine: str = setting(
        pattern=ROUTINE_ID_PATTERN, max_length=100, doc="Id of the routine it offers."
    )
    label: str = setting("", max_length=120, doc="What the reminder says, e.g. 'after coffee'.")


@dataclass(frozen=True, slots=True)
class Reminders(_SettingsGroup):
    """Desk-break reminders from the tray."""

    enabled: bool = setting(True, doc="Remind me to take breaks.")
    short_every_minutes: int = setting(
        30, minimum=5, maximum=240, doc="A short break after this many minutes of active work."
    )
    short_length_seconds: int = setting(
        60, minimum=15, maximum=600, doc="Length of a short break (one desk stretch)."
    )
    long_breaks: bool = setting(True, doc="Also take longer breaks with a short routine.")
    long_every_minutes: int = setting(
        120, minimum=15, maximum=480, doc="A long break after this many minutes of active work."
    )
    long_length_minutes: int = setting(
        5, minimum=1, maximum=30, doc="Length of a long break (a short desk routine)."
    )
    postpone_minutes: int = setting(5, choices=(5, 10), doc="How long 'Later' waits.")
    max_postpones: int = setting(
        3, minimum=0, maximum=10, doc="How many times in a row a break can be put off; 0 = never."
    )
    natural_breaks: bool = setting(True, doc="Time away from the keyboard counts as a break taken.")
    working_hours_only: bool = setting(False, doc="Only remind me within my working hours.")
    working_hours: WorkingHours = setting(
        default_factory=WorkingHours, doc="Working hours for each day of the week."
    )
    fixed: tuple[FixedReminder, ...] = setting(
        (), max_items=24, doc="Reminders at fixed times of day, each offering a routine."
    )
    areas: tuple[str, ...] = setting(
        (),
        pattern=ROUTINE_ID_PATTERN,
        max_length=100,
        max_items=20,
        doc=(
            "Body areas (ids such as 'neck' or 'lower-back') the suggested stretches favour; "
            "none = all. Ids the catalogue does not know are ignored when a stretch is picked."
        ),
    )


@dataclass(frozen=True, slots=True)
class Safety(_SettingsGroup):
    """What the back-pain safety flow remembers and asks."""

    welcome_shown: bool = setting(False, doc="The first-run welcome and warning signs were shown.")
    check_in: bool = setting(
        True, doc="Ask 'how is your back today?' before the first routine of the day."
    )
    last_checkin: _dt.date | None = setting(
        None, doc="The last day the 'how is your back today?' check-in was answered."
    )
    last_checkin_answer: CheckInRecord | None = setting(
        None, doc="What that check-in said (or that a session stopped because it hurt)."
    )
    ask_pain_score: bool = setting(True, doc="Ask for a 0-10 pain score before and after.")


@dataclass(frozen=True, slots=True)
class Desktop(_SettingsGroup):
    """How the app fits into the desktop."""

    start_at_login: bool = setting(False, doc="Start StretchDesk when I log in.")
    close_to_tray_notice_shown: bool = setting(
        False, doc="The 'still running in the tray' notice was shown once."
    )


@dataclass(frozen=True, slots=True)
class Settings(_SettingsGroup):
    """All of the user's settings. ``Settings()`` is the defaults.

    Change settings with ``replace`` (whole groups) or :meth:`evolve` (dotted
    paths); both check the new values and return a new object.
    """

    appearance: Appearance = setting(default_factory=Appearance, doc="How the app looks.")
    player: Player = setting(default_factory=Player, doc="The routine player.")
    reminders: Reminders = setting(default_factory=Reminders, doc="Desk-break reminders.")
    safety: Safety = setting(default_factory=Safety, doc="Back-pain safety.")
    desktop: Desktop = setting(default_factory=Desktop, doc="Desktop integration.")

    def get(self, path: str) -> Any:
        """The value at a dotted path, e.g. ``settings.get("player.chimes")``."""
        value: Any = self
        for name in path.split("."):
            if not isinstance(value, _SettingsGroup) or name not in _field_map(type(value)):
                raise KeyError(f"no setting called {path!r}")
            value = getattr(value, name)
        return value

    def evolve(self, changes: Mapping[str, Any]) -> Settings:
        """A copy with values changed by dotted path, each checked like any other.

        ``settings.evolve({"reminders.short_every_minutes": 20, "player.chimes": False})``.
        Raises :class:`KeyError` for an unknown path and :class:`ValueError` for a
        value the setting does not allow.
        """
        result = self
        for path, value in changes.items():
            result = _evolve(result, path.split("."), value, path)
        return result


def _evolve(group: Any, names: list[str], value: Any, path: str) -> Any:
    if not isinstance(group, _SettingsGroup) or names[0] not in _field_map(type(group)):
        raise KeyError(f"no setting called {path!r}")
    name = names[0]
    if len(names) > 1:
        value = _evolve(getattr(group, name), names[1:], value, path)
    return group.replace(**{name: value})


# --- the generic field machinery ----------------------------------------------------------

_REQUIRED: Any = object()


@dataclass(frozen=True, slots=True)
class _Field:
    """One field of a settings dataclass, with everything needed to read and check it."""

    name: str
    type: Any
    spec: Spec
    default: Any  # _REQUIRED when the field has none
    group: type | None  # a nested settings group
    items: type | None  # a tuple of settings groups (e.g. fixed reminders)

    def check(self, value: Any) -> Any:
        """``value`` converted for this field, or :class:`_Invalid`."""
        if self.group is not None:
            if not isinstance(value, self.group):
                raise _Invalid(f"a {self.group.__name__}")
            return value
        if self.items is not None:
            if not isinstance(value, tuple | list) or not all(
                isinstance(item, self.items) for item in value
            ):
                raise _Invalid(f"a list of {self.items.__name__}")
            if self.spec.max_items is not None and len(value) > self.spec.max_items:
                raise _Invalid(f"at most {self.spec.max_items} items")
            return value if isinstance(value, tuple) else tuple(value)
        return _convert(value, self.type, self.spec)


@functools.cache
def _fields_of(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    result = []
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("spec")
        if not isinstance(spec, Spec):  # pragma: no cover - a programming error
            raise TypeError(f"{cls.__name__}.{f.name} must be declared with setting()")
        tp = hints[f.name]
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = _REQUIRED
        group = tp if isinstance(tp, type) and issubclass(tp, _SettingsGroup) else None
        items = None
        if typing.get_origin(tp) is tuple:
            item_type = typing.get_args(tp)[0]
            if isinstance(item_type, type) and issubclass(item_type, _SettingsGroup):
                items = item_type
        result.append(_Field(f.name, tp, spec, default, group, items))
    return tuple(result)


@functools.cache
def _field_map(cls: type) -> dict[str, _Field]:
    return {f.name: f for f in _fields_of(cls)}


def spec_of(path: str) -> Spec:
    """The declaration of the setting at a dotted path (for a settings dialog's ranges)."""
    cls: type | None = Settings
    field: _Field | None = None
    for name in path.split("."):
        if cls is None or name not in _field_map(cls):
            raise KeyError(f"no setting called {path!r}")
        field = _field_map(cls)[name]
        cls = field.group
    assert field is not None
    return field.spec


def _convert(value: Any, tp: Any, spec: Spec) -> Any:
    """Check and convert a plain value (as YAML gives it, or already typed) for a leaf field."""
    if isinstance(tp, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        assert len(inner) == 1, "only 'X | None' unions are supported"
        if value is None:
            return None
        if inner[0] is TimeSpan and (value is False or value == "off"):
            return None
        try:
            return _convert(value, inner[0], spec)
        except _Invalid as bad:
            nothing = "off" if inner[0] is TimeSpan else "nothing"
            raise _Invalid(f"{bad.expected}, or {nothing}", bad.hint, bad.found) from None
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise _Invalid("true or false")
    if tp is int:
        return _convert_int(value, spec)
    if tp is float:
        return _convert_float(value, spec)
    if tp is str:
        return _convert_str(value, spec)
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        names = [m.value for m in tp]
        if isinstance(value, str) and value in names:
            return tp(value)
        raise _Invalid(_one_of(names), _did_you_mean(value, names))
    if typing.get_origin(tp) is tuple:
        return _convert_ids(value, spec)
    if tp is _dt.time:
        return _convert_time(value)
    if tp is _dt.date:
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise _Invalid("a date like 2024-05-31")
    if tp is TimeSpan:
        if isinstance(value, TimeSpan):
            return value
        if isinstance(value, str):
            try:
                return TimeSpan.parse(value)
            except ValueError:
                pass
        raise _Invalid("hours like 09:00-17:30")
    raise TypeError(f"settings cannot hold a {tp!r}")  # pragma: no cover - programming error


def _convert_int(value: Any, spec: Spec) -> int:
    if spec.choices:
        expected = _one_of(spec.choices)
    else:
        expected = f"a whole number from {_num(spec.minimum)} to {_num(spec.maximum)}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(expected)
    if spec.choices and value not in spec.choices:
        raise _Invalid(expected)
    if not _in_range(value, spec):
        raise _Invalid(expected)
    return value


def _convert_float(value: Any, spec: Spec) -> float:
    expected = f"a number from {_num(spec.minimum)} to {_num(spec.maximum)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(expected)
    value = float(value)
    if not math.isfinite(value) or not _in_range(value, spec):
        raise _Invalid(expected)
    return value


def _convert_str(value: Any, spec: Spec) -> str:
    if spec.pattern:
        expected = "an id of lowercase letters, digits and hyphens, starting with a letter"
    elif spec.max_length is not None:
        expected = f"one line of text of at most {spec.max_length} characters"
    else:  # pragma: no cover - every text setting has a pattern or a length
        expected = "one line of text"
    if not isinstance(value, str):
        raise _Invalid(expected)
    if spec.max_length is not None and len(value) > spec.max_length:
        raise _Invalid(expected)
    if spec.pattern and not re.fullmatch(spec.pattern, value):
        raise _Invalid(expected)
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in value):
        raise _Invalid(expected, " (line breaks and control characters are not allowed)")
    return value


def _convert_ids(value: Any, spec: Spec) -> tuple[str, ...]:
    """A list of ids (``tuple[str, ...]``): each checked like a text setting, repeats dropped."""
    expected = f"a list of at most {spec.max_items} ids"
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise _Invalid(expected)
    if spec.max_items is not None and len(value) > spec.max_items:
        raise _Invalid(expected)
    ids: list[str] = []
    for item in value:
        try:
            text = _convert_str(item, spec)
        except _Invalid as bad:
            raise _Invalid(expected, f" ({_found(item)} is not {bad.expected})") from None
        if text not in ids:
            ids.append(text)
    return tuple(ids)


def _convert_time(value: Any) -> _dt.time:
    expected = "a time of day like 08:30"
    if isinstance(value, _dt.time):
        if value.tzinfo is None and not value.second and not value.microsecond:
            return value
        raise _Invalid(expected)
    if isinstance(value, str):
        try:
            return parse_time(value)
        except ValueError:
            raise _Invalid(expected) from None
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 17:30 as the base-60 number 17*60+30 = 1050.
        if 0 <= value < 24 * 60:
            return _dt.time(value // 60, value % 60)
        if value > 0:
            raise _Invalid(expected, found=f"{value // 60}:{value % 60:02d}")
    raise _Invalid(expected)


def _in_range(value: float, spec: Spec) -> bool:
    low = -math.inf if spec.minimum is None else spec.minimum
    high = math.inf if spec.maximum is None else spec.maximum
    return low <= value <= high


def _num(x: float | None) -> str:
    return "any" if x is None else f"{x:g}"


def _one_of(choices: Sequence[Any]) -> str:
    shown = [str(c) for c in choices]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def _did_you_mean(value: Any, names: Sequence[str]) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value.lower(), names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _found(value: Any) -> str:
    """How a value is named in a message: 'nothing', 'true', '500', "'drak'", 'a list'."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _shown(value: Any) -> str:
    """A default as it would be written in the file."""
    if value is None:
        return "off"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return f"[{', '.join(map(str, value))}]" if value else "none"
    return str(value)


# --- reading ------------------------------------------------------------------------------


class UnreadableSettings(Exception):
    """The mapping cannot be read as settings at all (not a mapping, unknown version).

    ``problem`` says why and where; ``future_version`` is set when the file was
    written by a newer version of the app.
    """

    def __init__(self, problem: Problem, future_version: int | None = None) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.future_version = future_version


@dataclass(frozen=True, slots=True)
class ParsedSettings:
    """The settings read from a mapping, and what was wrong with it.

    ``migrated_from`` is the file's version when it was older than
    :data:`CURRENT_VERSION` and had to be upgraded, otherwise ``None``.
    """

    settings: Settings
    problems: tuple[Problem, ...] = ()
    migrated_from: int | None = None


def parse_settings(raw: Any, filename: str) -> ParsedSettings:
    """Read settings from a mapping (as :func:`~stretchdesk.core.yamlsafe.read_yaml` gives it).

    An empty document (``None``) gives the defaults. Every problem with a key
    or value is collected; each bad value falls back to its own default.
    Raises :class:`UnreadableSettings` when ``raw`` is not a mapping or its
    ``version`` is not one this app can read.
    """
    if raw is None:
        return ParsedSettings(Settings())
    top = mark_of(raw) or Mark(1, 1)
    if not isinstance(raw, Mapping):
        raise UnreadableSettings(
            Problem(
                filename,
                top.line,
                top.column,
                "",
                f"expected a mapping of setting names to values, found {_found(raw)}",
            )
        )
    version = raw.get("version", CURRENT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        where = mark_of(raw, "version") or top
        raise UnreadableSettings(
            Problem(
                filename,
                where.line,
                where.column,
                "version",
                f"expected a whole number from 1 to {CURRENT_VERSION}, found {_found(version)}",
            )
        )
    if version > CURRENT_VERSION:
        where = mark_of(raw, "version") or top
        raise UnreadableSettings(
            Problem(
                filename,
                where.line,
                where.column,
                "version",
                f"written by a newer version of StretchDesk (settings version {version}; "
                f"this version reads up to {CURRENT_VERSION})",
            ),
            future_version=version,
        )
    migrated = migrate(raw, version)
    reader = _Reader(filename)
    settings = reader.group(Settings, migrated, "", top, skip=("version",))
    assert settings is not None  # Settings has no required fields
    problems = sorted(reader.problems, key=lambda p: (p.line, p.column))
    return ParsedSettings(settings, tuple(problems), version if version < CURRENT_VERSION else None)


class _Reader:
    """Walks a raw mapping along the settings dataclasses, collecting problems."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []

    def report(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(self.filename, mark.line, mark.column, path, message))

    def group(
        self, cls: type, raw: Mapping[Any, Any], path: str, where: Mark, skip: Sequence[str] = ()
    ) -> Any:
        """An instance of ``cls`` from ``raw``, or ``None`` if a required field is unusable."""
        where = mark_of(raw) or where
        fields = _field_map(cls)
        for key in raw:
            if key not in fields and key not in skip:
                mark = key_mark_of(raw, key) or where
                self.report(mark, _join(path, str(key)), _unknown_key(cls, str(key), path))
        values: dict[str, Any] = {}
        usable = True
        for f in fields.values():
            field_path = _join(path, f.name)
            if f.name not in raw:
                if f.default is _REQUIRED:
                    self.report(where, field_path, "missing")
                    usable = False
                continue
            value = raw[f.name]
            mark = mark_of(raw, f.name) or key_mark_of(raw, f.name) or where
            if f.group is not None:
                if isinstance(value, Mapping):
                    values[f.name] = self.group(f.group, value, field_path, mark)
                elif value is not None:  # None is an empty section: all defaults
                    message = f"expected a mapping of settings, found {_found(value)}"
                    self.report(mark, field_path, message + "; using the defaults")
                continue
            if f.items is not None:
                if isinstance(value, list | tuple):
                    values[f.name] = self.items(f, value, field_path, mark)
                elif value is not None:  # None is an empty list
                    message = f"expected a list, found {_found(value)}; using none"
                    self.report(mark, field_path, message)
                continue
            try:
                values[f.name] = f.check(value)
            except _Invalid as bad:
                message = bad.describe(value)
                if f.default is _REQUIRED:
                    usable = False
                else:
                    message += f"; using the default ({_shown(f.default)})"
                self.report(mark, field_path, message)
        return cls(**values) if usable else None

    def items(self, f: _Field, raw: Sequence[Any], path: str, where: Mark) -> tuple[Any, ...]:
        assert f.items is not None
        result = []
        for i, item in enumerate(raw):
            mark = mark_of(raw, i) or where
            item_path = f"{path}[{i}]"
            if f.spec.max_items is not None and i >= f.spec.max_items:
                message = f"at most {f.spec.max_items} are allowed; the rest are left out"
                self.report(mark, item_path, message)
                break
            if not isinstance(item, Mapping):
                self.report(mark, item_path, f"expected a mapping, found {_found(item)}; left out")
                continue
            before = len(self.problems)
            value = self.group(f.items, item, item_path, mark)
            if value is None:
                self.problems[before:] = [
                    dataclasses.replace(p, message=p.message + "; this item is left out")
                    for p in self.problems[before:]
                ]
            else:
                result.append(value)
        return tuple(result)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _unknown_key(cls: type, key: str, path: str) -> str:
    message = "unknown setting, ignored"
    close = difflib.get_close_matches(key, list(_field_map(cls)), n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    # A known setting written in the wrong section, e.g. a top-level 'theme'.
    elsewhere = [p for p in _all_paths() if p.rsplit(".", 1)[-1] == key and p != _join(path, key)]
    if not elsewhere:
        names = {p.rsplit(".", 1)[-1]: p for p in _all_paths()}
        elsewhere = [names[n] for n in difflib.get_close_matches(key, list(names), 1, 0.8)]
    if elsewhere:
        return f"{message}; did you mean {elsewhere[0]!r}?"
    return message


@functools.cache
def _all_paths() -> tuple[str, ...]:
    def walk(cls: type, prefix: str) -> Iterator[str]:
        for f in _fields_of(cls):
            path = _join(prefix, f.name)
            if f.group is not None:
                yield from walk(f.group, path)
            else:
                yield path

    return tuple(walk(Settings, ""))


# --- writing ------------------------------------------------------------------------------


def to_yaml_dict(settings: Settings) -> dict[str, Any]:
    """The plain mapping to save: ``version`` and only the values that differ from the defaults.

    Values are plain ``str``/``int``/``float``/``bool``/``None``, lists and dicts,
    so any YAML dumper can write them and :func:`parse_settings` reads them back
    to an equal :class:`Settings`.
    """
    return {"version": CURRENT_VERSION, **_changed(settings)}


def _changed(group: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in _fields_of(type(group)):
        value = getattr(group, f.name)
        if f.group is not None:
            nested = _changed(value)
            if nested:
                out[f.name] = nested
        elif f.default is _REQUIRED or value != f.default:
            out[f.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, _SettingsGroup):
        return _changed(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, _dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, TimeSpan):
        return str(value)
    return value


# --- migrations ---------------------------------------------------------------------------


def _v1_to_v2(raw: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """Version 1 kept a few flat keys; version 2 groups settings by section.

    * ``break_interval`` (seconds between short breaks) becomes
      ``reminders.short_every_minutes`` (rounded to whole minutes);
    * ``theme`` becomes ``appearance.theme``;
    * ``sounds`` becomes ``player.chimes``.

    Anything else is passed on unchanged (and reported if unknown). Line and
    column marks travel with the moved values, so problems point at the
    original lines.
    """
    out = _copy(raw)
    interval = out.pop("break_interval", _ABSENT)
    if interval is not _ABSENT:
        is_number = isinstance(interval, int | float) and not isinstance(interval, bool)
        if is_number and math.isfinite(interval):
            interval = round(interval / 60)
        _put(out, ("reminders", "short_every_minutes"), interval, raw, "break_interval")
    for old, new in (("theme", ("appearance", "theme")), ("sounds", ("player", "chimes"))):
        value = out.pop(old, _ABSENT)
        if value is not _ABSENT:
            _put(out, new, value, raw, old)
    out["version"] = 2
    return out


_ABSENT: Any = object()

Migration = Callable[[Mapping[Any, Any]], Mapping[Any, Any]]

MIGRATIONS: tuple[Migration, ...] = (_v1_to_v2,)
"""``MIGRATIONS[n - 1]`` turns a version ``n`` mapping into version ``n + 1``.

Each returns a new mapping and leaves its input alone. Add one here, and bump
:data:`CURRENT_VERSION`, whenever the meaning or place of a saved key changes.
"""

assert len(MIGRATIONS) == CURRENT_VERSION - 1


def migrate(raw: Mapping[Any, Any], version: int) -> Mapping[Any, Any]:
    """Apply the migrations from ``version`` up to :data:`CURRENT_VERSION`, in order."""
    for step in MIGRATIONS[version - 1 :]:
        raw = step(raw)
    return raw


def _copy(raw: Mapping[Any, Any]) -> dict[Any, Any]:
    """A shallow copy that keeps the line and column marks of a :class:`YMap`."""
    if isinstance(raw, YMap):
        out = YMap(raw.mark)
        out.update(raw)
        out.key_marks.update(raw.key_marks)
        out.value_marks.update(raw.value_marks)
        return out
    return dict(raw)


def _put(
    out: dict[Any, Any], path: tuple[str, str], value: Any, source: Mapping[Any, Any], key: str
) -> None:
    """Set ``out[section][name] = value`` unless already set, carrying ``source[key]``'s marks.

    An explicit new-style value wins over a moved old one; a section that is
    not a mapping is left for the reader to report.
    """
    section_name, name = path
    section = out.get(section_name)
    if section is None:
        section = YMap(mark_of(source, key) or Mark(1, 1)) if isinstance(source, YMap) else {}
    elif isinstance(section, Mapping):
        section = _copy(section)
    else:
        return
    if name not in section:
        section[name] = value
        if isinstance(section, YMap) and isinstance(source, YMap):
            section.key_marks[name] = source.key_marks[key]
            section.value_marks[name] = source.value_marks[key]
    out[section_name] = section
    if isinstance(out, YMap) and isinstance(source, YMap) and section_name not in out.key_marks:
        out.key_marks[section_name] = source.key_marks[key]
        out.value_marks[section_name] = source.value_marks[key]


Settings()  # the defaults must satisfy their own rules: fail at import if they do not
