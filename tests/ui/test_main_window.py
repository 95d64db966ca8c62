"""The main window lists the catalogue by body area and shows the chosen stretch."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from stretchdesk.core.yamlsafe import Problem
from stretchdesk.library import Library, load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.stretch_model import StretchRole


@pytest.fixture
def paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


@pytest.fixture
def window(qtbot, paths):
    win = MainWindow(load_library(paths), paths.config_dir / "window-state.ini")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def shown_ids(view) -> list[str]:
    proxy = view.proxy
    return [proxy.index(r, 0).data(StretchRole).id for r in range(proxy.rowCount())]


def test_title_and_all_stretches_listed(window):
    assert window.windowTitle() == "StretchDesk"
    view = window.catalogue_view
    assert view.areas.item(0).text().startswith("All stretches")
    assert len(shown_ids(view)) == len(window.library.catalogue)


def test_choosing_an_area_filters_and_shows_the_first_stretch(window, qtbot):
    view = window.catalogue_view
    view.select_area("neck")
    ids = shown_ids(view)
    assert ids and all("neck" in window.library.catalogue[i].areas for i in ids)
    assert view.areas.currentItem().text().startswith("Neck")
    first = window.library.catalogue[ids[0]]
    assert first.name in view.detail.toPlainText()
    assert first.steps[0].text in view.detail.toPlainText()


def test_every_area_shows_its_count(window):
    view = window.catalogue_view
    catalogue = window.library.catalogue
    for row in range(1, view.areas.count()):
        item = view.areas.item(row)
        area = item.data(Qt.ItemDataRole.UserRole)
        count = sum(area in s.areas for s in catalogue.stretches)
        assert item.text().endswith(f"({count})")


def test_selecting_a_stretch_emits_its_id(window, qtbot):
    view = window.catalogue_view
    with qtbot.waitSignal(view.stretch_selected) as blocker:
        view.stretches.setCurrentIndex(view.proxy.index(1, 0))
    assert blocker.args == [shown_ids(view)[1]]


def test_problems_in_user_files_are_offered_in_the_status_bar(qtbot, paths):
    library = load_library(paths)
    broken = Library(
        library.catalogue,
        (Problem("mine.yaml", 3, 5, "stretches[0].areas[0]", "unknown body area"),),
        (),
    )
    win = MainWindow(broken, paths.config_dir / "window-state.ini")
    qtbot.addWidget(win)
    assert "1 problem in 1 of your files" in win._problems_label.text()


def test_geometry_is_remembered_in_the_config_dir(qtbot, paths):
    win = MainWindow(load_library(paths), paths.config_dir / "window-state.ini")
    qtbot.addWidget(win)
    win.show()
    win.resize(760, 520)
    win.close()
    assert (paths.config_dir / "window-state.ini").exists()
    again = MainWindow(load_library(paths), paths.config_dir / "window-state.ini")
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 520)
