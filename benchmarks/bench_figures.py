"""How long one frame of an animated figure takes to draw at 400x400.

Renders N frames of cat-cow (interpolated joint angles, breathing, contact
with the floor solved every frame) into an offscreen QImage and prints the
mean, median and 95th percentile in milliseconds: for the whole frame (pose,
scene and painting) and for the painting alone. The target is under 2 ms.

    .venv/bin/python benchmarks/bench_figures.py [--frames N] [--size PX]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter

from stretchdesk.figures.library import default_poses_path, read_poses
from stretchdesk.figures.pose import breathe, interpolate
from stretchdesk.figures.render import (
    Palette,
    framing_for,
    paint_scene,
)


def _summary(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{label:<22} mean {statistics.fmean(samples):6.3f} ms   "
        f"median {statistics.median(samples):6.3f} ms   p95 {p95:6.3f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--size", type=int, default=400)
    args = parser.parse_args(argv)

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    library, _problems = read_poses(default_poses_path())
    cow, cat = library["cow"], library["cat"]
    palette = Palette.light()
    framing = framing_for([cow.scene(), cat.scene()])
    image = QImage(args.size, args.size, QImage.Format.Format_ARGB32_Premultiplied)
    target = QRectF(0, 0, args.size, args.size)

    whole: list[float] = []
    paint: list[float] = []
    for i in range(args.frames + 20):
        t = (i % 120) / 120.0  # one breath in, one out, over 120 frames
        start = time.perf_counter()
        pose = interpolate(cow.pose, cat.pose, 1.0 - abs(2.0 * t - 1.0))
        pose = breathe(pose, t, depth=0.5)
        scene = cow.scene(pose=pose)
        drawn = time.perf_counter()
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        paint_scene(painter, scene, target, palette, framing)
        painter.end()
        end = time.perf_counter()
        if i >= 20:  # the first frames warm caches up
            whole.append((end - start) * 1e3)
            paint.append((end - drawn) * 1e3)

    print(f"{args.frames} frames of cat-cow at {args.size}x{args.size}, offscreen")
    print(_summary("whole frame", whole))
    print(_summary("painting only", paint))
    print(f"target: under 2 ms a frame -> {'met' if statistics.median(whole) < 2.0 else 'MISSED'}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
