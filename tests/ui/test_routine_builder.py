"""The routine builder: add, reorder, override, save, delete, import, and the quick routine."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from tests.ui.leftovers import no_leftovers  # noqa: F401

from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Sides
from stretchdesk.core.routine import load_routines
from stretchdesk.core.timeline import expand
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.quick_routine import QuickRoutineDialog
from stretchdesk.ui.routines_view import RoutinesView
from stretchdesk.ui.stretch_model import stretch_mime

pytestmark = pytest.mark.usefixtures("no_leftovers")


@pytest.fixture
def paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


@pytest.fixture
def view(qtbot, paths):
    widget = RoutinesView(load_library(paths), paths)
    qtbot.addWidget(widget)
    widget.resize(1200, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def files(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def ids(view: RoutinesView) -> tuple[str, ...]:
    return view.editor.routine.stretch_ids


def test_built_in_routines_are_read_only(view):
    first = view.library.routines[0]
    assert view.current_id() == first.id
    assert not view.editor.editable
    assert not view.delete_button.isEnabled() and not view.rename_button.isEnabled()
    assert view.duplicate_button.isEnabled()
    view.editor.insert(["cat-cow"])
    assert view.editor.routine == first
    assert not view.delete(first.id)


def test_add_by_button_and_by_drop_and_the_duration_updates(view, qtbot):
    view.new_routine("Evening wind-down")
    editor = view.editor
    assert editor.editable and editor.total.text() == "No stretches yet"
    view.picker.select("childs-pose")
    qtbot.mouseClick(view.picker.add_button, Qt.MouseButton.LeftButton)
    assert ids(view) == ("childs-pose",)
    one = editor.duration()
    assert one == expand(editor.routine, view.library.catalogue).duration
    mime = stretch_mime(["cat-cow"])  # kept: the event only points at it
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    editor.items.dropEvent(drop)
    assert ids(view) == ("cat-cow", "childs-pose")
    assert editor.duration() > one
    assert editor.total.text().startswith("Total ")
    assert editor.save_button.isEnabled()


def test_reorder_with_the_keyboard(view, qtbot):
    view.new_routine("Order", ["cat-cow", "childs-pose", "knee-to-chest"])
    items = view.editor.items
    items.setFocus()
    items.setCurrentRow(0)
    qtbot.keyClick(items, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert ids(view) == ("childs-pose", "cat-cow", "knee-to-chest")
    assert items.currentRow() == 1
    qtbot.keyClick(items, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(items, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # already last
    assert ids(view) == ("childs-pose", "knee-to-chest", "cat-cow")
    qtbot.keyClick(items, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert ids(view) == ("childs-pose", "cat-cow", "knee-to-chest")
    qtbot.keyClick(items, Qt.Key.Key_Delete)
    assert ids(view) == ("childs-pose", "knee-to-chest")


def test_reorder_by_dragging_rows(view):
    view.new_routine("Drag", ["cat-cow", "childs-pose", "knee-to-chest"])
    view.editor._reordered([2, 0, 1])
    assert ids(view) == ("knee-to-chest", "cat-cow", "childs-pose")


def test_overrides_change_the_item_and_the_total(view):
    view.new_routine("Longer", ["childs-pose", "cat-cow"])
    editor = view.editor
    before = editor.duration()
    editor.items.setCurrentRow(0)
    editor.amount.setValue(60)
    editor.sets.setValue(2)
    item = editor.routine.items[0]
    assert (item.hold_seconds, item.sets) == (60.0, 2)
    catalogue = view.library.catalogue
    # 30 s more in the first set, a second set of 60 s, and the pause between the sets
    expected = before + 30 + 60 + editor.routine.switch_seconds
    assert editor.duration() == expand(editor.routine, catalogue).duration == expected
    assert editor.total.text() == f"Total {format_duration(expected)}"
    editor.items.setCurrentRow(1)
    editor.sides.setCurrentIndex(editor.sides.findData(Sides.ALTERNATING))
    assert editor.routine.items[1].sides is Sides.ALTERNATING
    editor.reset_button.click()
    assert editor.routine.items[1].sides is None


def test_save_and_load_round_trip(view, paths):
    view.new_routine("My mornings", ["cat-cow", "childs-pose"])
    view.editor.items.setCurrentRow(1)
    view.editor.amount.setValue(45)
    routine = view.editor.routine
    assert view.save_current()
    loaded = load_routines(None, paths.user_routines_dir, view.library.catalogue).routines
    assert [(r.id, r.name, r.items) for r in loaded] == [(routine.id, routine.name, routine.items)]
    again = load_library(paths).routine(routine.id)
    assert again is not None and again.items == routine.items
    assert view.is_user(routine.id) and not view.editor.dirty


def test_duplicate_rename_and_delete_only_the_users_routines(view, paths):
    builtin = view.library.routines[0]
    copy_id = view.duplicate(builtin.id)
    assert copy_id and copy_id != builtin.id and view.is_user(copy_id)
    assert view.routine(copy_id).items == builtin.items
    assert view.rename(copy_id, "Mine now")
    assert load_library(paths).routine(copy_id).name == "Mine now"
    assert not view.delete(builtin.id)
    assert view.delete(copy_id)
    assert load_library(paths).routine(copy_id) is None
    assert load_library(paths).routine(builtin.id) is not None
    assert (paths.user_routines_dir / "deleted").is_dir()


def test_a_broken_import_names_the_line_and_changes_nothing(view, paths, tmp_path):
    view.new_routine("Keep me", ["cat-cow"])
    assert view.save_current()
    before = files(paths.data_dir)
    broken = tmp_path / "shared.yaml"
    broken.write_text(
        "version: 1\nroutines:\n  - id: from-physio\n    name: From my physio\n"
        "    items:\n      - cat-cow\n      - no-such-stretch\n",
        encoding="utf-8",
    )
    assert not view.import_path(broken)
    message = view.message_box
    assert message is not None
    assert "Line 7, column 9: unknown stretch" in message.informativeText()
    assert files(paths.data_dir) == before
    message.close()


def test_a_good_import_and_an_export(view, paths, tmp_path):
    shared = tmp_path / "shared.yaml"
    assert view.export_routine(view.library.routines[0].id, shared)
    assert view.import_path(shared)
    imported = [r for r in view.library.routines if view.is_user(r.id)]
    assert len(imported) == 1 and imported[0].items == view.library.routines[0].items
    view.message_box.close()


def test_the_quick_routine_says_why_and_can_be_saved(view, qtbot, paths):
    dialog = QuickRoutineDialog(view.library.catalogue, ("lower-back",), parent=view)
    dialog.show()
    assert dialog.result is not None and dialog.result.routine.items
    reasons = [
        dialog.items.item(r).data(Qt.ItemDataRole.AccessibleTextRole)
        for r in range(dialog.items.count())
    ]
    assert all("\n" in r and r.split("\n", 1)[1].strip() for r in reasons)
    dialog.minutes.setValue(5)
    dialog.save_requested.connect(view._save_quick)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = [r for r in load_library(paths).routines if r.source]
    assert any(r.name.startswith("Quick 5 minutes") for r in saved)


def test_dropping_in_a_read_only_routine_does_nothing(view):
    mime = QMimeData()
    event = QDropEvent(
        QPointF(QPoint(5, 5)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    before = view.editor.routine
    view.editor.items.dropEvent(event)
    assert view.editor.routine == before
