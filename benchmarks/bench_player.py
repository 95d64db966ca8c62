"""The window's routine player on the real clock: timing and CPU, against bare Qt.

Two processes run side by side, offscreen, for the same time:

* the player: a main window with the player page shown, running a ~60 s
  routine with the real :class:`~stretchdesk.ui.session_driver.SessionDriver`
  (display refresh on, sound off); it records when each segment boundary was
  handled against its deadline;
* a bare PySide6 window idling for as long.

Reported: lateness of segment boundaries (median and max, ms; target 20 ms)
and CPU seconds used per minute of session by each process, and their ratio.

    .venv/bin/python benchmarks/bench_player.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _harness import env  # noqa: E402

PLAYER = r"""
import json, resource, sys, time
sys.path.insert(0, ROOT + "/src")
from PySide6.QtWidgets import QApplication
app = QApplication([])
from bench_engine_driver import SIXTY_SECONDS
from stretchdesk.core.engine import CueKind
from stretchdesk.core.settings import Player
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.core.settings import Settings
paths = AppPaths.resolve(CONFIG, DATA)
settings = Settings().evolve({"player.chimes": False, "player.voice": False})
window = MainWindow(load_library(paths), paths.config_dir / "state.ini", settings)
window.resize(1280, 800)
window.show()
window.open_routine(SIXTY_SECONDS, check_in=False)  # no check-in dialog
late = []
def seen(cues):
    handled = time.monotonic()
    for cue in cues:
        if cue.kind is CueKind.SEGMENT_STARTED and cue.index > 0:
            late.append(handled - cue.due)
def ended(_summary):
    app.quit()
player = window.player
player.driver.cues_due.connect(seen)
player.driver.session_ended.connect(ended)
app.processEvents()
cpu0, wall0 = time.process_time(), time.monotonic()
player.primary()
app.exec()
cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
print(json.dumps({"late": late, "cpu": cpu, "wall": wall}))
"""

BARE = r"""
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.resize(1280, 800); w.show()
app.processEvents()
cpu0, wall0 = time.process_time(), time.monotonic()
QTimer.singleShot(round(SECONDS * 1000), app.quit)
app.exec()
print(json.dumps({"cpu": time.process_time() - cpu0, "wall": time.monotonic() - wall0}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from bench_engine_driver import SIXTY_SECONDS

    from stretchdesk import resources
    from stretchdesk.core.loader import load_catalogue
    from stretchdesk.core.timeline import expand

    catalogue = load_catalogue(resources.data_file("stretches.yaml"), None).catalogue
    seconds = expand(SIXTY_SECONDS, catalogue).duration
    base = Path(__import__("tempfile").mkdtemp(prefix="stretchdesk-bench-"))
    player_code = (
        f"ROOT = {str(ROOT)!r}\nCONFIG = {str(base / 'c')!r}\nDATA = {str(base / 'd')!r}\n" + PLAYER
    )
    bare_code = f"SECONDS = {seconds!r}\n" + BARE
    environ = env(PYTHONPATH=str(ROOT / "benchmarks"))
    print(f"running a {seconds:.0f} s routine in the player and a bare window side by side")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.PIPE,
            env=environ,
            text=True,
            stderr=subprocess.DEVNULL,
        )
        for code in (player_code, bare_code)
    ]
    outs = [
        json.loads(p.communicate(timeout=seconds + 60)[0].strip().splitlines()[-1]) for p in procs
    ]
    player, bare = outs
    ms = [x * 1000 for x in player["late"]]
    per_min_player = player["cpu"] / player["wall"] * 60
    per_min_bare = bare["cpu"] / bare["wall"] * 60
    print(f"boundaries: {len(ms)}")
    print(f"late by: median {statistics.median(ms):.2f} ms  max {max(ms):.2f} ms")
    print(
        f"CPU per minute of session: player {per_min_player:.2f} s "
        f"({per_min_player / 60 * 100:.1f}% of a core), bare window {per_min_bare:.3f} s; "
        f"ratio {per_min_player / max(per_min_bare, 1e-6):.0f}x"
    )
    ok = max(ms) <= 20
    print("boundaries within target (20 ms)" if ok else "boundaries OUTSIDE the 20 ms target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
