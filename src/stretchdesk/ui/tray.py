"""The tray icon: progress towards the next break, and the reminders' menu.

The icon is the StretchDesk glyph (``assets/icons/tray-light.svg`` for light
panels, ``tray-dark.svg`` for dark ones) with a ring around it that fills up
as the next break comes closer. It is redrawn only when the ring would change
by a visible step (:data:`STEPS` per interval) or the state changes, and the
tooltip ("Next break in 12 min") when its minute changes: one single-shot
timer set to the nearest of those moments, and none while the countdown stands
still (away, paused, outside working hours).

All the tray's actions are made in :class:`TrayActions`; the menu and the
main window reuse them.

The tray-only resident process (``ui/resident.py``) must stay small, and the
first use of Qt's enum namespace (``Qt.…``, also reached through overloads
such as ``QPainter.setPen``) costs a process 1.3 MB. So it does not draw: the
full app draws every icon the tray can show onto one *icon sheet*
(:func:`icon_sheet`, a PNG in the cache folder) before it hands over, and the
resident cuts its icons from that (:func:`icons_from_sheet`). What the
resident does run here sets enum-typed properties by value (``setProperty``)
and avoids overloads that take a ``Qt`` enum.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QRectF, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from stretchdesk import APP_NAME, resources
from stretchdesk.core.scheduler import State
from stretchdesk.ui.break_clock import PRECISE_TIMER

if TYPE_CHECKING:
    from stretchdesk.ui.break_clock import BreakClock


class RoutineEntry(Protocol):
    """What the "Start routine" menu needs of a routine (a full one, or its name alone)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


STEPS = 12
"""The ring moves in twelfths of the interval: one redraw every 2.5 min of a 30 min interval."""

ICON_SIZES = (16, 22, 24, 32, 48, 64)
PAUSES = (("30 minutes", 30 * 60.0), ("1 hour", 60 * 60.0), ("2 hours", 2 * 60 * 60.0))

_ACCENT = {False: "#2f7d6d", True: "#5fb8a3"}  # light panel, dark panel


APPLICATION_SHORTCUT = 2
"""``Qt::ApplicationShortcut``, for ``setProperty("shortcutContext", ...)``."""

SHEET_STATES: tuple[tuple[int | None, bool], ...] = (
    (None, True),
    *((step, False) for step in range(STEPS + 1)),
)
"""Every ``(step, dim)`` the icon shows: dimmed without a ring, or a ring of 0 to 12 twelfths."""


@cache
def _glyph(dark: bool):
    from PySide6.QtSvg import QSvgRenderer  # the full app only: the resident uses the sheet

    name = "tray-dark.svg" if dark else "tray-light.svg"
    return QSvgRenderer(str(resources.asset_file(f"icons/{name}")))


def panel_is_dark() -> bool:
    """Whether the desktop looks dark (the tray's panel then likely is too)."""
    from PySide6.QtCore import Qt

    hints = QGuiApplication.styleHints()
    if hints.colorScheme() is Qt.ColorScheme.Dark:
        return True
    if hints.colorScheme() is Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().window().color().lightness() < 128


