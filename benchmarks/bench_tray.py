"""StretchDesk resident in the tray, against a bare PySide6 tray app, in one X session.

Starts its own Xvfb (``-displayfd``), session bus, ``trayer`` (tray host) and
``dunst``, then runs side by side for ``--seconds`` (default 120):

* StretchDesk as it starts at login (``stretchdesk --tray``: reminders on
  with the default settings, the idle monitor, the command socket), after it
  has slimmed down to its tray-only resident process (``ui/resident.py``;
  ``STRETCHDESK_RESIDENT_AFTER=1`` makes that happen a second after start-up
  instead of twenty);
* a bare PySide6 app: a ``QSystemTrayIcon`` with an icon and a small menu.

Reported for each: memory (PSS, from ``/proc/PID/smaps_rollup``, at the end),
CPU (utime + stime from ``/proc/PID/stat``) over the measured time as a share
of one core, and wake-ups per minute (voluntary context switches, from
``/proc/PID/status``), plus the reminder timer's own firings (counted through
``STRETCHDESK_WAKEUP_LOG``). Targets: PSS at most 1.3x the bare app; CPU under
0.1 % of a core.

    .venv/bin/python benchmarks/bench_tray.py [--seconds 120]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTLE_SECONDS = 8.0  # start-up is not part of "resident"

BARE = r"""
import sys
from PySide6.QtGui import QAction, QIcon, QPixmap, QColor
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon
app = QApplication([])
app.setQuitOnLastWindowClosed(False)
pixmap = QPixmap(22, 22)
pixmap.fill(QColor("#2f7d6d"))
tray = QSystemTrayIcon(QIcon(pixmap))
menu = QMenu()
for text in ("Take a break now", "Pause", "Open", "Quit"):
    menu.addAction(QAction(text, menu))
tray.setContextMenu(menu)
tray.setToolTip("bare")
tray.show()
print("ready", flush=True)
app.exec()
"""


def _need(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        sys.exit(f"bench_tray: {program} is needed (see .ci/run for the packages)")
    return path


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def _switches(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            return int(line.split()[1])
    return 0


def _pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _start_session(keep: list[subprocess.Popen]) -> dict[str, str]:
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        [
            _need("Xvfb"),
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    keep.append(xvfb)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    environ = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
    environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", XDG_SESSION_TYPE="x11")
    bus = subprocess.Popen(
        [_need("dbus-daemon"), "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environ,
        text=True,
    )
    keep.append(bus)
    assert bus.stdout is not None
    environ["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    bus.stdout.close()
    for argv in (
        [_need("trayer"), "--edge", "top", "--align", "right", "--widthtype", "request"],
        [_need("dunst")],
    ):
        keep.append(
            subprocess.Popen(
                argv, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
    time.sleep(1.0)
    return environ


def _launch(code: str, environ: dict[str, str], **names: str) -> subprocess.Popen:
    prefix = "".join(f"{key} = {value!r}\n" for key, value in names.items())
    process = subprocess.Popen(
        [sys.executable, "-c", prefix + code],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError("a measured process did not start")
    return process


def _launch_stretchdesk(environ: dict[str, str], config: Path, data: Path) -> subprocess.Popen:
    """``stretchdesk --tray``; returns once it has handed over to the resident process.

    The sources are byte-compiled first, as an installed app's are: a module
    compiled at import leaves the compiler's memory behind in the process.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "stretchdesk")], check=True
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stretchdesk",
            "--tray",
            "--config-dir",
            str(config),
            "--data-dir",
            str(data),
        ],
        env=environ | {"PYTHONPATH": str(ROOT / "src"), "STRETCHDESK_RESIDENT_AFTER": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    deadline = time.monotonic() + 30
    while b"--handover" not in cmdline.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("StretchDesk did not slim down to its resident process")
        time.sleep(0.1)
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    keep: list[subprocess.Popen] = []
    base = Path(tempfile.mkdtemp(prefix="stretchdesk-bench-tray-"))
    try:
        environ = _start_session(keep)
        config, data = base / "config", base / "data"
        config.mkdir(parents=True)
        (config / "settings.yaml").write_text("version: 2\nsafety:\n  welcome_shown: true\n")
        log = base / "wakeups.log"
        ours = _launch_stretchdesk(environ | {"STRETCHDESK_WAKEUP_LOG": str(log)}, config, data)
        bare = _launch(BARE, environ)
        keep += [ours, bare]
        time.sleep(SETTLE_SECONDS)
        start = {p.pid: (_cpu_seconds(p.pid), _switches(p.pid)) for p in (ours, bare)}
        timer_start = len(log.read_text().splitlines()) if log.exists() else 0
        began = time.monotonic()
        time.sleep(args.seconds)
        elapsed = time.monotonic() - began
        results = {}
        for name, process in (("stretchdesk", ours), ("bare tray", bare)):
            cpu0, switches0 = start[process.pid]
            results[name] = (
                _pss_kib(process.pid) / 1024,
                (_cpu_seconds(process.pid) - cpu0) / elapsed * 100,
                (_switches(process.pid) - switches0) / elapsed * 60,
            )
        timer = (len(log.read_text().splitlines()) if log.exists() else 0) - timer_start
    finally:
        for process in reversed(keep):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
            if process.stdout is not None:
                process.stdout.close()
        shutil.rmtree(base, ignore_errors=True)
    print(f"resident in the tray for {elapsed:.0f} s (after {SETTLE_SECONDS:.0f} s to settle)")
    print(f"{'':12} {'PSS MiB':>9} {'CPU % core':>11} {'wake-ups/min':>13}")
    for name, (pss, cpu, wakeups) in results.items():
        print(f"{name:12} {pss:9.1f} {cpu:11.3f} {wakeups:13.1f}")
    ratio = results["stretchdesk"][0] / results["bare tray"][0]
    print(f"memory ratio {ratio:.2f}x (target <= 1.3x)")
    print(f"CPU {results['stretchdesk'][1]:.3f} % of a core (target < 0.1 %)")
    print(f"reminder timer firings: {timer} ({timer / elapsed * 60:.2f}/min)")


if __name__ == "__main__":
    main()
