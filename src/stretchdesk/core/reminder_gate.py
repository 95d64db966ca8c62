"""Holding reminders while the user must not be disturbed.

While the desktop's do-not-disturb is on, or a full-screen window has the focus
(a presentation, a video call, a game), a reminder is not shown: the gate keeps
it, quietly. When the quiet time ends the gate hands back one reminder, the
latest one held, so a long meeting does not end in a pile of them. A reminder
the scheduler withdraws in the meantime (a natural break happened, working
hours ended) is dropped.

The gate is pure: the app asks the platform whether it is quiet now (see
``stretchdesk.platform.dnd``) and passes the answer in. While a reminder is
held the app asks again every :data:`RECHECK_SECONDS`; nothing is asked while
nothing is held.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

RECHECK_SECONDS = 15.0
"""How often to ask whether the quiet time is over, while a reminder is held."""

T = TypeVar("T")


class Quiet(StrEnum):
    """Why reminders are held."""

    DO_NOT_DISTURB = "do-not-disturb"
    FULL_SCREEN = "full-screen"


@dataclass(frozen=True, slots=True)
class Held(Generic[T]):
    """A reminder kept back, and why."""

    item: T
    reason: Quiet


class ReminderGate(Generic[T]):
    """Lets reminders through, or keeps the latest one until the quiet time ends.

    ``quiet`` in every call is the current state: ``None`` when the user may be
    disturbed, otherwise the reason not to.
    """

    def __init__(self) -> None:
        self._held: Held[T] | None = None

    @property
    def held(self) -> Held[T] | None:
        """The reminder being held, if any."""
        return self._held

    @property
    def needs_recheck(self) -> bool:
        """True while a reminder waits: ask again in :data:`RECHECK_SECONDS`."""
        return self._held is not None

    def offer(self, item: T, quiet: Quiet | None) -> T | None:
        """A new reminder: returns it to show now, or ``None`` when it is held.

        A reminder offered while another is held replaces it.
        """
        if quiet is None:
            self._held = None
            return item
        self._held = Held(item, quiet)
        return None

    def check(self, quiet: Quiet | None) -> T | None:
        """The held reminder, once, when the quiet time has ended; otherwise ``None``."""
        held = self._held
        if held is None:
            return None
        if quiet is not None:
            if quiet is not held.reason:
                self._held = Held(held.item, quiet)
            return None
        self._held = None
        return held.item

    def withdraw(self, item: T | None = None) -> bool:
        """Drop the held reminder (only if it is ``item``, when given); True if one was dropped."""
        if self._held is None or (item is not None and self._held.item != item):
            return False
        self._held = None
        return True
