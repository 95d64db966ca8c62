"""Text and controls that grow with the window, for the player's pages.

A person on a mat reads the screen from two metres away, so the player's
pages size their text from the window rather than from the desktop's font:
at 800x600 (logical pixels) the sizes are as written, and they grow in
proportion up to a 4K screen.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

#: The window size the written pixel sizes are meant for.
BASE_WIDTH = 800.0
BASE_HEIGHT = 600.0
#: Text is never drawn smaller than this many pixels.
MIN_PIXELS = 10


def window_unit(widget: QWidget) -> float:
    """How many times larger than 800x600 ``widget`` is (at least 2/3)."""
    return min(max(widget.height(), 400) / BASE_HEIGHT, max(widget.width(), 600) / BASE_WIDTH)


def set_pixel_font(
    widget: QWidget, base: QFont, px: float, unit: float, bold: bool = False
) -> None:
    """Give ``widget`` ``base`` at ``px`` pixels times ``unit`` (unless it has it already)."""
    font = QFont(base)
    font.setPixelSize(max(MIN_PIXELS, round(px * unit)))
    font.setBold(bold)
    if font != widget.font():
        widget.setFont(font)


def column_margins(width: int, column: float, least: int) -> int:
    """Side margins that centre a column ``column`` pixels wide (at least ``least`` each)."""
    return max(least, round((width - column) / 2))
