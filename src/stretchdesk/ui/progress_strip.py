"""The routine at a glance: one block per stretch, filled as the session goes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class ProgressStrip(QWidget):
    """Stretch names in blocks as wide as each stretch takes; the current one stands out.

    Emits no signals.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._weights: list[float] = []
        self._current = 0
        self._fraction = 0.0  # of the whole routine
        self.setAutoFillBackground(True)  # opaque: the page behind is not repainted with it
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Routine progress")

    def sizeHint(self) -> QSize:
        return QSize(600, self.fontMetrics().height() * 2 + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.fontMetrics().height() * 2 + 8)

    def set_items(self, names: Sequence[str], seconds: Sequence[float]) -> None:
        self._names = list(names)
        total = sum(seconds) or 1.0
        self._weights = [max(s, 0.0) / total for s in seconds]
        self._current, self._fraction = -1, 0.0  # the next set_progress() describes it
        self.update()

    def set_progress(self, current: int, fraction: float) -> None:
        """Stretch ``current`` is on, ``fraction`` of the routine done; repaints if visible."""
        fraction = min(max(fraction, 0.0), 1.0)
        width = max(self.width(), 1)
        if (current, round(fraction * width)) == (self._current, round(self._fraction * width)):
            return
        changed = current != self._current
        self._current, self._fraction = current, fraction
        if changed and 0 <= current < len(self._names):
            self.setAccessibleDescription(
                f"Stretch {current + 1} of {len(self._names)}: {self._names[current]}"
            )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._names:
            return
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        accent = pal.color(QPalette.ColorRole.Highlight)
        track = QColor(text)
        track.setAlphaF(0.08)
        done = QColor(accent)
        done.setAlphaF(0.35)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        gap = 4.0
        width = self.width() - gap * (len(self._names) - 1)
        height = float(self.height())
        x = 0.0
        filled_to = self._fraction * width
        consumed = 0.0
        font = QFont(self.font())
        for i, (name, weight) in enumerate(zip(self._names, self._weights, strict=True)):
            w = max(weight * width, 6.0)
            block = QRectF(x, 0, w, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(block, 6, 6)
            part = min(max(filled_to - consumed, 0.0), w)
            if part > 0:
                painter.setBrush(done)
                painter.drawRoundedRect(QRectF(x, 0, part, height), 6, 6)
            if i == self._current:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(accent)
                painter.drawRoundedRect(block.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
            font.setBold(i == self._current)
            painter.setFont(font)
            painter.setPen(text)
            label = painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, int(w) - 8)
            painter.drawText(block.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignCenter, label)
            x += w + gap
            consumed += w
        painter.end()
