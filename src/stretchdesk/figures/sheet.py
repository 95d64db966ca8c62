"""Contact sheets and per-step images: every figure at a glance, as PNG files.

``stretchdesk illustrate [ID] --out DIR`` calls :func:`write_step_images` (one
image per step of each stretch) and :func:`write_contact_sheet` (every step of
the whole catalogue, or every pose of the library, in a labelled grid). The
sheet is how the figures get reviewed: put it beside the steps' text and check
that each picture reads as its stretch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from stretchdesk.core.model import Catalogue, Stretch
from stretchdesk.figures.library import PoseDef, PoseLibrary
from stretchdesk.figures.render import (
    Framing,
    Palette,
    paint_scene,
    render_image,
    step_framings,
    write_svg,
)


@dataclass(frozen=True, slots=True)
class Cell:
    """One picture of a sheet: a pose, whether it is mirrored, and its caption lines.

    ``framing`` is the window the picture shows (``None``: the pose's own).
    """

    pose: PoseDef
    title: str
    subtitle: str = ""
    mirror: bool = False
    framing: Framing | None = None


def pose_cells(poses: PoseLibrary) -> list[Cell]:
    """One cell per pose of the library, in file order."""
    return [Cell(p, p.id, f"{p.view} view") for p in poses]


def step_cells(
    catalogue: Catalogue, poses: PoseLibrary, stretch_id: str | None = None
) -> list[Cell]:
    """One cell per step of every stretch (or of one), showing the step's pose.

    A step without a pose (or naming an unknown pose) shows the nearest posed
    step of the same stretch, as the player does. A stretch's steps share
    one scale and floor line (:func:`~stretchdesk.figures.render.step_framings`).
    """
    cells = []
    for stretch in _stretches(catalogue, stretch_id):
        steps = [
            (number, pose)
            for number in range(1, len(stretch.steps) + 1)
            if (pose := _step_pose(stretch, number - 1, poses)) is not None
        ]
        framings = step_framings([pose.scene() for _, pose in steps])
        for (number, pose), framing in zip(steps, framings, strict=True):
            title = f"{stretch.name} {number}/{len(stretch.steps)}"
            cells.append(Cell(pose, title, pose.id, framing=framing))
    return cells


def _stretches(catalogue: Catalogue, stretch_id: str | None) -> Sequence[Stretch]:
    if stretch_id is None:
        return catalogue.stretches
    stretch = catalogue.get(stretch_id)
    if stretch is None:
        raise KeyError(f"no stretch with the id {stretch_id!r}")
    return (stretch,)


def _step_pose(stretch: Stretch, index: int, poses: PoseLibrary) -> PoseDef | None:
    order = sorted(range(len(stretch.steps)), key=lambda i: (abs(i - index), i))
    for i in order:
        pose_id = stretch.steps[i].pose
        if pose_id is not None and pose_id in poses:
            return poses[pose_id]
    return None


def write_step_images(
    catalogue: Catalogue,
    poses: PoseLibrary,
    out_dir: Path,
    stretch_id: str | None = None,
    size: int = 400,
    palette: Palette | None = None,
    svg: bool = False,
    png: bool = True,
) -> list[Path]:
    """Write ``<stretch-id>/step-<n>.png`` (and ``.svg`` with ``svg``) for each step.

    Stretches done on each side also get ``step-<n>-other-side.png``, mirrored.
    With ``png`` false only the SVG files are written. Returns the files written.
    """
    written: list[Path] = []
    for stretch in _stretches(catalogue, stretch_id):
        folder = out_dir / stretch.id
        folder.mkdir(parents=True, exist_ok=True)
        steps = [
            (number, pose)
            for number in range(1, len(stretch.steps) + 1)
            if (pose := _step_pose(stretch, number - 1, poses)) is not None
        ]
        variants = [(False, "")]
        if stretch.side_count == 2:
            variants.append((True, "-other-side"))
        for mirror, suffix in variants:
            scenes = [pose.scene(mirror) for _, pose in steps]
            for (number, _pose), scene, framing in zip(
                steps, scenes, step_framings(scenes), strict=True
            ):
                path = folder / f"step-{number}{suffix}.png"
                if png:
                    image = render_image(scene, size, palette, framing)
                    if not image.save(str(path), "PNG"):
                        raise OSError(f"could not write {path}")
                    written.append(path)
                if svg:
                    svg_path = path.with_suffix(".svg")
                    title = f"{stretch.name}, step {number}"
                    write_svg(scene, svg_path, size, palette, title, framing)
                    written.append(svg_path)
    return written


def render_sheet(
    cells: Sequence[Cell],
    columns: int = 6,
    cell_size: int = 260,
    palette: Palette | None = None,
) -> QImage:
    """The cells in a grid, each with its caption under the picture."""
    pal = palette or Palette.light()
    columns = max(1, min(columns, len(cells) or 1))
    rows = max(1, math.ceil(len(cells) / columns))
    caption = 42
    pad = 8
    width = columns * (cell_size + pad) + pad
    height = rows * (cell_size + caption + pad) + pad
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff") if not pal.dark else QColor("#15181c"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    title_font = QFont()
    title_font.setPixelSize(14)
    title_font.setBold(True)
    small_font = QFont()
    small_font.setPixelSize(12)
    text = QColor("#22303c") if not pal.dark else QColor("#e6edf3")
    muted = QColor("#6b7a88")
    for k, cell in enumerate(cells):
        r, c = divmod(k, columns)
        x = pad + c * (cell_size + pad)
        y = pad + r * (cell_size + caption + pad)
        target = QRectF(x, y, cell_size, cell_size)
        paint_scene(painter, cell.pose.scene(cell.mirror), target, pal, cell.framing)
        painter.setPen(text)
        painter.setFont(title_font)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        title = painter.fontMetrics().elidedText(
            cell.title, Qt.TextElideMode.ElideRight, cell_size - 4
        )
        painter.drawText(QRectF(x, y + cell_size + 3, cell_size, 18), flags, title)
        if cell.subtitle:
            painter.setPen(muted)
            painter.setFont(small_font)
            painter.drawText(QRectF(x, y + cell_size + 21, cell_size, 16), flags, cell.subtitle)
    painter.end()
    return image


def write_contact_sheet(
    poses: PoseLibrary,
    out_path: Path,
    catalogue: Catalogue | None = None,
    stretch_id: str | None = None,
    columns: int = 6,
    cell_size: int = 260,
    palette: Palette | None = None,
) -> Path:
    """Write a PNG grid of every catalogue step (with ``catalogue``) or every pose."""
    cells = step_cells(catalogue, poses, stretch_id) if catalogue else pose_cells(poses)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    image = render_sheet(cells, columns, cell_size, palette)
    if not image.save(str(out_path), "PNG"):
        raise OSError(f"could not write {out_path}")
    return out_path
