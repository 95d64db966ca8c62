"""A list model over the catalogue's stretches, and a proxy that filters it by a query."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Catalogue, Stretch
from stretchdesk.core.query import StretchQuery

_Index = QModelIndex | QPersistentModelIndex

StretchRole = Qt.ItemDataRole.UserRole + 1
DurationRole = Qt.ItemDataRole.UserRole + 2


class StretchListModel(QAbstractListModel):
    """One row per stretch, in catalogue order. ``StretchRole`` gives the Stretch itself."""

    def __init__(self, catalogue: Catalogue, parent=None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._stretches: tuple[Stretch, ...] = catalogue.stretches

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.beginResetModel()
        self._catalogue = catalogue
        self._stretches = catalogue.stretches
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._stretches)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._stretches):
            return None
        stretch = self._stretches[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return stretch.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return stretch.summary
        if role == StretchRole:
            return stretch
        if role == DurationRole:
            return format_duration(stretch.duration_seconds)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return f"{stretch.summary} {format_duration(stretch.duration_seconds)}"
        return None

    def stretch_at(self, row: int) -> Stretch:
        return self._stretches[row]


class StretchFilterModel(QSortFilterProxyModel):
    """Shows the rows whose stretch matches the current :class:`StretchQuery`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._query = StretchQuery()

    @property
    def query(self) -> StretchQuery:
        return self._query

    def set_query(self, query: StretchQuery) -> None:
        if query == self._query:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._query = query
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._query = query
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        stretch = model.data(model.index(source_row, 0, source_parent), StretchRole)
        return stretch is not None and self._query.matches(stretch)
