"""The reminder controller, driven by a fake clock: what it shows, records and asks the timer."""

from __future__ import annotations

import datetime as _dt
import math

import pytest
from tests.ui.reminder_fixtures import TZ, FakeClock, FakeIdle

from stretchdesk.core.model import Catalogue
from stretchdesk.core.reminder_gate import RECHECK_SECONDS, Quiet
from stretchdesk.core.scheduler import MAX_SLEEP_SECONDS, Outcome, ReminderKind, State
from stretchdesk.core.settings import FixedReminder, Reminders
from stretchdesk.platform.notifications import FakeNotifier
from stretchdesk.ui.reminder_prompt import ReminderPrompt
from stretchdesk.ui.reminders import (
    MAX_TIMER_MS,
    ReminderController,
    duration_text,
    pick_stretch,
    scheduler_config,
    time_scale,
)

SHORT = 30 * 60.0

# The offscreen platform cannot stack windows; an always-on-top window asks it to.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


@pytest.fixture
def make(qtbot, library, history):
    made = []

    def build(reminders: Reminders | None = None, **kw) -> ReminderController:
        kw.setdefault("clock", FakeClock())
        kw.setdefault("idle", FakeIdle())
        prompts = []

        def prompt():
            widget = ReminderPrompt(library.catalogue)
            qtbot.addWidget(widget)
            prompts.append(widget)
            return widget

        controller = ReminderController(
            library,
            reminders or Reminders(),
            history,
            FakeNotifier(),
            tz=TZ,
            scale=1.0,
            prompt_factory=prompt,
            **kw,
        )
        made.append(controller)
        return controller

    yield build
    for controller in made:
        controller.shutdown()


def due(controller: ReminderController) -> None:
    """Let a short interval of work pass and wake the controller, as its timer would."""
    controller._clock.advance(SHORT + 1)
    controller.wake()


def test_timer_waits_for_the_scheduler_deadline_no_ticking(make):
    controller = make()
    remaining = controller._timer.interval()
    # The user is active: the first wake-up is when they could first count as idle.
    assert remaining == math.ceil(60.0 * 1000)
    assert controller._timer.isSingleShot()


def test_timer_never_overflows(make):
    controller = make(Reminders(enabled=False))
    assert not controller._timer.isActive()  # reminders off: no wake-ups at all
    controller.apply_settings(Reminders())
    assert 0 < controller._timer.interval() <= min(MAX_TIMER_MS, MAX_SLEEP_SECONDS * 1000)


def test_reminder_shows_notification_and_prompt(make):
    controller = make()
    shown = []
    controller.reminder_shown.connect(shown.append)
    due(controller)
    suggestion = shown[0]
    assert suggestion.reminder.kind is ReminderKind.SHORT
    assert suggestion.stretch is not None and suggestion.stretch.desk_friendly
    note = controller.notifier.shown[-1]
    assert note.title == "Time for a stretch"
    assert suggestion.stretch.name in note.body
    assert [key for key, _ in note.actions] == ["default", "start", "later", "skip"]
    assert controller.prompt.isVisible()
    assert controller.prompt.name.text() == suggestion.stretch.name


def test_start_from_notification_opens_the_player_and_records(make, history, qtbot):
    controller = make()
    due(controller)
    stretch = controller.suggestion.stretch
    with qtbot.waitSignal(controller.start_requested) as opened:
        controller.notifier.press("start")
    routine = opened.args[0]
    assert routine.stretch_ids == (stretch.id,)
    assert controller.status().state is State.IN_BREAK
    assert not controller.prompt.isVisible()
    entry = history.recent_reminders(1)[0]
    assert entry.record.outcome is Outcome.STARTED and entry.stretch == stretch.id
    controller._clock.advance(60)
    controller.finish_break()
    assert history.recent_reminders(1)[0].record.outcome is Outcome.FINISHED
    assert controller.status().state is State.WORKING


def test_prompt_buttons_postpone_and_skip(make, history, qtbot):
    controller = make()
    due(controller)
    prompt = controller.prompt
    prompt.later_button.click()
    assert controller.status().state is State.POSTPONED
    assert not prompt.isVisible() and controller.notifier.withdrawn == 1
    assert history.recent_reminders(1)[0].record.outcome is Outcome.POSTPONED
    stretch = controller.suggestion.stretch
    controller._clock.advance(5 * 60 + 1)
    controller.wake()
    assert prompt.isVisible() and controller.suggestion.stretch == stretch  # the same offer
    prompt.skip_button.click()
    entry = history.recent_reminders(1)[0]
    assert entry.record.outcome is Outcome.SKIPPED and entry.stretch == stretch.id
    assert controller.status().state is State.WORKING
    assert controller.suggestion is None


