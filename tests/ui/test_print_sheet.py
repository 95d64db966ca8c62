"""The printable PDF sheet: a valid PDF, one block per stretch, no block split across pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stretchdesk import resources
from stretchdesk.core.loader import load_catalogue
from stretchdesk.core.model import Catalogue, Routine, RoutineItem
from stretchdesk.core.routine import load_routines
from stretchdesk.core.timeline import expand
from stretchdesk.figures.library import PoseLibrary, load_poses
from stretchdesk.ui.print_sheet import (
    paginate,
    routine_pdf_bytes,
    sheet_items,
    write_routine_pdf,
)

CATALOGUE: Catalogue = load_catalogue(resources.data_file("stretches.yaml")).catalogue
ROUTINES = {
    r.id: r for r in load_routines(resources.data_file("routines.yaml"), None, CATALOGUE).routines
}
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture(scope="module")
def poses() -> PoseLibrary:
    return load_poses()


def page_count(data: bytes) -> int:
    return len(PAGE.findall(data))


def assert_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/Catalog" in data


def test_a_routine_sheet_is_a_valid_pdf(qapp, poses: PoseLibrary, tmp_path: Path) -> None:
    target = tmp_path / "desk.pdf"
    pages = write_routine_pdf(target, ROUTINES["desk-break"], CATALOGUE, poses)
    data = target.read_bytes()
    assert_pdf(data)
    assert pages >= 1
    assert page_count(data) == pages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.pdf"]  # no temporary left


def test_every_stretch_of_the_catalogue_fits_on_pages(qapp, poses: PoseLibrary) -> None:
    everything = Routine(
        "everything",
        "Every stretch",
        "All of them, to test the layout.",
        tuple(RoutineItem(s.id) for s in CATALOGUE.stretches),
    )
    data, pages = routine_pdf_bytes(everything, CATALOGUE, poses, notes=["why"] * 3)
    assert_pdf(data)
    assert pages > 5
    assert page_count(data) == pages


def test_an_existing_file_is_kept_unless_overwriting(
    qapp, poses: PoseLibrary, tmp_path: Path
) -> None:
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        write_routine_pdf(target, ROUTINES["desk-break"], CATALOGUE, poses, overwrite=False)
    assert target.read_bytes() == b"mine"


def test_sheet_items_say_dose_pictures_and_time(poses: PoseLibrary) -> None:
    plan = expand(ROUTINES["core-support"], CATALOGUE)
    items = sheet_items(plan, CATALOGUE, poses, notes=["warm-up for your back"])
    assert [i.number for i in items] == [1, 2, 3, 4]
    cat_cow, dead_bug = items[0], items[1]
    assert cat_cow.dose == "6 reps"
    assert cat_cow.tempo.startswith("Each rep: breathe in 3 s (cow)")
    assert [p.caption for p in cat_cow.pictures] == ["Breathe in: cow", "Breathe out: cat"]
    assert cat_cow.note == "warm-up for your back" and dead_bug.note == ""
    assert "alternating" in dead_bug.dose
    held = sheet_items(expand(ROUTINES["desk-break"], CATALOGUE), CATALOGUE, poses)
    trap = next(i for i in held if i.stretch.id == "upper-trap-stretch")
    assert trap.dose == "Hold 15 s on each side"
    assert len(trap.pictures) == 1 and trap.pictures[0].caption == ""
    # The time of each block adds up with the rests to the routine's length.
    routine = ROUTINES["desk-break"]
    rests = routine.rest_seconds * (len(routine.items) - 1)
    assert sum(i.seconds for i in held) + rests == expand(routine, CATALOGUE).duration


@pytest.mark.parametrize(
    ("heights", "expected"),
    [
        ([10, 10, 10], [(0, 50), (0, 62), (0, 74)]),
        ([40, 40], [(0, 50), (1, 0)]),
        ([200, 10], [(1, 0), (2, 0)]),  # too tall for any page: it starts one
    ],
)
def test_paginate_never_splits_a_block(heights, expected) -> None:
    placed = paginate(heights, 50, 100, 2)
    assert placed == expected
    for (page, top), height in zip(placed, heights, strict=True):
        assert top + height <= 100 or top == 0
        assert page >= 0
