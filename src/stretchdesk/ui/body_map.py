"""The body map: a front and a back outline of a person, each body area clickable.

Every area of the taxonomy is drawn where it is on the body, on the front
view, the back view or both (:attr:`stretchdesk.core.model.Area.view`). A
click toggles an area; the chosen ones are filled with the accent colour,
the one under the mouse is lit, and each carries a badge with how many
stretches work it. With the keyboard, Tab reaches the map, the arrow keys
move between areas (to the nearest one in that direction), and Space or
Enter toggles the focused one; Escape clears the choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPaintEvent,
    QPalette,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from stretchdesk.core.model import Area
from stretchdesk.ui.style import mix

#: The outline is drawn in a box of this many units per figure.
FIGURE_WIDTH = 100.0
FIGURE_HEIGHT = 232.0
_GAP = 18.0  # units between the two figures
_LABEL = 16.0  # units above each figure for "Front" / "Back"

VIEWS = ("front", "back")


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(QPointF(cx, cy), rx, ry)
    return path


def _rounded(x: float, y: float, w: float, h: float, r: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(QRectF(x, y, w, h), r, r)
    return path


def _limb(points: Sequence[tuple[float, float]], width: float) -> QPainterPath:
    line = QPainterPath(QPointF(*points[0]))
    for x, y in points[1:]:
        line.lineTo(x, y)
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return stroker.createStroke(line)


def _mirrored(path: QPainterPath) -> QPainterPath:
    """``path`` reflected about the figure's centre line."""
    return QTransform(-1, 0, 0, 1, FIGURE_WIDTH, 0).map(path)


def _pair(path: QPainterPath) -> QPainterPath:
    both = QPainterPath(path)
    both.addPath(_mirrored(path))
    return both


def outline() -> QPainterPath:
    """A friendly, gender-neutral silhouette in figure units (the same front and back)."""
    torso = QPainterPath(QPointF(30, 41))
    torso.cubicTo(38, 36, 62, 36, 70, 41)  # shoulder line
    torso.cubicTo(73, 60, 67, 80, 66, 98)  # right flank to the waist
    torso.cubicTo(70, 108, 71, 118, 68, 126)  # right hip
    torso.lineTo(32, 126)
    torso.cubicTo(29, 118, 30, 108, 34, 98)  # left hip
    torso.cubicTo(33, 80, 27, 60, 30, 41)
    torso.closeSubpath()
    parts = [
        _ellipse(50, 15, 11.5, 13.5),
        _limb([(50, 24), (50, 40)], 13),
        torso,
        _limb([(30, 45), (24, 78), (20, 112)], 11),
        _limb([(70, 45), (76, 78), (80, 112)], 11),
        _ellipse(19.5, 118, 5, 6.5),
        _ellipse(80.5, 118, 5, 6.5),
        _limb([(41, 122), (41.5, 170), (42, 214)], 16),
        _limb([(59, 122), (58.5, 170), (58, 214)], 16),
        _rounded(33, 214, 13, 8, 4),
        _rounded(54, 214, 13, 8, 4),
    ]
    body = QPainterPath()
    body.setFillRule(Qt.FillRule.WindingFill)
    for part in parts:
        body = body.united(part)
    return body.simplified()


def _flank() -> QPainterPath:
    path = QPainterPath(QPointF(30.5, 60))
    path.cubicTo(29, 75, 33, 90, 34.5, 100)
    path.lineTo(39, 98)
    path.cubicTo(37, 86, 35, 72, 36.5, 58)
    path.closeSubpath()
    return _pair(path)


def region_shapes() -> dict[tuple[str, str], QPainterPath]:
    """Each area's shape on each view, in figure units, keyed by (view, area id).

    Larger shapes come first: a point in two shapes belongs to the later one.
    """
    neck = _rounded(44.5, 27, 11, 11, 4)
    shoulders = _pair(_ellipse(31.5, 44, 8, 6.5))
    hips = _pair(_ellipse(32.5, 113, 4.5, 8))
    return {
        ("front", "chest"): _rounded(37, 44, 26, 19, 8),
        ("front", "core"): _rounded(39.5, 67, 21, 32, 8),
        ("front", "side-body"): _flank(),
        ("front", "quads"): _pair(_ellipse(41.2, 150, 7, 19)),
        ("front", "hip-flexors"): _pair(
            QTransform().translate(43, 117).rotate(-35).map(_ellipse(0, 0, 7.5, 3.5))
        ),
        ("front", "hips"): hips,
        ("front", "shoulders"): shoulders,
        ("front", "neck"): neck,
        ("back", "upper-back"): _rounded(37, 43, 26, 27, 9),
        ("back", "lower-back"): _rounded(40, 76, 20, 21, 8),
        ("back", "side-body"): _flank(),
        ("back", "glutes"): _pair(_ellipse(43.5, 115, 7, 8.5)),
        ("back", "hamstrings"): _pair(_ellipse(41.2, 155, 7, 19)),
        ("back", "hips"): hips,
        ("back", "shoulders"): shoulders,
        ("back", "neck"): neck,
    }


