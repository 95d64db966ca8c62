"""The routines: a list with each one's length and description, and a Start button."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.model import Catalogue, Routine
from stretchdesk.core.timeline import routine_duration
from stretchdesk.core.timeline_text import format_clock


class RoutinesView(QWidget):
    """Signals: ``routine_chosen(str)`` — open this routine (its id) in the player."""

    routine_chosen = Signal(str)

    def __init__(
        self, routines: Sequence[Routine], catalogue: Catalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Routines")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        for routine in routines:
            minutes = format_clock(routine_duration(routine, catalogue))
            item = QListWidgetItem(f"{routine.name}   ({minutes})\n{routine.description}")
            item.setData(Qt.ItemDataRole.UserRole, routine.id)
            item.setToolTip(", ".join(routine.stretch_ids))
            self.list.addItem(item)
        self.open_button = QPushButton("Open in the player", self)
        self.open_button.setToolTip("Open the chosen routine; it starts when you press Space")
        self.open_button.setDefault(True)
        heading = QLabel("<b>Choose a routine</b>", self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.open_button.clicked.connect(self._open_current)
        self.list.itemActivated.connect(lambda _item: self._open_current())

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.routine_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
