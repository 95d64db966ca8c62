"""Chimes and spoken cues for the routine player.

:class:`AudioCues` turns a batch of engine cues into at most one chime (played
with ``QSoundEffect``) and one utterance (spoken with ``QTextToSpeech``), as
:func:`stretchdesk.core.player_text.sounds_for` decides, honouring the
player settings (each on or off, volumes, speaking rate).

Qt Multimedia and Qt TextToSpeech are imported only when a session starts
(:meth:`AudioCues.prepare`), so opening the window stays quick. With no audio
output or no speech engine the player runs silently and
``sound_unavailable`` is emitted once, with a sentence for the window; nothing
here raises or opens a dialog.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QUrl, Signal

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
    """Speaks cues aloud. ``problem`` is empty while speech works."""

    problem: str

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


#: How long a speech-dispatcher may take to answer before speech counts as unavailable.
SPEECHD_TIMEOUT_SECONDS = 0.5


def _speechd_socket() -> Path:
    address = os.environ.get("SPEECHD_ADDRESS", "")
    if address.startswith("unix_socket:"):
        return Path(address.split(":", 1)[1])
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime, "speech-dispatcher", "speechd.sock")
    return Path.home() / ".cache" / "speech-dispatcher" / "speechd.sock"


def speech_dispatcher_responds(timeout: float = SPEECHD_TIMEOUT_SECONDS) -> bool:
    """Whether speech-dispatcher answers within ``timeout`` (starting it if needed).

    Qt's ``speechd`` engine waits for the dispatcher without a time limit, and a
    dispatcher without a working sound output never answers; asking it first
    keeps the window from freezing.
    """
    path = _speechd_socket()
    if not path.exists():
        program = shutil.which("speech-dispatcher")
        if program is None:
            return False
        try:  # it forks into the background; wait only briefly for its socket
            subprocess.Popen(
                [program, "--spawn"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            return False
        for _ in range(10):
            if path.exists():
                break
            time.sleep(timeout / 10)
        else:
            return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(path))
            sock.sendall(b"SET SELF CLIENT_NAME user:stretchdesk:probe\r\n")
            reply = sock.recv(256)
            sock.sendall(b"QUIT\r\n")
    except OSError:
        return False
    return reply[:1] == b"2"


class QtVoice(QObject):
    """Speech through ``QTextToSpeech`` with the given engine (the platform's by default).

    An engine that is not installed, or fails to start, leaves ``problem`` set
    and the voice silent. A later failure calls ``on_problem`` once.
    """

    def __init__(
        self,
        volume: float,
        rate: float,
        engine: str | None = None,
        on_problem: Callable[[str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.problem = ""
        self._tts: Any = None
        self._on_problem = on_problem
        from PySide6.QtTextToSpeech import QTextToSpeech

        engines = QTextToSpeech.availableEngines()
        if not engines or (engine is not None and engine not in engines):
            self.problem = "no speech engine is installed"
            return
        if (engine or engines[0]) == "speechd" and not speech_dispatcher_responds():
            self.problem = "the speech service (speech-dispatcher) is not answering"
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
    def engine(self) -> Any:
        """The ``QTextToSpeech`` object, or ``None`` when speech is unavailable."""
        return self._tts

    def _state_changed(self, state: Any) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state is QTextToSpeech.State.Error and not self.problem:
            self.problem = f"the speech engine stopped working ({self._tts.errorString()})"
            if self._on_problem is not None:
                self._on_problem(self.problem)

    def say(self, text: str) -> None:
        if self._tts is not None and not self.problem:
            self._tts.say(text)  # interrupts a cue that is already out of date

    def close(self) -> None:
        if self._tts is not None:
            self._tts.stop()


class AudioCues(QObject):
    """Plays and speaks the cues of a session.

    Signals:

    * ``chime_played(str)`` — a chime was played (its name, e.g. ``"tick"``);
    * ``words_spoken(str)`` — words were handed to the speech engine;
    * ``sound_unavailable(str)`` — chimes or voice are on but cannot be heard;
      a sentence for the window. Emitted at most once.

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
        self._told = False

    @property
    def voice(self) -> VoiceOutput | None:
        return self._voice

    def prepare(self) -> None:
        """Load the sound and speech back ends (once, when the first session starts)."""
        if self._prepared:
            return
        self._prepared = True
        settings = self.settings
        if settings.chimes and self._chimes is None:
            self._chimes = QtChimes(settings.chime_volume / 100.0, parent=self)
        if settings.voice and self._voice is None:
            self._voice = QtVoice(
                settings.voice_volume / 100.0,
                settings.voice_rate,
                self._voice_engine,
                on_problem=lambda _problem: self._tell(),
                parent=self,
            )
        self._tell()

    def _tell(self) -> None:
        if self._told:
            return
        problems = []
        if self.settings.chimes and self._chimes is not None and self._chimes.problem:
            problems.append(f"chimes are off because {self._chimes.problem}")
        if self.settings.voice and self._voice is not None and self._voice.problem:
            problems.append(f"spoken cues are off because {self._voice.problem}")
        if problems:
            self._told = True
            text = "; ".join(problems)
            self.sound_unavailable.emit(f"Sound unavailable: {text}. The session runs silently.")

    def play(self, cues: Sequence[Cue]) -> None:
        """Chime and speak for cues that came due together."""
        sounds = sounds_for(cues)
        chimes, voice = self._chimes, self._voice
        if sounds.chime is not None and self.settings.chimes and chimes and not chimes.problem:
            chimes.play(sounds.chime)
            self.chime_played.emit(str(sounds.chime))
        if sounds.words and self.settings.voice and voice and not voice.problem:
            voice.say(sounds.words)
            self.words_spoken.emit(sounds.words)

    def close(self) -> None:
        """Stop whatever is playing or being said."""
        for output in (self._chimes, self._voice):
            if output is not None:
                output.close()
