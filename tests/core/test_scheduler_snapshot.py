"""Handing a running break scheduler to another process: the snapshot and the configuration."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scheduler_desk import Desk

from stretchdesk.core.scheduler import (
    FixedTime,
    Instant,
    SchedulerConfig,
    SnapshotError,
    State,
    config_data,
    config_from_data,
    restore_scheduler,
    scheduler_snapshot,
)
from stretchdesk.core.settings import FixedReminder, TimeSpan

BERLIN = ZoneInfo("Europe/Berlin")
MORNING = FixedReminder(time=dt.time(10, 30), routine="desk-break", label="after coffee")
KEY = (dt.time(10, 30), "desk-break", "after coffee")
CONFIG = SchedulerConfig(
    tz=BERLIN,
    working_hours=(TimeSpan(dt.time(9), dt.time(17)),) * 5 + (None, None),
    fixed=(MORNING,),
)


def desk_at(hhmm: str = "09:00") -> Desk:
    hour, minute = map(int, hhmm.split(":"))
    return Desk(dt.datetime(2024, 6, 3, hour, minute, tzinfo=BERLIN), CONFIG)


def hand_over(desk: Desk, config: SchedulerConfig = CONFIG) -> None:
    saved = json.loads(json.dumps(scheduler_snapshot(desk.scheduler)))
    desk.scheduler = restore_scheduler(config, saved, desk.now())


def test_a_postponed_reminder_comes_back_on_time_after_a_hand_over() -> None:
    desk = desk_at()
    desk.work_until_prompt()
    assert desk.reminders() == [("09:30", "short")]
    desk.postpone()
    desk.work(minutes=2)
    hand_over(desk)
    assert desk.scheduler.status(desk.now()).state is State.POSTPONED
    desk.work(minutes=4)
    assert desk.reminders() == [("09:30", "short"), ("09:35", "short")]


def test_work_time_and_a_fixed_reminder_carry_over() -> None:
    twin, desk = desk_at(), desk_at()
    for d in (twin, desk):
        d.work(minutes=20)
    hand_over(desk)
    for d in (twin, desk):
        while d.local.time() < dt.time(10, 45):
            d.work_until_prompt()
            d.skip()
    assert desk.reminders() == twin.reminders()
    assert ("10:30", "fixed") in desk.reminders()


def test_time_away_started_before_the_hand_over_still_counts_as_a_natural_break() -> None:
    twin, desk = desk_at(), desk_at()
    for d in (twin, desk):
        d.work(minutes=25)
        d.away(minutes=3)
    hand_over(desk)
    for d in (twin, desk):
        d.away(minutes=3)
        d.work(minutes=40)
    assert desk.records() == twin.records()
    assert desk.reminders() == twin.reminders()


def test_a_fixed_reminder_no_longer_configured_is_dropped() -> None:
    desk = desk_at()
    desk.work(minutes=5)
    saved = scheduler_snapshot(desk.scheduler)
    assert saved["fixed_fired"]
    config = SchedulerConfig(tz=BERLIN)
    restored = restore_scheduler(config, saved, desk.now())
    assert restored.fixed_fired == {}


def test_a_snapshot_from_a_later_moment_is_refused() -> None:
    desk = desk_at()
    saved = scheduler_snapshot(desk.scheduler)
    earlier = Instant(desk.mono - 1, desk.local)
    with pytest.raises(SnapshotError, match="later moment"):
        restore_scheduler(CONFIG, saved, earlier)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda s: s.update(version=99), "this version"),
        (lambda s: s.pop("mark"), "expected the fields"),
        (lambda s: s.update(mark="soon"), "mark: expected a number"),
        (lambda s: s.update(user_idle=1), "user_idle: expected true or false"),
        (lambda s: s.update(paused_until="2024-06-03T10:00"), "has no time zone"),
        (lambda s: s.update(paused_until="tomorrow"), "is not a time"),
        (lambda s: s.update(skips=["2024-06-03"]), "skips"),
        (lambda s: s.update(fixed_fired=[["10:30"]]), "fixed_fired"),
        (lambda s: s["last"].update(mono=float("nan")), "last.mono"),
    ],
)
def test_damaged_snapshots_are_refused_with_the_field_named(change, words: str) -> None:
    desk = desk_at()
    saved = json.loads(json.dumps(scheduler_snapshot(desk.scheduler)))
    change(saved)
    with pytest.raises(SnapshotError, match=words):
        restore_scheduler(CONFIG, saved, desk.now())


def test_a_damaged_current_reminder_is_refused() -> None:
    desk = desk_at()
    desk.work_until_prompt()
    saved = json.loads(json.dumps(scheduler_snapshot(desk.scheduler)))
    saved["current"]["reminder"]["kind"] = "lunch"
    with pytest.raises(SnapshotError, match=r"current\.reminder\.kind"):
        restore_scheduler(CONFIG, saved, desk.now())


def _values(draw_leaf: st.SearchStrategy) -> st.SearchStrategy:
    return st.recursive(
        draw_leaf,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=6,
    )


junk = _values(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20))


@given(path_index=st.integers(0, 200), value=junk)
def test_any_damage_is_a_snapshot_error_or_harmless(path_index: int, value: object) -> None:
    desk = desk_at()
    desk.work_until_prompt()
    desk.postpone()
    saved = json.loads(json.dumps(scheduler_snapshot(desk.scheduler)))
    damaged = copy.deepcopy(saved)
    places = list(_places(damaged))
    container, key = places[path_index % len(places)]
    container[key] = value
    try:
        restored = restore_scheduler(CONFIG, damaged, desk.now())
    except SnapshotError:
        return
    restored.update(desk.now())  # whatever was accepted must run


def _places(value: object):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield value, key
            yield from _places(inner)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield value, index
            yield from _places(inner)


def test_the_configuration_round_trips_through_json() -> None:
    data = json.loads(json.dumps(config_data(CONFIG)))
    light = config_from_data(data, BERLIN)
    assert light == dataclasses.replace(CONFIG, fixed=(FixedTime(dt.time(10, 30), *KEY[1:]),))
    assert config_data(light) == config_data(CONFIG)
    off = SchedulerConfig(enabled=False, long_interval=None)
    assert config_from_data(json.loads(json.dumps(config_data(off))), None) == off


def test_there_and_back_through_the_light_configuration_fires_a_fixed_reminder_once() -> None:
    """As the app does: full app, tray-only process (light config), full app again."""
    twin, desk = desk_at("10:00"), desk_at("10:00")
    light = config_from_data(json.loads(json.dumps(config_data(CONFIG))), BERLIN)
    for d in (twin, desk):
        d.work(minutes=20)
    hand_over(desk, light)
    for d in (twin, desk):
        d.work(minutes=15)  # 10:30 comes in the tray-only process
    assert desk.reminders() == twin.reminders() == [("10:30", "fixed")]
    hand_over(desk, CONFIG)
    for d in (twin, desk):
        d.skip()
        d.to("12:00")
    assert desk.reminders() == twin.reminders()
    assert [r for r in desk.reminders() if r[1] == "fixed"] == [("10:30", "fixed")]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda c: c.update(short_interval=-5), "short_interval"),
        (lambda c: c.update(max_postpones="3"), "max_postpones"),
        (lambda c: c.update(working_hours=["9-5"]), "config"),
        (lambda c: c.update(fixed=[["25:00", "x", ""]]), "config"),
        (lambda c: c.pop("enabled"), "expected the fields"),
    ],
)
def test_a_damaged_configuration_is_refused(change, words: str) -> None:
    data = json.loads(json.dumps(config_data(CONFIG)))
    change(data)
    with pytest.raises(SnapshotError, match=words):
        config_from_data(data, BERLIN)


def test_a_reminder_due_in_the_hour_that_happens_twice_comes_back_the_same() -> None:
    new_york = ZoneInfo("America/New_York")
    config = SchedulerConfig(tz=new_york, short_interval=600.0, long_interval=None)
    # 2024-11-03: New York's clocks go from 01:59 back to 01:00; this reminder is due at
    # the second 01:05.
    desk = Desk(dt.datetime(2024, 11, 3, 1, 55, tzinfo=new_york), config)
    desk.work_until_prompt()
    due = desk.scheduler.status(desk.now()).reminder
    assert due is not None and due.due.fold == 1
    before = desk.scheduler.status(desk.now())
    hand_over(desk, config)
    assert desk.scheduler.status(desk.now()) == before
