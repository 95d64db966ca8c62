"""The app slims down to its tray-only resident process and comes back, in a real X session.

Started as at login (``stretchdesk --tray``) with ``STRETCHDESK_RESIDENT_AFTER=1``,
so it hands over to the resident process (``ui/resident.py``) a second after
start-up instead of twenty. The process id never changes: the resident
replaces the full app in place, and the other way round.

Checked, all in one process: the resident's icon is in the tray and no window
is up; ``pause`` and ``resume`` are served by the resident itself; a short
break coming due brings the full app back with its prompt window; once the
reminder is answered it slims down again; and a plain second launch opens the
main window.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_tray_reminders import SETTINGS, _find_window, _tray_holds_stretchdesk
from xsession import REPO, XSession, _need, wait_until

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _loaded(pid: int, library: str) -> bool:
    return library in Path(f"/proc/{pid}/maps").read_text()


def test_the_app_slims_down_in_the_tray_and_comes_back(x_session: XSession, tmp_path: Path):
    session = x_session
    session.start_tray_host()
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    (config / "settings.yaml").write_text(SETTINGS)
    dirs = ["--config-dir", str(config), "--data-dir", str(data)]
    log = tmp_path / "app.log"
    env = session.env | {"STRETCHDESK_TIME_SCALE": "30", "STRETCHDESK_RESIDENT_AFTER": "1"}
    with log.open("w") as out:
        app = subprocess.Popen(
            [sys.executable, "-m", "stretchdesk", "--tray", *dirs],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    session.processes.append(app)

    def stretchdesk(*args: str) -> subprocess.CompletedProcess:
        return session.run(sys.executable, "-m", "stretchdesk", *dirs, *args, timeout=20)

    def keep_working() -> None:
        session.run(_need("xdotool"), "mousemove_relative", "--", "1", "0")

    try:
        wait_until(lambda: "--handover" in _cmdline(app.pid), timeout=30, what="the hand-over")
        wait_until(lambda: _tray_holds_stretchdesk(session), timeout=20, what="the tray icon")
        assert not _find_window(session, "StretchDesk")  # started in the tray: no window
        # The resident has no figures, player or catalogue: the SVG-free glyph is all it draws.
        assert not _loaded(app.pid, "libQt6Multimedia")

        for command in (["pause", "30m"], ["resume"]):
            done = stretchdesk(*command)
            assert done.returncode == 0, (command, done.stderr)
        assert app.poll() is None and not _find_window(session, "StretchDesk")

        def prompt_up() -> bool:
            keep_working()
            return bool(_find_window(session, "Time for a break"))

        wait_until(prompt_up, timeout=60, interval=0.5, what="the reminder, from the full app")
        assert app.poll() is None  # the same process, now the full app

        done = stretchdesk("pause", "30m")  # answers the reminder: it is withdrawn
        assert done.returncode == 0, done.stderr
        wait_until(lambda: not _find_window(session, "Time for a break"), what="the prompt to go")

        second = stretchdesk()
        assert second.returncode == 0, second.stderr
        wait_until(lambda: _find_window(session, "StretchDesk"), timeout=20, what="the window")
        assert app.poll() is None
        # The window's class is what the desktop entry promises (StartupWMClass).
        window = _find_window(session, "StretchDesk").split()[0]
        wm_class = session.run(_need("xprop"), "-id", window, "WM_CLASS").stdout
        entry = REPO / "assets" / "desktop" / "io.github.stretchdesk.StretchDesk.desktop"
        promised = next(
            line.split("=", 1)[1].strip()
            for line in entry.read_text().splitlines()
            if line.startswith("StartupWMClass=")
        )
        assert f'"{promised}"' in wm_class, wm_class
        # The icon comes back once the full app is up (it leaves the tray for the switch).
        wait_until(lambda: _tray_holds_stretchdesk(session), timeout=20, what="the tray icon")
    finally:
        app.terminate()
        app.wait(10)
    text = log.read_text()
    assert "Traceback" not in text, text
    assert os.getpid() != app.pid
