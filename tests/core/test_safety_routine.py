"""A routine after the check-in: what each answer lets through, and never more."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchdesk.core.safety import (
    CheckInAnswer,
    adjust_routine,
    decide,
    it_hurts,
    skipped_check_in,
)
from stretchdesk.library import load_library
from stretchdesk.storage.paths import AppPaths


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    base = tmp_path_factory.mktemp("lib")
    return load_library(AppPaths.resolve(base / "c", base / "d"), use_cache=False)


def test_fine_keeps_the_routine_as_it_is(library):
    routine = library.routine("daily-ten")
    session = adjust_routine(routine, library.catalogue, decide(CheckInAnswer.FINE))
    assert session.routine == routine
    assert not session.adjusted.dropped


def test_sore_shortens_static_holds_only(library):
    routine = library.routine("evening-deep-stretch")
    session = adjust_routine(routine, library.catalogue, decide(CheckInAnswer.SORE))
    assert session.routine is not None
    assert len(session.routine.items) == len(routine.items)
    for before, after, adjusted in zip(
        routine.items, session.routine.items, session.adjusted.items, strict=True
    ):
        assert after.stretch_id == before.stretch_id
        stretch = library.catalogue[before.stretch_id]
        if stretch.kind == "static":
            original = before.hold_seconds or stretch.hold_seconds
            assert adjusted.hold_seconds == max(5, round(original * 0.75))
            assert after.hold_seconds == adjusted.hold_seconds
        else:
            assert after == before


def test_flare_up_drops_what_is_not_flare_safe(library):
    routine = library.routine("daily-ten")
    session = adjust_routine(routine, library.catalogue, decide(CheckInAnswer.FLARE_UP))
    assert session.adjusted.dropped, "the daily ten has stretches that are too much on a flare-up"
    kept = session.routine.stretch_ids if session.routine else ()
    assert all(library.catalogue[s].flare_safe for s in kept)
    assert {d.stretch.id for d in session.adjusted.dropped}.isdisjoint(kept)


def test_it_hurts_and_warning_signs_allow_nothing(library):
    routine = library.routine("flare-up-gentle")
    for outcome in (
        it_hurts(),
        decide(CheckInAnswer.WARNING_SIGNS),
        decide(CheckInAnswer.FINE, emergency=True),
    ):
        session = adjust_routine(routine, library.catalogue, outcome)
        assert session.routine is None
        assert len(session.adjusted.dropped) == len(routine.items)


@given(
    answer=st.sampled_from(list(CheckInAnswer)),
    emergency=st.booleans(),
    routine_index=st.integers(min_value=0, max_value=6),
)
def test_warning_signs_never_yield_a_routine(library, answer, emergency, routine_index):
    routine = library.routines[routine_index % len(library.routines)]
    session = adjust_routine(routine, library.catalogue, decide(answer, emergency=emergency))
    if answer is CheckInAnswer.WARNING_SIGNS or emergency:
        assert session.routine is None
    elif answer is CheckInAnswer.FLARE_UP:
        kept = session.routine.stretch_ids if session.routine else ()
        assert all(library.catalogue[s].flare_safe for s in kept)
    else:
        assert session.routine is not None
        assert session.routine.stretch_ids == routine.stretch_ids


def test_skipping_the_check_in_changes_nothing(library):
    routine = library.routine("core-support")
    assert adjust_routine(routine, library.catalogue, skipped_check_in()).routine == routine


def test_todays_check_in_is_asked_once_a_day_and_remembered():
    import datetime as dt

    from stretchdesk.core.safety import todays_check_in

    today = dt.date(2026, 3, 2)
    yesterday = dt.date(2026, 3, 1)
    ask, outcome = todays_check_in(None, None, today)
    assert ask and outcome == skipped_check_in()
    ask, outcome = todays_check_in(yesterday, "flare-up", today)
    assert ask  # a new day: yesterday's flare-up is not assumed
    ask, outcome = todays_check_in(today, "flare-up", today)
    assert not ask and outcome == decide(CheckInAnswer.FLARE_UP)
    ask, outcome = todays_check_in(today, "skipped", today)
    assert not ask and outcome == skipped_check_in()
    for blocked in ("warning-signs", "hurt"):
        ask, outcome = todays_check_in(today, blocked, today)
        assert ask, "after warning signs or 'it hurts' the next routine asks again"
    ask, _ = todays_check_in(today, "fine", today, asked_explicitly=True)
    assert ask


def test_todays_check_in_turned_off_changes_nothing():
    import datetime as dt

    from stretchdesk.core.safety import todays_check_in

    today = dt.date(2026, 3, 2)
    assert todays_check_in(None, None, today, enabled=False) == (False, skipped_check_in())
    assert todays_check_in(today, "hurt", today, enabled=False)[0] is False
    assert todays_check_in(today, "fine", today, enabled=False, asked_explicitly=True)[0]