def test_postpone_refused_after_the_limit(make):
    controller = make(Reminders(max_postpones=1))
    due(controller)
    controller.postpone()
    controller._clock.advance(5 * 60 + 1)
    controller.wake()
    assert not controller.prompt.later_button.isEnabled()
    assert "later" not in [key for key, _ in controller.notifier.shown[-1].actions]


def test_sleep_counts_as_a_break_and_shows_nothing(make):
    controller = make()
    controller._clock.advance(20 * 60)
    controller.wake()
    controller._clock.advance(5, wall_seconds=3 * 3600)  # the lid was closed for 3 hours
    controller.wake()
    assert controller.sleeps_seen == 1
    assert controller.notifier.shown == []
    assert controller.history.recent_reminders(1)[0].record.outcome is Outcome.NATURAL_BREAK


def test_idle_user_gets_no_reminder(make):
    idle = FakeIdle()
    controller = make(idle=idle)
    idle.seconds = SHORT + 10
    due(controller)
    assert controller.notifier.shown == []
    assert controller.status().state is State.AWAY


def test_long_break_offers_the_desk_routine(make):
    controller = make(Reminders(short_every_minutes=120, long_every_minutes=120))
    controller._clock.advance(120 * 60 + 1)
    controller.wake()
    suggestion = controller.suggestion
    assert suggestion.reminder.kind is ReminderKind.LONG
    assert suggestion.routine.id == "desk-break" and suggestion.stretch is None
    assert "stretches" in controller.prompt.detail.text()


def test_fixed_reminder_offers_its_routine(make):
    fixed = FixedReminder(_dt.time(10, 30), "morning-mobility", "after coffee")
    controller = make(Reminders(fixed=(fixed,)))
    controller._clock.advance(30 * 60 - 10)
    controller.wake()
    controller._clock.advance(20)
    controller.wake()
    suggestion = controller.suggestion
    assert suggestion.reminder.kind is ReminderKind.FIXED
    assert suggestion.routine.id == "morning-mobility"
    assert suggestion.title == "after coffee"


def test_pause_and_resume(make):
    controller = make()
    controller.pause(30 * 60)
    assert controller.status().state is State.PAUSED
    assert controller.status_text() == "Reminders paused until 10:30"
    controller.resume()
    assert controller.status().state is State.WORKING


def test_status_text_counts_down(make):
    controller = make()
    assert controller.status_text() == "Next break in 30 min"
    controller._clock.advance(18 * 60 + 5)
    assert controller.status_text() == "Next break in 12 min"
    assert controller.status_text(seconds=True) == "Next break in 11:55"


def test_take_break_now_opens_a_stretch(make, qtbot):
    controller = make()
    with qtbot.waitSignal(controller.start_requested):
        controller.take_break_now()
    assert controller.status().state is State.IN_BREAK


def test_time_scale_shortens_intervals():
    assert time_scale({"STRETCHDESK_TIME_SCALE": "30"}) == 30
    assert time_scale({"STRETCHDESK_TIME_SCALE": "nonsense"}) == 1
    assert time_scale({"STRETCHDESK_TIME_SCALE": "0"}) == 1
    config = scheduler_config(Reminders(short_every_minutes=5), TZ, 30)
    assert config.short_interval == 10 and config.idle_threshold == 60


def test_duration_text():
    assert duration_text(45) == "45 s"
    assert duration_text(120) == "2 min"
    assert duration_text(210) == "3 min 30 s"


def test_pick_stretch_rotates_and_favours_the_least_done(library):
    catalogue: Catalogue = library.catalogue
    desk = [s.id for s in catalogue.stretches if s.desk_friendly]
    assert pick_stretch(catalogue, {}).id == desk[0]
    assert pick_stretch(catalogue, {}, last=desk[0]).id == desk[1]
    assert pick_stretch(catalogue, {}, last=desk[-1]).id == desk[0]
    done = dict.fromkeys(desk, 3) | {desk[4]: 1}
    assert pick_stretch(catalogue, done, last=desk[0]).id == desk[4]
    neck = pick_stretch(catalogue, {}, areas=("neck",))
    assert "neck" in neck.areas


