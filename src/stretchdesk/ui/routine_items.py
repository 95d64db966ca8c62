"""The stretches of a routine being built: a list that takes drops and reorders.

Stretch cards dragged from the browser or the picker are dropped in at the
point of the drop; rows dragged within the list move. With the keyboard,
Alt+Up and Alt+Down move the current row, and Delete removes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QWidget

from stretchdesk.ui.stretch_model import STRETCH_MIME, stretch_ids_from_mime

#: Each row keeps the index of its item in the routine before any move.
ItemIndexRole = Qt.ItemDataRole.UserRole + 10


class RoutineItemsList(QListWidget):
    """Signals: ``stretches_dropped(list, int)`` — stretch ids dropped before a row
    (the row count: at the end); ``order_changed(list)`` — rows were moved, the
    routine's item indexes in their new order; ``move_requested(int, int)`` — the
    keyboard asked to move a row (from, to); ``remove_requested(int)``.
    """

    stretches_dropped = Signal(list, int)
    order_changed = Signal(list)
    move_requested = Signal(int, int)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Stretches in this routine")
        self.setToolTip("Drag stretches here; drag rows, or press Alt+Up and Alt+Down, to reorder")
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setSpacing(2)
        self.editable = True

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        if not self.editable:
            return False
        return event.source() is self or event.mimeData().hasFormat(STRETCH_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        if event.source() is self:
            super().dragEnterEvent(event)
        else:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        super().dragMoveEvent(event)
        if event.source() is not self:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        if event.source() is self:
            super().dropEvent(event)
            order = [self.item(r).data(ItemIndexRole) for r in range(self.count())]
            self.order_changed.emit(order)
            return
        ids = stretch_ids_from_mime(event.mimeData())
        row = self.drop_row(event.position().toPoint())
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if ids:
            self.stretches_dropped.emit(ids, row)

    def drop_row(self, pos) -> int:
        """The row a drop at ``pos`` goes before (the row count: at the end)."""
        index = self.indexAt(pos)
        if not index.isValid():
            return self.count()
        rect = self.visualRect(index)
        return index.row() + (1 if pos.y() > rect.center().y() else 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and row >= 0:
            target = row - 1 if event.key() == Qt.Key.Key_Up else row + 1
            if self.editable and 0 <= target < self.count():
                self.move_requested.emit(row, target)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Delete and row >= 0 and self.editable:
            self.remove_requested.emit(row)
            event.accept()
            return
        super().keyPressEvent(event)
