"""The player's voice as a child process: ``python speaker_process.py ENGINE VOLUME RATE``.

Some text-to-speech engines wait without a time limit for a service that may
never answer (Qt's ``speechd`` engine and a stalled speech-dispatcher), and
even a healthy one can take more than a second to start. Speaking from a
child process keeps the window responsive whatever the engine does: the
parent (:class:`stretchdesk.ui.audio.SpeakerVoice`) gives up on a child that
does not report ready in time, and a child that stalls later only falls
silent.

The conversation is one JSON value per line. The child writes
``{"ready": true, "voices": N}`` once the engine works (or
``{"error": "..."}`` and exits), then reads lines from standard input: a
string is said at once (interrupting what is being said), ``null`` stops
speaking; after each string it answers ``{"said": "..."}``. It exits when its
input closes.

This file imports nothing from StretchDesk, so it starts quickly and runs the
same from a checkout or an installed wheel.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _end_with_parent() -> None:
    """Be killed when the window's process ends, however it ends (Linux).

    An engine that never answers leaves this process stuck where it cannot
    notice that its input has closed.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent ended before the line above
        sys.exit(0)


def main(argv: list[str]) -> int:
    """Start the engine named in ``argv`` and speak what arrives on standard input."""
    engine, volume, rate = argv[0], float(argv[1]), float(argv[2])
    _end_with_parent()
    from PySide6.QtCore import QCoreApplication, QSocketNotifier
    from PySide6.QtTextToSpeech import QTextToSpeech

    app = QCoreApplication(sys.argv[:1])
    tts = QTextToSpeech(engine)
    if tts.state() is QTextToSpeech.State.Error:
        _send({"error": tts.errorString() or f"the {engine} engine did not start"})
        return 1
    tts.setVolume(volume)
    tts.setRate(rate)

    def state_changed(state: QTextToSpeech.State) -> None:
        if state is QTextToSpeech.State.Error:
            _send({"error": tts.errorString() or "the speech engine stopped working"})

    tts.stateChanged.connect(state_changed)
    fd = sys.stdin.fileno()
    pending = b""

    def readable() -> None:
        nonlocal pending
        chunk = os.read(fd, 65536)
        if not chunk:
            app.quit()
            return
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            text = json.loads(line) if line.strip() else None
            if isinstance(text, str):
                tts.say(text)
                _send({"said": text})
            else:
                tts.stop()

    notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read)
    notifier.activated.connect(readable)
    _send({"ready": True, "voices": len(tts.availableVoices())})
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
