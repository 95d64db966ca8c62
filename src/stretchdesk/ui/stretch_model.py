"""A list model over the catalogue's stretches, and a proxy that filters it by a query.

The model gives each stretch's name, areas and duration for the cards, and
drags carry the stretch id (:data:`STRETCH_MIME`) so a card can be dropped
into a routine. The proxy applies a :class:`~stretchdesk.core.query.StretchQuery`;
the search text of every stretch is worked out once per catalogue, so a
keystroke in the search box only compares strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Catalogue, Stretch
from stretchdesk.core.query import StretchIndex, StretchQuery

_Index = QModelIndex | QPersistentModelIndex

StretchRole = Qt.ItemDataRole.UserRole + 1
DurationRole = Qt.ItemDataRole.UserRole + 2
AreasRole = Qt.ItemDataRole.UserRole + 3
StretchIdRole = Qt.ItemDataRole.UserRole + 4

#: The MIME type of a dragged stretch: its id, UTF-8 encoded.
STRETCH_MIME = "application/x-stretchdesk-stretch"


def stretch_ids_from_mime(mime: QMimeData) -> list[str]:
    """The stretch ids a drag carries (one per line), or none."""
    if not mime.hasFormat(STRETCH_MIME):
        return []
    text = bytes(mime.data(STRETCH_MIME).data()).decode("utf-8", "replace")
    return [line for line in text.splitlines() if line]


def stretch_mime(stretch_ids: Sequence[str]) -> QMimeData:
    """MIME data carrying ``stretch_ids`` (and their ids as plain text)."""
    mime = QMimeData()
    text = "\n".join(stretch_ids)
    mime.setData(STRETCH_MIME, QByteArray(text.encode("utf-8")))
    mime.setText(text)
    return mime


class StretchListModel(QAbstractListModel):
    """One row per stretch, in catalogue order.

    Roles: ``DisplayRole`` the name, ``StretchRole`` the Stretch itself,
    ``StretchIdRole`` its id, ``AreasRole`` its area names, ``DurationRole``
    its working time as text.
    """

    def __init__(self, catalogue: Catalogue, parent=None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._stretches: tuple[Stretch, ...] = catalogue.stretches
        self._area_names = {a.id: a.name for a in catalogue.areas}
        self._index: StretchIndex | None = None

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.beginResetModel()
        self._catalogue = catalogue
        self._stretches = catalogue.stretches
        self._area_names = {a.id: a.name for a in catalogue.areas}
        self._index = None
        self.endResetModel()

    @property
    def stretches(self) -> tuple[Stretch, ...]:
        return self._stretches

    @property
    def index_of_stretches(self) -> StretchIndex:
        """The rows by area, kind, ... and their search text (built once per catalogue)."""
        if self._index is None:
            self._index = StretchIndex(self._stretches)
        return self._index

    def area_names(self, stretch: Stretch) -> str:
        return ", ".join(self._area_names.get(a, a) for a in stretch.areas)

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
        if role == StretchIdRole:
            return stretch.id
        if role == AreasRole:
            return self.area_names(stretch)
        if role == DurationRole:
            return format_duration(stretch.duration_seconds)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return stretch.name
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return (
                f"{self.area_names(stretch)}. {format_duration(stretch.duration_seconds)}. "
                f"{stretch.summary}"
            )
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [STRETCH_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return stretch_mime([self._stretches[r].id for r in rows])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def stretch_at(self, row: int) -> Stretch:
        return self._stretches[row]

    def row_of(self, stretch_id: str) -> int:
        """The row of the stretch with this id, or -1."""
        for row, stretch in enumerate(self._stretches):
            if stretch.id == stretch_id:
                return row
        return -1


class StretchFilterModel(QSortFilterProxyModel):
    """Shows the rows whose stretch matches the current :class:`StretchQuery`.

    The source must be a :class:`StretchListModel`. A new query is answered
    for every row in one pass (typing one more letter only looks again at the
    rows already shown), so Qt's per-row question is a lookup.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._query = StretchQuery()
        self._accepted: list[bool] | None = None
        self.sourceModelChanged.connect(self._forget)

    @property
    def query(self) -> StretchQuery:
        return self._query

    def set_query(self, query: StretchQuery) -> None:
        if query == self._query:
            return
        accepted = self._answer(query)
        if accepted == self._accepted:  # the same rows: nothing for the view to do
            self._query = query
            return
        # One layout change rather than a signal per range of rows shown or hidden: a
        # search over thousands of stretches hides and shows rows all over the list.
        self._query, self._accepted = query, accepted
        self.invalidate()

    def _answer(self, query: StretchQuery) -> list[bool]:
        """Whether each source row matches ``query``."""
        model = self.sourceModel()
        if not isinstance(model, StretchListModel):
            return []
        previous = self._accepted
        among = None
        if (
            previous is not None
            and len(previous) == model.rowCount()
            and self._query.narrows(query)
        ):
            among = [r for r, shown in enumerate(previous) if shown]
        return model.index_of_stretches.mask(query, among)

    def _forget(self) -> None:
        self._accepted = None
        model = self.sourceModel()
        if isinstance(model, StretchListModel):
            model.modelAboutToBeReset.connect(self._forget_rows)
            model.rowsAboutToBeInserted.connect(self._forget_rows)
            model.rowsAboutToBeRemoved.connect(self._forget_rows)

    def _forget_rows(self, *_args) -> None:
        self._accepted = None

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        accepted = self._accepted
        if accepted is None:
            self._accepted = accepted = self._answer(self._query)
        try:
            return accepted[source_row]
        except IndexError:
            return False

    def stretch_ids(self) -> list[str]:
        """The ids of the rows shown, in order."""
        model = self.sourceModel()
        assert isinstance(model, StretchListModel)
        return [
            model.stretch_at(self.mapToSource(self.index(r, 0)).row()).id
            for r in range(self.rowCount())
        ]