# --- do not disturb -----------------------------------------------------------------------


class FakeQuiet:
    """A quiet probe that answers what it is told, and counts the questions."""

    def __init__(self, reason: Quiet | None = None) -> None:
        self.reason = reason
        self.asked = 0

    def quiet(self) -> Quiet | None:
        self.asked += 1
        return self.reason


def test_nothing_asks_whether_it_is_quiet_until_a_reminder_is_due(make):
    quiet = FakeQuiet()
    controller = make(quiet=quiet)
    for _ in range(5):
        controller._clock.advance(60)
        controller.wake()
    assert quiet.asked == 0
    assert not controller._recheck.isActive()


def test_a_reminder_is_held_while_full_screen_and_shown_once_after(make, qtbot):
    quiet = FakeQuiet(Quiet.FULL_SCREEN)
    controller = make(quiet=quiet)
    with qtbot.waitSignal(controller.reminder_held) as held:
        due(controller)
    assert held.args == ["full-screen"]
    assert controller.notifier.shown == []
    assert controller.prompt is None or not controller.prompt.isVisible()
    assert controller.status_text() == "Break time (waiting until you leave full screen)"
    # Asked again only while held, by a single-shot timer.
    assert controller._recheck.isActive() and controller._recheck.isSingleShot()
    assert controller._recheck.interval() == RECHECK_SECONDS * 1000
    controller._recheck_quiet()  # still full screen: nothing shown, asked again later
    assert controller.notifier.shown == [] and controller._recheck.isActive()
    quiet.reason = Quiet.DO_NOT_DISTURB  # the meeting goes on with do-not-disturb
    controller._recheck_quiet()
    assert controller.held is Quiet.DO_NOT_DISTURB
    quiet.reason = None
    controller._clock.advance(RECHECK_SECONDS)
    controller._recheck_quiet()
    assert len(controller.notifier.shown) == 1
    assert controller.prompt.isVisible() and controller.held is None
    assert not controller._recheck.isActive()
    controller._recheck_quiet()
    controller.wake()
    assert len(controller.notifier.shown) == 1  # exactly one


def test_a_held_reminder_is_dropped_after_a_natural_break(make):
    quiet = FakeQuiet(Quiet.DO_NOT_DISTURB)
    idle = FakeIdle()
    controller = make(quiet=quiet, idle=idle)
    due(controller)
    assert controller.held is Quiet.DO_NOT_DISTURB
    idle.seconds = 10 * 60.0  # the user went away for a while
    controller._clock.advance(10 * 60)
    controller.wake()
    assert controller.held is None and not controller._recheck.isActive()
    quiet.reason = None
    controller._recheck_quiet()
    assert controller.notifier.shown == []


def test_a_failing_probe_never_holds_reminders(make):
    class Broken:
        def quiet(self) -> Quiet | None:
            raise OSError("no display")

    controller = make(quiet=Broken())
    due(controller)
    assert len(controller.notifier.shown) == 1


# --- fixed reminders across restarts, favoured areas -----------------------------------------


def test_a_fixed_reminder_fires_once_a_day_across_a_restart(make, history):
    fixed = FixedReminder(_dt.time(10, 30), "morning-mobility", "after coffee")
    first = make(Reminders(fixed=(fixed,)))
    first._clock.advance(31 * 60)
    first.wake()
    assert first.suggestion.reminder.kind is ReminderKind.FIXED
    first.skip()
    first.shutdown()
    assert history.fixed_fired() == {fixed: _dt.date(2026, 3, 2)}
    # Started again after the clock was set back to before the fixed time.
    clock = FakeClock(_dt.datetime(2026, 3, 2, 10, 20, tzinfo=TZ))
    second = make(Reminders(fixed=(fixed,)), clock=clock)
    clock.advance(15 * 60)
    second.wake()
    assert second.notifier.shown == []
    assert second.status().next_fixed.at.date() == _dt.date(2026, 3, 3)


def test_suggestions_favour_the_chosen_areas(make, library):
    controller = make(Reminders(areas=("neck",), long_breaks=False))
    assert controller.areas == ("neck",)
    for _ in range(3):
        due(controller)
        assert "neck" in controller.suggestion.stretch.areas
        controller.skip()
        controller._clock.advance(3 * 60)
    controller.apply_settings(Reminders(areas=("no-such-area",), long_breaks=False))
    due(controller)
    assert controller.suggestion.stretch.desk_friendly  # unknown ids: every area
