"""Editing one routine: its name, its stretches in order, and each one's hold, sets and sides.

The routine being edited is a frozen :class:`~stretchdesk.core.model.Routine`
replaced on every change through :mod:`stretchdesk.core.routine_edit`; the
total length is always :func:`~stretchdesk.core.timeline.expand`'s, so it is
the time the player will take. Built-in routines are shown read-only.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core import routine_edit
from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Catalogue, Routine, Sides, Stretch
from stretchdesk.core.routine import apply_overrides
from stretchdesk.core.timeline import expand
from stretchdesk.ui.routine_items import ItemIndexRole, RoutineItemsList
from stretchdesk.ui.stretch_detail import dose_text
from stretchdesk.ui.style import set_muted
from stretchdesk.ui.thumbnails import ThumbnailCache

ICON_SIZE = 44
SIDES_LABELS = {
    Sides.NONE: "Once (both sides together)",
    Sides.EACH: "Each side in turn",
    Sides.ALTERNATING: "Alternating sides",
}


class RoutineEditor(QWidget):
    """The routine in the builder.

    Signals: ``routine_changed(object)`` — the edited routine, after every
    change; ``save_requested()``, ``revert_requested()``, ``start_requested()``.
    """

    routine_changed = Signal(object)
    save_requested = Signal()
    revert_requested = Signal()
    start_requested = Signal()

    def __init__(
        self, catalogue: Catalogue, thumbnails: ThumbnailCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.thumbnails = thumbnails
        self.routine: Routine | None = None
        self.editable = False
        self.dirty = False
        self._filling = False
        self.heading = QLabel(self)
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.4)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.heading.setWordWrap(True)
        self.read_only_note = QLabel(
            "A built-in routine can't be changed. Duplicate it to make a copy of your own.", self
        )
        self.read_only_note.setWordWrap(True)
        set_muted(self.read_only_note, 0.75)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Routine name")
        self.name.setPlaceholderText("Name of the routine")
        self.description = QLineEdit(self)
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText("What it is for (optional)")
        self.items = RoutineItemsList(self)
        self.items.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.total = QLabel(self)
        total_font = self.total.font()
        total_font.setBold(True)
        self.total.setFont(total_font)
        self.total.setAccessibleName("Total length")
        self.up_button = QPushButton("Move up", self)
        self.up_button.setToolTip("Move the chosen stretch earlier (Alt+Up)")
        self.down_button = QPushButton("Move down", self)
        self.down_button.setToolTip("Move the chosen stretch later (Alt+Down)")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Take the chosen stretch out of the routine (Delete)")
        self.item_box = QGroupBox("This stretch in the routine", self)
        self.amount = QSpinBox(self.item_box)
        self.sets = QSpinBox(self.item_box)
        self.sets.setRange(1, 10)
        self.sets.setAccessibleName("Sets")
        self.sides = QComboBox(self.item_box)
        self.sides.setAccessibleName("Sides")
        self.reset_button = QPushButton("Use the usual amounts", self.item_box)
        self.amount_label = QLabel("Hold", self.item_box)
        form = QFormLayout(self.item_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.amount.setMinimumWidth(110)
        self.sets.setMinimumWidth(110)
        form.addRow(self.amount_label, self.amount)
        form.addRow("Sets", self.sets)
        form.addRow("Sides", self.sides)
        form.addRow("", self.reset_button)
        self.save_button = QPushButton("Save", self)
        self.save_button.setToolTip("Save this routine with your routines")
        self.revert_button = QPushButton("Undo changes", self)
        self.start_button = QPushButton("Start", self)
        self.start_button.setToolTip("Open this routine in the player")
        self._layout()
        self._connect_signals()
        self.set_routine(None, editable=False)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.read_only_note)
        fields = QFormLayout()
        fields.addRow("Name", self.name)
        fields.addRow("About", self.description)
        layout.addLayout(fields)
        layout.addWidget(self.items, 1)
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addWidget(self.remove_button)
        moves.addStretch(1)
        moves.addWidget(self.total)
        layout.addLayout(moves)
        layout.addWidget(self.item_box)
        actions = QHBoxLayout()
        actions.addWidget(self.revert_button)
        actions.addStretch(1)
        actions.addWidget(self.start_button)
        actions.addWidget(self.save_button)
        layout.addLayout(actions)

    def _connect_signals(self) -> None:
        self.name.textEdited.connect(self._name_edited)
        self.description.textEdited.connect(self._description_edited)
        self.items.currentRowChanged.connect(self._show_item)
        self.items.stretches_dropped.connect(self.insert)
        self.items.order_changed.connect(self._reordered)
        self.items.move_requested.connect(self.move)
        self.items.remove_requested.connect(self.remove)
        self.up_button.clicked.connect(lambda: self._move_current(-1))
        self.down_button.clicked.connect(lambda: self._move_current(1))
        self.remove_button.clicked.connect(lambda: self.remove(self.items.currentRow()))
        self.amount.valueChanged.connect(self._overrides_edited)
        self.sets.valueChanged.connect(self._overrides_edited)
        self.sides.currentIndexChanged.connect(self._overrides_edited)
        self.reset_button.clicked.connect(self._reset_item)
        self.save_button.clicked.connect(self.save_requested)
        self.revert_button.clicked.connect(self.revert_requested)
        self.start_button.clicked.connect(self.start_requested)
        self.thumbnails.ready.connect(self._refresh_icons)

    # --- showing -------------------------------------------------------------------------

    def set_routine(
        self, routine: Routine | None, *, editable: bool, dirty: bool = False, row: int = 0
    ) -> None:
        """Show ``routine`` (``None``: nothing chosen); ``editable`` for the user's own."""
        self.routine = routine
        self.editable = editable and routine is not None
        self.dirty = dirty
        self.items.editable = self.editable
        self._filling = True
        self.heading.setText(routine.name if routine else "Choose a routine")
        self.name.setText(routine.name if routine else "")
        self.description.setText(routine.description if routine else "")
        self.name.setReadOnly(not self.editable)
        self.description.setReadOnly(not self.editable)
        self.read_only_note.setVisible(routine is not None and not editable)
        self._filling = False
        self._fill_items(row)
        self._update_state()

    def _fill_items(self, row: int) -> None:
        self._filling = True
        self.items.clear()
        routine = self.routine
        if routine is not None:
            for index, (item, stretch) in enumerate(self._resolved()):
                entry = QListWidgetItem(self._item_text(index, stretch))
                entry.setData(ItemIndexRole, index)
                entry.setData(Qt.ItemDataRole.UserRole, item.stretch_id)
                entry.setData(Qt.ItemDataRole.AccessibleTextRole, self._item_text(index, stretch))
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if self.editable:
                    flags |= Qt.ItemFlag.ItemIsDragEnabled
                entry.setFlags(flags)
                self.items.addItem(entry)
        self._filling = False
        if self.items.count():
            self.items.setCurrentRow(max(0, min(row, self.items.count() - 1)))
        else:
            self._show_item(-1)
        self._refresh_icons()

    def _resolved(self) -> list[tuple]:
        assert self.routine is not None
        out = []
        for item in self.routine.items:
            stretch = self.catalogue.get(item.stretch_id)
            out.append((item, apply_overrides(stretch, item) if stretch else None))
        return out

    def _item_text(self, index: int, stretch: Stretch | None) -> str:
        if stretch is None:
            return f"{index + 1}. (a stretch that is no longer in the catalogue)"
        return (
            f"{index + 1}. {stretch.name}\n{dose_text(stretch)} · "
            f"{format_duration(stretch.duration_seconds)}"
        )

    def _refresh_icons(self) -> None:
        palette = self.palette()
        for row in range(self.items.count()):
            entry = self.items.item(row)
            if not entry.icon().isNull():
                continue
            stretch = self.catalogue.get(entry.data(Qt.ItemDataRole.UserRole))
            if stretch is None:
                continue
            pixmap = self.thumbnails.thumbnail(stretch, ICON_SIZE, palette)
            if pixmap is not None:
                entry.setIcon(QIcon(pixmap))

    def duration(self) -> float:
        """The routine's length in seconds, as the player will run it."""
        if self.routine is None or not self.routine.items:
            return 0.0
        try:
            return expand(self.routine, self.catalogue).duration
        except KeyError:
            return 0.0

    def _update_state(self) -> None:
        routine = self.routine
        has_items = bool(routine and routine.items)
        if routine is None:
            self.total.setText("")
        elif not has_items:
            self.total.setText("No stretches yet")
        else:
            self.total.setText(f"Total {format_duration(self.duration())}")
        row = self.items.currentRow()
        self.up_button.setEnabled(self.editable and row > 0)
        self.down_button.setEnabled(self.editable and 0 <= row < self.items.count() - 1)
        self.remove_button.setEnabled(self.editable and row >= 0)
        self.save_button.setEnabled(self.editable and self.dirty and has_items)
        self.save_button.setToolTip(
            "Save this routine with your routines" if has_items else "Add a stretch first"
        )
        self.revert_button.setEnabled(self.editable and self.dirty)
        self.start_button.setEnabled(has_items)
        self.name.setEnabled(routine is not None)
        self.description.setEnabled(routine is not None)
        for widget in (
            self.up_button,
            self.down_button,
            self.remove_button,
            self.item_box,
            self.save_button,
            self.revert_button,
        ):
            widget.setVisible(self.editable)

    def _show_item(self, row: int) -> None:
        routine = self.routine
        valid = routine is not None and 0 <= row < len(routine.items)
        stretch = self.catalogue.get(routine.items[row].stretch_id) if valid else None
        self.item_box.setEnabled(self.editable and stretch is not None)
        if stretch is None or routine is None:
            self.item_box.setTitle("This stretch in the routine")
            self._update_state()
            return
        effective = apply_overrides(stretch, routine.items[row])
        self._filling = True
        self.item_box.setTitle(f"{stretch.name} in this routine")
        if stretch.hold_seconds is not None:
            self.amount_label.setText("Hold")
            self.amount.setRange(5, 600)
            self.amount.setSingleStep(5)
            self.amount.setSuffix(" s")
            self.amount.setAccessibleName("Hold, in seconds")
            self.amount.setValue(round(effective.hold_seconds or 0))
        else:
            self.amount_label.setText("Reps")
            self.amount.setRange(1, 50)
            self.amount.setSingleStep(1)
            self.amount.setSuffix("")
            self.amount.setAccessibleName("Repetitions")
            self.amount.setValue(effective.reps or 1)
        self.sets.setValue(effective.sets)
        self.sides.clear()
        choices = [Sides.NONE, Sides.EACH]
        if stretch.reps is not None:
            choices.append(Sides.ALTERNATING)
        for sides in choices:
            self.sides.addItem(SIDES_LABELS[sides], sides)
        self.sides.setCurrentIndex(max(0, self.sides.findData(effective.sides)))
        self._filling = False
        self._update_state()

    # --- editing -----------------------------------------------------------------------

    def _change(self, routine: Routine, row: int | None = None) -> None:
        self.routine = routine
        self.dirty = True
        self._fill_items(self.items.currentRow() if row is None else row)
        self._update_state()
        self.routine_changed.emit(routine)

    def insert(self, stretch_ids: list[str], row: int | None = None) -> None:
        """Add stretches before ``row`` (at the end when ``None``)."""
        if not self.editable or self.routine is None:
            return
        ids = [s for s in stretch_ids if s in self.catalogue]
        if not ids:
            return
        at = len(self.routine.items) if row is None else row
        self._change(routine_edit.insert_stretches(self.routine, ids, at), at + len(ids) - 1)

    def move(self, source: int, target: int) -> None:
        if self.editable and self.routine is not None:
            self._change(routine_edit.move_item(self.routine, source, target), target)

    def _move_current(self, step: int) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.move(row, row + step)

    def _reordered(self, order: list[int]) -> None:
        if self.editable and self.routine is not None:
            moved_to = self.items.currentRow()
            self._change(routine_edit.reorder(self.routine, order), moved_to)

    def remove(self, row: int) -> None:
        if self.editable and self.routine is not None and 0 <= row < len(self.routine.items):
            self._change(routine_edit.remove_item(self.routine, row), row)

    def set_overrides(
        self,
        row: int,
        amount: float | None = None,
        sets: int | None = None,
        sides: Sides | None = None,
    ) -> None:
        """Change item ``row``'s hold (or reps), sets and sides."""
        if not self.editable or self.routine is None:
            return
        stretch = self.catalogue.get(self.routine.items[row].stretch_id)
        if stretch is None:
            return
        changed = routine_edit.override_item(
            self.routine, row, stretch, amount=amount, sets=sets, sides=sides
        )
        if changed != self.routine:
            self._change(changed, row)

    def _overrides_edited(self) -> None:
        if self._filling:
            return
        row = self.items.currentRow()
        if row < 0:
            return
        data = self.sides.currentData()
        sides = Sides(data) if data is not None else None
        self.set_overrides(row, self.amount.value(), self.sets.value(), sides)

    def _reset_item(self) -> None:
        row = self.items.currentRow()
        if self.editable and self.routine is not None and row >= 0:
            self._change(routine_edit.reset_item(self.routine, row), row)

    def _name_edited(self, text: str) -> None:
        if self.routine is not None and self.editable and not self._filling:
            self.routine = dataclasses.replace(self.routine, name=text.strip() or "Untitled")
            self.heading.setText(self.routine.name)
            self.dirty = True
            self._update_state()
            self.routine_changed.emit(self.routine)

    def _description_edited(self, text: str) -> None:
        if self.routine is not None and self.editable and not self._filling:
            self.routine = dataclasses.replace(self.routine, description=text.strip())
            self.dirty = True
            self._update_state()
            self.routine_changed.emit(self.routine)

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._fill_items(self.items.currentRow())
        self._update_state()
