"""Drawing a scene with QPainter, and writing it as SVG or PNG.

One renderer serves the player, the catalogue browser, the contact sheet and
the exports: :func:`paint_scene` draws a :class:`~stretchdesk.figures.scene.Scene`
into any rectangle at any size. The scene is in centimetres; a single world
transform maps it to pixels, so pen widths scale with the picture and a frame
drawn at two sizes is the same picture scaled.

Colours come from a :class:`Palette` (light, dark, or derived from a
``QPalette``). Near limbs are drawn darker and on top, far limbs lighter and
behind, the stretched area glows softly and an arrow shows the movement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtSvg import QSvgGenerator

from stretchdesk.figures.pose import Layer, Part, Point, Shape, View
from stretchdesk.figures.props import Primitive, Tone
from stretchdesk.figures.scene import Scene

#: Smallest world window (cm) a picture shows, so small poses are not blown up.
MIN_WINDOW = 120.0


@dataclass(frozen=True, slots=True)
class Palette:
    """The colours of a figure picture."""

    background: QColor
    floor: QColor
    floor_line: QColor
    far: QColor
    body: QColor
    near: QColor
    hair: QColor
    highlight: QColor
    arrow: QColor
    mat: QColor
    wall: QColor
    prop: QColor
    prop_dark: QColor
    soft: QColor
    strap: QColor
    dark: bool = False

    @classmethod
    def light(cls) -> Palette:
        return cls(
            background=QColor("#faf7f2"),
            floor=QColor("#ece5d9"),
            floor_line=QColor("#cbbfad"),
            far=QColor("#9ab1c7"),
            body=QColor("#4f7396"),
            near=QColor("#24405e"),
            hair=QColor("#1c2a38"),
            highlight=QColor(255, 99, 71, 120),
            arrow=QColor("#e0533a"),
            mat=QColor("#8fc2ae"),
            wall=QColor("#e4ddd2"),
            prop=QColor("#c9a67a"),
            prop_dark=QColor("#977652"),
            soft=QColor("#9dbfdc"),
            strap=QColor("#e3a13b"),
        )

    @classmethod
    def dark_default(cls) -> Palette:
        return cls(
            background=QColor("#1f2328"),
            floor=QColor("#2a3038"),
            floor_line=QColor("#434c57"),
            far=QColor("#5f7c98"),
            body=QColor("#93b3d1"),
            near=QColor("#dbe8f5"),
            hair=QColor("#f1f5f9"),
            highlight=QColor(255, 122, 92, 130),
            arrow=QColor("#ff8a6b"),
            mat=QColor("#2f5a4b"),
            wall=QColor("#2c323a"),
            prop=QColor("#8d6f4e"),
            prop_dark=QColor("#6b543b"),
            soft=QColor("#3f6182"),
            strap=QColor("#d89a3a"),
            dark=True,
        )

    @classmethod
    def from_qpalette(cls, palette: QPalette) -> Palette:
        """Colours matching an application palette: its window colour and accent."""
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        dark = window.lightness() < 128
        base = cls.dark_default() if dark else cls.light()
        near = _mix(text, accent, 0.35)
        highlight = QColor(accent)
        highlight.setAlpha(130)
        return cls(
            background=window,
            floor=_mix(window, text, 0.07),
            floor_line=_mix(window, text, 0.22),
            far=_mix(window, near, 0.38),
            body=_mix(window, near, 0.72),
            near=near,
            hair=_mix(text, window, 0.1),
            highlight=highlight,
            arrow=base.arrow,
            mat=base.mat,
            wall=_mix(window, text, 0.1),
            prop=base.prop,
            prop_dark=base.prop_dark,
            soft=base.soft,
            strap=base.strap,
            dark=dark,
        )

    def tone(self, tone: Tone) -> QColor:
        return {
            Tone.PROP: self.prop,
            Tone.PROP_DARK: self.prop_dark,
            Tone.SOFT: self.soft,
            Tone.WALL: self.wall,
            Tone.STRAP: self.strap,
            Tone.WARM: QColor("#e8734a"),
            Tone.COOL: QColor("#7cc4e8"),
        }[tone]


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


@dataclass(frozen=True, slots=True)
class Framing:
    """The square of the world (cm) a picture shows: left, bottom and side."""

    left: float
    bottom: float
    size: float


#: Space kept clear round a picture's content, as a fraction of the picture's side.
MARGIN = 0.05
#: The band of floor under the floor line: at least, and at most, this fraction of the
#: picture. A low pose (lying down) is lifted towards the middle of the picture, up to
#: the most, so it does not sit on the bottom edge under an empty sky.
FLOOR_BAND = 0.06
FLOOR_BAND_MOST = 0.26
#: How far (cm) an arrow's head reaches past the end of its shaft.
_ARROW_HEAD = 5.0


def content_bounds(scene: Scene) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of what a picture must show: figure, props and arrow.

    Backdrops that only set the scene (the mat running under the body, the wall
    behind a figure seen from the front) may run off the picture's edges, so
    they do not widen it.
    """
    left, bottom, right, top = scene.figure.bounds()
    front = scene.figure.view is View.FRONT
    for prop in scene.props:
        kind = prop.placement.prop
        if kind == "mat" or (kind == "wall" and front):
            continue
        p_left, p_bottom, p_right, p_top = prop.bounds
        left, bottom = min(left, p_left), min(bottom, p_bottom)
        right, top = max(right, p_right), max(top, p_top)
    for x, y in scene.arrow or ():
        left, right = min(left, x - _ARROW_HEAD), max(right, x + _ARROW_HEAD)
        bottom, top = min(bottom, y - _ARROW_HEAD), max(top, y + _ARROW_HEAD)
    return left, min(bottom, 0.0), right, top


