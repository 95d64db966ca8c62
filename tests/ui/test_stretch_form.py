"""A stretch of the user's own: the form saves a file the catalogue loader accepts."""

from __future__ import annotations

import pytest
from tests.ui.leftovers import no_leftovers  # noqa: F401

from stretchdesk.core.loader import load_catalogue
from stretchdesk.core.model import Sides
from stretchdesk.library import builtin_catalogue_file, load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.main_window import MainWindow
from stretchdesk.ui.stretch_form import StretchForm

pytestmark = pytest.mark.usefixtures("no_leftovers")


@pytest.fixture
def paths(tmp_path):
    return AppPaths.resolve(tmp_path / "config", tmp_path / "data")


def fill(form: StretchForm, *, reps: bool = False) -> None:
    form.name.setText("Doorway lean")
    form.summary.setText("Opens the chest after a long day at the keyboard.")
    form.area_boxes["chest"].setChecked(True)
    form.area_boxes["shoulders"].setChecked(True)
    form.set_step(0, "Stand in a doorway with your forearms on the frame.", "stand-tall")
    form.add_new_step()
    form.set_step(1, "Lean forward until you feel a stretch across the chest.", "stand-tall")
    if reps:
        form.reps_radio.setChecked(True)
        form.reps.setValue(6)
        form.tempo.setCurrentIndex(1)
        form.sides.setCurrentIndex(form.sides.findData(Sides.ALTERNATING))
    else:
        form.hold.setValue(40)
        form.sides.setCurrentIndex(form.sides.findData(Sides.EACH))
    form.tips.setPlainText("Keep your ribs down.\n\nBreathe slowly.")


@pytest.mark.parametrize("reps", [False, True])
def test_the_form_saves_a_stretch_the_loader_accepts(qtbot, paths, reps):
    library = load_library(paths)
    form = StretchForm(library.catalogue, paths)
    qtbot.addWidget(form)
    fill(form, reps=reps)
    with qtbot.waitSignal(form.stretch_saved) as saved:
        assert form.save()
    assert saved.args == ["doorway-lean"]
    assert form.saved_path.parent == paths.user_stretches_dir
    result = load_catalogue(builtin_catalogue_file(), paths.user_stretches_dir)
    assert not result.problems
    stretch = result.catalogue["doorway-lean"]
    assert stretch.areas == ("shoulders", "chest")
    assert [s.pose for s in stretch.steps] == ["stand-tall", "stand-tall"]
    assert stretch.tips == ("Keep your ribs down.", "Breathe slowly.")
    if reps:
        assert (stretch.reps, stretch.sides, len(stretch.tempo)) == (6, Sides.ALTERNATING, 2)
    else:
        assert (stretch.hold_seconds, stretch.sides) == (40.0, Sides.EACH)


def test_a_missing_field_is_named_and_nothing_is_written(qtbot, paths):
    form = StretchForm(load_library(paths).catalogue, paths)
    qtbot.addWidget(form)
    form.name.setText("Half done")
    assert not form.save()
    assert "summary" in form.error.text()
    assert not paths.user_stretches_dir.exists()


def test_the_pose_preview_follows_the_chosen_pose(qtbot, paths):
    form = StretchForm(load_library(paths).catalogue, paths)
    qtbot.addWidget(form)
    form.set_step(0, "Lie down.", "childs-pose")
    assert form.preview_pose == "childs-pose"
    assert not form.pose_preview.pixmap().isNull()


def test_a_saved_stretch_appears_in_the_browser(qtbot, paths):
    window = MainWindow(load_library(paths), paths.config_dir / "state.ini", paths=paths)
    qtbot.addWidget(window)
    window.show()
    window.new_stretch()
    form = window.stretch_form
    fill(form)
    assert form.save()
    view = window.catalogue_view
    assert "doorway-lean" in view.proxy.stretch_ids()
    assert view.detail.stretch is not None and view.detail.stretch.id == "doorway-lean"
