"""The main window opens on the stretch browser and keeps its geometry and problems."""

from __future__ import annotations

import pytest

from stretchdesk.core.yamlsafe import Problem
from stretchdesk.library import Library, load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.main_window import MainWindow


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


def test_title_and_all_stretches_listed(window):
    assert window.windowTitle() == "StretchDesk"
    view = window.catalogue_view
    assert window.pages.currentWidget() is view
    assert view.proxy.stretch_ids() == [s.id for s in window.library.catalogue.stretches]
    assert view.count_label.text() == f"All {len(window.library.catalogue)} stretches"


def test_choosing_an_area_filters_and_selecting_shows_the_stretch(window, qtbot):
    view = window.catalogue_view
    view.select_area("neck")
    ids = view.proxy.stretch_ids()
    assert ids and all("neck" in window.library.catalogue[i].areas for i in ids)
    assert view.body_map.selected() == ["neck"]
    with qtbot.waitSignal(view.stretch_selected) as blocker:
        view.stretches.setCurrentIndex(view.proxy.index(0, 0))
    assert blocker.args == [ids[0]]
    first = window.library.catalogue[ids[0]]
    assert first.name in view.detail.text()
    assert first.steps[0].text in view.detail.text()


def test_routines_page_and_player_are_built_on_first_use(window):
    assert window._routines_view is None and window._player is None
    window.routines_action.trigger()
    assert window.pages.currentWidget() is window.routines_view


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
