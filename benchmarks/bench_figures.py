"""How long one frame of an animated figure takes to draw at 400x400.

Renders N frames of cat-cow (interpolated joint angles, breathing, contact
with the floor solved every frame) into an offscreen QImage and prints the
mean, median and 95th percentile in milliseconds: for the whole frame (pose,
scene and painting) and for the painting alone. The target is under 2 ms.

For comparison, the same run times a bare QPainter baseline: as many
antialiased, round-capped strokes and filled shapes as one figure frame draws,
with nothing computed, so the ratio shows what the figure system adds.

    .venv/bin/python benchmarks/bench_figures.py [--frames N] [--size PX]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen, QPolygonF

from stretchdesk.figures.library import default_poses_path, read_poses
from stretchdesk.figures.pose import Layer, breathe, interpolate
from stretchdesk.figures.render import (
    Palette,
    framing_for,
    paint_scene,
)
from stretchdesk.figures.scene import Scene


def _shape_count(scene: Scene) -> int:
    """How many shapes one frame draws: floor, props, figure (with edges), glow, arrow."""
    parts = scene.figure.parts
    edges = sum(1 for part in parts if part.layer is Layer.NEAR)
    props = sum(len(prop.shapes) for prop in scene.props)
    return 2 + props + len(parts) + edges + len(scene.highlights) + (2 if scene.arrow else 0)


def _baseline_frame(image: QImage, count: int, size: int) -> None:
    """A bare QPainter drawing ``count`` antialiased strokes and fills, nothing computed."""
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillRect(QRectF(0, 0, size, size), QColor("#faf7f2"))
    pen = QPen(QColor("#24405e"), size * 0.03)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(QColor("#4f7396"))
    step = size / (count + 1)
    for k in range(count):
        x = step * (k + 1)
        if k % 4 == 3:
            painter.drawPolygon(
                QPolygonF(
                    [QPointF(x, size * 0.3), QPointF(x + 20, size * 0.5), QPointF(x, 0.6 * size)]
                )
            )
        else:
            painter.drawPolyline(QPolygonF([QPointF(x, size * 0.2), QPointF(x + 15, size * 0.7)]))
    painter.end()


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

    count = _shape_count(cow.scene(pose=cow.pose))
    baseline: list[float] = []
    for i in range(args.frames + 20):
        start = time.perf_counter()
        _baseline_frame(image, count, args.size)
        if i >= 20:
            baseline.append((time.perf_counter() - start) * 1e3)

    print(f"{args.frames} frames of cat-cow at {args.size}x{args.size}, offscreen")
    print(_summary("whole frame", whole))
    print(_summary("painting only", paint))
    print(_summary(f"bare QPainter, {count} shapes", baseline))
    ratio = statistics.median(whole) / statistics.median(baseline)
    print(f"whole frame / bare QPainter: {ratio:.2f}x")
    print(f"target: under 2 ms a frame -> {'met' if statistics.median(whole) < 2.0 else 'MISSED'}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
