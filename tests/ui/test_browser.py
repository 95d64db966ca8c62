"""The stretch browser: the body map, the chips, the cards and the detail pane."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from tests.ui.leftovers import no_leftovers  # noqa: F401

from stretchdesk.core.model import Kind
from stretchdesk.core.settings import Settings
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.body_map import BodyMap
from stretchdesk.ui.catalogue_view import CatalogueView
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.stretch_preview import preview_segments

pytestmark = pytest.mark.usefixtures("no_leftovers")


@pytest.fixture
def paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


@pytest.fixture
def library(paths):
    return load_library(paths)


@pytest.fixture
def view(qtbot, library):
    widget = CatalogueView(library.catalogue)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def window(qtbot, paths, library):
    win = MainWindow(
        library,
        paths.config_dir / "state.ini",
        Settings().evolve({"safety.check_in": False}),
        paths=paths,
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win._player is not None:
        win._player.close_session()


def areas_of(view: CatalogueView, stretch_id: str) -> tuple[str, ...]:
    return view.catalogue[stretch_id].areas


def click_area(qtbot, body_map: BodyMap, area_id: str, view: str | None = None) -> None:
    point = body_map.region_point(area_id, view).toPoint()
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=point)


def test_every_area_of_the_taxonomy_is_on_the_map_with_its_count(view):
    body_map = view.body_map
    catalogue = view.catalogue
    assert set(body_map.area_ids) == {a.id for a in catalogue.areas}
    for area in catalogue.areas:
        views = {r.view for r in body_map.regions if r.area.id == area.id}
        assert views == ({"front", "back"} if area.view == "both" else {area.view})
    hips = sum("hips" in s.areas for s in catalogue.stretches)
    assert body_map._counts["hips"] == hips


def test_clicking_areas_selects_them_and_filters(view, qtbot):
    click_area(qtbot, view.body_map, "lower-back")
    assert view.body_map.selected() == ["lower-back"]
    shown = view.proxy.stretch_ids()
    assert shown and all("lower-back" in areas_of(view, i) for i in shown)
    click_area(qtbot, view.body_map, "neck", "front")
    assert view.body_map.selected() == ["neck", "lower-back"]
    both = view.proxy.stretch_ids()
    assert set(shown) <= set(both)
    assert all({"neck", "lower-back"} & set(areas_of(view, i)) for i in both)
    click_area(qtbot, view.body_map, "neck", "back")  # the same area on the other view
    assert view.body_map.selected() == ["lower-back"]
    assert view.proxy.stretch_ids() == shown


def test_hovering_names_the_area_and_its_count(view, qtbot):
    body_map = view.body_map
    qtbot.mouseMove(body_map, body_map.region_point("hamstrings").toPoint())
    assert body_map.hovered_area == "hamstrings"
    assert body_map.caption().startswith("Hamstrings · ")


def test_the_keyboard_moves_between_areas_and_space_chooses(view, qtbot):
    body_map = view.body_map
    body_map.setFocus()
    start = body_map.focused_area
    visited = {start}
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Up):
        qtbot.keyClick(body_map, key)
        visited.add(body_map.focused_area)
    assert len(visited) >= 3
    focused = body_map.focused_area
    qtbot.keyClick(body_map, Qt.Key.Key_Space)
    assert body_map.selected() == [focused]
    assert "chosen" in body_map.accessibleDescription()
    assert all(focused in areas_of(view, i) for i in view.proxy.stretch_ids())
    qtbot.keyClick(body_map, Qt.Key.Key_Escape)
    assert body_map.selected() == []
    assert view.proxy.rowCount() == len(view.catalogue)


def test_chips_and_search_filter_together(view, qtbot):
    qtbot.mouseClick(view.filters.kinds[Kind.DYNAMIC], Qt.MouseButton.LeftButton)
    moves = view.proxy.stretch_ids()
    assert moves and all(view.catalogue[i].kind is Kind.DYNAMIC for i in moves)
    qtbot.mouseClick(view.filters.flare_safe, Qt.MouseButton.LeftButton)
    gentle = view.proxy.stretch_ids()
    assert set(gentle) <= set(moves) and all(view.catalogue[i].flare_safe for i in gentle)
    qtbot.keyClicks(view.search, "cat")
    assert view.proxy.stretch_ids() == [i for i in gentle if "cat" in i]
    assert view.count_label.text().startswith(f"{view.proxy.rowCount()} of ")
    view.clear_filters.click()
    view.search.clear()
    assert view.proxy.rowCount() == len(view.catalogue)


def test_cards_get_their_thumbnails_lazily(view, qtbot):
    cache = view.thumbnails
    qtbot.waitUntil(lambda: cache.pending == 0 and len(cache._pixmaps) > 0)
    rendered = len(cache._pixmaps)
    assert rendered < len(view.catalogue)  # only the cards in view
    first = view.catalogue.stretches[0]
    assert cache.thumbnail(first, view.delegate.picture_size, view.stretches.palette())


def test_the_detail_pane_shows_every_step_with_its_picture(view, qtbot):
    stretch = next(s for s in view.catalogue.stretches if len(s.steps) >= 3 and s.cautions)
    assert view.show_stretch(stretch.id)
    detail = view.detail
    text = detail.text()
    assert stretch.name in text
    for step in stretch.steps:
        assert step.text in text
    for caution in stretch.cautions:
        assert caution in text
    assert len(detail._step_pictures) == len(stretch.steps)
    qtbot.waitUntil(lambda: all(not label.pixmap().isNull() for label, _ in detail._step_pictures))
    assert detail.preview is not None and detail.preview.running


def test_the_preview_loops_the_hold_on_each_side(library):
    stretch = next(s for s in library.catalogue.stretches if s.hold_seconds and s.side_count == 2)
    segments = preview_segments(stretch)
    holds = [s for s in segments if s.kind.value == "hold"]
    assert [h.side.value for h in holds] == ["left", "right"]


def test_try_now_plays_the_stretch_in_the_player(window, qtbot):
    view = window.catalogue_view
    stretch = window.library.catalogue.stretches[3]
    view.show_stretch(stretch.id)
    qtbot.mouseClick(view.detail.try_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.player
    assert window.player.plan.routine.stretch_ids == (stretch.id,)


def test_add_to_routine_offers_the_users_routines_and_a_new_one(window, qtbot):
    view = window.catalogue_view
    stretch = window.library.catalogue.stretches[0]
    view.show_stretch(stretch.id)
    view.detail._fill_add_menu()
    assert [a.text() for a in view.detail.add_menu.actions()] == ["New routine…"]
    view.detail.add_menu.actions()[-1].trigger()
    routines = window.routines_view
    assert window.pages.currentWidget() is routines
    assert routines.editor.routine.stretch_ids == (stretch.id,)
    assert routines.save_current()
    view.detail._fill_add_menu()
    names = [a.text() for a in view.detail.add_menu.actions()]
    assert routines.editor.routine.name in names


def test_a_card_can_be_dragged(view):
    index = view.proxy.index(0, 0)
    assert view.proxy.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    mime = view.proxy.mimeData([index])
    assert mime.text() == view.proxy.stretch_ids()[0]


def test_the_browser_fits_a_small_window(view, qtbot):
    view.show_stretch(view.catalogue.stretches[0].id)
    view.resize(800, 560)
    qtbot.wait(10)
    assert view.body_map.width() > 150
    assert view.stretches.width() > 150
    assert view.detail.isVisible() and view.detail.width() > 150
    assert view.detail.content.width() <= view.detail.viewport().width()
