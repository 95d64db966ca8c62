"""What to do now, after stopping a session because it hurts (from the safety content)."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from stretchdesk.core.safety import ItHurts
from stretchdesk.ui.scaling import column_margins, set_pixel_font, window_unit

#: Used only if the safety file cannot be read: the same advice, shorter.
FALLBACK = ItHurts(
    title="Stop here",
    intro="You did the right thing by stopping.",
    steps=(
        "Come out of the position slowly.",
        "Rest in whatever position feels most comfortable.",
        "Use a wrapped ice pack on a fresh flare-up, or gentle heat for tight muscles.",
        "When you feel ready, take a short, easy walk.",
    ),
    see_a_professional="If the pain spreads down a leg, brings numbness, or does not settle, "
    "see a doctor or physiotherapist.",
    emergency="If you lose bladder or bowel control or a leg becomes weak, get medical help "
    "straight away.",
)


def load_it_hurts() -> ItHurts:
    """The "it hurts" guidance from ``data/safety.yaml`` (a built-in copy if unreadable)."""
    from stretchdesk.core.safety import load_safety
    from stretchdesk.core.yamlsafe import YamlInputError

    try:
        return load_safety().it_hurts
    except (OSError, YamlInputError):
        return FALLBACK


class HurtView(QWidget):
    """The page shown after "It hurts".

    Signals: ``close_requested()`` — the user is done reading.
    """

    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("What to do now")
        self.done_button = QPushButton("Back to routines", self)
        self.done_button.setToolTip("Leave the player")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addStretch(1)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.done_button.clicked.connect(self.close_requested)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        unit = window_unit(self)
        set_pixel_font(self.text, self.font(), 14, unit)
        set_pixel_font(self.done_button, self.font(), 14, unit)
        self.done_button.setMinimumHeight(round(34 * unit))
        side = column_margins(self.width(), 720 * unit, 48)  # lines short enough to read
        self.layout().setContentsMargins(side, 32, side, 32)

    def show_guidance(self, guidance: ItHurts) -> None:
        esc = html.escape
        # A table, not <ol>: a list's indent does not grow with the font, and
        # large numbers would be cut off.
        steps = "".join(
            f"<tr><td style='padding:0 10px 6px 0'>{i}.</td><td style='padding-bottom:6px'>"
            f"{esc(step)}</td></tr>"
            for i, step in enumerate(guidance.steps, 1)
        )
        self.text.setText(
            f"<h1>{esc(guidance.title)}</h1>"
            f"<p style='font-size:large'>{esc(guidance.intro)}</p>"
            f"<table style='font-size:large; margin-left:12px'>{steps}</table>"
            f"<p>{esc(guidance.see_a_professional)}</p>"
            f"<p><b>{esc(guidance.emergency)}</b></p>"
            "<p>The session was stopped and noted as stopped because it hurt.</p>"
        )
