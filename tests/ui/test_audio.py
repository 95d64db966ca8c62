"""The voice: engine choice, and the speaker child process that keeps the window responsive."""

from __future__ import annotations

import sys

import pytest

from stretchdesk.core.settings import Player
from stretchdesk.ui.audio import (
    AudioCues,
    QtChimes,
    QtVoice,
    SilentVoice,
    SpeakerVoice,
    choose_engine,
    create_voice,
    speaker_command,
)

#: A speaker that never answers, like Qt's speechd engine with a stalled speech-dispatcher.
HANGING = [sys.executable, "-c", "import time; time.sleep(60)"]


@pytest.mark.parametrize(
    ("available", "wanted", "chosen"),
    [
        (["speechd", "flite", "mock"], None, "flite"),
        (["speechd", "mock"], None, "speechd"),
        (["mock", "sapi", "speechd"], None, "sapi"),
        (["mock"], None, None),
        ([], None, None),
        (["mock", "somevoice"], None, "somevoice"),
        (["speechd", "mock"], "mock", "mock"),
        (["speechd"], "flite", None),
    ],
)
def test_the_engine_least_likely_to_hang_is_chosen(available, wanted, chosen):
    assert choose_engine(available, wanted) == chosen


def test_no_engine_means_a_silent_voice():
    voice = create_voice(0.5, 0.0, "no-such-engine")
    assert isinstance(voice, SilentVoice)
    assert voice.problem == "no speech engine is installed" and not voice.ready
    voice.say("nothing")
    voice.close()


def test_a_hanging_engine_is_given_up_after_the_time_limit(qtbot):
    problems: list[str] = []
    voice = SpeakerVoice(0.5, 0.0, "speechd", command=HANGING, start_limit_ms=300)
    voice.problem_found.connect(problems.append)
    assert voice.pending and not voice.ready
    voice.say("Hold.")  # dropped, and nothing waits for it
    qtbot.waitUntil(lambda: bool(problems), timeout=3000)
    assert problems == ["the speech engine did not answer within 0.3 seconds"]
    assert voice.problem == problems[0] and not voice.pending
    qtbot.wait(50)
    assert problems == [problems[0]]  # told once


def test_a_speaker_that_cannot_start_is_a_problem(qtbot):
    problems: list[str] = []
    voice = SpeakerVoice(0.5, 0.0, "speechd", command=["/nonexistent/speaker"])
    voice.problem_found.connect(problems.append)
    qtbot.waitUntil(lambda: bool(problems), timeout=3000)
    assert voice.problem == problems[0]
    assert problems == ["the speech program could not be started"]


@pytest.mark.slow
def test_the_speaker_process_speaks_with_a_working_engine(qtbot):
    problems: list[str] = []
    voice = SpeakerVoice(0.5, 0.0, "mock")
    voice.problem_found.connect(problems.append)
    voice.say("Get into position.")  # said while starting: spoken when ready
    with qtbot.waitSignal(voice.said, timeout=10000) as said:
        pass
    assert said.args == ["Get into position."]
    assert voice.ready and not problems
    with qtbot.waitSignal(voice.said, timeout=5000) as said:
        voice.say("Breathe in.")
    assert said.args == ["Breathe in."]
    voice.close()
    voice.shutdown()
    assert problems == []


@pytest.mark.slow
def test_the_speaker_process_reports_an_engine_that_fails(qtbot):
    problems: list[str] = []
    voice = SpeakerVoice(0.5, 0.0, "no-such-engine")
    voice.problem_found.connect(problems.append)
    qtbot.waitUntil(lambda: bool(problems), timeout=10000)
    assert problems[0].startswith("the speech engine did not work")
    assert not voice.ready


def test_speaker_command_runs_the_speaker_file_with_this_python():
    command = speaker_command("speechd", 0.8, -0.25)
    assert command[0] == sys.executable
    assert command[1].endswith("speaker_process.py")
    assert command[2:] == ["speechd", "0.800", "-0.250"]


def test_a_voice_failing_later_is_told_once_with_what_still_works(qtbot):
    class Chimes:
        problem = ""

        def play(self, chime):
            pass

        def close(self):
            pass

    voice = SpeakerVoice(0.5, 0.0, "speechd", command=HANGING, start_limit_ms=200)
    audio = AudioCues(Player(), chimes=Chimes(), voice=voice)
    told: list[str] = []
    audio.sound_unavailable.connect(told.append)
    audio.prepare()
    assert told == []
    qtbot.waitUntil(lambda: bool(told), timeout=3000)
    assert told == [
        "Sound unavailable: spoken cues are off because the speech engine did not answer "
        "within 0.2 seconds. The chimes still play."
    ]
    audio.prepare()
    audio._tell()
    assert len(told) == 1


def test_missing_chimes_are_told_with_what_the_voice_does(qtbot):
    ready = AudioCues(Player(), chimes=QtChimes(0.5, outputs=list), voice=QtVoice(0.5, 0.0, "mock"))
    told: list[str] = []
    ready.sound_unavailable.connect(told.append)
    ready.prepare()
    assert told == [
        "Sound unavailable: chimes are off because no audio output was found. "
        "The voice still speaks."
    ]
    starting = SpeakerVoice(0.5, 0.0, "speechd", command=HANGING, start_limit_ms=200)
    audio = AudioCues(Player(), chimes=QtChimes(0.5, outputs=list), voice=starting)
    told.clear()
    audio.sound_unavailable.connect(told.append)
    audio.prepare()
    assert told == ["Sound unavailable: chimes are off because no audio output was found."]
    qtbot.waitUntil(lambda: len(told) == 2, timeout=3000)
    assert told[1].endswith("The session runs silently.")