def _badge_anchor(view: str, area_id: str, shape: QPainterPath) -> QPointF:
    """Where an area's count badge goes: beside its right-hand shape, clear of the others."""
    rect = shape.boundingRect()
    special = {
        "shoulders": QPointF(rect.right() + 4, rect.top() + 2),
        "hips": QPointF(rect.right() + 5, rect.center().y()),
        "side-body": QPointF(rect.right() + 6, rect.center().y() + 4),
        "neck": QPointF(rect.right() + 6, rect.top() + 2),
    }
    if area_id in special:
        return special[area_id]
    if area_id in ("quads", "hamstrings", "glutes", "hip-flexors"):
        return QPointF(rect.right() - 4, rect.center().y())
    return rect.center()


@dataclass(frozen=True, slots=True)
class Region:
    """One clickable area on one view."""

    view: str
    area: Area
    shape: QPainterPath  # figure units, within its own figure
    badge: QPointF


class BodyMap(QWidget):
    """Front and back outlines with the body areas to choose from.

    Signals: ``selection_changed(list)`` — the chosen area ids, in taxonomy
    order, after a click or a key changed them.
    """

    selection_changed = Signal(list)

    def __init__(self, areas: Iterable[Area], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._areas = tuple(areas)
        self._counts: dict[str, int] = {}
        self._selected: set[str] = set()
        self._hover: int | None = None
        self._focus = 0
        self._outline = outline()
        shapes = region_shapes()
        self.regions: list[Region] = []
        for (view, area_id), shape in shapes.items():
            area = next((a for a in self._areas if a.id == area_id), None)
            if area is None:
                continue
            if area.view not in (view, "both"):
                continue
            self.regions.append(Region(view, area, shape, _badge_anchor(view, area_id, shape)))
        self._keyboard_order = sorted(
            range(len(self.regions)),
            key=lambda i: (
                VIEWS.index(self.regions[i].view),
                self.regions[i].shape.boundingRect().center().y(),
            ),
        )
        self._focus = self._keyboard_order[0] if self.regions else 0
        self._keyboard = False  # the focus ring shows only while the keyboard is in use
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(200, 230)
        self.setAccessibleName("Body map")
        self._describe()

    # --- state -------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(300, 340)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        total = 2 * FIGURE_WIDTH + _GAP
        return int(width * (FIGURE_HEIGHT + _LABEL) / total) + self._caption_height()

    @property
    def area_ids(self) -> tuple[str, ...]:
        """The areas the map shows, in taxonomy order."""
        shown = {r.area.id for r in self.regions}
        return tuple(a.id for a in self._areas if a.id in shown)

    def selected(self) -> list[str]:
        """The chosen area ids, in taxonomy order."""
        return [a.id for a in self._areas if a.id in self._selected]

    def set_selected(self, area_ids: Iterable[str], *, notify: bool = False) -> None:
        chosen = set(area_ids) & {a.id for a in self._areas}
        if chosen == self._selected:
            return
        self._selected = chosen
        self._describe()
        self.update()
        if notify:
            self.selection_changed.emit(self.selected())

    def toggle(self, area_id: str) -> None:
        """Choose ``area_id`` or let it go, and say so."""
        self.set_selected(self._selected ^ {area_id}, notify=True)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """How many stretches each area has (its badge)."""
        self._counts = dict(counts)
        self._describe()
        self.update()

    @property
    def focused_area(self) -> str | None:
        return self.regions[self._focus].area.id if self.regions else None

    @property
    def hovered_area(self) -> str | None:
        return self.regions[self._hover].area.id if self._hover is not None else None

    # --- geometry ----------------------------------------------------------------------

    def _caption_height(self) -> int:
        return self.fontMetrics().height() * 2 + 10

    def _transform(self, view: str) -> QTransform:
        """Figure units of ``view`` to widget pixels."""
        total_w = 2 * FIGURE_WIDTH + _GAP
        total_h = FIGURE_HEIGHT + _LABEL
        area = QRectF(self.rect()).adjusted(6, 4, -6, -4 - self._caption_height())
        scale = max(0.1, min(area.width() / total_w, area.height() / total_h))
        left = area.center().x() - total_w * scale / 2
        top = area.top() + (area.height() - total_h * scale) / 2 + _LABEL * scale
        offset = 0.0 if view == "front" else FIGURE_WIDTH + _GAP
        return QTransform(scale, 0, 0, scale, left + offset * scale, top)

    def region_rect(self, area_id: str, view: str | None = None) -> QRectF:
        """Where an area is drawn, in widget pixels (on ``view``, or its first view)."""
        for region in self.regions:
            if region.area.id == area_id and (view is None or region.view == view):
                return self._transform(region.view).mapRect(region.shape.boundingRect())
        raise KeyError(area_id)

    def region_point(self, area_id: str, view: str | None = None) -> QPointF:
        """A point inside the area's shape, in widget pixels (for clicks in tests)."""
        for region in self.regions:
            if region.area.id == area_id and (view is None or region.view == view):
                transform = self._transform(region.view)
                rect = region.shape.boundingRect()
                for fx, fy in ((0.5, 0.5), (0.25, 0.5), (0.75, 0.5), (0.5, 0.3), (0.5, 0.7)):
                    p = QPointF(rect.left() + rect.width() * fx, rect.top() + rect.height() * fy)
                    if region.shape.contains(p) and self._region_at_units(region.view, p) is region:
                        return transform.map(p)
        raise KeyError(area_id)

    def _region_at_units(self, view: str, point: QPointF) -> Region | None:
        for region in reversed(self.regions):
            if region.view == view and region.shape.contains(point):
                return region
        return None

    def region_at(self, pos: QPointF) -> int | None:
        """The index of the region under ``pos`` (widget pixels), or ``None``."""
        for view in VIEWS:
            inverse, ok = self._transform(view).inverted()
            if not ok:
                continue
            found = self._region_at_units(view, inverse.map(pos))
            if found is not None:
                return self.regions.index(found)
        return None

    # --- painting ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        window = pal.color(QPalette.ColorRole.Window)
        text = pal.color(QPalette.ColorRole.WindowText)
        accent = pal.color(QPalette.ColorRole.Highlight)
        dark = window.lightness() < 128
        skin = mix(window, text, 0.10 if dark else 0.07)
        edge = mix(window, text, 0.35)
        label_font = QFont(self.font())
        label_font.setPointSizeF(self.font().pointSizeF() * 0.9)
        for view in VIEWS:
            transform = self._transform(view)
            painter.setPen(mix(window, text, 0.6))
            painter.setFont(label_font)
            head = transform.mapRect(QRectF(0, -_LABEL, FIGURE_WIDTH, _LABEL - 2))
            painter.drawText(
                head, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, view.title()
            )
            painter.setPen(QPen(edge, 1.2))
            painter.setBrush(skin)
            painter.drawPath(transform.map(self._outline))
            for index, region in enumerate(self.regions):
                if region.view == view:
                    self._paint_region(painter, transform, index, region, accent, window, text)
        for index, region in enumerate(self.regions):
            if self._is_first_view(index):
                self._paint_badge(painter, index, region, accent, window, text)
        self._paint_caption(painter, text, window)
        painter.end()

    def _is_first_view(self, index: int) -> bool:
        area_id = self.regions[index].area.id
        return next(i for i, r in enumerate(self.regions) if r.area.id == area_id) == index

    def _paint_region(
        self,
        painter: QPainter,
        transform: QTransform,
        index: int,
        region: Region,
        accent: QColor,
        window: QColor,
        text: QColor,
    ) -> None:
        area_id = region.area.id
        selected = area_id in self._selected
        hovered = self._hover is not None and self.regions[self._hover].area.id == area_id
        empty = self._counts.get(area_id, 1) == 0
        fill = QColor(accent)
        if selected:
            fill.setAlpha(215)
        elif hovered:
            fill.setAlpha(120)
        else:
            fill.setAlpha(25 if empty else 55)
        shape = transform.map(region.shape)
        line = QColor(accent)
        line.setAlpha(230 if selected or hovered else 110)
        painter.setPen(QPen(line, 1.0))
        painter.setBrush(fill)
        painter.drawPath(shape)
        if self.hasFocus() and self._keyboard and index == self._focus:
            ring = QPen(text, 1.6, Qt.PenStyle.DashLine)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(shape.boundingRect().adjusted(-3, -3, 3, 3), 4, 4)

    def _paint_badge(
        self,
        painter: QPainter,
        index: int,
        region: Region,
        accent: QColor,
        window: QColor,
        text: QColor,
    ) -> None:
        count = self._counts.get(region.area.id)
        if count is None:
            return
        transform = self._transform(region.view)
        centre = transform.map(region.badge)
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.78))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        label = str(count)
        w = max(metrics.horizontalAdvance(label) + 8, metrics.height() + 1)
        h = metrics.height() + 1
        rect = QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h)
        selected = region.area.id in self._selected
        painter.setPen(QPen(mix(accent, text, 0.2), 0.8))
        painter.setBrush(accent if selected else window)
        painter.drawRoundedRect(rect, h / 2, h / 2)
        on_accent = self.palette().color(QPalette.ColorRole.HighlightedText)
        painter.setPen(on_accent if selected else text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)

    def _paint_caption(self, painter: QPainter, text: QColor, window: QColor) -> None:
        rect = QRectF(self.rect()).adjusted(4, 0, -4, -2)
        rect.setTop(rect.bottom() - self._caption_height())
        painter.setFont(self.font())
        painter.setPen(mix(window, text, 0.75))
        painter.drawText(
            rect,
            Qt.AlignmentFlag.AlignHCenter
            | Qt.AlignmentFlag.AlignVCenter
            | Qt.TextFlag.TextWordWrap,
            self.caption(),
        )

    def caption(self) -> str:
        """The line under the figures: the area under the mouse, or what is chosen."""
        if self._hover is not None:
            area = self.regions[self._hover].area
            return self._area_text(area.id, area.name)
        if self._selected:
            names = [a.name for a in self._areas if a.id in self._selected]
            return "Showing: " + ", ".join(names)
        return "Tap where it feels tight"

    def _area_text(self, area_id: str, name: str) -> str:
        count = self._counts.get(area_id)
        if count is None:
            return name
        return f"{name} · {count} stretch{'es' * (count != 1)}"

    # --- input -------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hover = self.region_at(event.position())
        if hover != self._hover:
            self._hover = hover
            self.setCursor(
                Qt.CursorShape.PointingHandCursor
                if hover is not None
                else Qt.CursorShape.ArrowCursor
            )
            self.setToolTip(
                self._area_text(self.regions[hover].area.id, self.regions[hover].area.name)
                if hover is not None
                else ""
            )
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._keyboard = False
        if event.button() == Qt.MouseButton.LeftButton:
            index = self.region_at(event.position())
            if index is not None:
                self._focus = index
                self.toggle(self.regions[index].area.id)
                event.accept()
                return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        self._keyboard = True
        directions = {
            Qt.Key.Key_Left: (-1.0, 0.0),
            Qt.Key.Key_Right: (1.0, 0.0),
            Qt.Key.Key_Up: (0.0, -1.0),
            Qt.Key.Key_Down: (0.0, 1.0),
        }
        if key in directions and self.regions:
            self._move_focus(*directions[Qt.Key(key)])
            event.accept()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.regions:
            self.toggle(self.regions[self._focus].area.id)
            event.accept()
        elif key == Qt.Key.Key_Escape and self._selected:
            self.set_selected((), notify=True)
            event.accept()
        else:
            super().keyPressEvent(event)

    def _centre(self, index: int) -> QPointF:
        region = self.regions[index]
        return self._transform(region.view).map(region.shape.boundingRect().center())

    def _move_focus(self, dx: float, dy: float) -> None:
        here = self._centre(self._focus)
        best: tuple[float, int] | None = None
        for index in range(len(self.regions)):
            if index == self._focus:
                continue
            there = self._centre(index)
            vx, vy = there.x() - here.x(), there.y() - here.y()
            along = vx * dx + vy * dy
            if along <= 1.0:
                continue
            across = abs(vx * dy - vy * dx)
            score = along + 2.5 * across
            if best is None or score < best[0]:
                best = (score, index)
        if best is None:  # nothing further that way: wrap round in reading order
            order = self._keyboard_order
            step = 1 if dx + dy > 0 else -1
            best = (0.0, order[(order.index(self._focus) + step) % len(order)])
        self._focus = best[1]
        self._describe()
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._keyboard = event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        )
        self._describe()
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def _describe(self) -> None:
        """Keep the accessible description on the focused area and its state."""
        if not self.regions:
            return
        area = self.regions[self._focus].area
        state = "chosen" if area.id in self._selected else "not chosen"
        self.setAccessibleDescription(
            f"{self._area_text(area.id, area.name)}, {state}. "
            "Arrow keys move between areas; Space chooses."
        )
