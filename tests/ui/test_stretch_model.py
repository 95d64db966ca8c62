"""The browser's list model and its filter: Qt's model checks and a brute-force comparison."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ui.catalogue_gen import WORDS, generated_catalogue
from tests.ui.leftovers import no_leftovers  # noqa: F401

from stretchdesk.core.model import POSITIONS, Kind, Level, Stretch, TimeOfDay
from stretchdesk.core.query import StretchQuery
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.stretch_model import (
    STRETCH_MIME,
    StretchFilterModel,
    StretchListModel,
    StretchRole,
    stretch_ids_from_mime,
)

pytestmark = pytest.mark.usefixtures("no_leftovers")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("model")
    return load_library(AppPaths.resolve(root / "c", root / "d"), use_cache=False).catalogue


@pytest.fixture(scope="module")
def big(base):
    return generated_catalogue(base, 300, seed=7)


def test_the_model_passes_qts_model_checks(qtmodeltester, base):
    model = StretchListModel(base)
    qtmodeltester.check(model)


def test_the_filtered_model_passes_qts_model_checks(qtmodeltester, big):
    proxy = StretchFilterModel()
    proxy.setSourceModel(StretchListModel(big))
    proxy.set_query(StretchQuery(areas=frozenset({"hips"}), text="knee"))
    qtmodeltester.check(proxy)
    assert 0 < proxy.rowCount() < len(big)
    for text in ("knee t", "", "reach", "zzz", "re"):  # checked as the filter changes
        proxy.set_query(StretchQuery(text=text))
        qtmodeltester.check(proxy)


def test_a_drag_carries_the_stretch_id(base):
    model = StretchListModel(base)
    mime = model.mimeData([model.index(2, 0)])
    assert mime.hasFormat(STRETCH_MIME)
    assert stretch_ids_from_mime(mime) == [base.stretches[2].id]


def brute_force(query: StretchQuery, stretch: Stretch) -> bool:
    """The query's meaning, written out again without StretchQuery.matches."""
    checks = [
        not query.areas or any(a in query.areas for a in stretch.areas),
        not query.kinds or stretch.kind in query.kinds,
        not query.levels or stretch.level in query.levels,
        not query.positions or any(p in query.positions for p in stretch.positions),
        query.equipment_available is None
        or all(e in query.equipment_available for e in stretch.equipment),
        not query.desk_friendly or stretch.desk_friendly,
        not query.flare_safe or stretch.flare_safe,
        query.time_of_day is None or query.time_of_day in stretch.best_time,
    ]
    if query.text:
        text = " ".join(
            [stretch.id, stretch.name, stretch.summary, *stretch.areas]
            + [s.text for s in stretch.steps]
        ).lower()
        checks.append(all(word in text for word in query.text.lower().split()))
    return all(checks)


AREAS = ("neck", "hips", "lower-back", "glutes", "quads", "chest")
EQUIPMENT = ("wall", "chair", "towel", "foam-roller")
words = st.sampled_from([*WORDS, "kne", "HIP", "gen-1", "Reach", "zzz"])
queries = st.builds(
    StretchQuery,
    areas=st.frozensets(st.sampled_from(AREAS), max_size=2),
    kinds=st.frozensets(st.sampled_from(list(Kind)), max_size=2),
    levels=st.frozensets(st.sampled_from(list(Level)), max_size=1),
    positions=st.frozensets(st.sampled_from(POSITIONS), max_size=2),
    equipment_available=st.none() | st.frozensets(st.sampled_from(EQUIPMENT), max_size=3),
    desk_friendly=st.booleans(),
    flare_safe=st.booleans(),
    time_of_day=st.none() | st.sampled_from(list(TimeOfDay)),
    text=st.lists(words, max_size=2).map(" ".join),
)


@pytest.fixture(scope="module")
def filtered(big):
    proxy = StretchFilterModel()
    proxy.setSourceModel(StretchListModel(big))
    return proxy


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=queries)
def test_filtering_equals_a_brute_force_filter(filtered, big, query):
    filtered.set_query(query)
    shown = [filtered.index(r, 0).data(StretchRole).id for r in range(filtered.rowCount())]
    assert shown == [s.id for s in big.stretches if brute_force(query, s)]
