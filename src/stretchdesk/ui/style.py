"""Small colour helpers shared by the browser's widgets: muted text, warnings, mixing."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """The colour ``t`` of the way from ``a`` to ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def set_muted(widget: QWidget, amount: float = 0.6) -> None:
    """Draw ``widget``'s text in the muted colour of its palette (for secondary text)."""
    palette = widget.palette()
    colour = muted(palette, amount)
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    palette.setColor(QPalette.ColorRole.Text, colour)
    widget.setPalette(palette)


def warning_colour(palette: QPalette) -> QColor:
    """A warm colour for "take care", readable on the palette's window colour."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#f2a065") if dark else QColor("#a8471c")


def muted(palette: QPalette, amount: float = 0.55) -> QColor:
    """Text colour between the window and its text, for secondary text."""
    window = palette.color(QPalette.ColorRole.Window)
    return mix(window, palette.color(QPalette.ColorRole.WindowText), amount)
