"""The history file: round trips, the queries the app asks, and damaged or unwritable files."""

from __future__ import annotations

import datetime as _dt
import sqlite3
from zoneinfo import ZoneInfo

import pytest

from stretchdesk.core.scheduler import BreakRecord, Outcome, ReminderKind
from stretchdesk.storage.history import (
    SCHEMA_VERSION,
    CheckIn,
    DayCount,
    History,
    SessionRecord,
)

TZ = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int = 10, minute: int = 0) -> _dt.datetime:
    return _dt.datetime(2026, 3, day, hour, minute, tzinfo=TZ)


def session(day: int, stretches: tuple[str, ...] = ("chin-tucks",), **kw) -> SessionRecord:
    values = {
        "routine": "desk-break",
        "started": at(day),
        "ended": at(day, 10, 3),
        "ending": "finished",
        "seconds_held": 95.5,
        "items_done": len(stretches),
        "stretches": stretches,
    }
    values.update(kw)
    return SessionRecord(**values)


@pytest.fixture
def history(tmp_path):
    store = History.open(tmp_path / "history.sqlite3")
    yield store
    store.close()


def test_new_file_has_the_current_schema(tmp_path, history):
    assert history.enabled and history.notices == ()
    db = sqlite3.connect(tmp_path / "history.sqlite3")
    assert db.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)
    db.close()


def test_reminder_records_round_trip_newest_first(history):
    first = BreakRecord(
        ReminderKind.SHORT,
        Outcome.POSTPONED,
        at(2, 10, 5),
        due=at(2, 10),
        seconds=300.0,
        postpones=0,
    )
    second = BreakRecord(
        ReminderKind.FIXED,
        Outcome.STARTED,
        at(2, 8, 31),
        due=at(2, 8, 30),
        postpones=1,
        label="after coffee",
        routine="morning-mobility",
    )
    history.add_reminder(first, stretch="chin-tucks")
    history.add_reminder(second)
    entries = history.recent_reminders(10)
    assert [e.record for e in entries] == [second, first]
    assert [e.stretch for e in entries] == [None, "chin-tucks"]
    assert history.recent_reminders(1)[0].record == second


def test_sessions_and_checkins_round_trip(history):
    record = session(
        3,
        ("chin-tucks", "shoulder-rolls"),
        feeling="better",
        pain_before=4,
        pain_after=2,
        items_skipped=1,
        items_partial=1,
        ending="hurt",
    )
    history.add_session(record)
    assert history.recent_sessions() == [record]
    checkin = CheckIn(at(3, 7), "stiff", pain=3)
    history.add_checkin(checkin)
    assert history.recent_checkins() == [checkin]


def test_counts_per_day(history):
    history.add_session(session(2))
    history.add_session(session(4))
    history.add_reminder(BreakRecord(ReminderKind.SHORT, Outcome.STARTED, at(4, 11)))
    history.add_reminder(BreakRecord(ReminderKind.LONG, Outcome.NATURAL_BREAK, at(4, 12)))
    history.add_reminder(BreakRecord(ReminderKind.SHORT, Outcome.SKIPPED, at(4, 13)))
    history.add_reminder(BreakRecord(ReminderKind.SHORT, Outcome.POSTPONED, at(1, 13)))
    assert history.counts_per_day(_dt.date(2026, 3, 2)) == [
        DayCount(_dt.date(2026, 3, 2), sessions=1),
        DayCount(_dt.date(2026, 3, 4), sessions=1, breaks_taken=2, skipped=1),
    ]


def test_streak_counts_days_in_a_row(history):
    for day in (1, 3, 4, 5):
        history.add_session(session(day))
    assert history.streak(_dt.date(2026, 3, 5)) == 3
    assert history.streak(_dt.date(2026, 3, 6)) == 3  # today is not over yet
    assert history.streak(_dt.date(2026, 3, 7)) == 0
    assert history.streak(_dt.date(2026, 3, 2)) == 1


def test_sessions_and_reminders_since_a_date(history):
    history.add_session(session(5, pain_before=6, pain_after=4, feeling="better"))
    history.add_session(session(1))
    history.add_session(session(3, started=at(3, 23, 55), ended=at(4, 0, 10)))
    found = history.sessions_since(_dt.date(2026, 3, 3))
    assert [s.started for s in found] == [at(3, 23, 55), at(5)]  # oldest first
    assert (found[1].pain_before, found[1].pain_after, found[1].feeling) == (6, 4, "better")
    assert found[1].stretches == ()  # not needed for the statistics
    assert history.session_days(_dt.date(2026, 3, 4)) == {
        _dt.date(2026, 3, 1),
        _dt.date(2026, 3, 3),  # the day it started
    }
    history.add_reminder(BreakRecord(ReminderKind.SHORT, Outcome.SKIPPED, at(2, 11)))
    history.add_reminder(BreakRecord(ReminderKind.LONG, Outcome.STARTED, at(4, 11)))
    (record,) = history.reminders_since(_dt.date(2026, 3, 3))
    assert (record.kind, record.outcome, record.at) == (
        ReminderKind.LONG,
        Outcome.STARTED,
        at(4, 11),
    )


