"""The stretch browser: "where does it hurt?" on a body map, filters, cards and the detail.

Three columns in a splitter: the body map with the filter chips, the search
box over the stretch cards (a list model and a filtering proxy, pictures
rendered lazily as cards come into view), and the chosen stretch in full.
Cards can be dragged into a routine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.model import Catalogue, Stretch
from stretchdesk.core.query import StretchQuery, area_counts
from stretchdesk.ui.body_map import BodyMap
from stretchdesk.ui.card_delegate import StretchCardDelegate
from stretchdesk.ui.filter_bar import FilterBar
from stretchdesk.ui.stretch_model import StretchFilterModel, StretchListModel, StretchRole
from stretchdesk.ui.style import set_muted
from stretchdesk.ui.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from stretchdesk.ui.stretch_detail import StretchDetail


class CatalogueView(QSplitter):
    """The Browse page.

    Signals: ``stretch_selected(str)`` — the stretch (its id) shown in full;
    ``try_requested(str)`` — play this stretch now; ``add_requested(str, str)``
    — add a stretch to a routine (empty routine id: a new routine).
    """

    stretch_selected = Signal(str)
    try_requested = Signal(str)
    add_requested = Signal(str, str)

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.catalogue = catalogue
        self.setChildrenCollapsible(False)
        self.thumbnails = ThumbnailCache(self)
        self.body_map = BodyMap(catalogue.areas)
        self.body_map.set_counts(area_counts(catalogue))
        self.body_map.setToolTip("Tap an area to see its stretches; tap again to let it go")
        self.clear_areas = QPushButton("Clear areas")
        self.clear_areas.setFlat(True)
        self.clear_areas.setCursor(Qt.CursorShape.PointingHandCursor)
        self.filters = FilterBar(catalogue.equipment)
        self.clear_filters = QPushButton("Clear filters")
        self.clear_filters.setFlat(True)
        self.clear_filters.setCursor(Qt.CursorShape.PointingHandCursor)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search stretches")
        self.search.setToolTip("Words from the name, the areas or the steps, e.g. hamstring")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search stretches")
        self.count_label = QLabel()
        set_muted(self.count_label)
        self.model = StretchListModel(catalogue, self)
        self.proxy = StretchFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.stretches = QListView()
        self.stretches.setAccessibleName("Stretches")
        self.stretches.setModel(self.proxy)
        self.stretches.setUniformItemSizes(True)
        self.stretches.setMouseTracking(True)
        self.stretches.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.stretches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stretches.setDragEnabled(True)
        self.stretches.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.stretches.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.stretches.setFrameShape(QFrame.Shape.NoFrame)
        self.stretches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate = StretchCardDelegate(self.thumbnails, self.stretches)
        self.stretches.setItemDelegate(self.delegate)
        self._detail: StretchDetail | None = None  # built when the first stretch is chosen
        #: The routines a stretch can be added to, as (id, name); set by the window.
        self.routine_choices: Callable[[], list[tuple[str, str]]] = list
        self.placeholder = QLabel(
            "Choose a stretch to see how it is done.\n\n"
            "Tap the body map where it feels tight, or search by name."
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.placeholder.setContentsMargins(12, 140, 12, 12)
        self.placeholder.setWordWrap(True)
        set_muted(self.placeholder)
        self._build()
        self._connect_signals()
        self._update_count()

    def _build(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(14, 12, 14, 12)
        column.setSpacing(8)
        heading = QLabel("<b>Where does it feel tight?</b>")
        heading_row = QHBoxLayout()
        heading_row.addWidget(heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.clear_areas)
        column.addLayout(heading_row)
        column.addWidget(self.body_map)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        column.addWidget(line)
        filters_row = QHBoxLayout()
        filters_row.addWidget(QLabel("<b>Filters</b>"))
        filters_row.addStretch(1)
        filters_row.addWidget(self.clear_filters)
        column.addLayout(filters_row)
        column.addWidget(self.filters)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(220)
        scroll.setMaximumWidth(480)
        middle = QWidget()
        list_column = QVBoxLayout(middle)
        list_column.setContentsMargins(6, 12, 6, 0)
        list_column.setSpacing(6)
        list_column.addWidget(self.search)
        list_column.addWidget(self.count_label)
        list_column.addWidget(self.stretches, 1)
        middle.setMinimumWidth(220)
        self.placeholder.setMinimumWidth(280)
        self.addWidget(scroll)
        self.addWidget(middle)
        self.addWidget(self.placeholder)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 2)
        self.setStretchFactor(2, 3)
        self.setSizes([300, 360, 520])

    def _connect_signals(self) -> None:
        self.body_map.selection_changed.connect(self._apply_query)
        self.filters.filters_changed.connect(self._apply_query)
        self.search.textChanged.connect(self._apply_query)
        self.clear_areas.clicked.connect(lambda: self.body_map.set_selected((), notify=True))
        self.clear_filters.clicked.connect(self.filters.clear)
        self.stretches.selectionModel().currentChanged.connect(self._current_changed)
        self.thumbnails.ready.connect(self.stretches.viewport().update)

    # --- filtering ---------------------------------------------------------------------

    def query(self) -> StretchQuery:
        """What the map, the chips and the search box ask for together."""
        return self.filters.query(
            areas=frozenset(self.body_map.selected()), text=self.search.text().strip()
        )

    def _apply_query(self, *_args) -> None:
        self.proxy.set_query(self.query())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.clear_areas.setVisible(bool(self.body_map.selected()))
        if shown == total:
            self.count_label.setText(f"All {total} stretches")
        elif shown == 0:
            self.count_label.setText("No stretch matches; try fewer filters")
        else:
            self.count_label.setText(f"{shown} of {total} stretches")

    def select_area(self, area_id: str) -> None:
        """Show the stretches for this one area (an empty id shows all)."""
        self.body_map.set_selected((area_id,) if area_id else (), notify=True)

    # --- the chosen stretch ------------------------------------------------------------

    @property
    def detail(self) -> StretchDetail:
        """The detail pane (built on first use, in place of the placeholder)."""
        if self._detail is None:
            from stretchdesk.ui.stretch_detail import StretchDetail

            detail = StretchDetail(self.catalogue, self.thumbnails)
            detail.setMinimumWidth(280)
            detail.routine_choices = lambda: self.routine_choices()
            sizes = self.sizes()
            self.replaceWidget(2, detail)
            self.placeholder.hide()
            self.setSizes(sizes)
            self._detail = detail
            self._connect_detail(detail)
        return self._detail

    def _connect_detail(self, detail: StretchDetail) -> None:
        detail.try_requested.connect(self.try_requested)
        detail.add_requested.connect(self.add_requested)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        stretch: Stretch | None = current.data(StretchRole) if current.isValid() else None
        if stretch is None:
            return
        self.detail.show_stretch(stretch)
        self.stretch_selected.emit(stretch.id)

    def show_stretch(self, stretch_id: str) -> bool:
        """Make ``stretch_id`` the current card; ``False`` if it is filtered out."""
        row = self.model.row_of(stretch_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.stretches.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.stretches.scrollTo(index)
        return True

    def set_catalogue(self, catalogue: Catalogue) -> None:
        """Show a reloaded catalogue (after the user added a stretch)."""
        detail = self._detail
        current = detail.stretch.id if detail is not None and detail.stretch else None
        self.catalogue = catalogue
        self.model.set_catalogue(catalogue)
        self.body_map.set_counts(area_counts(catalogue))
        if detail is not None:
            detail.set_catalogue(catalogue)
        self._update_count()
        if current:
            self.show_stretch(current)

    def sizeHint(self) -> QSize:
        return QSize(1200, 720)

    def stop(self) -> None:
        """Stop every animation and picture rendering (the window is closing)."""
        self.thumbnails.stop()
        if self._detail is not None:
            self._detail.stop()

    def showEvent(self, event: QShowEvent) -> None:
        self.thumbnails.resume()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.thumbnails.stop()
        super().hideEvent(event)
