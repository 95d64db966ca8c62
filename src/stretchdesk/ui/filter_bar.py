"""Filter chips for the stretch browser: kind, level, position, equipment and "good for"."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.model import Equipment, Kind, Level, TimeOfDay
from stretchdesk.core.query import StretchQuery
from stretchdesk.ui.flow_layout import FlowLayout, chip_policy
from stretchdesk.ui.style import set_muted

KIND_LABELS = {
    Kind.STATIC: "Holds",
    Kind.DYNAMIC: "Moves",
    Kind.STRENGTH: "Strength",
    Kind.SELF_CARE: "Self-care",
}
LEVEL_LABELS = {Level.BASIC: "Basic", Level.DEEPER: "Deeper"}
POSITION_LABELS = {
    "floor": "On the floor",
    "standing": "Standing",
    "seated": "Seated",
    "bed": "In bed",
}

CHIP_STYLE = """
QToolButton[chip="true"] {
    border: 1px solid palette(mid);
    border-radius: 12px;
    padding: 3px 10px;
    background: palette(base);
    color: palette(text);
}
QToolButton[chip="true"]:hover { border-color: palette(highlight); }
QToolButton[chip="true"]:checked {
    background: palette(highlight);
    color: palette(highlighted-text);
    border-color: palette(highlight);
}
QToolButton[chip="true"]::menu-indicator { image: none; width: 0; }
"""


def make_chip(text: str, parent: QWidget, tip: str = "") -> QToolButton:
    """A rounded, checkable button used as a filter chip."""
    chip = QToolButton(parent)
    chip.setText(text)
    chip.setCheckable(True)
    chip.setProperty("chip", True)
    chip.setSizePolicy(chip_policy())
    chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    chip.setAccessibleName(f"{text} filter")
    if tip:
        chip.setToolTip(tip)
    return chip


class FilterBar(QWidget):
    """Chips that narrow the stretches down.

    Signals: ``filters_changed()`` — a chip was turned on or off.
    """

    filters_changed = Signal()

    def __init__(self, equipment: Iterable[Equipment], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(CHIP_STYLE)
        self.kinds: dict[Kind, QToolButton] = {}
        self.levels: dict[Level, QToolButton] = {}
        self.positions: dict[str, QToolButton] = {}
        self.times: dict[TimeOfDay, QToolButton] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self._column = column
        for kind, text in KIND_LABELS.items():
            self.kinds[kind] = make_chip(text, self)
        for level, text in LEVEL_LABELS.items():
            self.levels[level] = make_chip(text, self)
        for position, text in POSITION_LABELS.items():
            self.positions[position] = make_chip(text, self)
        self.no_equipment = make_chip(
            "Nothing needed", self, "Only stretches that need no equipment at all"
        )
        self.equipment_button = make_chip("I have…", self, "Show what you can do with these")
        self.equipment_button.setCheckable(True)
        self.equipment_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.equipment_menu = QMenu(self.equipment_button)
        self.equipment_actions: dict[str, QAction] = {}
        for item in equipment:
            action = self.equipment_menu.addAction(item.name)
            action.setCheckable(True)
            self.equipment_actions[item.id] = action
        self.equipment_button.setMenu(self.equipment_menu)
        self.desk_friendly = make_chip(
            "At the desk", self, "Can be done at a desk, in work clothes"
        )
        self.flare_safe = make_chip("Flare-up safe", self, "Gentle enough for a bad-back day")
        self.times[TimeOfDay.MORNING] = make_chip("Morning", self, "Suits the morning")
        self.times[TimeOfDay.EVENING] = make_chip("Evening", self, "Suits the evening")
        self._add_row("Kind", self.kinds.values())
        self._add_row("Level", self.levels.values())
        self._add_row("Position", self.positions.values())
        self._add_row("Equipment", (self.no_equipment, self.equipment_button))
        self._add_row(
            "Good for",
            (self.desk_friendly, self.flare_safe, *self.times.values()),
        )
        self._connect_signals()

    def _add_row(self, title: str, chips: Iterable[QToolButton]) -> None:
        label = QLabel(title, self)
        set_muted(label, 0.7)
        if self._column.count():
            label.setContentsMargins(0, 6, 0, 0)
        holder = QWidget(self)
        flow = FlowLayout(holder, spacing=6)
        for chip in chips:
            flow.addWidget(chip)
        self._column.addWidget(label)
        self._column.addWidget(holder)

    def _connect_signals(self) -> None:
        chips = [
            *self.kinds.values(),
            *self.levels.values(),
            *self.positions.values(),
            self.no_equipment,
            self.desk_friendly,
            self.flare_safe,
        ]
        for chip in chips:
            chip.toggled.connect(self.filters_changed)
        for time_of_day, chip in self.times.items():
            chip.toggled.connect(lambda on, t=time_of_day: self._time_toggled(t, on))
        for action in self.equipment_actions.values():
            action.toggled.connect(self._equipment_toggled)
        self.equipment_menu.aboutToHide.connect(self._sync_equipment_chip)

    def _time_toggled(self, time_of_day: TimeOfDay, on: bool) -> None:
        if on:
            for other, chip in self.times.items():
                if other is not time_of_day and chip.isChecked():
                    chip.blockSignals(True)
                    chip.setChecked(False)
                    chip.blockSignals(False)
        self.filters_changed.emit()

    def _equipment_toggled(self) -> None:
        self._sync_equipment_chip()
        self.filters_changed.emit()

    def _sync_equipment_chip(self) -> None:
        """The "I have" chip is lit, and names what was ticked, while anything is ticked."""
        have = [a.text() for a in self.equipment_actions.values() if a.isChecked()]
        self.equipment_button.setChecked(bool(have))
        if not have:
            text = "I have…"
        elif len(have) <= 2:
            text = "I have: " + ", ".join(have).lower()
        else:
            text = f"I have {len(have)} things"
        self.equipment_button.setText(text)

    def query(self, **fields) -> StretchQuery:
        """The chips as a query; ``fields`` (areas, text) are added to it."""
        have = frozenset(i for i, a in self.equipment_actions.items() if a.isChecked())
        equipment = have if self.no_equipment.isChecked() or have else None
        time_of_day = next((t for t, c in self.times.items() if c.isChecked()), None)
        return StretchQuery(
            kinds=frozenset(k for k, c in self.kinds.items() if c.isChecked()),
            levels=frozenset(lv for lv, c in self.levels.items() if c.isChecked()),
            positions=frozenset(p for p, c in self.positions.items() if c.isChecked()),
            equipment_available=equipment,
            desk_friendly=self.desk_friendly.isChecked(),
            flare_safe=self.flare_safe.isChecked(),
            time_of_day=time_of_day,
            **fields,
        )

    def clear(self) -> None:
        """Turn every chip off (one ``filters_changed`` at the end)."""
        self.blockSignals(True)
        for chip in self.findChildren(QToolButton):
            chip.setChecked(False)
        for action in self.equipment_actions.values():
            action.setChecked(False)
        self.blockSignals(False)
        self.filters_changed.emit()
