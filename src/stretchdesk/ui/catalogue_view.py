"""The catalogue by body area: areas on the left, their stretches, and the chosen one in full."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Catalogue, Sides, Stretch
from stretchdesk.core.query import StretchQuery, area_counts
from stretchdesk.ui.stretch_model import StretchFilterModel, StretchListModel, StretchRole

ALL_AREAS = ""


class CatalogueView(QSplitter):
    """Signals: ``stretch_selected(str)`` with the id of the stretch shown in full."""

    stretch_selected = Signal(str)

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.catalogue = catalogue
        self.areas = QListWidget(self)
        self.areas.setAccessibleName("Body areas")
        self.model = StretchListModel(catalogue, self)
        self.proxy = StretchFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.stretches = QListView(self)
        self.stretches.setAccessibleName("Stretches")
        self.stretches.setModel(self.proxy)
        self.stretches.setUniformItemSizes(True)
        self.detail = QTextBrowser(self)
        self.detail.setAccessibleName("Stretch details")
        self.detail.setOpenLinks(False)
        self._empty = QLabel("Choose a stretch to see how it is done.", self.detail)
        self._build()
        self._connect_signals()
        self.areas.setCurrentRow(0)

    def _build(self) -> None:
        counts = area_counts(self.catalogue)
        total = QListWidgetItem(f"All stretches  ({len(self.catalogue)})")
        total.setData(Qt.ItemDataRole.UserRole, ALL_AREAS)
        self.areas.addItem(total)
        for area in self.catalogue.areas:
            item = QListWidgetItem(f"{area.name}  ({counts.get(area.id, 0)})")
            item.setData(Qt.ItemDataRole.UserRole, area.id)
            self.areas.addItem(item)
        left = QWidget(self)
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>Where does it feel tight?</b>", left)
        heading.setContentsMargins(6, 6, 6, 2)
        layout.addWidget(heading)
        layout.addWidget(self.areas)
        self.addWidget(left)
        self.addWidget(self.stretches)
        self.addWidget(self.detail)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setStretchFactor(2, 2)
        self.setSizes([220, 280, 560])
        self._show_stretch(None)

    def _connect_signals(self) -> None:
        self.areas.currentItemChanged.connect(self._area_changed)
        self.stretches.selectionModel().currentChanged.connect(self._current_changed)

    def _area_changed(self, current: QListWidgetItem | None, _previous=None) -> None:
        area = current.data(Qt.ItemDataRole.UserRole) if current else ALL_AREAS
        self.proxy.set_query(StretchQuery(areas=frozenset({area}) if area else frozenset()))
        if self.proxy.rowCount():
            first = self.proxy.index(0, 0)
            if self.stretches.currentIndex() == first:
                self._current_changed(first)  # the row stayed, the stretch in it did not
            else:
                self.stretches.setCurrentIndex(first)
        else:
            self._show_stretch(None)

    def select_area(self, area_id: str) -> None:
        for row in range(self.areas.count()):
            if self.areas.item(row).data(Qt.ItemDataRole.UserRole) == area_id:
                self.areas.setCurrentRow(row)
                return

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        stretch = current.data(StretchRole) if current.isValid() else None
        self._show_stretch(stretch)
        if stretch is not None:
            self.stretch_selected.emit(stretch.id)

    def _show_stretch(self, stretch: Stretch | None) -> None:
        self._empty.setVisible(stretch is None)
        self.detail.setHtml(stretch_html(stretch, self.catalogue) if stretch else "")


def _dose_text(stretch: Stretch) -> str:
    if stretch.hold_seconds is not None:
        text = f"Hold {format_duration(stretch.hold_seconds)}"
    else:
        text = f"{stretch.reps} slow reps"
    if stretch.sides is Sides.EACH:
        text += " on each side"
    elif stretch.sides is Sides.ALTERNATING:
        text += " on each side, alternating"
    if stretch.sets > 1:
        text += f", {stretch.sets} times"
    return f"{text} · about {format_duration(stretch.duration_seconds)} in all"


def stretch_html(stretch: Stretch, catalogue: Catalogue) -> str:
    """The detail pane's page for one stretch (rich text Qt can show)."""
    esc = html.escape
    areas = ", ".join(esc(a.name) for a in catalogue.areas if a.id in stretch.areas)
    parts = [
        f"<h2>{esc(stretch.name)}</h2>",
        f"<p>{esc(stretch.summary)}</p>",
        f"<p><b>Works:</b> {areas}<br><b>Dose:</b> {esc(_dose_text(stretch))}</p>",
    ]
    if stretch.equipment:
        names = [e.name for e in catalogue.equipment if e.id in stretch.equipment]
        parts.append(f"<p><b>You need:</b> {esc(', '.join(names))}</p>")
    parts.append("<h3>How to do it</h3><ol>")
    parts += [f"<li>{esc(step.text)}</li>" for step in stretch.steps]
    parts.append("</ol>")
    if stretch.tips:
        parts.append("<h3>Tips</h3><ul>")
        parts += [f"<li>{esc(t)}</li>" for t in stretch.tips]
        parts.append("</ul>")
    if stretch.cautions:
        parts.append("<h3>Take care</h3><ul>")
        parts += [f"<li>{esc(c)}</li>" for c in stretch.cautions]
        parts.append("</ul>")
    return "".join(parts)
