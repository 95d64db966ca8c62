"""Shared pieces for the reminder tests: a clock that only moves when told, and a controller."""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")


class FakeClock:
    """Monotonic and wall clocks that move only with :meth:`advance`."""

    def __init__(self, wall: _dt.datetime | None = None) -> None:
        self.mono = 1000.0
        self.now = wall or _dt.datetime(2026, 3, 2, 10, 0, tzinfo=TZ)

    def monotonic(self) -> float:
        return self.mono

    def wall(self) -> _dt.datetime:
        return self.now

    def advance(self, seconds: float, wall_seconds: float | None = None) -> None:
        """Let ``seconds`` pass (the wall clock moves ``wall_seconds``, e.g. over a sleep)."""
        self.mono += seconds
        self.now += _dt.timedelta(seconds=seconds if wall_seconds is None else wall_seconds)


class FakeIdle:
    def __init__(self) -> None:
        self.seconds: float | None = 0.0

    def idle_seconds(self) -> float | None:
        return self.seconds
