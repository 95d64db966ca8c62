"""The tray menu's actions, the prompt window's manners, the app without a tray, the settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from tests.ui.reminder_fixtures import TZ, FakeClock, FakeIdle

from stretchdesk.core.scheduler import State
from stretchdesk.core.settings import Reminders, Settings
from stretchdesk.platform.notifications import FakeNotifier
from stretchdesk.storage.history import History
from stretchdesk.storage.paths import AppPaths
from stretchdesk.storage.settings_store import SettingsStore
from stretchdesk.ui.desk_reminders import NO_TRAY_NOTICE, DeskReminders
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.reminder_prompt import ReminderPrompt
from stretchdesk.ui.reminders import ReminderController
from stretchdesk.ui.settings_dialog import SettingsDialog
from stretchdesk.ui.tray import STEPS, Tray, tray_pixmap

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


@pytest.fixture
def controller(qtbot, library, tmp_path):
    history = History.open(tmp_path / "history.sqlite3")
    made = ReminderController(
        library,
        Reminders(),
        history,
        FakeNotifier(),
        clock=FakeClock(),
        idle=FakeIdle(),
        tz=TZ,
        scale=1.0,
        prompt_factory=lambda: _prompt(qtbot, library),
    )
    yield made
    made.shutdown()
    history.close()


def _prompt(qtbot, library) -> ReminderPrompt:
    prompt = ReminderPrompt(library.catalogue)
    qtbot.addWidget(prompt)
    return prompt


@pytest.fixture
def tray(controller, library):
    made = Tray(controller, library.routines)
    yield made
    made.hide()
    made.menu.deleteLater()


def test_menu_lists_the_actions_in_order(tray):
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert texts == [
        "Next break in --:--",
        "Take a break now",
        "Start routine",
        "Pause reminders",
        "Resume reminders",
        "Open StretchDesk",
        "Reminder settings…",
        "Quit StretchDesk",
    ]
    assert not tray.actions.next_break.isEnabled()
    assert [a.text() for a in tray.pause_menu.actions()] == [
        "30 minutes",
        "1 hour",
        "2 hours",
        "Until tomorrow",
    ]


def test_menu_refreshes_when_it_opens(tray, controller):
    controller._clock.advance(60)
    tray.update_menu()
    assert tray.actions.next_break.text() == "Next break in 29:00"
    assert not tray.actions.resume.isVisible()


@pytest.mark.parametrize("index, seconds", [(0, 30 * 60), (1, 3600), (2, 7200)])
def test_pause_actions_pause_the_scheduler(tray, controller, index, seconds):
    tray.pause_menu.actions()[index].trigger()
    status = controller.status()
    assert status.state is State.PAUSED
    expected = controller._clock.now.timestamp() + seconds
    assert status.paused_until.timestamp() == pytest.approx(expected)
    tray.update_menu()
    assert tray.actions.resume.isVisible() and not tray.pause_menu.isEnabled()
    tray.actions.resume.trigger()
    assert controller.status().state is State.WORKING


def test_pause_until_tomorrow(tray, controller):
    tray.actions.pause_until_tomorrow.trigger()
    assert controller.status().paused_until.hour == 0
    assert controller.status_text() == "Reminders paused until 00:00"


def test_take_break_now_action(tray, controller, qtbot):
    with qtbot.waitSignal(controller.start_requested):
        tray.actions.take_break.trigger()
    assert controller.status().state is State.IN_BREAK


def test_signals_for_window_settings_routines_and_quit(tray, qtbot, library):
    for action, signal in (
        (tray.actions.open_window, tray.open_requested),
        (tray.actions.settings, tray.settings_requested),
        (tray.actions.quit, tray.quit_requested),
    ):
        with qtbot.waitSignal(signal):
            action.trigger()
    first = library.routines[0]
    with qtbot.waitSignal(tray.routine_requested) as chosen:
        tray.routines_menu.actions()[0].trigger()
    assert chosen.args == [first.id]
    with qtbot.waitSignal(tray.open_requested):
        tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)


def test_icon_redraws_by_steps_not_seconds(tray, controller):
    key = tray._shown_key
    assert key[0] == 0
    controller._clock.advance(10)
    tray.refresh()
    assert tray._shown_key == key  # 10 s is no visible step
    controller._clock.advance(30 * 60 / STEPS)
    tray.refresh()
    assert tray._shown_key[0] == 1
    # the next redraw is planned for the next step or minute, never sooner than needed
    assert 0 < tray._refresh.interval() <= 60_100
    assert tray.icon.toolTip() == "StretchDesk\nNext break in 28 min"


def test_tray_pixmaps_have_the_right_size():
    for size in (16, 22, 48):
        pixmap = tray_pixmap(size, 5, dark=False)
        assert pixmap.width() == size and not pixmap.toImage().isNull()


def test_prompt_never_takes_focus(controller):
    """The window manager is told not to focus it; the real X11 test checks the focus stays."""
    controller._clock.advance(30 * 60 + 1)
    controller.wake()
    prompt = controller.prompt
    assert prompt.isVisible()
    flags = prompt.windowFlags()
    assert flags & Qt.WindowType.WindowDoesNotAcceptFocus
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert flags & Qt.WindowType.Tool
    assert prompt.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert prompt.focusPolicy() is Qt.FocusPolicy.NoFocus
    for button in (prompt.start_button, prompt.later_button, prompt.skip_button):
        assert button.focusPolicy() is Qt.FocusPolicy.NoFocus


def test_prompt_start_opens_the_player(qtbot, controller):
    controller._clock.advance(30 * 60 + 1)
    controller.wake()
    with qtbot.waitSignal(controller.start_requested) as opened:
        controller.prompt.start_button.click()
    assert opened.args[0].items
    assert not controller.prompt.isVisible()


# --- the whole thing around the main window -------------------------------------------------


@pytest.fixture
def app_paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


def _desk(qtbot, library, app_paths, monkeypatch, tray: bool) -> DeskReminders:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: tray))
    window = MainWindow(library, app_paths.config_dir / "window-state.ini")
    qtbot.addWidget(window)
    window.show()
    desk = DeskReminders(
        window, library, app_paths, Settings(), notifier=FakeNotifier(), idle=FakeIdle()
    )
    desk.controller._clock = FakeClock()
    desk.controller._last_instant = None
    desk.controller._prompt_factory = lambda: _prompt(qtbot, library)
    return desk


def test_without_a_tray_the_window_stays_and_reminders_arrive(
    qtbot, library, app_paths, monkeypatch
):
    desk = _desk(qtbot, library, app_paths, monkeypatch, tray=False)
    try:
        assert not desk.has_tray and not desk.tray.icon.isVisible()
        window = desk.window
        window.close()
        assert window.isVisible()  # kept (minimised), so the app keeps running
        assert window.statusBar().currentMessage() == NO_TRAY_NOTICE
        controller = desk.controller
        controller.scheduler = type(controller.scheduler)(
            controller.scheduler.config, controller._now()
        )
        controller._clock.advance(30 * 60 + 1)
        controller.wake()
        assert controller.prompt.isVisible()
        assert controller.notifier.shown
        with qtbot.waitSignal(controller.start_requested):
            controller.prompt.start_button.click()
        assert window.isVisible()
    finally:
        desk._shutdown()


@pytest.mark.qt_log_ignore(
    "No such signal QPlatformNativeInterface::systemTrayWindowChanged",
    "This plugin does not support raise",
)
def test_closing_keeps_the_app_in_the_tray_and_says_so_once(qtbot, library, app_paths, monkeypatch):
    desk = _desk(qtbot, library, app_paths, monkeypatch, tray=True)
    try:
        messages = []
        monkeypatch.setattr(desk.tray, "show_message", lambda *a: messages.append(a))
        desk.window.close()
        assert not desk.window.isVisible()
        assert len(messages) == 1
        saved = SettingsStore(app_paths).load().settings
        assert saved.desktop.close_to_tray_notice_shown
        desk.show_window()
        desk.window.close()
        assert len(messages) == 1
        assert not QApplication.quitOnLastWindowClosed()
    finally:
        desk._shutdown()
        QApplication.setQuitOnLastWindowClosed(True)


def test_settings_dialog_saves_and_applies(qtbot, library, app_paths):
    store = SettingsStore(app_paths)
    dialog = SettingsDialog(Settings(), store, library.routines)
    qtbot.addWidget(dialog)
    dialog.short_every.setValue(20)
    dialog.hours_only.setChecked(True)
    dialog.days[5].on.setChecked(True)
    dialog._add_fixed(None)
    with qtbot.waitSignal(dialog.settings_saved) as saved:
        assert dialog.save()
    reminders = saved.args[0].reminders
    assert reminders.short_every_minutes == 20
    assert reminders.working_hours_only
    assert reminders.working_hours.saturday is not None
    assert reminders.fixed[0].routine == library.routines[0].id
    assert store.load().settings.reminders == reminders


def test_settings_dialog_saves_routine_sound_and_look(qtbot, library, app_paths):
    store = SettingsStore(app_paths)
    dialog = SettingsDialog(Settings(), store, library.routines)
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.prepare.setValue(0)
    assert dialog.prepare.text() == "Wait until I'm ready"
    dialog.voice.setChecked(False)
    dialog.chime_volume.setValue(40)
    dialog.voice_rate.setCurrentIndex(0)
    dialog.check_in.setChecked(False)
    with qtbot.waitSignal(dialog.settings_saved):
        assert dialog.save()
    saved = store.load().settings
    assert str(saved.appearance.theme) == "dark"
    assert saved.player.prepare_seconds == 0
    assert saved.player.voice is False and saved.player.chime_volume == 40
    assert saved.player.voice_rate == -0.4
    assert saved.safety.check_in is False