def _fit_size(width: float, height: float) -> float:
    """The side of the smallest window that holds ``width`` x ``height`` of content."""
    return max(
        MIN_WINDOW,
        width / (1.0 - 2.0 * MARGIN),
        height / (1.0 - MARGIN - FLOOR_BAND),
    )


def _floor_band(size: float, height: float) -> float:
    """How much floor (cm) to show under content ``height`` tall in a window ``size`` wide.

    The spare height is shared between the floor band and the sky, so a
    low pose sits nearer the middle; the band stays within its bounds.
    """
    spare = size * (1.0 - MARGIN - FLOOR_BAND) - height
    band = size * FLOOR_BAND + max(0.0, spare) / 2.0
    return min(band, size * FLOOR_BAND_MOST)


def framing_for(scenes: Sequence[Scene] | Scene) -> Framing:
    """A square window round one scene, or round all frames of an animation.

    The content (:func:`content_bounds`) fills the window up to a thin
    :data:`MARGIN`, centred across, above a band of floor; the window is at
    least :data:`MIN_WINDOW` cm so a small pose keeps a sensible scale. One
    framing for every frame of an animation keeps the figure from jumping.
    """
    items = [scenes] if isinstance(scenes, Scene) else list(scenes)
    boxes = [content_bounds(s) for s in items]
    left = min(b[0] for b in boxes)
    right = max(b[2] for b in boxes)
    top = max(b[3] for b in boxes)
    bottom = min(b[1] for b in boxes)
    size = _fit_size(right - left, top - bottom)
    band = _floor_band(size, top - bottom)
    return Framing((left + right) / 2 - size / 2, bottom - band, size)


def step_framings(scenes: Sequence[Scene]) -> list[Framing]:
    """Framings for the still pictures of one stretch's steps, side by side.

    They share one scale and one floor line, so the steps compare at a
    glance, and each is centred across on its own figure (a figure that
    walks its hands forward is not pushed to the edge). The scale is the one
    that fits the widest or tallest step.
    """
    if not scenes:
        return []
    boxes = [content_bounds(s) for s in scenes]
    bottom = min(b[1] for b in boxes)
    height = max(b[3] for b in boxes) - bottom
    size = max(_fit_size(b[2] - b[0], height) for b in boxes)
    band = _floor_band(size, height)
    return [Framing((b[0] + b[2]) / 2 - size / 2, bottom - band, size) for b in boxes]


