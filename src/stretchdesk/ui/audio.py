"""Chimes and spoken cues for the routine player.

:class:`AudioCues` turns a batch of engine cues into at most one chime (played
with ``QSoundEffect``) and one utterance (spoken with ``QTextToSpeech``), as
:func:`stretchdesk.core.player_text.sounds_for` decides, honouring the
player settings (each on or off, volumes, speaking rate).

Qt Multimedia and Qt TextToSpeech are imported only when a session starts
(:meth:`AudioCues.prepare`), so opening the window stays quick. Real speech
engines run in a child process (:class:`SpeakerVoice`): an engine that waits
for a service that never answers cannot freeze the window, and the session
starts at once while the voice gets ready. With no audio output or no
working speech engine the player runs without them and
``sound_unavailable`` says so once per output, with a sentence for the
window; nothing here raises or opens a dialog.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QTimer, QUrl, Signal

from stretchdesk import resources
from stretchdesk.core.engine import Cue
from stretchdesk.core.player_text import Chime, sounds_for
from stretchdesk.core.settings import Player


class ChimeOutput(Protocol):
    """Plays the session's chimes. ``problem`` is empty while sound works."""

    problem: str

    def play(self, chime: Chime) -> None: ...

    def close(self) -> None: ...


class VoiceOutput(Protocol):
    """Speaks cues aloud. ``problem`` is empty while speech works or is still starting."""

    problem: str

    @property
    def ready(self) -> bool:
        """Words handed to :meth:`say` are spoken (the engine has started and works)."""
        ...

    def say(self, text: str) -> None: ...

    def close(self) -> None: ...


def sounds_dir() -> Path:
    return resources.asset_file("sounds")


