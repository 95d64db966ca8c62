"""A soft disc that swells on the in-breath and eases back on the out-breath."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QRadialGradient
from PySide6.QtWidgets import QSizePolicy, QWidget


class BreathingPacer(QWidget):
    """Shows how full the lungs should be (0..1) and the words "breathe in/out".

    Emits no signals.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill = 0.0
        self._breathing_in = True
        self.setAutoFillBackground(True)  # opaque: the page behind is not repainted with it
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(110, 110)
        self.setAccessibleName("Breathing pace")
        self.setAccessibleDescription(self.words)

    def sizeHint(self) -> QSize:
        return QSize(180, 180)

    @property
    def words(self) -> str:
        return "breathe in" if self._breathing_in else "breathe out"

    def set_breath(self, breathing_in: bool, fill: float) -> None:
        """Show the lungs ``fill`` full (0..1); repaints only when that visibly changed."""
        fill = min(max(fill, 0.0), 1.0)
        if (breathing_in, round(fill * 100)) == (self._breathing_in, round(self._fill * 100)):
            return
        if breathing_in != self._breathing_in:
            self.setAccessibleDescription("breathe in" if breathing_in else "breathe out")
        self._breathing_in, self._fill = breathing_in, fill
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height())
        centre = QPointF(self.width() / 2, self.height() / 2)
        pal = self.palette()
        accent = QColor(pal.color(QPalette.ColorRole.Highlight))
        text_color = pal.color(QPalette.ColorRole.WindowText)
        eased = self._fill * self._fill * (3 - 2 * self._fill)
        radius = side * (0.22 + 0.26 * eased)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        outline = QColor(accent)
        outline.setAlphaF(0.35)
        painter.setPen(outline)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, side * 0.48, side * 0.48)
        gradient = QRadialGradient(centre, radius)
        inner = QColor(accent)
        inner.setAlphaF(0.55)
        outer = QColor(accent)
        outer.setAlphaF(0.18)
        gradient.setColorAt(0.0, inner)
        gradient.setColorAt(1.0, outer)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawEllipse(centre, radius, radius)
        font = QFont(self.font())
        font.setPixelSize(max(11, round(side * 0.09)))
        painter.setFont(font)
        painter.setPen(text_color)
        painter.drawText(
            QRectF(0, 0, self.width(), self.height()), Qt.AlignmentFlag.AlignCenter, self.words
        )
        painter.end()
