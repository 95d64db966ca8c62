"""The reminder's prompt: a small always-on-top window near the tray that never takes focus.

It shows the suggested stretch's figure, its name and how long it takes, with
Start, "5 min later" and Skip. It never takes keyboard focus (typing in another
window goes on undisturbed) and never starts anything by itself: it waits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.model import Catalogue, Stretch
from stretchdesk.figures.library import PoseLibrary
from stretchdesk.ui.reminders import Suggestion

FIGURE_SIZE = 104
_MARGIN = 12


@cache
def _poses() -> PoseLibrary | None:
    """The built-in poses (``None`` if unreadable: the app still runs, without pictures)."""
    from stretchdesk.figures.library import app_poses

    return app_poses()


def figure_pixmap(stretch: Stretch, size: int, widget: QWidget) -> QPixmap | None:
    """The stretch's held pose as a picture, in the widget's colours; ``None`` without one."""
    from stretchdesk.figures.render import Palette, render_image

    poses = _poses()
    if poses is None or not stretch.steps:
        return None
    order = sorted(range(len(stretch.steps)), key=lambda i: (abs(i - stretch.hold_step), i))
    for index in order:
        pose_id = stretch.steps[index].pose
        pose = poses.get(pose_id) if pose_id else None
        if pose is not None:
            ratio = widget.devicePixelRatioF()
            image = render_image(
                pose.scene(), round(size * ratio), Palette.from_qpalette(widget.palette())
            )
            image.setDevicePixelRatio(ratio)
            return QPixmap.fromImage(image)
    return None


class ReminderPrompt(QFrame):
    """The prompt window.

    Signals: ``start_clicked()``, ``later_clicked()``, ``skip_clicked()`` — the
    user's answer; the window hides itself after each.
    """

    start_clicked = Signal()
    later_clicked = Signal()
    skip_clicked = Signal()

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        # The tray icon's place on screen, when the desktop tells.
        self.anchor_source: Callable[[], QRect | None] = lambda: None
        # Room left between the tray and the prompt for the desktop's own notification,
        # which servers put in the same corner.
        self.notification_room = 0
        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setObjectName("reminderPrompt")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWindowTitle("Time for a break")
        self.setStyleSheet(
            "#reminderPrompt { border: 1px solid palette(mid); border-radius: 10px;"
            " background: palette(window); }"
            " QLabel#kicker { color: palette(highlight); font-weight: 600; }"
            " QLabel#name { font-size: 15pt; font-weight: 600; }"
            " QLabel#detail { color: palette(placeholder-text); }"
        )
        self.figure = QLabel(self)
        self.figure.setFixedSize(FIGURE_SIZE, FIGURE_SIZE)
        self.figure.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.kicker = QLabel(self)
        self.kicker.setObjectName("kicker")
        self.name = QLabel(self)
        self.name.setObjectName("name")
        self.name.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.start_button = QPushButton("Start", self)
        self.later_button = QPushButton("5 min later", self)
        self.skip_button = QPushButton("Skip", self)
        self.start_button.setDefault(True)
        for button in (self.start_button, self.later_button, self.skip_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        self._build()
        self.start_button.clicked.connect(lambda: self._answer(self.start_clicked))
        self.later_button.clicked.connect(lambda: self._answer(self.later_clicked))
        self.skip_button.clicked.connect(lambda: self._answer(self.skip_clicked))

    def _build(self) -> None:
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.kicker)
        text.addWidget(self.name)
        text.addWidget(self.detail)
        text.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(self.figure)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.setFixedWidth(400)

    def show_suggestion(self, suggestion: Suggestion) -> None:
        """Show this reminder near the tray, without taking focus."""
        self.kicker.setText(suggestion.title)
        self.name.setText(suggestion.name)
        detail = suggestion.duration_text
        if suggestion.stretch is None and suggestion.routine.items:
            count = len(suggestion.routine.items)
            detail += f" · {count} stretch{'es' * (count != 1)}"
        if suggestion.stretch is not None and suggestion.stretch.summary:
            detail += f" · {suggestion.stretch.summary}"
        self.detail.setText(detail)
        refusal = suggestion.postpone_refusal
        self.later_button.setEnabled(refusal is None)
        self.later_button.setToolTip(refusal or "Remind me again in a few minutes")
        self.later_button.setText(f"{suggestion.postpone_minutes} min later")
        stretch = suggestion.stretch
        if stretch is None and suggestion.routine.items:
            stretch = self._catalogue.get(suggestion.routine.items[0].stretch_id)
        pixmap = figure_pixmap(stretch, FIGURE_SIZE, self) if stretch is not None else None
        self.figure.setPixmap(pixmap if pixmap is not None else QPixmap())
        self.figure.setVisible(pixmap is not None)
        self.adjustSize()
        self.move(self._place())
        self.show()  # stays on top by its window flags; raising would need the focus

    def _place(self) -> QPoint:
        """Beside the tray icon when its place is known, else the screen's bottom-right."""
        anchor = self.anchor_source()
        screen = (
            QGuiApplication.screenAt(anchor.center()) if anchor is not None else None
        ) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
        size = self.sizeHint().expandedTo(self.size())
        if anchor is not None and anchor.isValid() and area.contains(anchor.center()):
            x = anchor.center().x() - size.width() // 2
            below = anchor.center().y() < area.center().y()
            room = self.notification_room + _MARGIN
            y = anchor.bottom() + room if below else anchor.top() - room - size.height()
        else:
            x = area.right() - size.width() - _MARGIN
            y = area.bottom() - size.height() - _MARGIN - self.notification_room
        x = max(area.left() + _MARGIN, min(x, area.right() - size.width() - _MARGIN))
        y = max(area.top() + _MARGIN, min(y, area.bottom() - size.height() - _MARGIN))
        return QPoint(x, y)

    def _answer(self, signal: Signal) -> None:
        self.hide()
        signal.emit()
