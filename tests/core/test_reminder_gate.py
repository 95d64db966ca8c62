"""Holding reminders while the user must not be disturbed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stretchdesk.core.reminder_gate import Held, Quiet, ReminderGate

DND, FULL = Quiet.DO_NOT_DISTURB, Quiet.FULL_SCREEN


def test_a_reminder_passes_when_nothing_is_quiet():
    gate: ReminderGate[str] = ReminderGate()
    assert gate.offer("short", None) == "short"
    assert gate.held is None and not gate.needs_recheck
    assert gate.check(None) is None


def test_a_reminder_waits_for_do_not_disturb_to_end_then_comes_once():
    gate: ReminderGate[str] = ReminderGate()
    assert gate.offer("short", DND) is None
    assert gate.held == Held("short", DND) and gate.needs_recheck
    assert gate.check(DND) is None
    assert gate.check(None) == "short"
    assert gate.check(None) is None
    assert not gate.needs_recheck


def test_the_reason_follows_the_desktop():
    gate: ReminderGate[str] = ReminderGate()
    gate.offer("short", FULL)
    assert gate.check(DND) is None
    assert gate.held == Held("short", DND)


def test_only_the_latest_reminder_is_delivered_after_a_long_meeting():
    gate: ReminderGate[str] = ReminderGate()
    gate.offer("short", FULL)
    gate.offer("long", FULL)
    assert gate.check(None) == "long"
    assert gate.check(None) is None


def test_a_withdrawn_reminder_is_not_delivered():
    gate: ReminderGate[str] = ReminderGate()
    gate.offer("short", DND)
    assert not gate.withdraw("another")
    assert gate.withdraw("short")
    assert gate.check(None) is None
    assert not gate.withdraw()


def test_a_reminder_shown_at_once_clears_an_older_held_one():
    gate: ReminderGate[str] = ReminderGate()
    gate.offer("short", DND)
    assert gate.offer("long", None) == "long"
    assert gate.check(None) is None


@given(st.lists(st.tuples(st.booleans(), st.sampled_from([None, DND, FULL])), max_size=40))
def test_every_reminder_is_shown_at_most_once_and_never_while_quiet(steps):
    gate: ReminderGate[int] = ReminderGate()
    shown: list[int] = []
    for number, (offer, quiet) in enumerate(steps):
        out = gate.offer(number, quiet) if offer else gate.check(quiet)
        if out is not None:
            assert quiet is None
            shown.append(out)
    assert len(shown) == len(set(shown))
    assert shown == sorted(shown)
