"""Editing a routine: pure changes that keep the routine valid and the overrides tidy."""

from __future__ import annotations

import pytest

from stretchdesk import resources
from stretchdesk.core.loader import load_catalogue
from stretchdesk.core.model import Routine, RoutineItem, Sides
from stretchdesk.core.routine_edit import (
    insert_stretches,
    move_item,
    override_item,
    remove_item,
    reorder,
    reset_item,
    slug,
)

CATALOGUE = load_catalogue(resources.data_file("stretches.yaml")).catalogue
BASE = Routine("r", "R", "", (RoutineItem("cat-cow"), RoutineItem("childs-pose")))


def test_insert_move_remove_and_reorder():
    added = insert_stretches(BASE, ["dead-bug"], 1)
    assert added.stretch_ids == ("cat-cow", "dead-bug", "childs-pose")
    assert insert_stretches(BASE, ["dead-bug"]).stretch_ids[-1] == "dead-bug"
    assert move_item(added, 0, 2).stretch_ids == ("dead-bug", "childs-pose", "cat-cow")
    assert move_item(added, 5, 0) == added
    assert remove_item(added, 1) == BASE
    assert reorder(added, [2, 0, 1]).stretch_ids == ("childs-pose", "cat-cow", "dead-bug")
    with pytest.raises(ValueError):
        reorder(added, [0, 0, 1])
    assert BASE.stretch_ids == ("cat-cow", "childs-pose")  # never changed in place


def test_overrides_equal_to_the_stretch_are_cleared():
    held = CATALOGUE["childs-pose"]
    changed = override_item(BASE, 1, held, amount=50, sets=2)
    assert changed.items[1] == RoutineItem("childs-pose", hold_seconds=50.0, sets=2)
    back = override_item(changed, 1, held, amount=held.hold_seconds, sets=held.sets)
    assert back.items[1] == RoutineItem("childs-pose")
    moved = CATALOGUE["cat-cow"]
    reps = override_item(BASE, 0, moved, amount=4, sides=Sides.ALTERNATING)
    assert reps.items[0] == RoutineItem("cat-cow", reps=4, sides=Sides.ALTERNATING)
    assert override_item(BASE, 1, held, sides=Sides.ALTERNATING).items[1].sides in (
        None,
        Sides.EACH,
    )
    assert reset_item(reps, 0).items[0] == RoutineItem("cat-cow")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Morning, gently!", "morning-gently"), ("  ", "my-routine"), ("10 min", "my-routine-10-min")],
)
def test_slug(name, expected):
    assert slug(name) == expected
