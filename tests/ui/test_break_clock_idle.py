"""The break clock told of idle changes by the platform's watches (fake watches, fake clock)."""

from __future__ import annotations

import pytest
from tests.ui.reminder_fixtures import TZ, FakeClock, FakeIdle

from stretchdesk.core.scheduler import IdleChange, Outcome, SchedulerConfig, State
from stretchdesk.core.settings import Reminders
from stretchdesk.platform.idle import FakeIdleMonitor, FakeIdleWatcher, IdleUnavailable
from stretchdesk.platform.notifications import FakeNotifier
from stretchdesk.storage.history import History
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.break_clock import IDLE_WATCHES_ENV, BreakClock
from stretchdesk.ui.reminders import ReminderController
from stretchdesk.ui.resident import ResidentClock

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

CONFIG = SchedulerConfig(tz=TZ)  # a short break every 30 min, 60 s idle to count as away


class Desk:
    """A fake clock, a fake idle monitor with fake watches, and the clock under test."""

    def __init__(self, clock: BreakClock, fake: FakeClock, monitor: FakeIdleMonitor) -> None:
        self.clock = clock
        self.fake = fake
        self.monitor = monitor
        self.watcher: FakeIdleWatcher = getattr(monitor, "watcher", None)  # type: ignore[assignment]

    def armed(self) -> list[float | None]:
        """The armed watches: their idle seconds, ``None`` for "the next input"."""
        return [watch.seconds for watch in self.watcher.armed]

    def idle_for(self, seconds: float) -> None:
        """Nobody touches anything for ``seconds``; the watches fire as the system would."""
        self.fake.advance(seconds)
        self.monitor.idle = (self.monitor.idle or 0.0) + seconds
        self.watcher.idle_for(self.monitor.idle)

    def back(self, after: float = 0.0) -> None:
        self.fake.advance(after)
        self.monitor.idle = 0.0
        self.watcher.input()

    def work(self, seconds: float) -> int:
        """The user works on for ``seconds``; the timer fires at each deadline. Its firings."""
        fired = 0
        end = self.fake.mono + seconds
        while True:
            left = self.clock.deadline_in()
            if left is None or self.fake.mono + left > end:
                self.fake.advance(end - self.fake.mono)
                return fired
            self.fake.advance(left)
            self.clock._timer.timeout.emit()
            fired += 1


@pytest.fixture
def controller(qtbot, library, history):
    made = []

    def build(idle=None, reminders: Reminders | None = None) -> Desk:
        monitor = idle if idle is not None else FakeIdleMonitor(0.0, FakeIdleWatcher())
        fake = FakeClock()
        made.append(
            ReminderController(
                library,
                reminders or Reminders(),
                history,
                FakeNotifier(),
                clock=fake,
                idle=monitor,
                tz=TZ,
                scale=1.0,
            )
        )
        return Desk(made[-1], fake, monitor)

    yield build
    for one in made:
        one.shutdown()


def test_one_idle_watch_instead_of_asking_every_minute(controller) -> None:
    desk = controller()
    clock = desk.clock
    assert clock.idle_events and clock.idle_watch is IdleChange.IDLE
    assert desk.armed() == [60.0]
    assert clock.deadline_in() == pytest.approx(600)  # the clock check, not the next minute
    asked = desk.monitor.calls
    assert desk.work(25 * 60) <= 3  # the scheduler's clock check at most, every 10 minutes
    assert desk.monitor.calls - asked <= 3
    assert desk.armed() == [60.0]  # the same watch all along
    assert len(desk.watcher.watches) == 1


def test_away_and_back_by_watches_records_a_natural_break(controller, history) -> None:
    desk = controller()
    clock = desk.clock
    desk.work(5 * 60)
    desk.idle_for(61)  # the idle watch fires
    assert clock.status().state is State.AWAY
    assert desk.armed() == [None] and clock.idle_watch is IdleChange.BACK
    # No asking every 15 s: the timer waits for the time away to be as long as a break.
    assert clock.deadline_in() == pytest.approx(5 * 60 - 61)
    for _ in range(4):
        desk.idle_for(clock.deadline_in() or 0.0)
        clock._timer.timeout.emit()
    assert clock.status().state is State.AWAY and desk.armed() == [None]
    away = (desk.monitor.idle or 0.0) + 30
    desk.back(after=30)  # the active watch fires
    assert clock.status().state is State.WORKING
    assert desk.armed() == [60.0]
    [entry] = history.recent_reminders(5)
    assert entry.record.outcome is Outcome.NATURAL_BREAK
    assert entry.record.seconds == pytest.approx(away)
    assert clock.status().work_left == pytest.approx(30 * 60)  # a long break: both restart


def test_the_time_away_is_counted_from_the_last_input(controller) -> None:
    desk = controller(reminders=Reminders(short_length_seconds=120))
    desk.work(10 * 60)
    desk.idle_for(60)
    assert desk.clock.status().state is State.AWAY
    desk.back(after=20)
    # 80 s away, too short for a break, did not count as work either: 20 min of work left.
    assert desk.clock.status().work_left == pytest.approx(20 * 60)


