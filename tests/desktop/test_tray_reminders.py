"""The app in a real X session: its icon sits in the tray, and a reminder reaches the desktop.

A private Xvfb, session bus, ``trayer`` (the tray host) and ``dunst`` (the
notification server), all started here. The app runs as its own process with a
short-break interval of 5 minutes, made 30 times shorter with the developer
switch ``STRETCHDESK_TIME_SCALE`` (see ``ui/reminders.py``), so the first
reminder comes after about 10 seconds of (simulated) work.

dunst is given a "menu" program that records the actions a notification
offers and picks Start, so the test sees Notify's actions and the whole way
back: ActionInvoked, the app starting the break, and the history's record.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from xsession import XSession, _need, wait_until

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

SETTINGS = """\
version: 2
reminders:
  short_every_minutes: 5
safety:
  welcome_shown: true
"""


def _tree(session: XSession) -> str:
    return session.run(_need("xwininfo"), "-root", "-tree").stdout


def _tray_holds_stretchdesk(session: XSession) -> bool:
    """Whether a StretchDesk window is embedded under trayer's panel window."""
    lines = _tree(session).splitlines()
    for index, line in enumerate(lines):
        if '("panel" "trayer")' in line:
            depth = len(line) - len(line.lstrip())
            for inner in lines[index + 1 :]:
                if inner.strip() and len(inner) - len(inner.lstrip()) <= depth:
                    break
                if '"StretchDesk"' in inner:
                    return True
    return False


def _find_window(session: XSession, title: str) -> str:
    done = session.run(
        _need("xdotool"), "search", "--onlyvisible", "--name", f"^{re.escape(title)}$"
    )
    return done.stdout.split()[0] if done.stdout.split() else ""


def _focus(session: XSession) -> str:
    return session.run(_need("xdotool"), "getwindowfocus").stdout.strip()


def _records(db: Path) -> list[tuple[str, str]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return con.execute("SELECT kind, outcome FROM reminders ORDER BY id").fetchall()
    except sqlite3.Error:
        return []


def test_tray_icon_and_reminder_in_a_real_desktop(x_session: XSession, tmp_path: Path):
    session = x_session
    session.start_bus()
    menu_log = tmp_path / "menu.txt"
    menu = tmp_path / "menu.sh"
    menu.write_text(f'#!/bin/sh\ncat > "{menu_log}"\ngrep "start\\]" "{menu_log}" | head -1\n')
    menu.chmod(0o755)
    dunstrc = tmp_path / "dunstrc"
    dunstrc.write_text(f"[global]\n    dmenu = {menu}\n")
    session.processes.append(
        subprocess.Popen(
            [_need("dunst"), "-config", str(dunstrc)],
            env=session.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    wait_until(
        lambda: session.has_bus_name("org.freedesktop.Notifications"), what="dunst on the bus"
    )
    session.start_tray_host()

    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    (config / "settings.yaml").write_text(SETTINGS)
    env = session.env | {"STRETCHDESK_TIME_SCALE": "30"}
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stretchdesk",
            "--config-dir",
            str(config),
            "--data-dir",
            str(data),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    session.processes.append(app)
    try:
        wait_until(lambda: _tray_holds_stretchdesk(session), timeout=30, what="the tray icon")
        wait_until(lambda: _find_window(session, "StretchDesk"), what="the main window")
        focus_before = _focus(session)

        def prompt_up() -> bool:
            session.run(_need("xdotool"), "mousemove_relative", "--", "1", "0")  # still working
            return bool(_find_window(session, "Time for a break"))

        wait_until(prompt_up, timeout=40, interval=0.5, what="the reminder's prompt window")
        prompt = _find_window(session, "Time for a break")
        time.sleep(0.5)
        assert _focus(session) == focus_before  # typing elsewhere is not interrupted
        assert _focus(session) != prompt

        wait_until(
            lambda: "1" in session.run(_need("dunstctl"), "count", "displayed").stdout,
            what="the notification on screen",
        )
        session.run(_need("dunstctl"), "context")
        wait_until(lambda: menu_log.exists() and menu_log.read_text(), what="dunst's menu")
        offered = menu_log.read_text()
        for label, key in (("Start", "start"), ("5 min later", "later"), ("Skip", "skip")):
            assert re.search(
                rf"^#{re.escape(label)} \(Time for a stretch\) \[\d+,{key}\]$",
                offered,
                re.MULTILINE,
            ), offered
        # dunst's menu chose Start: the app hears ActionInvoked and starts the break.
        wait_until(
            lambda: ("short", "started") in _records(data / "history.sqlite3"),
            what="the started break in the history",
        )
        wait_until(lambda: not _find_window(session, "Time for a break"), what="prompt hidden")
    finally:
        if app.poll() is None:
            app.terminate()
            try:
                output, _ = app.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                app.kill()
                output, _ = app.communicate()
        else:
            output, _ = app.communicate()
        # The bus's address pipe is read once; close it here so it is not left open.
        for process in session.processes:
            if process is not app and process.stdout is not None:
                process.stdout.close()
    assert "Traceback" not in output, output
