"""Started in the tray on a desktop without one: the window is made (minimised) instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_tray_reminders import SETTINGS, _tree
from xsession import XSession, _need, wait_until

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def test_tray_start_without_a_tray_keeps_a_window(x_session: XSession, tmp_path: Path):
    session = x_session
    session.start_bus()
    assert "trayer" not in _tree(session)  # no tray on this desktop
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    (config / "settings.yaml").write_text(SETTINGS)
    log = tmp_path / "app.log"
    argv = [sys.executable, "-m", "stretchdesk", "--tray", "--config-dir", str(config)]
    argv += ["--data-dir", str(data)]
    env = session.env | {"STRETCHDESK_RESIDENT_AFTER": "1"}
    with log.open("w") as out:
        app = subprocess.Popen(
            argv,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    session.processes.append(app)

    def main_window() -> str:
        found = session.run(_need("xdotool"), "search", "--name", "^StretchDesk$").stdout.split()
        big = [w for w in found if "1x1" not in session.run(_need("xwininfo"), "-id", w).stdout]
        return big[0] if big else ""

    try:
        wait_until(lambda: bool(main_window()), timeout=30, what="the window")
        subprocess.run(["sleep", "3"], check=True)  # longer than the resident delay
        cmdline = Path(f"/proc/{app.pid}/cmdline").read_bytes()
        assert b"--handover" not in cmdline  # no tray: it never slims down to a tray icon
        assert app.poll() is None
    finally:
        app.terminate()
        app.wait(10)
    assert "Traceback" not in log.read_text()
