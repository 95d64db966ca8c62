"""StretchQuery: every filter field, alone and combined, against a brute-force reference."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stretchdesk.core.model import (
    Area,
    Catalogue,
    Kind,
    Level,
    Sides,
    Step,
    Stretch,
    TimeOfDay,
)
from stretchdesk.core.query import StretchQuery, area_counts, search_text

AREAS = ("neck", "lower-back", "hips", "hamstrings")


def make(stretch_id: str, **fields) -> Stretch:
    defaults = dict(
        name=stretch_id.replace("-", " ").title(),
        summary=f"About {stretch_id}",
        areas=("lower-back",),
        kind=Kind.STATIC,
        level=Level.BASIC,
        positions=("floor",),
        steps=(Step("Lie down."), Step("Hold it.")),
        hold_seconds=20,
        hold_step=1,
    )
    defaults.update(fields)
    return Stretch(id=stretch_id, **defaults)


FOLD = make("fold", areas=("hamstrings", "lower-back"), advice=("no-bouncing",))
TUCK = make(
    "tuck",
    areas=("neck",),
    positions=("seated", "standing"),
    desk_friendly=True,
    flare_safe=True,
    best_time=(TimeOfDay.MORNING,),
)
PIGEON = make(
    "pigeon",
    areas=("hips",),
    level=Level.DEEPER,
    equipment=("yoga-block",),
    best_time=(TimeOfDay.EVENING,),
)
SWING = make("swing", areas=("hips",), kind=Kind.DYNAMIC, positions=("standing",), sides=Sides.EACH)
ALL = (FOLD, TUCK, PIGEON, SWING)


def ids(query: StretchQuery) -> list[str]:
    return [s.id for s in query.filter(ALL)]


def test_empty_query_matches_everything():
    assert ids(StretchQuery()) == ["fold", "tuck", "pigeon", "swing"]


def test_each_field_filters():
    assert ids(StretchQuery(areas=frozenset({"hips"}))) == ["pigeon", "swing"]
    assert ids(StretchQuery(areas=frozenset({"neck", "hamstrings"}))) == ["fold", "tuck"]
    assert ids(StretchQuery(kinds=frozenset({Kind.DYNAMIC}))) == ["swing"]
    assert ids(StretchQuery(levels=frozenset({Level.DEEPER}))) == ["pigeon"]
    assert ids(StretchQuery(positions=frozenset({"standing"}))) == ["tuck", "swing"]
    assert ids(StretchQuery(desk_friendly=True)) == ["tuck"]
    assert ids(StretchQuery(flare_safe=True)) == ["tuck"]
    assert ids(StretchQuery(time_of_day=TimeOfDay.EVENING)) == ["fold", "pigeon", "swing"]
    assert ids(StretchQuery(equipment_available=frozenset())) == ["fold", "tuck", "swing"]
    assert ids(StretchQuery(equipment_available=frozenset({"yoga-block"}))) == [
        "fold",
        "tuck",
        "pigeon",
        "swing",
    ]


def test_text_search_needs_every_word_in_any_case():
    assert ids(StretchQuery(text="PIGEON")) == ["pigeon"]
    assert ids(StretchQuery(text="lie hold")) == ["fold", "tuck", "pigeon", "swing"]
    assert ids(StretchQuery(text="hamstrings fold")) == ["fold"]
    assert ids(StretchQuery(text="fold neck")) == []
    assert "lie down." in search_text(FOLD)


def test_fields_combine_with_and():
    query = StretchQuery(areas=frozenset({"hips"}), kinds=frozenset({Kind.STATIC}))
    assert ids(query) == ["pigeon"]


def test_area_counts_cover_every_area():
    catalogue = Catalogue(
        areas=tuple(Area(a, a.title(), "back") for a in AREAS),
        equipment=(),
        advice=(),
        stretches=ALL,
    )
    assert area_counts(catalogue) == {"neck": 1, "lower-back": 1, "hips": 2, "hamstrings": 1}


queries = st.builds(
    StretchQuery,
    areas=st.frozensets(st.sampled_from(AREAS)),
    kinds=st.frozensets(st.sampled_from(list(Kind))),
    levels=st.frozensets(st.sampled_from(list(Level))),
    positions=st.frozensets(st.sampled_from(["floor", "standing", "seated", "bed"])),
    desk_friendly=st.booleans(),
    flare_safe=st.booleans(),
    time_of_day=st.none() | st.sampled_from(list(TimeOfDay)),
    text=st.sampled_from(["", "hold", "neck", "pigeon fold", "HIPS"]),
)


@given(queries)
def test_filter_equals_brute_force(query: StretchQuery):
    expected = []
    for s in ALL:
        ok = (
            (not query.areas or any(a in query.areas for a in s.areas))
            and (not query.kinds or s.kind in query.kinds)
            and (not query.levels or s.level in query.levels)
            and (not query.positions or any(p in query.positions for p in s.positions))
            and (not query.desk_friendly or s.desk_friendly)
            and (not query.flare_safe or s.flare_safe)
            and (query.time_of_day is None or query.time_of_day in s.best_time)
            and all(w in search_text(s) for w in query.text.lower().split())
        )
        if ok:
            expected.append(s)
    assert query.filter(ALL) == expected
