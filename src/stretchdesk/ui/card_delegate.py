"""How a stretch looks in a list: a card with its picture, name, areas and duration."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from stretchdesk.core.model import Stretch
from stretchdesk.ui.stretch_model import AreasRole, DurationRole, StretchRole
from stretchdesk.ui.style import mix, muted
from stretchdesk.ui.thumbnails import ThumbnailCache

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class _Fonts:
    title: QFont
    small: QFont
    title_metrics: QFontMetrics
    small_metrics: QFontMetrics


class StretchCardDelegate(QStyledItemDelegate):
    """Paints one card per stretch; pictures come from a :class:`ThumbnailCache`.

    ``compact`` cards (for the routine builder's picker) are lower, with a
    smaller picture. A card without its picture yet shows a blank square; the
    view repaints when the cache says pictures are ready.
    """

    def __init__(self, thumbnails: ThumbnailCache, parent=None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails
        self.compact = compact
        self.picture_size = 48 if compact else 72
        self.margin = 4 if compact else 6
        self._fonts: dict[str, _Fonts] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(180, self.picture_size + 2 * self.margin + (8 if self.compact else 12))

    def _fonts_for(self, font: QFont) -> _Fonts:
        key = font.key()
        fonts = self._fonts.get(key)
        if fonts is None:
            title = QFont(font)
            title.setBold(True)
            if not self.compact:
                title.setPointSizeF(font.pointSizeF() * 1.08)
            small = QFont(font)
            small.setPointSizeF(font.pointSizeF() * 0.92)
            fonts = _Fonts(title, small, QFontMetrics(title), QFontMetrics(small))
            self._fonts[key] = fonts
        return fonts

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        stretch: Stretch | None = index.data(StretchRole)
        if stretch is None:
            return
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        fonts = self._fonts_for(option.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        card = QRectF(option.rect).adjusted(
            self.margin, self.margin / 2, -self.margin, -self.margin / 2
        )
        base = palette.color(QPalette.ColorRole.Base)
        accent = palette.color(QPalette.ColorRole.Highlight)
        fill = base
        if selected:
            fill = mix(base, accent, 0.16)
        elif hovered:
            fill = mix(base, accent, 0.07)
        border = accent if selected or focused else mix(base, muted(palette), 0.35)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(card, 10, 10)

        inner = card.adjusted(6, 6, -8, -6)
        size = self.picture_size
        if option.rect.width() < 250:  # a narrow list: a smaller picture, more room for words
            size = size * 3 // 4
        picture = QRect(int(inner.left()), int(inner.center().y() - size / 2), size, size)
        pixmap = self.thumbnails.thumbnail(stretch, size, palette)
        if pixmap is not None:
            painter.drawPixmap(picture, pixmap)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Window))
            painter.drawRoundedRect(QRectF(picture), size / 9, size / 9)

        left = picture.right() + 12
        width = inner.right() - left
        title_h = fonts.title_metrics.height()
        small_h = fonts.small_metrics.height()
        top = inner.center().y() - (title_h + 4 + small_h) / 2
        duration = index.data(DurationRole) or ""
        duration_w = fonts.small_metrics.horizontalAdvance(duration) + 12
        title = fonts.title_metrics.elidedText(
            stretch.name, Qt.TextElideMode.ElideRight, int(width)
        )
        align = Qt.AlignmentFlag.AlignVCenter
        painter.setFont(fonts.title)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            QRectF(left, top, width, title_h), Qt.AlignmentFlag.AlignLeft | align, title
        )
        painter.setFont(fonts.small)
        painter.setPen(muted(palette))
        second = QRectF(left, top + title_h + 4, width, small_h)
        painter.drawText(second, Qt.AlignmentFlag.AlignRight | align, duration)
        areas = fonts.small_metrics.elidedText(
            index.data(AreasRole) or "", Qt.TextElideMode.ElideRight, int(width - duration_w)
        )
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | align, areas)
        painter.restore()