class QtChimes(QObject):
    """Chimes through ``QSoundEffect``, one effect per sound, loaded once.

    ``outputs`` lists the audio output devices (``QMediaDevices.audioOutputs``
    unless given); with none, ``problem`` says so and nothing plays.
    """

    def __init__(
        self,
        volume: float,
        folder: Path | None = None,
        outputs: Callable[[], Sequence[Any]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.problem = ""
        self._effects: dict[Chime, Any] = {}
        if outputs is None:
            from PySide6.QtMultimedia import QMediaDevices

            outputs = QMediaDevices.audioOutputs
        if not outputs():
            self.problem = "no audio output was found"
            return
        from PySide6.QtMultimedia import QSoundEffect

        folder = folder or sounds_dir()
        for chime in Chime:
            path = folder / f"{chime}.wav"
            if not path.is_file():
                self.problem = f"the sound file {path.name} is missing"
                continue
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(max(0.0, min(volume, 1.0)))
            self._effects[chime] = effect

    def play(self, chime: Chime) -> None:
        effect = self._effects.get(chime)
        if effect is not None:
            effect.play()

    def close(self) -> None:
        for effect in self._effects.values():
            effect.stop()


#: How long a speech engine may take to start in its child process before the
#: player gives up on it and runs without a voice.
SPEAKER_START_LIMIT_MS = 5000

#: Words said while the voice was starting are still spoken if they are this fresh.
LATE_WORDS_SECONDS = 2.0

#: Engines tried first when the settings name none: the platforms' own voices and
#: Flite work inside the process that speaks; ``speechd`` depends on a separate
#: service that may not answer, so it comes last. ``mock`` is for tests only.
ENGINE_PREFERENCE = ("winrt", "sapi", "darwin", "macos", "android", "flite", "speechd")

#: Engines that are safe to run inside the window's process (no service to wait for).
IN_PROCESS_ENGINES = frozenset({"mock"})


def choose_engine(available: Sequence[str], wanted: str | None = None) -> str | None:
    """The text-to-speech engine to use: ``wanted`` if installed, else the most reliable one.

    ``None`` when no usable engine is installed (``mock`` counts only when asked for).
    """
    if wanted is not None:
        return wanted if wanted in available else None
    for name in ENGINE_PREFERENCE:
        if name in available:
            return name
    return next((name for name in available if name not in IN_PROCESS_ENGINES), None)


def speaker_command(engine: str, volume: float, rate: float) -> list[str]:
    """The program and arguments of a speaker child process for ``engine``."""
    script = Path(__file__).with_name("speaker_process.py")
    return [sys.executable, str(script), engine, f"{volume:.3f}", f"{rate:.3f}"]


class QtVoice(QObject):
    """Speech through a ``QTextToSpeech`` in this process (the ``mock`` engine in tests).

    Only for engines that start at once and never wait for a service (see
    :data:`IN_PROCESS_ENGINES`); every real engine speaks through
    :class:`SpeakerVoice`. An engine that is not installed, or fails to
    start, leaves ``problem`` set and the voice silent.

    Signals: ``problem_found(str)`` — the engine stopped working later
    (``problem`` says why); emitted at most once.
    """

    problem_found = Signal(str)

    def __init__(
        self,
        volume: float,
        rate: float,
        engine: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.problem = ""
        self._tts: Any = None
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = QTextToSpeech.availableEngines()
        if not engines or (engine is not None and engine not in engines):
            self.problem = "no speech engine is installed"
            return
        tts = QTextToSpeech(engine, self) if engine else QTextToSpeech(self)
        if tts.state() is QTextToSpeech.State.Error:
            self.problem = f"the speech engine did not start ({tts.errorString()})"
            tts.deleteLater()
            return
        tts.setVolume(max(0.0, min(volume, 1.0)))
        tts.setRate(max(-1.0, min(rate, 1.0)))
        tts.stateChanged.connect(self._state_changed)
        self._tts = tts

    @property
    def ready(self) -> bool:
        """Words handed to :meth:`say` are spoken."""
        return self._tts is not None and not self.problem

    @property
    def engine(self) -> Any:
        """The ``QTextToSpeech`` object, or ``None`` when speech is unavailable."""
        return self._tts

    def _state_changed(self, state: Any) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state is QTextToSpeech.State.Error and not self.problem:
            self.problem = f"the speech engine stopped working ({self._tts.errorString()})"
            self.problem_found.emit(self.problem)

    def say(self, text: str) -> None:
        if self.ready:
            self._tts.say(text)  # interrupts a cue that is already out of date

    def close(self) -> None:
        if self._tts is not None:
            self._tts.stop()


class SpeakerVoice(QObject):
    """Speech from a child process (:mod:`stretchdesk.ui.speaker_process`).

    The child starts at once and this object is usable at once: the session
    never waits for the voice, and the voice joins when it is ready (words
    said before then are dropped, except the latest if it is at most
    :data:`LATE_WORDS_SECONDS` old). A child that does not
    report ready within ``start_limit_ms``, fails to start, reports an error
    or exits is given up: ``problem`` says why. Nothing here blocks the
    event loop.

    ``command`` replaces the child's program and arguments (tests pass one
    that never answers).

    Signals:

    * ``became_ready()`` — the engine started; words are spoken from now on;
    * ``problem_found(str)`` — the voice was given up (why); emitted at most once;
    * ``said(str)`` — the child handed these words to its engine.
    """

    became_ready = Signal()
    problem_found = Signal(str)
    said = Signal(str)

    def __init__(
        self,
        volume: float,
        rate: float,
        engine: str,
        *,
        command: Sequence[str] | None = None,
        start_limit_ms: int = SPEAKER_START_LIMIT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.problem = ""
        self.engine_name = engine
        self._ready = False
        self._ended = False  # shutdown() was called
        self._output = b""
        self._early: tuple[float, str] | None = None  # (when, words) said before ready
        self._start_limit_ms = start_limit_ms
        volume, rate = max(0.0, min(volume, 1.0)), max(-1.0, min(rate, 1.0))
        program, *arguments = command or speaker_command(engine, volume, rate)
        self._process = QProcess(self)
        self._process.setProgram(program)
        self._process.setArguments(arguments)
        self._process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self._process.setStandardErrorFile(QProcess.nullDevice())
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.setInterval(start_limit_ms)
        self._connect_signals()
        self._process.start()
        self._limit.start()

    def _connect_signals(self) -> None:
        self._process.readyReadStandardOutput.connect(self._read)
        self._process.errorOccurred.connect(self._process_error)
        self._process.finished.connect(self._process_finished)
        self._limit.timeout.connect(self._too_slow)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    @property
    def ready(self) -> bool:
        """Words handed to :meth:`say` are spoken."""
        return self._ready and not self.problem

    @property
    def pending(self) -> bool:
        """The child has not yet said whether its engine works."""
        return not self._ready and not self.problem

    def say(self, text: str) -> None:
        if self.ready:
            self._send(text)
        elif self.pending:
            self._early = (time.monotonic(), text)

    def close(self) -> None:
        """Stop speaking (the child stays, ready for the next session)."""
        if self.ready:
            self._send(None)

    def shutdown(self) -> None:
        """End the child (when the application quits, or after giving up on it)."""
        self._ended = True
        self._limit.stop()
        if self._process.state() is not QProcess.ProcessState.NotRunning:
            self._process.closeWriteChannel()  # a healthy child exits when its input closes
            self._process.kill()  # a stalled one does not
            self._process.waitForFinished(500)  # after SIGKILL this takes milliseconds

    def _send(self, text: str | None) -> None:
        self._process.write((json.dumps(text) + "\n").encode())

    def _read(self) -> None:
        self._output += bytes(self._process.readAllStandardOutput().data())
        *lines, self._output = self._output.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if message.get("error"):
                self._give_up(f"the speech engine did not work ({message['error']})")
            elif message.get("ready") and self.pending:
                self._limit.stop()
                self._ready = True
                early, self._early = self._early, None
                if early is not None and time.monotonic() - early[0] <= LATE_WORDS_SECONDS:
                    self._send(early[1])
                self.became_ready.emit()
            elif isinstance(message.get("said"), str):
                self.said.emit(message["said"])

    def _too_slow(self) -> None:
        seconds = self._start_limit_ms / 1000
        unit = "second" if seconds == 1 else "seconds"
        self._give_up(f"the speech engine did not answer within {seconds:g} {unit}")

    def _process_error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart:
            self._give_up("the speech program could not be started")

    def _process_finished(self, _code: int, _status: QProcess.ExitStatus) -> None:
        if not self._ended:
            self._give_up("the speech engine stopped working")

    def _give_up(self, problem: str) -> None:
        self._limit.stop()
        if self.problem:
            return
        self.problem = problem
        self.shutdown()
        self.problem_found.emit(problem)


class SilentVoice:
    """The voice when no usable speech engine is installed: ``problem`` says so."""

    ready = False

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def say(self, text: str) -> None:
        """Says nothing."""

    def close(self) -> None:
        """Nothing to stop."""


def create_voice(
    volume: float,
    rate: float,
    engine: str | None = None,
    parent: QObject | None = None,
) -> VoiceOutput:
    """The voice for a session: in this process for the mock engine, else in a child process.

    Never blocks: only the installed engines' names are looked up here.
    """
    from PySide6.QtTextToSpeech import QTextToSpeech

    chosen = choose_engine(QTextToSpeech.availableEngines(), engine)
    if chosen is None:
        return SilentVoice("no speech engine is installed")
    if chosen in IN_PROCESS_ENGINES:
        return QtVoice(volume, rate, chosen, parent)
    return SpeakerVoice(volume, rate, chosen, parent=parent)


class AudioCues(QObject):
    """Plays and speaks the cues of a session.

    Signals:

    * ``chime_played(str)`` — a chime was played (its name, e.g. ``"tick"``);
    * ``words_spoken(str)`` — words were handed to the speech engine;
    * ``sound_unavailable(str)`` — chimes or voice are on but cannot be heard;
      a sentence for the window, naming every output that fails. Emitted at
      most once per output (a voice may fail some seconds after the start).

    ``chimes`` and ``voice`` replace the Qt outputs (tests pass fakes);
    ``voice_engine`` picks a text-to-speech engine by name (``"mock"`` in tests).
    """

    chime_played = Signal(str)
    words_spoken = Signal(str)
    sound_unavailable = Signal(str)

    def __init__(
        self,
        settings: Player,
        *,
        chimes: ChimeOutput | None = None,
        voice: VoiceOutput | None = None,
        voice_engine: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._chimes = chimes
        self._voice = voice
        self._voice_engine = voice_engine
        self._prepared = False
        self._told: set[str] = set()

    @property
    def voice(self) -> VoiceOutput | None:
        return self._voice

    def prepare(self) -> None:
        """Load the sound and speech back ends (once, when the first session starts).

        Returns at once: a real speech engine starts in a child process and the
        voice joins the session when it is ready.
        """
        if self._prepared:
            return
        self._prepared = True
        settings = self.settings
        if settings.chimes and self._chimes is None:
            self._chimes = QtChimes(settings.chime_volume / 100.0, parent=self)
        if settings.voice and self._voice is None:
            self._voice = create_voice(
                settings.voice_volume / 100.0,
                settings.voice_rate,
                self._voice_engine,
                parent=self,
            )
        for output in (self._chimes, self._voice):
            problem_found = getattr(output, "problem_found", None)
            if problem_found is not None:  # an output that can fail later says so
                problem_found.connect(self._tell)
        self._tell()

    def _tell(self, _problem: str = "") -> None:
        """Say (once per output) which of the wanted outputs cannot be heard."""
        settings, chimes, voice = self.settings, self._chimes, self._voice
        problems = {}
        if settings.chimes and chimes is not None and chimes.problem:
            problems["chimes"] = f"chimes are off because {chimes.problem}"
        if settings.voice and voice is not None and voice.problem:
            problems["voice"] = f"spoken cues are off because {voice.problem}"
        if not problems or set(problems) <= self._told:
            return
        self._told |= set(problems)
        wanted = {
            name for name, on in (("chimes", settings.chimes), ("voice", settings.voice)) if on
        }
        if set(problems) >= wanted:
            after = " The session runs silently."
        elif "chimes" not in problems:
            after = " The chimes still play."
        elif voice is not None and voice.ready:
            after = " The voice still speaks."
        else:
            after = ""  # the voice is still starting; it says so itself if it fails
        self.sound_unavailable.emit(f"Sound unavailable: {'; '.join(problems.values())}.{after}")

    def play(self, cues: Sequence[Cue]) -> None:
        """Chime and speak for cues that came due together."""
        sounds = sounds_for(cues)
        chimes, voice = self._chimes, self._voice
        if sounds.chime is not None and self.settings.chimes and chimes and not chimes.problem:
            chimes.play(sounds.chime)
            self.chime_played.emit(str(sounds.chime))
        if sounds.words and self.settings.voice and voice and voice.ready:
            voice.say(sounds.words)
            self.words_spoken.emit(sounds.words)

    def close(self) -> None:
        """Stop whatever is playing or being said."""
        for output in (self._chimes, self._voice):
            if output is not None:
                output.close()
