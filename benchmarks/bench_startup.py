"""Start-up to the first painted window: StretchDesk against a bare PySide6 window.

Both run as whole processes, alternately, in the same run. Two figures, each
as a ratio of medians against the bare window's first paint:

* first paint: StretchDesk's window (frame, menus, toolbar) is on screen
  (target: at most 1.3);
* ready: the window has painted again with the catalogue in it (the moment a
  person can use it).

    .venv/bin/python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys

from _harness import PYTHON, env, summary, temp_dirs, time_until_lines

BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print("first-paint", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1100, 720)
probe = Probe()
window.installEventFilter(probe)
window.show()
sys.exit(app.exec())
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    config_dir, data_dir = temp_dirs()
    bare_cmd = [PYTHON, "-c", BARE_WINDOW]
    app_cmd = [PYTHON, "-m", "stretchdesk", "--config-dir", config_dir, "--data-dir", data_dir]
    app_env = env(STRETCHDESK_EXIT_AFTER_FIRST_PAINT="1")
    # one warm-up each, so both start with the files in the page cache
    time_until_lines(bare_cmd, ["first-paint"], env())
    time_until_lines(app_cmd, ["first-paint", "ready"], app_env)
    bare, first, ready = [], [], []
    for _ in range(args.runs):
        bare.append(time_until_lines(bare_cmd, ["first-paint"], env())[0])
        app_first, app_ready = time_until_lines(app_cmd, ["first-paint", "ready"], app_env)
        first.append(app_first)
        ready.append(app_ready)
    base = statistics.median(bare)
    print(f"bare PySide6 window      : {summary(bare)}")
    print(f"StretchDesk first paint  : {summary(first)}")
    print(f"StretchDesk ready        : {summary(ready)}")
    print(f"first-paint ratio        : {statistics.median(first) / base:.2f}  (target <= 1.30)")
    print(f"ready ratio              : {statistics.median(ready) / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
