"""The stretch browser with a generated 5,000-stretch catalogue: opening it and filtering it.

Opening: constructing the Browse page and showing it until the card list's
first paint (pictures are rendered lazily afterwards, so they are not part of
it). Filtering: one keystroke in the search box (or a click on a chip), timed
from the key press through the proxy's new query, the list's layout and a
synchronous repaint of the cards. Both are printed as median and maximum; the
targets are under 300 ms to open and under 16 ms a keystroke.

    .venv/bin/python benchmarks/bench_browser.py [--stretches N] [--opens N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QObject, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from tests.ui.catalogue_gen import generated_catalogue  # noqa: E402

from stretchdesk.core.model import Catalogue, Kind  # noqa: E402
from stretchdesk.library import load_library  # noqa: E402
from stretchdesk.storage.paths import AppPaths  # noqa: E402
from stretchdesk.ui.app import apply_theme  # noqa: E402
from stretchdesk.ui.catalogue_view import CatalogueView  # noqa: E402

#: What a user types, one key at a time; "\b" is Backspace.
TYPING = "hip\b\b\bknee\b\b\b\bshoulder roll\b\b\b\b\b\b\b\b\b\b\b\b\bwall\b\b\b\b" * 3


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def time_open(app: QApplication, catalogue: Catalogue) -> tuple[float, CatalogueView]:
    """Seconds from constructing the page to the first paint of its card list."""
    probe = _FirstPaint()
    start = time.perf_counter()
    view = CatalogueView(catalogue)
    view.stretches.viewport().installEventFilter(probe)
    view.resize(1280, 800)
    view.show()
    while not probe.painted:
        app.processEvents()
    elapsed = time.perf_counter() - start
    view.stretches.viewport().removeEventFilter(probe)
    return elapsed, view


def time_keystroke(app: QApplication, view: CatalogueView, key: str) -> tuple[float, float]:
    """Seconds for one key in the search box: to the filtered proxy, and to the repainted list."""
    start = time.perf_counter()
    if key == "\b":
        QTest.keyClick(view.search, Qt.Key.Key_Backspace)
    else:
        QTest.keyClicks(view.search, key)
    filtered = time.perf_counter()
    app.processEvents()  # the list's delayed layout
    view.stretches.viewport().repaint()
    return filtered - start, time.perf_counter() - start


def time_chip(app: QApplication, view: CatalogueView, chip) -> float:
    start = time.perf_counter()
    chip.click()
    app.processEvents()
    view.stretches.viewport().repaint()
    return time.perf_counter() - start


def report(name: str, seconds: list[float], target_ms: float) -> None:
    ms = [s * 1000 for s in seconds]
    median, worst = statistics.median(ms), max(ms)
    verdict = "ok" if worst < target_ms else ("median ok" if median < target_ms else "SLOW")
    print(
        f"{name:<28} n={len(ms):4d}  median {median:7.2f} ms  p95 "
        f"{sorted(ms)[int(len(ms) * 0.95) - 1]:7.2f} ms  max {worst:7.2f} ms  "
        f"(target {target_ms:g} ms: {verdict})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stretches", type=int, default=5000)
    parser.add_argument("--opens", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from stretchdesk.core.settings import Theme

    apply_theme(app, Theme.LIGHT)
    with tempfile.TemporaryDirectory() as tmp:
        base = load_library(AppPaths.resolve(Path(tmp, "c"), Path(tmp, "d"))).catalogue
    catalogue = generated_catalogue(base, args.stretches)
    print(f"catalogue: {len(catalogue)} generated stretches, platform {app.platformName()}")

    opens = []
    view = None
    for _ in range(args.opens):
        if view is not None:
            view.close()
            view.deleteLater()
            app.processEvents()
        elapsed, view = time_open(app, catalogue)
        opens.append(elapsed)
    assert view is not None
    report("open to first paint (cold)", opens[:1], 300)
    report("open to first paint (warm)", opens[1:], 300)

    view.thumbnails.render_now()  # the pictures of the cards in view, as after a moment
    keys = [time_keystroke(app, view, key) for key in TYPING]
    report("keystroke: filter only", [k[0] for k in keys], 16)
    report("keystroke: filter + paint", [k[1] for k in keys], 16)
    chips = [
        view.filters.kinds[Kind.STATIC],
        view.filters.flare_safe,
        view.filters.positions["floor"],
        view.filters.desk_friendly,
    ]
    clicks = [time_chip(app, view, chip) for _ in range(10) for chip in chips]
    report("chip click", clicks, 16)
    view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