def tray_pixmap(size: int, step: int | None, *, dark: bool, dim: bool = False) -> QPixmap:
    """The glyph with a progress ring of ``step`` twelfths; ``None`` draws no ring."""
    from PySide6.QtCore import Qt

    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    width = max(1.5, size / 11)
    ring = QRectF(width / 2, width / 2, size - width, size - width)
    inset = width + size * 0.06
    if dim:
        painter.setOpacity(0.55)
    _glyph(dark).render(painter, QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    painter.setOpacity(1.0)
    if step is not None:
        track = QColor("#e6edf3" if dark else "#1f2a36")
        track.setAlpha(60)
        painter.setPen(QPen(track, width))
        painter.drawEllipse(ring)
        if step > 0:
            pen = QPen(QColor(_ACCENT[dark]), width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawArc(ring, 90 * 16, -round(360 * 16 * min(step, STEPS) / STEPS))
    painter.end()
    return pixmap


def icon_sheet(dark: bool) -> QImage:
    """Every icon the tray can show, one column per :data:`SHEET_STATES`, one row per size."""
    from PySide6.QtCore import QPoint, Qt

    width = max(ICON_SIZES) * len(SHEET_STATES)
    sheet = QImage(width, sum(ICON_SIZES), QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(Qt.GlobalColor.transparent)
    painter = QPainter(sheet)
    y = 0
    for size in ICON_SIZES:
        for column, (step, dim) in enumerate(SHEET_STATES):
            x = column * max(ICON_SIZES)
            painter.drawPixmap(QPoint(x, y), tray_pixmap(size, step, dark=dark, dim=dim))
        y += size
    painter.end()
    return sheet


def icons_from_sheet(sheet: QImage) -> dict[tuple[int | None, bool], QIcon] | None:
    """The icons on an :func:`icon_sheet`; ``None`` when ``sheet`` is not one."""
    cell = max(ICON_SIZES)
    if sheet.isNull() or (sheet.width(), sheet.height()) != (
        cell * len(SHEET_STATES),
        sum(ICON_SIZES),
    ):
        return None
    icons = {}
    for column, state in enumerate(SHEET_STATES):
        icon = QIcon()
        y = 0
        for size in ICON_SIZES:
            icon.addPixmap(QPixmap.fromImage(sheet.copy(column * cell, y, size, size)))
            y += size
        icons[state] = icon
    return icons


def tray_icon(step: int | None, *, dark: bool, dim: bool = False) -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(tray_pixmap(size, step, dark=dark, dim=dim))
    return icon


class TrayActions(QObject):
    """Every action of the tray menu, made once; the menu and the window share them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.take_break = QAction("Take a break now", self)
        self.pause = {seconds: QAction(label, self) for label, seconds in PAUSES}
        self.pause_until_tomorrow = QAction("Until tomorrow", self)
        self.resume = QAction("Resume reminders", self)
        self.next_break = QAction("Next break in --:--", self)
        self.next_break.setEnabled(False)
        self.open_window = QAction(f"Open {APP_NAME}", self)
        self.settings = QAction("Reminder settings…", self)
        self.quit = QAction(f"Quit {APP_NAME}", self)
        self.quit.setShortcuts([QKeySequence("Ctrl+Q")])  # setShortcut() loads Qt's enums
        self.quit.setProperty("shortcutContext", APPLICATION_SHORTCUT)
        self.routines: dict[str, QAction] = {}

    def routine_action(self, routine: RoutineEntry) -> QAction:
        """The "Start routine ▸" entry for ``routine`` (made on first use, then kept)."""
        action = self.routines.get(routine.id)
        if action is None:
            action = QAction(routine.name, self)
            action.setData(routine.id)
            self.routines[routine.id] = action
        return action


class Tray(QObject):
    """The tray icon and its menu, over a :class:`~stretchdesk.ui.break_clock.BreakClock`.

    The full app passes its reminder controller; the tray-only resident process
    its own small clock. Either has "take a break now" (``take_break_now``).
    ``dark`` says whether the panel is dark (asked of the desktop when
    ``None``); ``icons`` are the ready-made icons of :func:`icons_from_sheet`.

    Signals:
        open_requested(): show the main window (icon clicked, or "Open StretchDesk").
        settings_requested(): open the reminder settings.
        routine_requested(str): start this routine (from "Start routine ▸").
        quit_requested(): the user chose Quit.
    """

    open_requested = Signal()
    settings_requested = Signal()
    routine_requested = Signal(str)
    quit_requested = Signal()

    def __init__(
        self,
        controller: BreakClock,
        routines: tuple[RoutineEntry, ...],
        is_users: Callable[[RoutineEntry], bool] = lambda routine: False,
        parent: QObject | None = None,
        *,
        dark: bool | None = None,
        icons: dict[tuple[int | None, bool], QIcon] | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.actions = TrayActions(self)
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self.routines_menu = QMenu("Start routine", self.menu)
        self.pause_menu = QMenu("Pause reminders", self.menu)
        self._dark = panel_is_dark() if dark is None else dark
        self._icons = icons  # cut from an icon sheet (the resident); None: drawn here
        self._shown_key: tuple[object, ...] | None = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setProperty("timerType", PRECISE_TIMER)  # never early: one wake-up a step
        self._refresh.timeout.connect(self.refresh)
        self._build_menu(routines, is_users)
        self._connect_signals()
        self.icon.setContextMenu(self.menu)
        self.refresh()

    def _build_menu(
        self, routines: tuple[RoutineEntry, ...], is_users: Callable[[RoutineEntry], bool]
    ) -> None:
        actions = self.actions
        builtin = [r for r in routines if not is_users(r)]
        own = [r for r in routines if is_users(r)]
        for routine in builtin:
            self.routines_menu.addAction(actions.routine_action(routine))
        if own:
            self.routines_menu.addSection("Your routines")
            for routine in own:
                self.routines_menu.addAction(actions.routine_action(routine))
        for seconds in actions.pause:
            self.pause_menu.addAction(actions.pause[seconds])
        self.pause_menu.addAction(actions.pause_until_tomorrow)
        menu = self.menu
        menu.addAction(actions.next_break)
        menu.addSeparator()
        menu.addAction(actions.take_break)
        menu.addMenu(self.routines_menu)
        menu.addSeparator()
        menu.addMenu(self.pause_menu)
        menu.addAction(actions.resume)
        menu.addSeparator()
        menu.addAction(actions.open_window)
        menu.addAction(actions.settings)
        menu.addSeparator()
        menu.addAction(actions.quit)

    def _connect_signals(self) -> None:
        actions = self.actions
        controller = self.controller
        actions.take_break.triggered.connect(controller.take_break_now)
        for seconds, action in actions.pause.items():
            action.triggered.connect(lambda _=False, s=seconds: controller.pause(s))
        actions.pause_until_tomorrow.triggered.connect(controller.pause_until_tomorrow)
        actions.resume.triggered.connect(controller.resume)
        actions.open_window.triggered.connect(self.open_requested)
        actions.settings.triggered.connect(self.settings_requested)
        actions.quit.triggered.connect(self.quit_requested)
        for routine_id, action in actions.routines.items():
            action.triggered.connect(lambda _=False, r=routine_id: self.routine_requested.emit(r))
        self.menu.aboutToShow.connect(self.update_menu)
        self.icon.activated.connect(self._activated)
        controller.status_changed.connect(self.refresh)

    @property
    def dark(self) -> bool:
        """Whether the icon is drawn for a dark panel."""
        return self._dark

    # --- showing ------------------------------------------------------------------------

    def show(self) -> bool:
        """Put the icon in the tray; ``False`` when the desktop has no tray."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        self.icon.show()
        return True

    def hide(self) -> None:
        self._refresh.stop()
        self.icon.hide()

    def update_menu(self) -> None:
        """Bring the menu up to date as it opens: the countdown line and what applies now."""
        status = self.controller.status()
        state = status.state
        self.actions.next_break.setText(self.controller.status_text(seconds=True))
        self.actions.resume.setVisible(state is State.PAUSED)
        self.pause_menu.setEnabled(state not in (State.DISABLED, State.PAUSED))
        self.actions.take_break.setEnabled(state not in (State.DISABLED, State.IN_BREAK))

    def refresh(self) -> None:
        """Redraw the icon and tooltip if what they show changed; plan the next redraw."""
        status = self.controller.status()
        state = status.state
        counting = state is State.WORKING
        dim = state in (State.DISABLED, State.PAUSED, State.OFF_HOURS)
        if state in (State.PROMPTING, State.IN_BREAK):
            step: int | None = STEPS
        elif dim:
            step = None
        else:
            step = math.floor(status.fraction * STEPS + 1e-9)
        tooltip = f"{APP_NAME}\n{self.controller.status_text()}"
        key = (step, dim, self._dark)
        if key != self._shown_key:
            drawn = self._icons.get((step, dim)) if self._icons is not None else None
            self.icon.setIcon(drawn or tray_icon(step, dark=self._dark, dim=dim))
            self._shown_key = key
        if self.icon.toolTip() != tooltip:
            self.icon.setToolTip(tooltip)
        self._plan(status.work_left if counting else None)

    def _plan(self, work_left: float | None) -> None:
        """Set the one timer to the next moment the ring or the minute shown changes."""
        if work_left is None or work_left <= 0:
            self._refresh.stop()
            return
        interval = self.controller.scheduler.config.short_interval
        step_length = interval / STEPS
        to_step = work_left % step_length or step_length
        to_minute = work_left % 60.0 or 60.0
        wait = min(to_step, to_minute) + 0.05
        self._refresh.start(max(50, math.ceil(wait * 1000)))

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()

    def show_message(self, title: str, text: str) -> None:
        if self.icon.isVisible():
            self.icon.showMessage(title, text, self.icon.icon(), 8000)
