"""The quick-routine generator: fits the budget, keeps to the chosen areas, safe on flare-ups."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchdesk import resources
from stretchdesk.core.loader import load_catalogue
from stretchdesk.core.model import Catalogue, Kind, Level, TimeOfDay
from stretchdesk.core.quick import (
    HOLD_BOUNDS,
    HOUSEHOLD_EQUIPMENT,
    MAX_ITEM_WORK_SECONDS,
    MAX_REPS,
    MAX_ROUNDS,
    MAX_SETS,
    MAX_SETS_FLARE,
    MIN_REPS,
    TOLERANCE,
    QuickRequest,
    QuickRoutine,
    QuickRoutineError,
    Role,
    quick_routine,
)
from stretchdesk.core.routine import resolve_items
from stretchdesk.core.timeline import routine_duration

CATALOGUE: Catalogue = load_catalogue(resources.data_file("stretches.yaml")).catalogue
AREAS = [a.id for a in CATALOGUE.areas]
FLOOR = {"floor", "bed"}


def eligible_targets(request: QuickRequest) -> set[str]:
    """Brute force: every stretch the request allows that works a chosen area."""
    chosen = set(request.areas) or set(AREAS)
    return {
        s.id
        for s in CATALOGUE.stretches
        if chosen & set(s.areas)
        and (s.flare_safe or not request.flare)
        and (request.level is Level.DEEPER or s.level is Level.BASIC)
        and set(s.equipment) <= request.equipment
        and s.duration_seconds <= MAX_ITEM_WORK_SECONDS
    }


requests = st.builds(
    QuickRequest,
    minutes=st.integers(min_value=3, max_value=30),
    areas=st.lists(st.sampled_from(AREAS), min_size=1, max_size=4, unique=True).map(tuple),
    time_of_day=st.sampled_from([None, TimeOfDay.MORNING, TimeOfDay.EVENING]),
    level=st.sampled_from(list(Level)),
    flare=st.booleans(),
)


def build(request: QuickRequest) -> QuickRoutine | None:
    """The routine, or None when no allowed stretch works any chosen area (checked)."""
    try:
        return quick_routine(CATALOGUE, request)
    except QuickRoutineError:
        assert not eligible_targets(request), "refused although stretches were available"
        return None


@settings(max_examples=300, deadline=None)
@given(requests)
def test_fits_the_budget_or_uses_everything_there_is(request: QuickRequest) -> None:
    result = build(request)
    if result is None:
        return
    budget = request.minutes * 60
    assert result.duration == routine_duration(result.routine, CATALOGUE)
    assert result.budget == budget
    if result.fits:
        assert abs(result.duration - budget) <= TOLERANCE * budget
        return
    # Short only when every allowed stretch is in, at its longest sane dose, twice over.
    assert result.duration < budget
    assert {c.stretch_id for c in result.choices} >= eligible_targets(request)
    assert max(c.round for c in result.choices) == MAX_ROUNDS
    assert result.notes


@settings(max_examples=300, deadline=None)
@given(requests)
def test_only_the_chosen_areas_and_named_warm_ups(request: QuickRequest) -> None:
    result = build(request)
    if result is None:
        return
    assert len(result.choices) == len(result.routine.items)
    for choice, item in zip(result.choices, result.routine.items, strict=True):
        stretch = CATALOGUE[item.stretch_id]
        assert choice.stretch_id == item.stretch_id
        assert choice.reason
        if not set(stretch.areas) & set(request.areas):
            assert choice.role is Role.WARM_UP
            assert "warm-up for the" in choice.reason
            assert stretch.kind is Kind.DYNAMIC
        else:
            assert set(choice.areas) <= set(request.areas)


@settings(max_examples=300, deadline=None)
@given(requests)
def test_flare_level_and_doses_stay_safe(request: QuickRequest) -> None:
    result = build(request)
    if result is None:
        return
    stretches = resolve_items(result.routine, CATALOGUE)
    for stretch, choice in zip(stretches, result.choices, strict=True):
        base = CATALOGUE[stretch.id]
        if request.flare:
            assert base.flare_safe
            assert "gentle enough for a flare-up day" in choice.reason
        if request.level is Level.BASIC:
            assert base.level is Level.BASIC
        assert set(base.equipment) <= HOUSEHOLD_EQUIPMENT
        assert 1 <= stretch.sets <= (MAX_SETS_FLARE if request.flare else MAX_SETS)
        if stretch.hold_seconds is not None:
            key = "flare" if request.flare else str(request.level)
            low, high = HOLD_BOUNDS[key]
            assert low <= stretch.hold_seconds <= max(high, base.hold_seconds or 0)
        else:
            assert stretch.reps is not None
            assert MIN_REPS <= stretch.reps <= max(MAX_REPS, base.reps or 0)
            if request.flare:
                assert stretch.reps <= (base.reps or 0)


@settings(max_examples=200, deadline=None)
@given(requests)
def test_order_warm_ups_first_and_the_floor_in_one_go(request: QuickRequest) -> None:
    result = build(request)
    if result is None:
        return
    roles = [c.role for c in result.choices]
    warm = roles.count(Role.WARM_UP)
    assert roles[:warm] == [Role.WARM_UP] * warm
    for round_no in {c.round for c in result.choices}:
        main = [c for c in result.choices if c.role is Role.TARGET and c.round == round_no]
        on_floor = [i for i, c in enumerate(main) if c.position in FLOOR]
        if on_floor:
            assert on_floor == list(range(on_floor[0], on_floor[-1] + 1))
    for choice in result.choices:
        assert choice.position in CATALOGUE[choice.stretch_id].positions


@settings(max_examples=100, deadline=None)
@given(requests)
def test_same_input_same_routine(request: QuickRequest) -> None:
    first = build(request)
    second = build(request)
    assert first == second


def test_lower_back_and_hips_in_the_evening() -> None:
    result = quick_routine(
        CATALOGUE,
        QuickRequest(10, ("lower-back", "hips"), TimeOfDay.EVENING),
    )
    assert result.fits
    assert result.routine.id == "quick-lower-back-hips"
    assert result.choices[0].role is Role.WARM_UP
    assert CATALOGUE[result.choices[0].stretch_id].kind is Kind.DYNAMIC
    assert any("held longer in the evening" in r for r in result.reasons)
    assert any("targets your lower back" in r for r in result.reasons)
    # Lying down comes last in the evening.
    assert result.choices[-1].position in FLOOR


def test_morning_starts_with_mobility() -> None:
    result = quick_routine(CATALOGUE, QuickRequest(8, ("lower-back",), TimeOfDay.MORNING))
    first = CATALOGUE[result.choices[0].stretch_id]
    assert first.kind is Kind.DYNAMIC
    assert result.reasons[0].startswith("morning mobility: warm-up")


def test_a_warm_up_for_a_neighbouring_area_is_named() -> None:
    # No dynamic stretch works only the chest, so the warm-up comes from next door.
    result = quick_routine(CATALOGUE, QuickRequest(5, ("chest",)))
    warm = [c for c in result.choices if c.role is Role.WARM_UP]
    assert warm
    if not warm[0].areas:
        assert warm[0].reason.startswith("warm-up for the ")


def test_flare_day_uses_only_flare_safe_and_says_so() -> None:
    result = quick_routine(CATALOGUE, QuickRequest(6, ("lower-back",), flare=True))
    assert result.fits
    assert all(CATALOGUE[c.stretch_id].flare_safe for c in result.choices)
    assert all(r.endswith("gentle enough for a flare-up day") for r in result.reasons)
    assert result.routine.rest_seconds > 5  # a slower pace


def test_areas_without_flare_safe_stretches_are_explained() -> None:
    result = quick_routine(CATALOGUE, QuickRequest(5, ("neck", "quads"), flare=True))
    assert any("quads" in note for note in result.notes)
    with pytest.raises(QuickRoutineError, match="No flare-safe stretch works the quads"):
        quick_routine(CATALOGUE, QuickRequest(5, ("quads",), flare=True))


def test_deeper_level_prefers_deeper_stretches() -> None:
    result = quick_routine(CATALOGUE, QuickRequest(12, ("hips",), TimeOfDay.EVENING, Level.DEEPER))
    levels = {CATALOGUE[c.stretch_id].level for c in result.choices}
    assert Level.DEEPER in levels
    assert any(r.startswith("a deeper stretch") for r in result.reasons)


def test_equipment_opens_more_stretches() -> None:
    plain = quick_routine(CATALOGUE, QuickRequest(10, ("upper-back",)))
    rolled = quick_routine(
        CATALOGUE,
        QuickRequest(10, ("upper-back",), equipment=HOUSEHOLD_EQUIPMENT | {"foam-roller", "ball"}),
    )
    assert "thoracic-extension" not in {c.stretch_id for c in plain.choices}
    needs_gear = {c.stretch_id for c in rolled.choices} - {c.stretch_id for c in plain.choices}
    assert needs_gear


def test_no_areas_means_any_area() -> None:
    result = quick_routine(CATALOGUE, QuickRequest(5))
    assert result.fits
    assert result.routine.id == "quick-whole-body"


def test_a_long_budget_for_one_small_area_is_honest() -> None:
    result = quick_routine(CATALOGUE, QuickRequest(30, ("side-body",)))
    assert not result.fits
    assert "shorter than you asked" in result.notes[-1]


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (QuickRequest(5, ("nek",)), "did you mean 'neck'"),
        (QuickRequest(0.5, ("neck",)), "between 1 and 120 minutes"),
        (QuickRequest(500, ("neck",)), "between 1 and 120 minutes"),
        (QuickRequest(float("nan"), ("neck",)), "number of minutes"),
    ],
)
def test_bad_requests(request_: QuickRequest, message: str) -> None:
    with pytest.raises(QuickRoutineError, match=message):
        quick_routine(CATALOGUE, request_)
