"""The break clock hears of a wake from sleep or a clock change at once (Linux timerfd)."""

from __future__ import annotations

from tests.ui.reminder_fixtures import FakeClock

from stretchdesk.core.scheduler import SchedulerConfig
from stretchdesk.ui.break_clock import BreakClock


def test_a_clock_jump_wakes_the_clock_and_stop_lets_go(qtbot) -> None:
    clock = BreakClock(SchedulerConfig())
    try:
        watch = clock._jumps
        assert watch is not None and watch.fd is not None
        before = clock.wakeups
        watch._on_jump()  # what the timerfd's cancellation calls
        assert clock.wakeups == before + 1
        clock.stop()
        assert clock._jumps is None and watch.fd is None
        clock.wake()  # back to work: watching again
        assert clock._jumps is not None
    finally:
        clock.stop()


def test_a_fake_clock_has_no_jump_watch(qtbot) -> None:
    clock = BreakClock(SchedulerConfig(), clock=FakeClock())
    assert clock._jumps is None
    clock.stop()