def test_an_idle_reading_rounded_down_does_not_loop(controller) -> None:
    desk = controller()
    desk.fake.advance(60)
    desk.monitor.idle = 59.9995  # the watch fired at 60 s; the reading says a hair less
    assert desk.watcher.idle_for(60) == 1
    assert desk.clock.status().state is State.AWAY
    assert desk.armed() == [None]  # now waiting for the user, not for idleness again
    assert len(desk.watcher.watches) == 2


@pytest.mark.parametrize("how", ["pause", "break", "off"])
def test_no_watch_while_idle_time_does_not_matter(controller, how: str) -> None:
    desk = controller()
    clock = desk.clock
    if how == "pause":
        clock.pause(30 * 60)
    elif how == "break":
        clock.take_break_now()
    else:
        clock.apply_settings(Reminders(enabled=False))
    assert desk.armed() == [] and clock.idle_watch is None
    assert clock.idle_events  # the watcher stays open, quietly
    if how == "pause":
        clock.resume()
    elif how == "break":
        clock.finish_break()
    else:
        clock.apply_settings(Reminders())
    assert desk.armed() == [60.0]


def test_a_lost_watcher_falls_back_to_asking(controller) -> None:
    desk = controller()
    clock = desk.clock
    desk.work(60)
    desk.watcher.lose()
    assert not clock.idle_events and desk.watcher.closed
    assert clock.idle_watch_problem == "the idle watches stopped working"
    assert clock.deadline_in() == pytest.approx(60)  # the threshold: asking again
    desk.fake.advance(60)
    desk.monitor.idle = 60.0
    clock._timer.timeout.emit()
    assert clock.status().state is State.AWAY
    assert clock.deadline_in() == pytest.approx(15)  # and every idle_poll while away
    clock.stop()
    clock.wake()
    assert not clock.idle_events and desk.monitor.opened == 1  # never tried again


class _Refusing(FakeIdleWatcher):
    def watch_active(self, callback):
        raise IdleUnavailable("the service went away")


def test_a_watch_that_cannot_be_made_falls_back_to_asking(controller) -> None:
    desk = controller(FakeIdleMonitor(0.0, _Refusing()))
    clock = desk.clock
    assert clock.idle_events
    desk.idle_for(61)
    assert clock.status().state is State.AWAY
    assert not clock.idle_events and desk.watcher.closed
    assert "the service went away" in (clock.idle_watch_problem or "")
    assert clock.deadline_in() == pytest.approx(15)


def test_stop_closes_the_watcher_and_wake_opens_it_again(controller) -> None:
    desk = controller()
    clock = desk.clock
    clock.stop()
    assert desk.watcher.closed and desk.armed() == [] and clock.deadline_in() is None
    clock.wake()
    assert clock.idle_events and desk.monitor.opened == 2 and desk.armed() == [60.0]
    clock.shutdown()
    assert desk.watcher.closed and desk.armed() == []


def test_sources_without_watches_are_asked(controller) -> None:
    desk = controller(FakeIdle())
    assert not desk.clock.idle_events and desk.clock.idle_watch_problem is None
    assert desk.clock.deadline_in() == pytest.approx(60)


def test_watches_can_be_turned_off(controller, monkeypatch) -> None:
    monkeypatch.setenv(IDLE_WATCHES_ENV, "off")
    desk = controller()
    assert not desk.clock.idle_events and desk.monitor.opened == 0
    assert desk.clock.deadline_in() == pytest.approx(60)


def test_the_resident_clock_uses_the_watches_too(qtbot, tmp_path) -> None:
    paths = AppPaths.resolve(tmp_path / "config", tmp_path / "data")
    monitor = FakeIdleMonitor(0.0, FakeIdleWatcher())
    config = SchedulerConfig(short_interval=600.0, long_interval=None, tz=TZ)
    clock = ResidentClock(config, paths, None, idle=monitor)
    fake = FakeClock()
    clock._clock = fake
    clock._last_instant = None
    from stretchdesk.core.scheduler import Scheduler

    clock.scheduler = Scheduler(config, clock._now())
    asked: list = []
    clock.full_requested = asked.append
    desk = Desk(clock, fake, monitor)
    clock.wake()
    assert desk.armed() == [60.0] and clock.deadline_in() == pytest.approx(600)
    desk.fake.advance(120)
    desk.idle_for(60)
    assert clock.status().state is State.AWAY and desk.armed() == [None]
    desk.back(after=30)  # 90 s away: a natural break, into the history
    assert desk.armed() == [60.0] and asked == []
    history = History.open(paths.history_db)
    try:
        [entry] = history.recent_reminders(5)
    finally:
        history.close()
    assert entry.record.outcome is Outcome.NATURAL_BREAK
    assert entry.record.seconds == pytest.approx(90)
    clock.stop()
    assert monitor.watcher is not None and monitor.watcher.closed
