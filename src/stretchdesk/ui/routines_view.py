"""The Routines page: every routine, the builder, and routine files to share.

On the left the routines, built-in ones first (read-only, but they can be
duplicated) and then the user's own (new, duplicate, rename, delete, import,
export). In the middle the chosen routine in the
:class:`~stretchdesk.ui.routine_editor.RoutineEditor`; on the right a picker
of stretch cards to drag in. Changes are kept per routine until saved, and
saving goes through :class:`~stretchdesk.storage.routines_store.RoutineStore`,
which checks every file with the app's own loader.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Routine
from stretchdesk.core.routine_edit import insert_stretches, slug
from stretchdesk.core.timeline import routine_duration
from stretchdesk.library import Library, load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.storage.routines_store import InvalidFileError, RoutineStore, StoreError
from stretchdesk.ui.routine_editor import RoutineEditor
from stretchdesk.ui.stretch_picker import StretchPicker
from stretchdesk.ui.thumbnails import ThumbnailCache

RoutineIdRole = Qt.ItemDataRole.UserRole + 20


def is_user_routine(routine: Routine, paths: AppPaths | None) -> bool:
    """Whether ``routine`` comes from the user's routine folder (or was never saved)."""
    if paths is None or not routine.source:
        return False
    return Path(routine.source).parent == paths.user_routines_dir


def _count(n: int, noun: str) -> str:
    return f"one {noun}" if n == 1 else f"{n} {noun}s"


