"""The routine player driven through the window with a fake clock."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTextToSpeech import QTextToSpeech

from stretchdesk.core.engine import Ending, Feeling, State
from stretchdesk.core.model import Routine, RoutineItem
from stretchdesk.core.player_text import Chime
from stretchdesk.core.settings import Player, Settings
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.audio import AudioCues, QtChimes, QtVoice, SpeakerVoice
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.player_view import PlayerView

SHORT = Routine(
    id="short",
    name="Short",
    description="A hold on each side, then a few breath-paced reps.",
    items=(
        RoutineItem("upper-trap-stretch", hold_seconds=6),
        RoutineItem("chin-tucks", reps=2),
    ),
    prepare_seconds=3,
    rest_seconds=2,
    switch_seconds=2,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeChimes:
    problem = ""

    def __init__(self) -> None:
        self.played: list[Chime] = []

    def play(self, chime: Chime) -> None:
        self.played.append(chime)

    def close(self) -> None:
        pass


class Harness:
    """A player in a shown main window, a fake clock, fake chimes and the mock voice."""

    def __init__(self, qtbot, paths, settings: Player | None = None, **audio) -> None:
        self.clock = FakeClock()
        library = load_library(paths)
        # The day's check-in is the safety flow's business (tests/ui/test_safety_flow.py).
        no_check_in = Settings().evolve({"safety.check_in": False})
        self.window = MainWindow(library, paths.config_dir / "state.ini", no_check_in)
        qtbot.addWidget(self.window)
        self.chimes = audio.pop("chimes", FakeChimes())
        settings = settings or Player()
        self.audio = AudioCues(settings, chimes=self.chimes, **audio)
        self.player = PlayerView(
            library.catalogue,
            settings,
            clock=self.clock,
            audio=self.audio,
            parent=self.window.pages,
        )
        self.audio.setParent(self.player)
        self.window._player = self.player
        self.window.pages.addWidget(self.player)
        self.window._connect_player(self.player)
        self.window.resize(1000, 700)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.open_routine(SHORT)

    @property
    def driver(self):
        return self.player.driver

    def advance(self, seconds: float, step: float = 0.25) -> None:
        """Let ``seconds`` pass on the fake clock, firing the driver as its timer would."""
        while seconds > 1e-9:
            dt = min(step, seconds)
            self.clock.now += dt
            seconds -= dt
            self.driver.catch_up()

    def key(self, qtbot, key: Qt.Key) -> None:
        qtbot.keyClick(self.player, key)


@pytest.fixture
def paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


@pytest.fixture
def harness(qtbot, paths):
    h = Harness(qtbot, paths, voice_engine="mock")
    yield h
    h.player.close_session()
    assert h.driver is None or h.driver.active_timers() == []


@pytest.fixture(autouse=True)
def _nothing_left_behind(qapp):
    yield
    app = qapp
    app.sendPostedEvents(None, 0)
    from PySide6.QtCore import QEvent

    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert [w for w in app.topLevelWidgets() if w.isVisible()] == []


def test_mock_speech_engine_is_available():
    assert "mock" in QTextToSpeech.availableEngines()


def test_nothing_ticks_before_the_session_starts(harness):
    assert harness.driver.state is State.IDLE
    assert harness.driver.active_timers() == []
    assert "Ready when you are" in harness.player.heading_label.text()


def test_a_whole_routine_by_keyboard(harness, qtbot):
    h = harness
    h.key(qtbot, Qt.Key.Key_Space)
    assert h.driver.state is State.RUNNING
    assert set(h.driver.active_timers()) == {"deadline", "frame"}
    assert h.player.heading_label.text() == "Get into position"
    h.advance(3)  # prepare done: the left side's hold
    assert h.player.status_label.text() == "Left side"
    assert h.player.pacer.isVisible()
    h.advance(3)
    assert h.player.ring.text == "3"
    h.advance(3)  # into the switch
    assert h.player.heading_label.text() == "Switch sides"
    h.key(qtbot, Qt.Key.Key_Right)  # forward: straight to the right side
    assert h.player.status_label.text() == "Right side"
    h.advance(6)
    h.advance(2 + 3)  # rest, then prepare of the reps
    assert "Rep 1 of 2" in h.player.status_label.text()
    assert not h.player.pacer.isVisible()
    h.advance(60)
    assert h.driver is not None and h.driver.state is State.FINISHED
    assert h.player.pages.currentWidget() is h.player.finished_view
    assert "Well done" in h.player.finished_view.title.text()
    assert "2 of 2" in h.player.finished_view.facts.text()
    assert h.driver.active_timers() == []
    assert h.window.last_summary.ending is Ending.FINISHED


def test_cues_reach_the_chimes_and_the_mock_voice(harness, qtbot):
    h = harness
    said: list[str] = []
    h.audio.words_spoken.connect(said.append)
    words: list[str] = []
    h.audio.prepare()  # what the first Space does; the mock engine is loaded now
    h.audio.voice.engine.sayingWord.connect(lambda word, *_: words.append(word))
    h.player.primary()
    assert said[-1].startswith("Upper Trapezius Stretch")
    h.advance(3)
    assert said[-1].startswith("Hold.")
    h.advance(5)
    assert said[-3:] == ["3", "2", "1"]
    h.advance(1)
    assert "Switch sides." in said[-1]
    assert Chime.SWITCH in h.chimes.played
    assert h.chimes.played.count(Chime.TICK) >= 3
    h.advance(2 + 6 + 2 + 3)  # the right side, a rest, then the chin tucks
    assert said[-1] == "Breathe out."
    h.advance(3)
    assert said[-1] == "Breathe in."
    h.advance(60)
    assert said[-1] == "Well done."
    assert h.chimes.played[-1] is Chime.FINISHED
    qtbot.waitUntil(lambda: "done" in [w.lower().strip(".") for w in words], timeout=5000)
    h.audio.close()


def test_pause_and_resume_by_button(harness, qtbot):
    h = harness
    qtbot.mouseClick(h.player.buttons["start"], Qt.MouseButton.LeftButton)
    h.advance(4)
    left = h.driver.snapshot().seconds_left
    qtbot.mouseClick(h.player.buttons["start"], Qt.MouseButton.LeftButton)
    assert h.driver.state is State.PAUSED
    assert h.driver.active_timers() == []
    assert h.player.heading_label.text().startswith("Paused")
    h.clock.now += 30
    assert h.driver.snapshot().seconds_left == pytest.approx(left)
    qtbot.mouseClick(h.player.buttons["start"], Qt.MouseButton.LeftButton)
    assert h.driver.state is State.RUNNING
    qtbot.mouseClick(h.player.buttons["add_time"], Qt.MouseButton.LeftButton)
    assert h.driver.snapshot().seconds_left == pytest.approx(left + 10)
    qtbot.mouseClick(h.player.buttons["back"], Qt.MouseButton.LeftButton)
    assert h.driver.snapshot().index == 0


def test_it_hurts_stops_records_and_shows_what_to_do(harness, qtbot):
    h = harness
    h.player.primary()
    h.advance(5)
    qtbot.mouseClick(h.player.buttons["hurt"], Qt.MouseButton.LeftButton)
    assert h.player.summary.ending is Ending.HURT
    assert h.window.last_summary.ending is Ending.HURT
    assert h.player.pages.currentWidget() is h.player.hurt_view
    text = h.player.hurt_view.text.text()
    assert "Stop here" in text and "ice" in text
    assert h.driver.active_timers() == []


def test_escape_stops_and_the_feeling_is_kept(harness, qtbot):
    h = harness
    h.key(qtbot, Qt.Key.Key_Space)
    h.advance(4)
    h.key(qtbot, Qt.Key.Key_Escape)
    assert h.player.summary.ending is Ending.STOPPED
    view = h.player.finished_view
    assert "Session stopped" in view.title.text()
    worse = next(b for b in view.feelings.buttons() if b.property("feeling") == "worse")
    qtbot.mouseClick(worse, Qt.MouseButton.LeftButton)
    assert h.player.summary.feeling is Feeling.WORSE
    assert h.window.last_summary.to_json()["feeling"] == "worse"
    assert "flare-up" in view.suggestion.text()


def test_prepare_zero_waits_for_space_or_a_click(qtbot, paths):
    h = Harness(qtbot, paths, Player(prepare_seconds=0), voice_engine="mock")
    try:
        h.player.primary()
        assert h.driver.state is State.WAITING
        assert h.driver.active_timers() == ["frame"] or h.driver.active_timers() == []
        h.advance(30)
        assert h.driver.state is State.WAITING
        qtbot.mouseClick(h.player.figure, Qt.MouseButton.LeftButton)
        assert h.driver.state is State.RUNNING
        assert h.player.status_label.text() == "Left side"
    finally:
        h.player.close_session()


def test_full_screen_by_key(harness, qtbot):
    h = harness
    h.key(qtbot, Qt.Key.Key_F)
    assert h.window.isFullScreen() or h.window.windowState() & Qt.WindowState.WindowFullScreen
    assert not h.window.toolbar.isVisible()
    h.key(qtbot, Qt.Key.Key_F)
    assert h.window.toolbar.isVisible()


def test_silent_when_there_is_no_audio_output_and_no_speech_engine(qtbot, paths):
    chimes = QtChimes(0.5, outputs=list)
    voice = QtVoice(0.5, 0.0, engine="no-such-engine")
    h = Harness(qtbot, paths, chimes=chimes, voice=voice)
    try:
        told: list[str] = []
        h.audio.sound_unavailable.connect(told.append)
        h.player.primary()
        h.advance(20)
        h.player.stop()
        h.player.load_routine(SHORT)
        h.player.primary()
        assert len(told) == 1
        assert "no audio output" in told[0] and "no speech engine" in told[0]
        assert h.player.sound_banner.isVisible()
        assert "runs silently" in h.player.sound_banner.text()
    finally:
        h.player.close_session()


def test_chimes_and_voice_can_be_turned_off(qtbot, paths):
    settings = Player(chimes=False, voice=False)
    h = Harness(qtbot, paths, settings, voice_engine="mock")
    try:
        h.player.primary()
        h.advance(10)
        assert h.chimes.played == []
        assert h.audio.voice is None
        assert not h.player.sound_banner.isVisible()
    finally:
        h.player.close_session()


def test_routines_page_opens_a_routine_in_the_player(qtbot, paths):
    no_check_in = Settings().evolve({"safety.check_in": False})
    window = MainWindow(load_library(paths), paths.config_dir / "state.ini", no_check_in)
    qtbot.addWidget(window)
    window.show()
    window.routines_action.trigger()
    assert window.pages.currentWidget() is window.routines_view
    with qtbot.waitSignal(window.routines_view.routine_chosen):
        qtbot.mouseClick(window.routines_view.open_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.player
    assert window.player.driver.state is State.IDLE
    assert window.player.driver.active_timers() == []
    window.close()


def test_a_hanging_speech_engine_never_holds_the_session_up(qtbot, paths):
    """Like Qt's speechd engine waiting forever for a speech-dispatcher that does not answer."""
    hanging = [sys.executable, "-c", "import time; time.sleep(60)"]
    voice = SpeakerVoice(0.5, 0.0, "speechd", command=hanging, start_limit_ms=1000)
    h = Harness(qtbot, paths, voice=voice)
    try:
        told: list[str] = []
        said: list[str] = []
        h.audio.sound_unavailable.connect(told.append)
        h.audio.words_spoken.connect(said.append)
        h.player.primary()
        assert h.driver.state is State.RUNNING  # at once, while the voice is starting
        assert voice.pending
        h.advance(3 + 6)  # prepare, the left side's hold: visuals and chimes go on
        assert h.player.heading_label.text() == "Switch sides"
        assert Chime.SWITCH in h.chimes.played and said == []
        assert told == [] and not h.player.sound_banner.isVisible()
        qtbot.waitUntil(lambda: bool(told), timeout=5000)
        assert told == [
            "Sound unavailable: spoken cues are off because the speech engine did not answer "
            "within 1 second. The chimes still play."
        ]
        assert h.player.sound_banner.isVisible()
        h.advance(20)
        h.player.stop()
        h.player.load_routine(SHORT)
        h.player.primary()
        h.advance(5)
        assert len(told) == 1 and said == []
    finally:
        h.player.close_session()


def test_leaving_full_screen_another_way_brings_the_toolbar_back(harness, qtbot):
    """The window manager (or F11) may end full screen without the player's button."""
    h = harness
    h.key(qtbot, Qt.Key.Key_F)
    assert not h.window.toolbar.isVisible()
    h.window.showNormal()
    qtbot.waitUntil(lambda: h.window.toolbar.isVisible())
    assert not h.player.full_screen_action.isChecked()
    assert h.window.toolbar.widgetForAction(h.window.player_action).isVisible()
