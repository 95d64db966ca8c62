"""A stretch of the day, such as working hours (kept light: the break scheduler needs it)."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A stretch of the day from ``start`` to ``end``, written ``09:00-17:30``.

    ``end`` before ``start`` means the span runs past midnight (``22:00-06:00``).
    Times are whole minutes.
    """

    start: _dt.time
    end: _dt.time

    def __post_init__(self) -> None:
        for t in (self.start, self.end):
            if not isinstance(t, _dt.time) or t.tzinfo is not None or t.second or t.microsecond:
                raise ValueError(f"TimeSpan: expected whole-minute local times, found {t!r}")
        if self.start == self.end:
            raise ValueError("TimeSpan: start and end must differ")

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @classmethod
    def parse(cls, text: str) -> TimeSpan:
        """``"09:00-17:30"`` as a span; :class:`ValueError` when it is not one."""
        start, sep, end = text.partition("-")
        if not sep:
            raise ValueError(f"not a span of hours: {text!r}")
        return cls(parse_time(start), parse_time(end))

    def contains(self, moment: _dt.time) -> bool:
        """Whether a time of day falls in the span (``start`` included, ``end`` not)."""
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


_TIME_RE = re.compile(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*")


def parse_time(text: str) -> _dt.time:
    match = _TIME_RE.fullmatch(text)
    if not match:
        raise ValueError(f"not a time of day: {text!r}")
    return _dt.time(int(match[1]), int(match[2]))