class RoutinesView(QSplitter):
    """Choose, build and share routines.

    Signals: ``routine_chosen(object)`` — open this Routine in the player;
    ``library_changed(object)`` — routines were saved, imported or deleted,
    and this is the Library read again.
    """

    routine_chosen = Signal(object)
    library_changed = Signal(object)

    def __init__(
        self,
        library: Library,
        paths: AppPaths | None,
        thumbnails: ThumbnailCache | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setChildrenCollapsible(False)
        self.library = library
        self.paths = paths
        self.thumbnails = thumbnails or ThumbnailCache(self)
        self.drafts: dict[str, Routine] = {}  # unsaved edits, by routine id
        self.unsaved_new: set[str] = set()  # drafts that have never been saved
        self.message_box: QMessageBox | None = None
        self.quick_dialog: QWidget | None = None
        self.list = QListWidget(self)
        self.list.setAccessibleName("Routines")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setIconSize(QSize(0, 0))
        self.quick_button = QPushButton("Quick routine…")
        self.quick_button.setToolTip("A routine for the time you have and where it hurts")
        self.new_button = QPushButton("New")
        self.new_button.setToolTip("Start a routine of your own")
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("Make a copy of the chosen routine that you can change")
        self.rename_button = QPushButton("Rename…")
        self.delete_button = QPushButton("Delete…")
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Add routines from a file someone shared with you")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the chosen routine as a file to share")
        self.editor = RoutineEditor(library.catalogue, self.thumbnails)
        self.picker = StretchPicker(library.catalogue, self.thumbnails)
        self._build()
        self._connect_signals()
        self._fill_list()

    @property
    def open_button(self) -> QPushButton:
        """The button that opens the chosen routine in the player."""
        return self.editor.start_button

    @property
    def store(self) -> RoutineStore | None:
        """Where the user's routines are saved (``None``: nowhere, they cannot be saved)."""
        if self.paths is None:
            return None
        builtin = [r for r in self.library.routines if not is_user_routine(r, self.paths)]
        return RoutineStore(self.paths, self.library.catalogue, builtin)

    def _build(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(12, 12, 6, 12)
        column.addWidget(QLabel("<b>Routines</b>"))
        column.addWidget(self.quick_button)
        column.addWidget(self.list, 1)
        grid = QGridLayout()
        buttons = (
            self.new_button,
            self.duplicate_button,
            self.rename_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        )
        for n, button in enumerate(buttons):
            grid.addWidget(button, n // 2, n % 2)
        column.addLayout(grid)
        middle = QWidget()
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(12, 12, 12, 12)
        mid_layout.addWidget(self.editor)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 12, 12, 12)
        right_layout.addWidget(self.picker)
        left.setMinimumWidth(210)
        middle.setMinimumWidth(320)
        right.setMinimumWidth(220)
        self.addWidget(left)
        self.addWidget(middle)
        self.addWidget(right)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setStretchFactor(2, 0)
        self.setSizes([280, 560, 300])

    def _connect_signals(self) -> None:
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemActivated.connect(lambda _item: self._start())
        self.quick_button.clicked.connect(lambda: self.open_quick(()))
        self.new_button.clicked.connect(lambda: self.new_routine())
        self.duplicate_button.clicked.connect(self._duplicate_current)
        self.rename_button.clicked.connect(self._ask_rename)
        self.delete_button.clicked.connect(self._ask_delete)
        self.import_button.clicked.connect(self._ask_import)
        self.export_button.clicked.connect(self._ask_export)
        self.editor.routine_changed.connect(self._edited)
        self.editor.save_requested.connect(self.save_current)
        self.editor.revert_requested.connect(self._revert_current)
        self.editor.start_requested.connect(self._start)
        self.picker.add_requested.connect(lambda stretch_id: self.editor.insert([stretch_id]))

    # --- the list ----------------------------------------------------------------------

    def routines(self) -> list[Routine]:
        """Every routine as shown: saved ones with their unsaved edits, then new drafts."""
        shown = [self.drafts.get(r.id, r) for r in self.library.routines]
        shown += [self.drafts[i] for i in sorted(self.unsaved_new) if i in self.drafts]
        return shown

    def routine(self, routine_id: str) -> Routine | None:
        return next((r for r in self.routines() if r.id == routine_id), None)

    def is_user(self, routine_id: str) -> bool:
        if routine_id in self.unsaved_new:
            return True
        saved = self.library.routine(routine_id)
        return saved is not None and is_user_routine(saved, self.paths)

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(RoutineIdRole) if item is not None else None

    def _fill_list(self, select: str | None = None) -> None:
        select = select or self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        routines = self.routines()
        builtin = [r for r in routines if not self.is_user(r.id)]
        mine = [r for r in routines if self.is_user(r.id)]
        self._add_section("Built in", builtin)
        self._add_section("Yours", mine, empty="None yet: duplicate one, or start a new one")
        self.list.blockSignals(False)
        ids = [self.list.item(r).data(RoutineIdRole) for r in range(self.list.count())]
        row = ids.index(select) if select and select in ids else None
        if row is None:
            row = next((r for r, i in enumerate(ids) if i), None)
        if row is not None:
            self.list.setCurrentRow(row)
        self._current_changed(self.list.currentItem())

    def _add_section(self, title: str, routines: Sequence[Routine], empty: str = "") -> None:
        header = QListWidgetItem(title.upper())
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        font = header.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        header.setFont(font)
        self.list.addItem(header)
        if not routines and empty:
            note = QListWidgetItem(empty)
            note.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(note)
        for routine in routines:
            item = QListWidgetItem(self._label(routine))
            item.setData(RoutineIdRole, routine.id)
            item.setToolTip(routine.description or routine.name)
            self.list.addItem(item)

    def _label(self, routine: Routine) -> str:
        try:
            length = format_duration(routine_duration(routine, self.library.catalogue))
        except KeyError:
            length = "?"
        if not routine.items:
            length = "empty"
        marker = " •" if routine.id in self.drafts else ""
        return f"{routine.name}{marker}\n{length}"

    def _current_changed(self, item: QListWidgetItem | None, _previous=None) -> None:
        routine_id = item.data(RoutineIdRole) if item is not None else None
        routine = self.routine(routine_id) if routine_id else None
        user = routine is not None and self.is_user(routine.id)
        self.editor.set_routine(routine, editable=user, dirty=routine_id in self.drafts)
        self.duplicate_button.setEnabled(routine is not None and bool(routine.items))
        self.rename_button.setEnabled(user)
        self.delete_button.setEnabled(user)
        self.export_button.setEnabled(routine is not None and bool(routine.items))
        can_save = self.paths is not None
        self.picker.add_button.setEnabled(user)
        self.new_button.setEnabled(True)
        self.import_button.setEnabled(can_save)

    def select(self, routine_id: str) -> None:
        self._fill_list(routine_id)

    def _edited(self, routine: Routine) -> None:
        self.drafts[routine.id] = routine
        item = self.list.currentItem()
        if item is not None and item.data(RoutineIdRole) == routine.id:
            item.setText(self._label(routine))

    # --- building ----------------------------------------------------------------------

    def _free_id(self, base: str) -> str:
        taken = {r.id for r in self.routines()}
        store = self.store
        candidate = base
        n = 1
        while candidate in taken or (store is not None and store.taken(candidate)):
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def new_routine(self, name: str = "My routine", stretch_ids: Iterable[str] = ()) -> str:
        """Start a new routine of the user's own (unsaved until Save); return its id."""
        routine_id = self._free_id(slug(name))
        routine = Routine(routine_id, name, "", ())
        routine = insert_stretches(routine, list(stretch_ids))
        self.drafts[routine_id] = routine
        self.unsaved_new.add(routine_id)
        self._fill_list(routine_id)
        self.editor.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor.name.selectAll()
        return routine_id

    def add_stretch_to(self, stretch_id: str, routine_id: str | None) -> None:
        """Add a stretch at the end of one of the user's routines, or of a new one."""
        if routine_id is None or not self.is_user(routine_id):
            stretch = self.library.catalogue.get(stretch_id)
            name = f"My {stretch.name.lower()} routine" if stretch else "My routine"
            self.new_routine(name, [stretch_id])
            return
        self.select(routine_id)
        self.editor.insert([stretch_id])
        self.picker.select(stretch_id)

    def duplicate(self, routine_id: str) -> str | None:
        """A copy of the routine as one of the user's own, saved at once; its id."""
        routine = self.routine(routine_id)
        if routine is None:
            return None
        new_id = self._free_id(
            slug(f"my-{routine.id}") if not self.is_user(routine_id) else routine.id
        )
        copy = dataclasses.replace(routine, id=new_id, name=f"{routine.name} (my copy)", source="")
        if self.store is None:
            self.drafts[new_id] = copy
            self.unsaved_new.add(new_id)
            self._fill_list(new_id)
            return new_id
        if self._save(copy):
            self.select(new_id)
            return new_id
        return None

    def _duplicate_current(self) -> None:
        routine_id = self.current_id()
        if routine_id:
            self.duplicate(routine_id)

    def save_current(self) -> bool:
        """Save the routine in the editor; ``False`` (and a message) if it could not be."""
        routine = self.editor.routine
        if routine is None or not self.editor.editable:
            return False
        return self._save(routine)

    def _save(self, routine: Routine) -> bool:
        store = self.store
        if store is None:
            self._tell("Routines cannot be saved here", "There is no folder to save them in.")
            return False
        try:
            store.save(dataclasses.replace(routine, source=""))
        except StoreError as exc:
            self._tell("The routine was not saved", str(exc), warning=True)
            return False
        self.drafts.pop(routine.id, None)
        self.unsaved_new.discard(routine.id)
        row = self.editor.items.currentRow() if self.current_id() == routine.id else 0
        self._reload(routine.id)
        if 0 <= row < self.editor.items.count():
            self.editor.items.setCurrentRow(row)
        return True

    def _revert_current(self) -> None:
        routine_id = self.current_id()
        if routine_id is None:
            return
        self.drafts.pop(routine_id, None)
        if routine_id in self.unsaved_new:
            self.unsaved_new.discard(routine_id)
            routine_id = None
        self._fill_list(routine_id)

    def rename(self, routine_id: str, name: str) -> bool:
        """Give one of the user's routines a new name (saved at once unless it is new)."""
        name = name.strip()
        routine = self.routine(routine_id)
        if routine is None or not name or not self.is_user(routine_id):
            return False
        renamed = dataclasses.replace(routine, name=name)
        if routine_id in self.unsaved_new or self.store is None or not renamed.items:
            self.drafts[routine_id] = renamed
            self._fill_list(routine_id)
            return True
        return self._save(renamed)

    def _ask_rename(self) -> None:
        routine_id = self.current_id()
        routine = self.routine(routine_id) if routine_id else None
        if routine is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename routine")
        dialog.setLabelText("New name:")
        dialog.setTextValue(routine.name)
        dialog.textValueSelected.connect(lambda text: self.rename(routine.id, text))
        dialog.open()

    def delete(self, routine_id: str) -> bool:
        """Delete one of the user's routines (its file goes to the ``deleted`` folder)."""
        if not self.is_user(routine_id):
            return False
        if routine_id in self.unsaved_new:
            self.unsaved_new.discard(routine_id)
            self.drafts.pop(routine_id, None)
            self._fill_list()
            return True
        store = self.store
        if store is None:
            return False
        try:
            store.delete(routine_id)
        except StoreError as exc:
            self._tell("The routine was not deleted", str(exc), warning=True)
            return False
        self.drafts.pop(routine_id, None)
        self._reload(None)
        return True

    def _ask_delete(self) -> None:
        routine_id = self.current_id()
        routine = self.routine(routine_id) if routine_id else None
        if routine is None or not self.is_user(routine.id):
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Delete routine")
        box.setText(f"Delete {routine.name}?")
        box.setInformativeText(
            "Its file is moved to the “deleted” folder beside your routines, so it can be put back."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        box.accepted.connect(lambda: self.delete(routine.id))
        self.message_box = box
        box.open()

    # --- files -------------------------------------------------------------------------

    def import_path(self, path: Path) -> bool:
        """Import every routine of a file; on any problem, say which line and change nothing."""
        store = self.store
        if store is None:
            return False
        try:
            result = store.import_file(Path(path))
        except InvalidFileError as exc:
            lines = "\n".join(
                f"Line {p.line}, column {p.column}: {p.message}" for p in exc.problems
            )
            self._tell(
                "Nothing was imported",
                f"{exc.path.name} has {_count(len(exc.problems), 'mistake')}, so nothing was "
                f"imported and your routines are as they were.\n{lines}",
                warning=True,
                details="\n".join(str(p) for p in exc.problems),
            )
            return False
        except StoreError as exc:
            self._tell("Nothing was imported", str(exc), warning=True)
            return False
        names = ", ".join(r.name for r in result.routines)
        self._reload(result.routines[0].id if result.routines else None)
        self._tell("Imported", f"Added to your routines: {names}.")
        return True

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a routine", str(Path.home()), "Routine files (*.yaml *.yml)"
        )
        if path:
            self.import_path(Path(path))

    def export_routine(self, routine_id: str, path: Path) -> bool:
        """Write the routine to ``path`` as a file to share (replacing it)."""
        routine = self.routine(routine_id)
        store = self.store
        if routine is None or store is None:
            return False
        try:
            store.export(routine, Path(path), overwrite=True)
        except StoreError as exc:
            self._tell("The routine was not exported", str(exc), warning=True)
            return False
        return True

    def _ask_export(self) -> None:
        routine_id = self.current_id()
        if routine_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export the routine",
            str(Path.home() / f"{routine_id}.yaml"),
            "Routine files (*.yaml)",
        )
        if path and self.export_routine(routine_id, Path(path)):
            self._tell("Exported", f"The routine was written to {path}.")

    # --- quick routine -------------------------------------------------------------------

    def open_quick(self, areas: Iterable[str]) -> None:
        """The quick routine form, with these areas ticked."""
        from stretchdesk.ui.quick_routine import QuickRoutineDialog

        dialog = QuickRoutineDialog(self.library.catalogue, tuple(areas), parent=self)
        dialog.start_requested.connect(self.routine_chosen)
        dialog.save_requested.connect(self._save_quick)
        self.quick_dialog = dialog
        dialog.open()

    def _save_quick(self, routine: Routine) -> None:
        new_id = self._free_id(routine.id)
        if self._save(dataclasses.replace(routine, id=new_id)):
            self.select(new_id)

    # --- helpers -----------------------------------------------------------------------

    def _start(self) -> None:
        routine = self.editor.routine
        if routine is not None and routine.items:
            self.routine_chosen.emit(routine)

    def _reload(self, select: str | None) -> None:
        if self.paths is not None:
            self.library = load_library(self.paths)
        self.editor.set_catalogue(self.library.catalogue)
        self._fill_list(select)
        self.library_changed.emit(self.library)

    def set_library(self, library: Library) -> None:
        """Show routines read again elsewhere (a new stretch of the user's)."""
        if library is self.library:
            return
        self.library = library
        self.editor.set_catalogue(library.catalogue)
        self.picker.set_catalogue(library.catalogue)
        self._fill_list()

    def _tell(self, title: str, text: str, *, warning: bool = False, details: str = "") -> None:
        """Say what happened in a message that does not block."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
        box.setWindowTitle(title)
        first, _, rest = text.partition("\n")
        box.setText(first)
        if rest:
            box.setInformativeText(rest)
        if details:
            box.setDetailedText(details)
        self.message_box = box
        box.open()