def world_transform(framing: Framing, target: QRectF) -> QTransform:
    """Maps centimetres (y up) into ``target`` (pixels, y down), centred and uniform."""
    side = min(target.width(), target.height())
    scale = side / framing.size
    ox = target.left() + (target.width() - side) / 2
    oy = target.top() + (target.height() - side) / 2 + side
    return QTransform(
        scale, 0.0, 0.0, -scale, ox - framing.left * scale, oy + framing.bottom * scale
    )


def _poly(points: Sequence[Point]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def _pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def paint_scene(
    painter: QPainter,
    scene: Scene,
    target: QRectF,
    palette: Palette | None = None,
    framing: Framing | None = None,
    background: bool = True,
) -> None:
    """Draw ``scene`` into ``target`` (antialiased), with the floor, props and figure."""
    _paint_scene(painter, scene, target, palette, framing, background)


def _paint_scene(
    painter: QPainter,
    scene: Scene,
    target: QRectF,
    palette: Palette | None,
    framing: Framing | None,
    background: bool,
) -> None:
    pal = palette or Palette.light()
    frame = framing or framing_for(scene)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setClipRect(target)
    if background:
        painter.fillRect(target, pal.background)
    painter.setWorldTransform(world_transform(frame, target), True)
    left = frame.left
    right = frame.left + frame.size
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(pal.floor)
    painter.drawRect(QRectF(left, frame.bottom - 1.0, frame.size, -frame.bottom + 1.0))
    painter.setPen(_pen(pal.floor_line, 0.8))
    painter.drawLine(QPointF(left, 0.0), QPointF(right, 0.0))

    for prop in scene.props:
        for shape in prop.shapes:
            if not shape.front:
                _draw_primitive(painter, shape, pal)
    _draw_figure(painter, scene.figure.parts, pal)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for band in scene.highlights:
        painter.setPen(_pen(pal.highlight, band.width))
        if len(band.points) == 1 or band.points[0] == band.points[-1]:
            painter.drawPoint(QPointF(*band.points[0]))
        else:
            painter.drawPolyline(_poly(band.points))
    # props held on or laid over the body (a strap, a heat pack) stay visible
    # over the glow of the stretched area
    for prop in scene.props:
        for shape in prop.shapes:
            if shape.front:
                _draw_primitive(painter, shape, pal)
    if scene.arrow:
        _draw_arrow(painter, scene.arrow, pal)
    painter.restore()


def _draw_primitive(painter: QPainter, shape: Primitive, pal: Palette) -> None:
    color = pal.tone(shape.tone)
    if shape.kind == "polyline":
        painter.setPen(_pen(color, shape.size))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(_poly(shape.points))
        return
    if shape.kind == "polygon":
        painter.setPen(_pen(color, shape.size))
        painter.setBrush(color)
        painter.drawPolygon(_poly(shape.points))
        return
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    if shape.kind == "circle":
        (cx, cy), r = shape.points[0], shape.size
        painter.drawEllipse(QPointF(cx, cy), r, r)
    else:
        (x0, y0), (x1, y1) = shape.points
        painter.drawRoundedRect(QRectF(x0, y0, x1 - x0, y1 - y0), shape.size, shape.size)


_GAP = 1.4  # cm of background colour round near limbs, so they stand out from the body


_LIMB = {
    "thigh": "leg",
    "shin": "leg",
    "foot": "leg",
    "upper-arm": "arm",
    "forearm": "arm",
    "hand": "arm",
}


def _group(part: Part) -> str:
    side, _, rest = part.name.partition("-")
    limb = _LIMB.get(rest)
    return f"{side}-{limb}" if limb else part.name


def _draw_figure(painter: QPainter, parts: Sequence[Part], pal: Palette) -> None:
    colours = {Layer.FAR: pal.far, Layer.BODY: pal.body, Layer.NEAR: pal.near}
    i = 0
    while i < len(parts):
        group = _group(parts[i])
        j = i
        while j < len(parts) and _group(parts[j]) == group:
            j += 1
        run = parts[i:j]
        if run[0].layer is Layer.NEAR:
            # a thin edge of background colour round the whole limb, so it reads
            # in front of the body without outlining each joint
            for part in run:
                _draw_part(painter, part, pal.background, 2 * _GAP)
        for part in run:
            color = pal.hair if part.name == "hair" else colours[part.layer]
            _draw_part(painter, part, color, 0.0)
        i = j


def _draw_part(painter: QPainter, part: Part, color: QColor, grow: float) -> None:
    if part.shape is Shape.STROKE:
        painter.setPen(_pen(color, part.width + grow))
        painter.drawPolyline(_poly(part.points))
    elif part.shape is Shape.CIRCLE:
        painter.setPen(_pen(color, grow) if grow else Qt.PenStyle.NoPen)
        painter.setBrush(color)
        r = part.width / 2
        painter.drawEllipse(QPointF(*part.points[0]), r, r)
    else:
        painter.setPen(_pen(color, part.width + grow))
        painter.setBrush(color)
        painter.drawPolygon(_poly(part.points))


def _draw_arrow(painter: QPainter, points: Sequence[Point], pal: Palette) -> None:
    (x0, y0), (x1, y1) = points[-2], points[-1]
    head = 6.5
    dx, dy = x1 - x0, y1 - y0
    length = max(1e-6, (dx * dx + dy * dy) ** 0.5)
    ux, uy = dx / length, dy / length
    tip = (x1 + ux * head * 0.6, y1 + uy * head * 0.6)
    base = (x1 - ux * head * 0.4, y1 - uy * head * 0.4)
    wing = (-uy * head * 0.6, ux * head * 0.6)
    painter.setPen(_pen(pal.arrow, 2.4))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolyline(_poly(points))
    painter.setPen(_pen(pal.arrow, 1.2))
    painter.setBrush(pal.arrow)
    painter.drawPolygon(
        _poly([tip, (base[0] + wing[0], base[1] + wing[1]), (base[0] - wing[0], base[1] - wing[1])])
    )


# --- export ----------------------------------------------------------------------------


def render_image(
    scene: Scene,
    size: int | QSize = 400,
    palette: Palette | None = None,
    framing: Framing | None = None,
) -> QImage:
    """The scene as a square (or ``QSize``) ARGB image."""
    qsize = size if isinstance(size, QSize) else QSize(size, size)
    image = QImage(qsize, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    paint_scene(painter, scene, QRectF(0, 0, qsize.width(), qsize.height()), palette, framing)
    painter.end()
    return image


def write_png(scene: Scene, path: Path, size: int = 400, palette: Palette | None = None) -> None:
    """Write the scene as a PNG file."""
    image = render_image(scene, size, palette)
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


def svg_bytes(
    scene: Scene,
    size: int = 400,
    palette: Palette | None = None,
    title: str = "",
    framing: Framing | None = None,
) -> bytes:
    """The scene as an SVG document."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(size, size))
    generator.setViewBox(QRectF(0, 0, size, size))
    if title:
        generator.setTitle(title)
    painter = QPainter(generator)
    paint_scene(painter, scene, QRectF(0, 0, size, size), palette, framing)
    painter.end()
    buffer.close()
    data: QByteArray = buffer.data()
    return bytes(data.data())


def write_svg(
    scene: Scene,
    path: Path,
    size: int = 400,
    palette: Palette | None = None,
    title: str = "",
    framing: Framing | None = None,
) -> None:
    """Write the scene as an SVG file."""
    path.write_bytes(svg_bytes(scene, size, palette, title, framing))


__all__ = [
    "Framing",
    "Palette",
    "content_bounds",
    "framing_for",
    "paint_scene",
    "render_image",
    "step_framings",
    "svg_bytes",
    "world_transform",
    "write_png",
    "write_svg",
]
