"""Helpers for the real-desktop tests: a private X session, a session bus, dunst.

Each piece is started on demand, on a free display (``Xvfb -displayfd``) or a
fresh bus address, and stopped with the session. A missing program is a test
failure, not a skip: CI installs them (see ``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(
            f"{program} is not installed; .ci/run lists the packages the desktop tests need"
        )
    return path


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until(condition, timeout: float = 10.0, interval: float = 0.05, what: str = "") -> None:
    """Poll ``condition`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or condition}")
        time.sleep(interval)


@dataclass
class XSession:
    """A running Xvfb (and, when asked for, a session bus and dunst)."""

    display: str
    runtime_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    bus_address: str = ""

    @property
    def env(self) -> dict[str, str]:
        """An environment for programs that should run inside this session."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")
        }
        env.update(
            DISPLAY=self.display,
            XDG_SESSION_TYPE="x11",
            XDG_RUNTIME_DIR=str(self.runtime_dir),
            QT_QPA_PLATFORM="xcb",
            PYTHONPATH=str(REPO / "src"),
        )
        if self.bus_address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        return env

    def run(self, *argv: str, timeout: float = 10.0) -> subprocess.CompletedProcess:
        return subprocess.run(
            list(argv), env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def start_bus(self) -> str:
        if not self.bus_address:
            process = subprocess.Popen(
                [_need("dbus-daemon"), "--session", "--nofork", "--print-address=1"],
                stdout=subprocess.PIPE,
                env=self.env,
                text=True,
            )
            self.processes.append(process)
            assert process.stdout is not None
            self.bus_address = process.stdout.readline().strip()
            process.stdout.close()
            if not self.bus_address:
                pytest.fail("dbus-daemon did not print its address")
        return self.bus_address

    def has_bus_name(self, name: str) -> bool:
        done = self.run(
            _need("dbus-send"),
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"string:{name}",
        )
        return "boolean true" in done.stdout

    def start_notification_server(self) -> None:
        self.start_bus()
        if self.has_bus_name("org.freedesktop.Notifications"):
            return
        self.processes.append(
            subprocess.Popen(
                [_need("dunst")], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        wait_until(
            lambda: self.has_bus_name("org.freedesktop.Notifications"),
            what="dunst to own org.freedesktop.Notifications",
        )

    def start_tray_host(self) -> None:
        """``trayer`` as the system tray (on top, right), running once its panel is up."""
        self.start_bus()
        self.processes.append(
            subprocess.Popen(
                [_need("trayer"), "--edge", "top", "--align", "right", "--widthtype", "request"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_until(
            lambda: '("panel" "trayer")' in self.run(_need("xwininfo"), "-root", "-tree").stdout,
            what="trayer's panel",
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            _stop(process)
        self.processes.clear()
        shutil.rmtree(self.runtime_dir, ignore_errors=True)

    def python(self, *args: str, **popen) -> subprocess.Popen:
        """A Python process (the repository's interpreter) inside this session."""
        return subprocess.Popen([sys.executable, *args], env=self.env, **popen)


def start_x_session() -> XSession:
    """Start Xvfb on a free display; stop it (and what was started in it) with ``stop``."""
    xvfb = _need("Xvfb")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        _stop(server)
        pytest.fail("Xvfb did not start")
    # A short runtime folder: Unix socket paths are limited to about 100 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="sd-rt-"))
    runtime.chmod(0o700)
    return XSession(display=f":{number}", runtime_dir=runtime, processes=[server])
