"""A ring that empties as a hold runs down, with the seconds left in the middle."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


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
        state = (round(fraction * 720), text, caption, urgent)
        if state == (round(self._fraction * 720), self._text, self._caption, self._urgent):
            return
        self._fraction, self._text, self._caption, self._urgent = fraction, text, caption, urgent
        self.setAccessibleDescription(f"{text} {caption}".strip())
        self.update()

    @property
    def text(self) -> str:
        return self._text

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height())
        pen_width = max(6.0, side * 0.07)
        rect = QRectF(
            (self.width() - side) / 2 + pen_width / 2,
            (self.height() - side) / 2 + pen_width / 2,
            side - pen_width,
            side - pen_width,
        )
        pal = self.palette()
        text_color = pal.color(QPalette.ColorRole.WindowText)
        accent = QColor("#e0533a") if self._urgent else pal.color(QPalette.ColorRole.Highlight)
        track = QColor(text_color)
        track.setAlphaF(0.12)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(track, pen_width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawEllipse(rect)
        if self._fraction > 0:
            pen.setColor(accent)
            painter.setPen(pen)
            painter.drawArc(rect, 90 * 16, round(self._fraction * 360 * 16))
        font = QFont(self.font())
        font.setPixelSize(max(12, round(side * (0.30 if len(self._text) <= 3 else 0.22))))
        font.setBold(True)
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
