"""A reminder's Start: the compact player, through the day's check-in; the settings dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel, QSystemTrayIcon
from tests.ui.reminder_fixtures import FakeClock, FakeIdle

from stretchdesk.core.safety import CheckInAnswer
from stretchdesk.core.settings import Settings
from stretchdesk.library import load_library
from stretchdesk.platform.autostart import AutostartError, XdgAutostart
from stretchdesk.platform.notifications import FakeNotifier
from stretchdesk.storage.paths import AppPaths
from stretchdesk.storage.settings_store import SettingsStore
from stretchdesk.ui.checkin_dialog import CheckInDialog
from stretchdesk.ui.compact_player import CompactPlayer
from stretchdesk.ui.desk_reminders import DeskReminders
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.reminder_prompt import ReminderPrompt
from stretchdesk.ui.settings_dialog import CLOCK_NOTE, SettingsDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("lib")
    return load_library(AppPaths.resolve(root / "config", root / "data"))


@pytest.fixture
def app_paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


@pytest.fixture
def desk(qtbot, library, app_paths, monkeypatch):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    made = []

    def build(settings: Settings) -> DeskReminders:
        window = MainWindow(library, app_paths.config_dir / "window-state.ini", settings)
        qtbot.addWidget(window)
        window.show()
        reminders = DeskReminders(
            window, library, app_paths, settings, notifier=FakeNotifier(), idle=FakeIdle()
        )
        controller = reminders.controller
        controller._clock = FakeClock()
        controller._last_instant = None
        controller.scheduler = type(controller.scheduler)(
            controller.scheduler.config, controller._now()
        )

        def prompt() -> ReminderPrompt:
            widget = ReminderPrompt(library.catalogue)
            qtbot.addWidget(widget)
            return widget

        controller._prompt_factory = prompt
        made.append(reminders)
        return reminders

    yield build
    for reminders in made:
        if reminders._compact is not None:
            reminders._compact.close()
        reminders._shutdown()


def _start_reminder(reminders: DeskReminders) -> None:
    controller = reminders.controller
    controller._clock.advance(30 * 60 + 1)
    controller.wake()
    controller.prompt.start_button.click()


def test_start_opens_the_compact_player_after_the_check_in(desk, app_paths):
    reminders = desk(Settings().evolve({"safety.welcome_shown": True}))
    window = reminders.window
    reminders.controller.reminder_shown.connect(lambda s: setattr(reminders, "_shown", s))
    _start_reminder(reminders)
    stretch = reminders._shown.stretch
    compact = reminders.compact_player
    dialog = compact.checkin_dialog
    assert isinstance(dialog, CheckInDialog) and dialog.isVisible()
    assert not compact.isVisible()  # nothing plays before the answer
    dialog.answer_buttons[CheckInAnswer.FINE].click()
    (start,) = [b for b in dialog.start_buttons if b.text().startswith("Start")]
    start.click()
    assert compact.isVisible() and compact.isWindow()
    assert compact.player._routine.stretch_ids == (stretch.id,)
    assert window.pages.currentWidget() is window.catalogue_view  # the main window stays put
    assert compact.width() < 700 and compact.height() < 600
    saved = SettingsStore(app_paths).load().settings.safety
    assert saved.last_checkin_answer == "fine"
    assert window.settings.safety.last_checkin_answer == "fine"


def test_answered_today_goes_straight_to_the_compact_player(desk):
    today = dt.date.today()
    settings = Settings().evolve(
        {"safety.last_checkin": today, "safety.last_checkin_answer": "fine"}
    )
    reminders = desk(settings)
    _start_reminder(reminders)
    compact = reminders.compact_player
    assert compact.checkin_dialog is None
    assert compact.isVisible() and compact.player._routine is not None


def test_warning_signs_today_never_open_the_player(desk):
    settings = Settings().evolve(
        {"safety.last_checkin": dt.date.today(), "safety.last_checkin_answer": "warning-signs"}
    )
    reminders = desk(settings)
    _start_reminder(reminders)
    compact = reminders.compact_player
    assert isinstance(compact.checkin_dialog, CheckInDialog)  # asked again
    compact.checkin_dialog.close()
    assert not compact.isVisible()


def test_keep_on_top_can_be_turned_off(qtbot, library):
    compact = CompactPlayer(library, Settings())
    qtbot.addWidget(compact)
    compact.open_routine(library.routine("desk-break"), check_in=False)
    assert compact.isVisible() and compact.on_top.isChecked()
    compact.on_top.click()
    assert compact.isVisible()
    assert not compact.windowFlags() & compact.windowFlags().WindowStaysOnTopHint
    compact.close()
    assert compact.player.driver is None


# --- the settings dialog ------------------------------------------------------------------


def _dialog(qtbot, library, app_paths, **kw) -> SettingsDialog:
    dialog = SettingsDialog(
        Settings(),
        SettingsStore(app_paths),
        library.routines,
        areas=library.catalogue.areas,
        **kw,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_start_at_login_adds_the_entry_and_says_so(qtbot, library, app_paths, tmp_path):
    autostart = XdgAutostart(tmp_path / "xdg", ["stretchdesk"])
    dialog = _dialog(qtbot, library, app_paths, autostart=autostart)
    dialog.start_at_login.click()
    assert autostart.is_enabled()
    assert "will start when you log in" in dialog.login_result.text()
    assert str(autostart.path) in dialog.login_result.text()
    with qtbot.waitSignal(dialog.settings_saved) as saved:
        assert dialog.save()
    assert saved.args[0].desktop.start_at_login
    assert SettingsStore(app_paths).load().settings.desktop.start_at_login


def test_cancel_puts_the_login_entry_back(qtbot, library, app_paths, tmp_path):
    autostart = XdgAutostart(tmp_path / "xdg", ["stretchdesk"])
    dialog = _dialog(qtbot, library, app_paths, autostart=autostart)
    dialog.start_at_login.click()
    assert autostart.is_enabled()
    dialog.reject()
    assert not autostart.is_enabled()


def test_start_at_login_that_fails_says_why(qtbot, library, app_paths):
    class Refusing:
        def location(self) -> str:
            return "nowhere"

        def is_enabled(self) -> bool:
            return False

        def enable(self) -> None:
            raise AutostartError("a login entry that is not StretchDesk's is in the way")

        def disable(self) -> None:
            pass

    dialog = _dialog(qtbot, library, app_paths, autostart=Refusing())
    dialog.start_at_login.click()
    assert not dialog.start_at_login.isChecked()
    assert "not StretchDesk's is in the way" in dialog.login_result.text()


def test_without_idle_time_settings_says_so_once(qtbot, library, app_paths):
    reason = "X11 screen saver: no answer; org.gnome.Mutter.IdleMonitor: no answer"
    dialog = _dialog(qtbot, library, app_paths, idle_note=reason)
    notes = [w for w in dialog.findChildren(QLabel) if "by the clock" in w.text()]
    assert len(notes) == 1 and notes[0].text() == CLOCK_NOTE
    assert notes[0].toolTip() == reason
    quiet = _dialog(qtbot, library, app_paths)
    assert not [w for w in quiet.findChildren(QLabel) if "by the clock" in w.text()]


def test_areas_for_suggestions_are_saved(qtbot, library, app_paths):
    dialog = _dialog(qtbot, library, app_paths)
    dialog.area_boxes["neck"].setChecked(True)
    dialog.area_boxes["lower-back"].setChecked(True)
    with qtbot.waitSignal(dialog.settings_saved) as saved:
        assert dialog.save()
    assert saved.args[0].reminders.areas == ("neck", "lower-back")
