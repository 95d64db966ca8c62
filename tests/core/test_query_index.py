"""The browser's index answers a query exactly as StretchQuery.matches does."""

from __future__ import annotations

import pytest

from stretchdesk import resources
from stretchdesk.core.loader import load_catalogue
from stretchdesk.core.model import Kind, Level, TimeOfDay
from stretchdesk.core.query import StretchIndex, StretchQuery

CATALOGUE = load_catalogue(resources.data_file("stretches.yaml")).catalogue
INDEX = StretchIndex(CATALOGUE.stretches)

QUERIES = [
    StretchQuery(),
    StretchQuery(areas=frozenset({"lower-back", "neck"})),
    StretchQuery(kinds=frozenset({Kind.DYNAMIC}), levels=frozenset({Level.BASIC})),
    StretchQuery(positions=frozenset({"seated"}), desk_friendly=True),
    StretchQuery(equipment_available=frozenset()),
    StretchQuery(equipment_available=frozenset({"wall", "chair"}), flare_safe=True),
    StretchQuery(time_of_day=TimeOfDay.EVENING, text="hip"),
    StretchQuery(text="knee chest"),
    StretchQuery(text="nothing-like-this"),
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_index_agrees_with_matches(query):
    assert INDEX.mask(query) == [query.matches(s) for s in CATALOGUE.stretches]


def test_narrowing_looks_only_at_what_was_shown():
    wide, narrow = StretchQuery(text="kn"), StretchQuery(text="knee c")
    assert wide.narrows(narrow) and not narrow.narrows(wide)
    assert not StretchQuery(text="kn").narrows(StretchQuery(text="kn", flare_safe=True))
    shown = INDEX.rows(wide)
    assert INDEX.rows(narrow, among=shown) == INDEX.rows(narrow)
