"""A compact list of stretch cards to pick from while building a routine."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.model import Catalogue
from stretchdesk.core.query import StretchQuery
from stretchdesk.ui.card_delegate import StretchCardDelegate
from stretchdesk.ui.stretch_model import StretchFilterModel, StretchIdRole, StretchListModel
from stretchdesk.ui.style import set_muted
from stretchdesk.ui.thumbnails import ThumbnailCache


class StretchPicker(QWidget):
    """Search, pick and drag stretches.

    Signals: ``add_requested(str)`` — add this stretch (its id) to the routine.
    """

    add_requested = Signal(str)

    def __init__(
        self, catalogue: Catalogue, thumbnails: ThumbnailCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find a stretch")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a stretch to add")
        self.model = StretchListModel(catalogue, self)
        self.proxy = StretchFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.list = QListView(self)
        self.list.setAccessibleName("Stretches to add")
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setItemDelegate(StretchCardDelegate(thumbnails, self.list, compact=True))
        self.add_button = QPushButton("Add to routine", self)
        self.add_button.setToolTip("Add the chosen stretch at the end (or drag it in)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Add stretches</b>", self))
        hint = QLabel("Drag a card into the routine, or choose it and press Add.", self)
        hint.setWordWrap(True)
        set_muted(hint)
        layout.addWidget(hint)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self._thumbnails = thumbnails
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(
            lambda text: self.proxy.set_query(StretchQuery(text=text.strip()))
        )
        self.add_button.clicked.connect(self._add_current)
        self.list.activated.connect(lambda _index: self._add_current())
        self._thumbnails.ready.connect(self.list.viewport().update)

    def current_id(self) -> str | None:
        index = self.list.currentIndex()
        return index.data(StretchIdRole) if index.isValid() else None

    def select(self, stretch_id: str) -> None:
        row = self.model.row_of(stretch_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.list.setCurrentIndex(index)

    def _add_current(self) -> None:
        stretch_id = self.current_id()
        if stretch_id is not None:
            self.add_requested.emit(stretch_id)

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.model.set_catalogue(catalogue)
