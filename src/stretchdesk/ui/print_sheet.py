"""A routine as a printable PDF sheet, for stretching away from the screen.

:func:`write_routine_pdf` lays a routine out on A4 pages: the title, the total
time and how the session is paced, then one block per stretch with its
picture (the held pose, or the poses a repetition moves between, drawn by the
figure renderer), how long or how many, its steps and its cautions. A block
never breaks across pages; every page ends with the routine's name, a short
safety reminder and the page number. Colours are light, for paper.

The layout is measured before anything is painted, so the page count is known
for the footers and the same code both measures and draws each block. A
:class:`~PySide6.QtGui.QGuiApplication` must exist (fonts need one); the
command line creates an offscreen one when there is no display.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from stretchdesk.core.describe import dose_text, tempo_text
from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Catalogue, Level, Routine, Stretch
from stretchdesk.core.timeline import Plan, SegmentKind, expand
from stretchdesk.core.timeline_text import breath_words
from stretchdesk.figures.library import PoseDef, PoseLibrary
from stretchdesk.figures.render import Framing, Palette, paint_scene
from stretchdesk.figures.scene import Scene
from stretchdesk.storage.atomic import write_atomically

#: A picture box (millimetres, width x height); the figure fills it.
PICTURE_MM = (50.0, 36.0)
#: The narrowest slice of the world (cm) a picture shows, so no pose is blown up.
MIN_PICTURE_CM = 90.0
RESOLUTION = 300  # dots per inch of the PDF's coordinate system
MARGIN_MM = 16.0
SAFETY_LINE = (
    "Move slowly and never bounce. Stop if a stretch hurts. See a professional for pain "
    "that shoots down a leg, numbness, or pain that is worse at night."
)

_INK = QColor("#1f2a36")
_MUTED = QColor("#5b6b7b")
_RULE = QColor("#d5dde5")
_ACCENT = QColor("#2f6f8f")
_CARD = QColor("#f7f9fb")
_CAUTION_BG = QColor("#fdf3e7")
_CAUTION_INK = QColor("#7a4a12")
_FIGURE_BG = QColor("#ffffff")


def print_palette() -> Palette:
    """The figure colours for paper: the light palette on white."""
    return dataclasses.replace(Palette.light(), background=_FIGURE_BG)


@dataclass(frozen=True, slots=True)
class Picture:
    """One figure of a block: the pose and a short caption under it."""

    pose: PoseDef
    caption: str = ""


@dataclass(frozen=True, slots=True)
class SheetItem:
    """Everything printed for one stretch of the routine."""

    number: int
    stretch: Stretch  # overrides applied
    seconds: float  # this item's time in the session, rest before it not included
    dose: str  # "Hold 30 s on each side, 2 sets"
    tempo: str  # "Breathe in 3 s (cow), breathe out 3 s (cat)" for reps; else ""
    areas: str
    pictures: tuple[Picture, ...]
    note: str = ""  # e.g. why a quick routine picked it


def _nearest_pose(stretch: Stretch, index: int, poses: PoseLibrary) -> PoseDef | None:
    """The pose of step ``index``, or of the nearest step that has one (as the player shows)."""
    order = sorted(range(len(stretch.steps)), key=lambda i: (abs(i - index), i))
    for i in order:
        pose_id = stretch.steps[i].pose
        if pose_id is not None and pose_id in poses:
            return poses[pose_id]
    return None


def _pictures(stretch: Stretch, poses: PoseLibrary) -> tuple[Picture, ...]:
    if stretch.hold_seconds is not None or not stretch.tempo:
        pose = _nearest_pose(stretch, stretch.hold_step, poses)
        return () if pose is None else (Picture(pose),)
    pictures: list[Picture] = []
    seen: set[str] = set()
    for phase in stretch.tempo:
        pose = _nearest_pose(stretch, phase.step, poses)
        if pose is None or pose.id in seen:
            continue
        seen.add(pose.id)
        words = breath_words(phase.breath).capitalize()
        caption = f"{words}: {phase.label}" if phase.label else words
        pictures.append(Picture(pose, caption))
    return tuple(pictures[:3])


def sheet_items(
    plan: Plan,
    catalogue: Catalogue,
    poses: PoseLibrary,
    notes: Sequence[str] = (),
) -> list[SheetItem]:
    """The printed blocks of a routine, one per item, from its expanded plan."""
    seconds = [0.0] * len(plan.stretches)
    for segment in plan.segments:
        if segment.item is None or (segment.kind is SegmentKind.REST and segment.between_items):
            continue
        seconds[segment.item] += segment.duration
    items = []
    for index, stretch in enumerate(plan.stretches):
        names = [catalogue.area(a) for a in stretch.areas]
        areas = ", ".join(a.name for a in names if a is not None)
        if stretch.level is Level.DEEPER:
            areas += "  ·  deeper level"
        items.append(
            SheetItem(
                number=index + 1,
                stretch=stretch,
                seconds=seconds[index],
                dose=dose_text(stretch),
                tempo=tempo_text(stretch),
                areas=areas,
                pictures=_pictures(stretch, poses),
                note=notes[index] if index < len(notes) else "",
            )
        )
    return items


class _Sheet:
    """Measures and paints the blocks on one paint device (the PDF writer)."""

    def __init__(self, writer: QPdfWriter) -> None:
        self.writer = writer
        self.dpmm = RESOLUTION / 25.4
        page = writer.pageLayout().paintRectPixels(RESOLUTION)
        self.width = float(page.width())
        self.height = float(page.height())
        self.title_font = self._font(20, bold=True)
        self.subtitle_font = self._font(10.5)
        self.name_font = self._font(13, bold=True)
        self.dose_font = self._font(10.5, bold=True)
        self.body_font = self._font(9.5)
        self.held_font = self._font(9.5, bold=True)
        self.small_font = self._font(8)
        self.label_font = self._font(8, bold=True)
        self.number_font = self._font(11, bold=True)
        self.footer_height = self.mm(9)

    def mm(self, value: float) -> float:
        return value * self.dpmm

    def _font(self, points: float, *, bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Sans Serif"])
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def text_height(self, font: QFont, text: str, width: float) -> float:
        if not text:
            return 0.0
        metrics = QFontMetricsF(font, self.writer)
        flags = int(Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()

    def text(
        self,
        painter: QPainter | None,
        font: QFont,
        color: QColor,
        text: str,
        x: float,
        y: float,
        width: float,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> float:
        """Draw wrapped ``text`` at (x, y) (or only measure, without a painter); its height."""
        height = self.text_height(font, text, width)
        if painter is not None and text:
            painter.setFont(font)
            painter.setPen(color)
            flags = int(Qt.TextFlag.TextWordWrap) | int(align) | int(Qt.AlignmentFlag.AlignTop)
            painter.drawText(QRectF(x, y, width, height + 1), flags, text)
        return height

    # -- the header ---------------------------------------------------------------------

    def header(
        self, painter: QPainter | None, routine: Routine, plan: Plan, count: int, title: str
    ) -> float:
        y = 0.0
        y += self.text(painter, self.title_font, _INK, title, 0, y, self.width)
        y += self.mm(1.5)
        pace = [f"Total time {format_duration(plan.duration)}"]
        pace.append(f"{count} stretch" + ("" if count == 1 else "es"))
        if routine.waits_for_ready:
            pace.append("each stretch starts when you are ready")
        else:
            pace.append(f"{format_duration(routine.prepare_seconds)} to get into position")
        if routine.rest_seconds > 0:
            pace.append(f"{format_duration(routine.rest_seconds)} rest between stretches")
        y += self.text(painter, self.subtitle_font, _ACCENT, "  ·  ".join(pace), 0, y, self.width)
        if routine.description:
            y += self.mm(1.5)
            y += self.text(
                painter, self.subtitle_font, _MUTED, routine.description, 0, y, self.width
            )
        y += self.mm(3)
        if painter is not None:
            painter.setPen(QPen(_ACCENT, self.mm(0.6)))
            painter.drawLine(0, round(y), round(self.width), round(y))
        return y + self.mm(5)

    # -- one stretch --------------------------------------------------------------------

    def block(self, painter: QPainter | None, item: SheetItem, top: float) -> float:
        """Draw (or, without a painter, measure) one block's contents at ``top``; its height."""
        pad = self.mm(4)
        pictures = item.pictures
        box_w, box_h = self.mm(PICTURE_MM[0]), self.mm(PICTURE_MM[1])
        caption_h = self.mm(5) if any(p.caption for p in pictures) else self.mm(1.5)
        text_x = pad + (box_w + self.mm(5) if pictures else 0.0)
        text_w = self.width - text_x - pad
        number_d = self.mm(7)

        # The text column, top to bottom.
        y = top + pad
        name_x = text_x + number_d + self.mm(2.5)
        name_w = text_w - number_d - self.mm(2.5) - self.mm(22)
        if painter is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_ACCENT)
            circle = QRectF(text_x, y, number_d, number_d)
            painter.drawEllipse(circle)
            painter.setFont(self.number_font)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(circle, int(Qt.AlignmentFlag.AlignCenter), str(item.number))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        self.text(
            painter,
            self.small_font,
            _MUTED,
            format_duration(item.seconds),
            self.width - pad - self.mm(22),
            y + self.mm(1.2),
            self.mm(22),
            Qt.AlignmentFlag.AlignRight,
        )
        name_h = self.text(painter, self.name_font, _INK, item.stretch.name, name_x, y, name_w)
        y += max(name_h, number_d) + self.mm(1)
        y += self.text(painter, self.small_font, _MUTED, item.areas, name_x, y, name_w)
        y += self.mm(2.5)
        y += self.text(painter, self.dose_font, _ACCENT, item.dose, text_x, y, text_w)
        if item.tempo:
            y += self.mm(0.8)
            y += self.text(painter, self.body_font, _MUTED, item.tempo, text_x, y, text_w)
        if item.note:
            y += self.mm(0.8)
            y += self.text(painter, self.body_font, _MUTED, f"Why: {item.note}", text_x, y, text_w)
        y += self.mm(2.5)
        held = item.stretch.hold_step if item.stretch.hold_seconds is not None else None
        number_w = self.mm(6)
        for index, step in enumerate(item.stretch.steps):
            font = self.held_font if index == held else self.body_font  # the held step stands out
            self.text(painter, font, _ACCENT, f"{index + 1}.", text_x, y, number_w)
            y += self.text(painter, font, _INK, step.text, text_x + number_w, y, text_w - number_w)
            y += self.mm(1.2)
        if item.stretch.cautions:
            y += self.mm(1.5)
            y += self.cautions(painter, item.stretch.cautions, text_x, y, text_w)
        text_bottom = y

        pictures_bottom = top + pad + len(pictures) * (box_h + caption_h)
        bottom = max(text_bottom, pictures_bottom) + pad - (caption_h if pictures else 0.0) / 2
        if painter is not None:
            for k, picture in enumerate(pictures):
                box = QRectF(pad, top + pad + k * (box_h + caption_h), box_w, box_h)
                self.picture(painter, picture, box)
                if picture.caption:
                    self.text(
                        painter,
                        self.small_font,
                        _MUTED,
                        picture.caption,
                        box.left(),
                        box.bottom() + self.mm(1),
                        box_w,
                        Qt.AlignmentFlag.AlignHCenter,
                    )
        return bottom - top

    def picture(self, painter: QPainter, picture: Picture, box: QRectF) -> None:
        """The pose filling a landscape box: framed tightly, floor along the bottom."""
        painter.setPen(QPen(_RULE, self.mm(0.25)))
        painter.setBrush(_FIGURE_BG)
        painter.drawRoundedRect(box, self.mm(2), self.mm(2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        scene = picture.pose.scene()
        inner = box.adjusted(self.mm(1.5), self.mm(1.5), -self.mm(1.5), -self.mm(1))
        framing = box_framing(scene, inner.width(), inner.height())
        # The framing is a square as wide as the box whose lower part the figure fills;
        # nothing is drawn above the figure, so no background is painted there.
        target = QRectF(inner.left(), inner.bottom() - inner.width(), inner.width(), inner.width())
        paint_scene(painter, scene, target, print_palette(), framing, background=False)

    def draw_block(self, painter: QPainter, item: SheetItem, top: float) -> float:
        """Paint one block: its card first, then the text and pictures over it."""
        height = self.block(None, item, top)
        self.card(painter, top, top + height)
        return self.block(painter, item, top)

    def card(self, painter: QPainter, top: float, bottom: float) -> None:
        painter.setPen(QPen(_RULE, self.mm(0.3)))
        painter.setBrush(_CARD)
        painter.drawRoundedRect(QRectF(0, top, self.width, bottom - top), self.mm(3), self.mm(3))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def cautions(
        self, painter: QPainter | None, cautions: Sequence[str], x: float, y: float, width: float
    ) -> float:
        """The "Take care" box with one bullet per caution; its height."""
        pad = self.mm(2.2)
        bullet_w = self.mm(3.5)
        inner_w = width - 2 * pad
        label = "Take care"
        label_h = self.text_height(self.label_font, label, inner_w)
        heights = [self.text_height(self.body_font, c, inner_w - bullet_w) for c in cautions]
        spacing = self.mm(0.6)
        height = pad + label_h + self.mm(0.8) + sum(heights) + spacing * (len(heights) - 1) + pad
        if painter is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_CAUTION_BG)
            painter.drawRoundedRect(QRectF(x, y, width, height), self.mm(1.5), self.mm(1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            self.text(painter, self.label_font, _CAUTION_INK, label, x + pad, y + pad, inner_w)
            line_y = y + pad + label_h + self.mm(0.8)
            for caution, line_h in zip(cautions, heights, strict=True):
                self.text(painter, self.body_font, _CAUTION_INK, "•", x + pad, line_y, bullet_w)
                self.text(
                    painter,
                    self.body_font,
                    _CAUTION_INK,
                    caution,
                    x + pad + bullet_w,
                    line_y,
                    inner_w - bullet_w,
                )
                line_y += line_h + spacing
        return height

    # -- the footer ---------------------------------------------------------------------

    def footer(self, painter: QPainter, title: str, page: int, pages: int) -> None:
        top = self.height - self.footer_height
        painter.setPen(QPen(_RULE, self.mm(0.3)))
        painter.drawLine(0, round(top), round(self.width), round(top))
        y = top + self.mm(1.8)
        right_w = self.mm(30)
        self.text(
            painter,
            self.small_font,
            _MUTED,
            f"Page {page} of {pages}",
            self.width - right_w,
            y,
            right_w,
            Qt.AlignmentFlag.AlignRight,
        )
        self.text(
            painter, self.small_font, _MUTED, SAFETY_LINE, 0, y, self.width - right_w - self.mm(4)
        )


def box_framing(scene: Scene, width: float, height: float) -> Framing:
    """A square framing, as wide as a ``width`` x ``height`` box, with the scene in its lower part.

    The scene (figure, props and arrow) is centred across and fills the box's
    height or width, whichever it reaches first, with a thin band of floor.
    """
    left, bottom, right, top = scene.bounds
    for x, y in scene.arrow or ():
        left, right = min(left, x), max(right, x)
        bottom, top = min(bottom, y), max(top, y)
    bottom = min(bottom, 0.0)
    aspect = width / height
    size = max(
        (right - left) * 1.1,
        ((top - bottom) * 1.1 + 4.0) * aspect,
        MIN_PICTURE_CM,
    )
    band = size / aspect * 0.05
    return Framing((left + right) / 2 - size / 2, bottom - band, size)


def paginate(
    heights: Sequence[float], first_top: float, page_height: float, gap: float
) -> list[tuple[int, float]]:
    """Page and top of each block; a block never splits (a too-tall one gets its own page)."""
    placed: list[tuple[int, float]] = []
    page, y = 0, first_top
    for height in heights:
        if y > 0 and y + height > page_height:
            page, y = page + 1, 0.0
        placed.append((page, y))
        y += height + gap
    return placed


def routine_pdf_bytes(
    routine: Routine,
    catalogue: Catalogue,
    poses: PoseLibrary,
    *,
    notes: Sequence[str] = (),
    title: str | None = None,
) -> tuple[bytes, int]:
    """The PDF of a routine's sheet, and its number of pages.

    ``notes`` adds a line per item (a quick routine's reasons); ``title``
    replaces the routine's name as the heading.
    """
    plan = expand(routine, catalogue)
    items = sheet_items(plan, catalogue, poses, notes)
    heading = title or routine.name
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle(heading)
    writer.setCreator("StretchDesk")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    sheet = _Sheet(writer)
    header_h = sheet.header(None, routine, plan, len(items), heading)
    heights = [sheet.block(None, item, 0.0) for item in items]
    usable = sheet.height - sheet.footer_height - sheet.mm(3)
    placed = paginate(heights, header_h, usable, sheet.mm(4))
    pages = (placed[-1][0] + 1) if placed else 1

    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    try:
        sheet.header(painter, routine, plan, len(items), heading)
        current = 0
        for item, (page, top) in zip(items, placed, strict=True):
            while current < page:
                sheet.footer(painter, heading, current + 1, pages)
                writer.newPage()
                current += 1
            sheet.draw_block(painter, item, top)
        sheet.footer(painter, heading, current + 1, pages)
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data()), pages


def write_routine_pdf(
    path: Path,
    routine: Routine,
    catalogue: Catalogue,
    poses: PoseLibrary,
    *,
    notes: Sequence[str] = (),
    title: str | None = None,
    overwrite: bool = True,
) -> int:
    """Write the routine's sheet to ``path`` atomically; return the number of pages.

    Raises :class:`OSError` when it cannot be written (and
    :class:`FileExistsError` when ``path`` exists and ``overwrite`` is false).
    """
    data, pages = routine_pdf_bytes(routine, catalogue, poses, notes=notes, title=title)
    write_atomically(Path(path), data, replace=overwrite)
    return pages
