"""The safety flow in the window: first-run welcome, the day's check-in, warning signs."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from stretchdesk.core.safety import CheckInAnswer
from stretchdesk.core.settings import Settings
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.storage.settings_store import SettingsStore
from stretchdesk.ui.checkin_dialog import CheckInDialog
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.safety_dialogs import SafetyDialog

TODAY = dt.date(2026, 5, 4)


@pytest.fixture
def paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


@pytest.fixture
def make_window(qtbot, paths):
    store = SettingsStore(paths)
    windows = []

    def make(settings: Settings | None = None, hour: int = 9) -> MainWindow:
        win = MainWindow(
            load_library(paths),
            paths.config_dir / "state.ini",
            settings or store.load().settings,
            store=store,
            today=lambda: TODAY,
            clock_time=lambda: dt.time(hour, 0),
        )
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        return win

    make.store = store
    yield make
    for win in windows:
        if win._player is not None:
            win._player.close_session()


def checkin(win: MainWindow) -> CheckInDialog:
    dialog = win.checkin_dialog
    assert isinstance(dialog, CheckInDialog) and dialog.isVisible()
    return dialog


def all_text(widget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))


def player_ids(win: MainWindow) -> tuple[str, ...]:
    return win.player._routine.stretch_ids


def test_first_run_shows_the_welcome_and_remembers_it(make_window):
    win = make_window()
    win.show_welcome_if_needed()
    dialog = win.safety_dialog
    assert isinstance(dialog, SafetyDialog) and dialog.isVisible()
    text = dialog.learn_more.text()
    assert "mayoclinic.org" in text and "spine-health.com" in text
    assert "not medical advice" in all_text(dialog)
    dialog.ok_button.click()
    assert make_window.store.load().settings.safety.welcome_shown
    again = make_window()
    again.show_welcome_if_needed()
    assert again.safety_dialog is None


def test_warning_signs_list_every_sign_in_both_groups(make_window):
    win = make_window()
    win.warning_signs_action.trigger()
    dialog = win.safety_dialog
    assert isinstance(dialog, SafetyDialog) and dialog.isVisible()
    assert len(dialog.group_boxes) == 2
    emergency, professional = (all_text(box) for box in dialog.group_boxes)
    signs = win.safety.warning_signs
    for group, shown in zip(signs.groups, (emergency, professional), strict=True):
        for sign in group.signs:
            assert html.escape(sign.text) in shown
    assert "bladder or bowel" in emergency and "down a leg" in professional


def test_fine_starts_the_routine_as_it_is_and_is_asked_once_a_day(make_window, qtbot):
    win = make_window()
    win.open_routine("daily-ten")
    dialog = checkin(win)
    dialog.answer_buttons[CheckInAnswer.FINE].click()
    dialog.pain.slider.setValue(4)
    (start,) = [b for b in dialog.start_buttons if b.text() == "Start The daily ten"]
    start.click()
    assert not dialog.isVisible()
    assert win.pages.currentWidget() is win.player
    assert player_ids(win) == win.library.routine("daily-ten").stretch_ids
    assert win.pain_before == 4
    saved = make_window.store.load().settings.safety
    assert saved.last_checkin == TODAY and saved.last_checkin_answer == "fine"
    win.checkin_dialog = None
    win.open_routine("desk-break")
    assert win.checkin_dialog is None, "asked at most once a day"
    assert player_ids(win) == win.library.routine("desk-break").stretch_ids


def test_a_flare_up_keeps_only_flare_safe_stretches_for_the_rest_of_the_day(make_window):
    win = make_window()
    win.open_routine("daily-ten")
    dialog = checkin(win)
    dialog.answer_buttons[CheckInAnswer.FLARE_UP].click()
    changes = dialog.outcome_page.findChild(QLabel, "changes")
    assert changes is not None and "too strong for a flare-up" in changes.text()
    texts = [b.text() for b in dialog.start_buttons]
    assert "Try Flare-up gentle instead" in texts
    dialog.start_buttons[texts.index("Try Flare-up gentle instead")].click()
    catalogue = win.library.catalogue
    assert all(catalogue[s].flare_safe for s in player_ids(win))
    win.open_routine("daily-ten")  # later the same day: no question, still gentle
    assert all(catalogue[s].flare_safe for s in player_ids(win))


@pytest.mark.parametrize("emergency", [False, True])
def test_warning_signs_never_lead_into_a_routine(make_window, emergency):
    win = make_window()
    win.open_routine("flare-up-gentle")
    dialog = checkin(win)
    dialog.answer_buttons[CheckInAnswer.WARNING_SIGNS].click()
    assert dialog.pages.currentWidget() is dialog.emergency_page
    (dialog.emergency_yes if emergency else dialog.emergency_no).click()
    page = dialog.outcome_page
    labels = [b.text() for b in page.findChildren(QPushButton)]
    assert labels == ["Close"], labels
    assert dialog.start_buttons == []
    words = all_text(page)
    assert ("Get medical help now" if emergency else "doctor or physiotherapist") in words
    page.findChildren(QPushButton)[0].click()
    assert win._player is None or win.pages.currentWidget() is not win.player
    assert make_window.store.load().settings.safety.last_checkin_answer == "warning-signs"
    win.checkin_dialog = None
    win.open_routine("flare-up-gentle")
    assert isinstance(win.checkin_dialog, CheckInDialog), "asked again before any routine"


def test_skipping_goes_ahead_and_is_remembered(make_window):
    win = make_window()
    win.open_routine("desk-break")
    checkin(win).skip_button.click()
    assert player_ids(win) == win.library.routine("desk-break").stretch_ids
    assert make_window.store.load().settings.safety.last_checkin_answer == "skipped"


def test_it_hurts_means_the_check_in_comes_back(make_window):
    win = make_window()
    win.open_routine("desk-break")
    checkin(win).answer_buttons[CheckInAnswer.SORE].click()
    checkin(win).start_buttons[-1].click()
    from stretchdesk.core.engine import Ending

    summary = type("S", (), {"ending": Ending.HURT})()
    win._record_hurt(summary)
    assert make_window.store.load().settings.safety.last_checkin_answer == "hurt"
    win.checkin_dialog = None
    win.open_routine("desk-break")
    assert isinstance(win.checkin_dialog, CheckInDialog)


def test_the_check_in_can_be_turned_off_and_asked_for(make_window):
    off = Settings().evolve({"safety.check_in": False})
    win = make_window(off)
    win.open_routine("desk-break")
    assert win.checkin_dialog is None
    assert win.pages.currentWidget() is win.player


def test_help_menu_asks_again(make_window):
    win = make_window()
    win.open_routine("desk-break")
    checkin(win).skip_button.click()
    win.check_in_action.trigger()
    assert make_window.store.load().settings.safety.last_checkin is None
    win.checkin_dialog = None
    win.open_routine("desk-break")
    assert isinstance(win.checkin_dialog, CheckInDialog)


def test_pain_before_and_after_are_compared_and_reported(make_window, qtbot):
    win = make_window()
    win.open_routine("desk-break")
    dialog = checkin(win)
    dialog.answer_buttons[CheckInAnswer.SORE].click()
    dialog.pain.slider.setValue(6)
    with qtbot.waitSignal(win.check_in_recorded) as checked:
        dialog.start_buttons[-1].click()
    assert checked.args[0].pain_before == 6
    finished = win.player.finished_view
    win._ask_pain_after(object())
    assert finished.pain_question.isVisibleTo(finished)
    assert finished.pain_question.text() == win.safety.pain_score.after_prompt
    with qtbot.waitSignal(win.pain_recorded) as recorded:
        finished.pain_scores.button(3).click()
    assert recorded.args == [6, 3]
    assert finished.pain_result.text() == "Your back feels better than before: 6 → 3"
    assert win.pain_before is None


def test_no_pain_question_after_when_none_was_given_before(make_window):
    win = make_window()
    win.open_routine("desk-break")
    checkin(win).skip_button.click()
    win._ask_pain_after(object())
    assert not win.player.finished_view.pain_question.isVisibleTo(win.player.finished_view)


def test_settings_action_and_quit_reach_whoever_listens(make_window, qtbot):
    win = make_window()
    with qtbot.waitSignal(win.settings_requested):
        win.settings_action.trigger()
    with qtbot.waitSignal(win.quit_requested):
        win.quit_action.trigger()


def test_changed_player_settings_rebuild_the_player_for_the_next_routine(make_window):
    off = Settings().evolve({"safety.check_in": False})
    win = make_window(off)
    win.open_routine("desk-break")
    first = win.player
    win.show_browser()
    win.set_settings(off.evolve({"player.voice": False}))
    assert win._player is None
    win.open_routine("desk-break")
    assert win.player is not first
    assert win.player.settings.voice is False
