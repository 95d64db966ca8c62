"""A ring that empties as a hold runs down, with the seconds left in the middle.

It repaints only when what it shows changes by a visible amount: the number,
the caption, the colour, or the arc by at least :data:`ARC_STEP_DEGREES`.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

#: The arc is redrawn when it has moved by this much.
ARC_STEP_DEGREES = 1.0


class CountdownRing(QWidget):
    """Shows ``fraction`` (0..1 left) as an arc, a big ``text`` and a small ``caption``.

    Emits no signals.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 1.0
        self._text = ""
        self._caption = ""
        self._urgent = False
        self._shown: tuple[int, str, str, bool] | None = None
        self._track_pixmap: QPixmap | None = None
        self._track_key: tuple[int, float, int] | None = None
        self.setAutoFillBackground(True)  # opaque: the page behind is not repainted with it
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(110, 110)
        self.setAccessibleName("Time left")

    def sizeHint(self) -> QSize:
        return QSize(180, 180)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def set_value(
        self, fraction: float, text: str, caption: str = "", urgent: bool = False
    ) -> None:
        """Update the ring; repaints only when something visible changed."""
        fraction = min(max(fraction, 0.0), 1.0)
        shown = (round(fraction * 360 / ARC_STEP_DEGREES), text, caption, urgent)
        if shown == self._shown:
            return
        if (text, caption) != (self._text, self._caption):
            self.setAccessibleDescription(f"{text} {caption}".strip())
        self._shown = shown
        self._fraction, self._text, self._caption, self._urgent = fraction, text, caption, urgent
        self.update()

    @property
    def text(self) -> str:
        return self._text

    def _track(self, side: int, pen_width: float) -> QPixmap:
        """The faint full circle under the arc, drawn once per size and palette."""
        ratio = self.devicePixelRatioF()
        key = (side, ratio, self.palette().cacheKey())
        if self._track_pixmap is None or key != self._track_key:
            pixmap = QPixmap(round(side * ratio), round(side * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            track = QColor(self.palette().color(QPalette.ColorRole.WindowText))
            track.setAlphaF(0.12)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(track, pen_width))
            half = pen_width / 2
            painter.drawEllipse(QRectF(half, half, side - pen_width, side - pen_width))
            painter.end()
            self._track_pixmap, self._track_key = pixmap, key
        return self._track_pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height())
        pen_width = max(6.0, side * 0.07)
        left, top = (self.width() - side) / 2, (self.height() - side) / 2
        rect = QRectF(left + pen_width / 2, top + pen_width / 2, side - pen_width, side - pen_width)
        pal = self.palette()
        text_color = pal.color(QPalette.ColorRole.WindowText)
        accent = QColor("#e0533a") if self._urgent else pal.color(QPalette.ColorRole.Highlight)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.drawPixmap(QPointF(left, top), self._track(side, pen_width))
        if self._fraction > 0:
            pen = QPen(accent, pen_width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawArc(rect, 90 * 16, round(self._fraction * 360 * 16))
        font = QFont(self.font())
        font.setPixelSize(max(12, round(side * (0.30 if len(self._text) <= 3 else 0.22))))
        font.setBold(True)
        room = side * 0.72  # the text stays inside the ring
        width = QFontMetricsF(font).horizontalAdvance(self._text)
        if width > room:
            font.setPixelSize(max(10, int(font.pixelSize() * room / width)))
        painter.setFont(font)
        painter.setPen(text_color)
        text_rect = QRectF(rect)
        if self._caption:
            text_rect.setBottom(rect.center().y() + side * 0.14)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, self._text)
        if self._caption:
            small = QFont(self.font())
            small.setPixelSize(max(10, round(side * 0.085)))
            painter.setFont(small)
            muted = QColor(text_color)
            muted.setAlphaF(0.7)
            painter.setPen(muted)
            cap = QRectF(rect.left(), rect.center().y() + side * 0.12, rect.width(), side * 0.14)
            painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, self._caption)
        painter.end()
