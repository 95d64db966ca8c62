"""The tray icon's drawing: the progress ring, the icon sheet, timers set by value."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage

from stretchdesk.ui.break_clock import PRECISE_TIMER, BreakClock
from stretchdesk.ui.tray import (
    ICON_SIZES,
    SHEET_STATES,
    STEPS,
    TrayActions,
    icon_sheet,
    icons_from_sheet,
    tray_pixmap,
)


@pytest.mark.parametrize("dark", [False, True])
def test_the_icon_sheet_holds_every_icon_as_drawn(qapp, dark: bool) -> None:
    icons = icons_from_sheet(icon_sheet(dark))
    assert icons is not None and set(icons) == set(SHEET_STATES)
    for step, dim in SHEET_STATES:
        for size in ICON_SIZES:
            cut = icons[(step, dim)].pixmap(size, size).toImage()
            drawn = tray_pixmap(size, step, dark=dark, dim=dim).toImage()
            cut = cut.convertToFormat(drawn.format())
            assert cut == drawn, (step, dim, size)


def test_a_sheet_of_the_wrong_size_is_not_used(qapp) -> None:
    assert icons_from_sheet(QImage()) is None
    assert icons_from_sheet(QImage(10, 10, QImage.Format.Format_ARGB32)) is None


def _ring_pixel(image: QImage, size: int, clock_hour: float) -> int:
    """The alpha on the ring at a clock position (12 = top)."""
    import math

    width = max(1.5, size / 11)
    radius = (size - width) / 2
    angle = math.radians(90 - clock_hour * 30)
    x = size / 2 + radius * math.cos(angle)
    y = size / 2 - radius * math.sin(angle)
    return image.pixelColor(int(x), int(y))


def _near(color, expected: str) -> bool:
    from PySide6.QtGui import QColor

    want = QColor(expected)
    return all(abs(a - b) <= 4 for a, b in zip(color.getRgb()[:3], want.getRgb()[:3], strict=True))


@pytest.mark.parametrize("size", [22, 64])
def test_the_ring_fills_clockwise_from_the_top(qapp, size: int) -> None:
    image = tray_pixmap(size, STEPS // 4, dark=False).toImage()  # a quarter: 12 to 3 o'clock
    filled = _ring_pixel(image, size, 1.5)
    empty = _ring_pixel(image, size, 7.5)
    assert _near(filled, "#2f7d6d") and filled.alpha() > 200
    assert empty.alpha() < 100  # only the faint track
    full = tray_pixmap(size, STEPS, dark=True).toImage()
    for hour in (1, 4, 7, 10):
        assert _near(_ring_pixel(full, size, hour), "#5fb8a3")


def test_no_ring_when_dimmed_without_a_step(qapp) -> None:
    image = tray_pixmap(32, None, dark=False, dim=True).toImage()
    assert _ring_pixel(image, 32, 3).alpha() == 0


def test_timers_and_shortcuts_set_by_value_are_what_they_mean(qapp) -> None:
    timer = QTimer()
    timer.setProperty("timerType", PRECISE_TIMER)
    assert timer.timerType() is Qt.TimerType.PreciseTimer
    actions = TrayActions()
    assert actions.quit.shortcutContext() is Qt.ShortcutContext.ApplicationShortcut
    from stretchdesk.core.scheduler import SchedulerConfig

    clock = BreakClock(SchedulerConfig())
    assert clock._timer.timerType() is Qt.TimerType.PreciseTimer