def test_new_queries_on_a_disabled_history():
    off = History.disabled()
    assert off.sessions_since(_dt.date(2026, 3, 1)) == []
    assert off.session_days(_dt.date(2026, 3, 1)) == set()
    assert off.reminders_since(_dt.date(2026, 3, 1)) == []


def test_stretch_counts_from_sessions_and_reminders(history):
    history.add_session(session(1, ("chin-tucks",)))
    history.add_session(session(5, ("chin-tucks", "shoulder-rolls")))
    history.add_reminder(
        BreakRecord(ReminderKind.SHORT, Outcome.STARTED, at(5, 11)), stretch="shoulder-rolls"
    )
    history.add_reminder(
        BreakRecord(ReminderKind.SHORT, Outcome.SKIPPED, at(5, 12)), stretch="chin-tucks"
    )
    assert history.stretch_counts(_dt.date(2026, 3, 2)) == {
        "chin-tucks": 1,
        "shoulder-rolls": 2,
    }


def test_a_file_that_is_not_a_database_is_kept_aside(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not SQLite at all" * 100)
    store = History.open(path, now=lambda: _dt.datetime(2026, 3, 1, 9, 30))
    assert store.enabled
    kept = tmp_path / "history.sqlite3.broken-20260301-093000"
    assert kept.read_bytes() == b"this is not SQLite at all" * 100
    assert "kept as history.sqlite3.broken-20260301-093000" in store.notices[0]
    store.add_checkin(CheckIn(at(1), "fine"))
    assert len(store.recent_checkins()) == 1
    store.close()


def test_a_damaged_database_is_kept_aside(tmp_path):
    path = tmp_path / "history.sqlite3"
    store = History.open(path)
    for day in range(1, 20):
        store.add_session(session(day))
    store.close()
    data = bytearray(path.read_bytes())
    data[4096 : 4096 + 200] = b"\xff" * 200  # wreck the second page
    path.write_bytes(bytes(data))
    again = History.open(path, now=lambda: _dt.datetime(2026, 3, 1, 9, 30))
    assert again.enabled
    assert again.recent_sessions() == []
    assert any(p.name.startswith("history.sqlite3.broken-") for p in tmp_path.iterdir())
    assert "Nothing was deleted" in again.notices[0]
    again.close()


def test_a_foreign_database_is_kept_aside(tmp_path):
    path = tmp_path / "history.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE other (x)")
    db.commit()
    db.close()
    store = History.open(path)
    assert store.enabled and "not a StretchDesk history" in store.notices[0]
    store.close()


def test_a_newer_file_is_left_alone_and_history_is_off(tmp_path):
    path = tmp_path / "history.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (99)")
    db.commit()
    db.close()
    before = path.read_bytes()
    store = History.open(path)
    assert not store.enabled and "newer version" in store.notices[0]
    store.add_checkin(CheckIn(at(1), "fine"))  # does nothing
    assert path.read_bytes() == before


def test_read_only_location_turns_history_off(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    store = History.open(tmp_path / "history.sqlite3")
    assert not store.enabled
    assert "will not remember" in store.notices[0]
    store.add_reminder(BreakRecord(ReminderKind.SHORT, Outcome.SKIPPED, at(1)))
    assert store.recent_reminders() == [] and store.streak(_dt.date(2026, 3, 1)) == 0
    assert list(tmp_path.iterdir()) == []


def test_folder_that_cannot_be_made_turns_history_off(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(tmp_path), "mkdir", refuse)
    store = History.open(tmp_path / "sub" / "history.sqlite3")
    assert not store.enabled and "Permission denied" in store.notices[0]


def test_a_path_that_cannot_be_a_folder_turns_history_off(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = History.open(blocker / "history.sqlite3")
    assert not store.enabled and store.notices


def test_a_failing_write_turns_history_off_with_a_notice(history):
    history._db.execute("DROP TABLE checkins")  # the disk "fails" under us
    history.add_checkin(CheckIn(at(1), "fine"))
    assert not history.enabled
    assert "could not be saved" in history.notices[-1]


def test_pain_after_is_added_to_a_stored_session(history):
    session_id = history.add_session(session(2, pain_before=6))
    history.set_session_pain_after(session_id, 3)
    (stored,) = history.recent_sessions()
    assert (stored.pain_before, stored.pain_after) == (6, 3)
