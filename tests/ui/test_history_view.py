"""The History page: its numbers for a known history, the empty page, refreshing, dark colours."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QSystemTrayIcon
from tests.ui.reminder_fixtures import FakeIdle

from stretchdesk.core.engine import Ending, Summary
from stretchdesk.core.scheduler import BreakRecord, Outcome, ReminderKind
from stretchdesk.core.settings import Settings
from stretchdesk.platform.notifications import FakeNotifier
from stretchdesk.storage.history import History, SessionRecord
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.desk_reminders import DeskReminders
from stretchdesk.ui.history_view import HistoryView, MinutesChart
from stretchdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

TODAY = dt.date(2026, 3, 18)  # a Wednesday
TZ = dt.timezone(dt.timedelta(hours=1))
QUIET = {"player.chimes": False, "player.voice": False}  # no sound device in tests


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def add_session(history: History, day: dt.date, minutes: float, **kw) -> None:
    start = at(day, kw.pop("hour", 9))
    history.add_session(
        SessionRecord(
            routine=kw.pop("routine", "morning-back"),
            started=start,
            ended=start + dt.timedelta(minutes=minutes),
            ending=kw.pop("ending", "finished"),
            **kw,
        )
    )


def add_reminder(history: History, outcome: Outcome, day: dt.date) -> None:
    history.add_reminder(BreakRecord(ReminderKind.SHORT, outcome, at(day, 11)))


@pytest.fixture
def seeded(history):
    # Monday to today: 35 minutes in 3 sessions, 4 days in a row with last Sunday.
    add_session(history, ago(3), 20)  # Sunday, last week
    add_session(history, ago(2), 10, feeling="better", pain_before=6, pain_after=4)
    add_session(history, ago(1), 15, feeling="same", pain_before=5, pain_after=3)
    add_session(history, TODAY, 10, routine="try-cat-cow", ending="hurt")
    add_session(history, ago(10), 30)
    for outcome, day in [
        (Outcome.STARTED, TODAY),
        (Outcome.STARTED, ago(1)),
        (Outcome.STARTED, ago(1)),
        (Outcome.STARTED, ago(2)),
        (Outcome.NATURAL_BREAK, ago(2)),
        (Outcome.NATURAL_BREAK, TODAY),
        (Outcome.SKIPPED, TODAY),
        (Outcome.SKIPPED, ago(1)),
        (Outcome.POSTPONED, ago(1)),
        (Outcome.SKIPPED, ago(5)),  # last week
    ]:
        add_reminder(history, outcome, day)
    return history


def make_view(qtbot, history, names=None) -> HistoryView:
    view = HistoryView(
        lambda: history,
        lambda rid: (names or {}).get(rid, rid),
        today=lambda: TODAY,
        first_weekday=0,
    )
    qtbot.addWidget(view)
    view.resize(900, 700)
    return view


def test_numbers_for_a_known_history(qtbot, seeded):
    view = make_view(qtbot, seeded, {"morning-back": "Morning back", "try-cat-cow": "Cat-cow"})
    view.show()
    qtbot.waitExposed(view)
    assert view.stack.currentWidget() is view.content_page
    assert view.streak_figure.headline.text() == "4 days in a row"
    assert view.minutes_figure.headline.text() == "35 minutes this week"
    assert view.minutes_figure.detail.text() == "3 sessions this week"
    assert view.breaks_figure.headline.text() == "6 breaks taken, 2 skipped"
    assert "4 from reminders, 2 away from the desk, 1 put off" in view.breaks_figure.detail.text()
    assert "5.5 → 3.5" in view.pain_label.text()
    days = view.overview.days
    assert len(days) == 28 and days[-1].day == TODAY and days[-1].minutes == 10
    assert days[-11].minutes == 30
    rows = [
        [view.sessions.topLevelItem(i).text(c) for c in range(5)]
        for i in range(view.sessions.topLevelItemCount())
    ]
    assert len(rows) == 5
    assert rows[0] == ["Today, 09:00", "Cat-cow", "10", "Stopped: it hurt", "—"]
    assert rows[1] == ["Yesterday, 09:00", "Morning back", "15", "About the same", "5 → 3"]
    assert rows[2][0] == "Mon 16 Mar, 09:00" and rows[2][3:] == ["Better", "6 → 4"]
    assert "4 of the last 28 days" not in view.chart.accessibleDescription()
    assert "5 of the last 28 days" in view.chart.accessibleDescription()
    assert view.chart.accessibleDescription().endswith("Today: 10 minutes.")


def test_a_new_user_sees_what_will_appear_and_how_to_start(qtbot, history):
    view = make_view(qtbot, history)
    view.show()
    assert view.stack.currentWidget() is view.empty_page
    assert "will appear here" in view.empty_title.text()
    assert "days in a row" in view.empty_text.text()
    assert view.start_button.isVisible()
    with qtbot.waitSignal(view.routines_requested):
        view.start_button.click()


def test_without_a_history_it_says_so_kindly(qtbot):
    view = make_view(qtbot, History.disabled("The history could not be opened here."))
    view.show()
    assert view.stack.currentWidget() is view.empty_page
    assert view.empty_text.text() == "The history could not be opened here."
    assert not view.start_button.isVisible()
    none = make_view(qtbot, None)
    none.show()
    assert "not keeping a history" in none.empty_text.text()


def test_only_breaks_so_far_shows_the_numbers_without_a_list(qtbot, history):
    add_reminder(history, Outcome.NATURAL_BREAK, TODAY)
    view = make_view(qtbot, history)
    view.show()
    assert view.stack.currentWidget() is view.content_page
    assert view.streak_figure.headline.text() == "No streak yet"
    assert view.breaks_figure.headline.text() == "1 break taken"
    assert not view.sessions.isVisible() and view.no_sessions.isVisible()


def test_it_reads_the_history_again_each_time_it_is_shown(qtbot, history):
    view = make_view(qtbot, history)
    view.show()
    assert view.stack.currentWidget() is view.empty_page
    view.hide()
    add_session(history, TODAY, 12)
    view.show()
    assert view.minutes_figure.headline.text() == "12 minutes this week"
    assert view.streak_figure.headline.text() == "1 day so far"


def _paint(chart: MinutesChart, palette: QPalette):
    chart.setPalette(palette)
    chart.setAutoFillBackground(True)
    chart.resize(600, 200)
    return chart.grab().toImage()


def _colours(image) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }


@pytest.mark.parametrize("dark", [False, True])
def test_the_chart_draws_in_the_palette(qtbot, seeded, dark):
    view = make_view(qtbot, seeded)
    view.refresh()
    palette = QPalette(view.palette())
    window, text = ("#202124", "#e8eaed") if dark else ("#fafafa", "#202124")
    highlight = "#8ab4f8" if dark else "#1a73e8"
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(highlight))
    image = _paint(view.chart, palette)
    colours = _colours(image)
    assert window in colours  # the background is the palette's
    assert highlight in colours  # today's bar, in the accent colour itself
    corner = image.pixelColor(2, 2)
    assert (corner.lightness() < 128) is dark


def test_the_chart_tells_nothing_yet_in_words(qtbot):
    chart = MinutesChart()
    qtbot.addWidget(chart)
    from stretchdesk.core.stats import minutes_per_day

    chart.set_days(minutes_per_day([], TODAY), TODAY)
    assert chart.accessibleDescription() == "No stretching recorded in the last four weeks."
    chart.resize(400, 180)
    assert not chart.grab().isNull()


# --- in the main window -----------------------------------------------------------------


@pytest.fixture
def desk(qtbot, library, tmp_path, monkeypatch):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    paths = AppPaths.resolve(tmp_path / "config", tmp_path / "data")
    settings = Settings().evolve({"safety.welcome_shown": True, "safety.check_in": False, **QUIET})
    window = MainWindow(library, paths.config_dir / "window-state.ini", settings)
    qtbot.addWidget(window)
    window.show()
    reminders = DeskReminders(
        window, library, paths, settings, notifier=FakeNotifier(), idle=FakeIdle()
    )
    yield reminders
    reminders._shutdown()


def _summary(library, seconds: float = 300.0) -> Summary:
    routine = library.routines[0]
    return Summary(routine.id, Ending.FINISHED, (), seconds, seconds)


def test_the_page_is_built_on_first_use_and_reads_the_apps_history(desk):
    window = desk.window
    assert window._history_view is None
    window.history_action.trigger()
    assert window.pages.currentWidget() is window.history_view
    assert window.history is desk.history
    assert window.history_view.stack.currentWidget() is window.history_view.empty_page
    window.history_view.start_button.click()
    assert window.pages.currentWidget() is window.routines_view


def test_a_session_ending_shows_on_the_page_that_is_open(desk, library):
    window = desk.window
    window.show_history()
    view = window.history_view
    assert view.stack.currentWidget() is view.empty_page
    desk._session_ended(_summary(library, 6 * 60))  # from the compact player, say
    assert view.stack.currentWidget() is view.content_page
    assert view.minutes_figure.headline.text() == "6 minutes this week"
    assert view.sessions.topLevelItem(0).text(1) == library.routines[0].name


def test_the_finished_view_shows_the_streak_after_a_session(desk, library, qtbot):
    window = desk.window
    routine = library.routines[0]
    yesterday = dt.datetime.now().astimezone() - dt.timedelta(days=1)
    desk.history.add_session(
        SessionRecord(routine.id, yesterday, yesterday + dt.timedelta(minutes=5), "finished")
    )
    window.open_routine(routine, check_in=False)
    player = window.player
    player.primary()
    player.stop()  # a session stopped at once still counts
    assert player.pages.currentWidget() is player.finished_view
    assert player.finished_view.streak.isVisible()
    assert player.finished_view.streak.text() == "<b>2 days in a row</b>"
    window.show_history()
    assert window.history_view.streak_figure.headline.text() == "2 days in a row"


def test_the_player_works_without_a_history(qtbot, library, tmp_path):
    paths = AppPaths.resolve(tmp_path / "config", tmp_path / "data")
    settings = Settings().evolve({"safety.check_in": False, **QUIET})
    window = MainWindow(library, paths.config_dir / "window-state.ini", settings)
    qtbot.addWidget(window)
    window.show()
    window.open_routine(library.routines[0], check_in=False)
    window.player.primary()
    window.player.stop()
    assert window.player.finished_view.isVisible()
    assert not window.player.finished_view.streak.isVisible()
    assert window.streak() is None


def test_a_player_opened_before_the_reminders_still_records(qtbot, library, tmp_path, monkeypatch):
    # `stretchdesk start ROUTINE` opens the player before the reminders are installed.
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    paths = AppPaths.resolve(tmp_path / "config", tmp_path / "data")
    settings = Settings().evolve({"safety.check_in": False, **QUIET})
    window = MainWindow(library, paths.config_dir / "window-state.ini", settings)
    qtbot.addWidget(window)
    window.show()
    window.open_routine(library.routines[0], check_in=False)
    reminders = DeskReminders(
        window, library, paths, settings, notifier=FakeNotifier(), idle=FakeIdle()
    )
    try:
        window.player.primary()
        window.player.stop()
        assert len(reminders.history.recent_sessions()) == 1
        assert window.player.finished_view.streak.text() == "<b>1 day so far</b>"
    finally:
        reminders._shutdown()
