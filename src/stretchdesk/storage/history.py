"""The history: every reminder and its outcome, every session, every check-in (SQLite).

One file, :attr:`~stretchdesk.storage.paths.AppPaths.history_db`, read and
written with the standard library's :mod:`sqlite3` on the main thread.

* **Versioned.** A ``schema_version`` table holds the version; :data:`MIGRATIONS`
  upgrades an older file one version at a time, each step in one transaction.
* **Every write is a transaction**: a crash leaves the file as it was before
  the write or after it, never in between.
* **Degrade, don't die.** A file that is not a database, or fails SQLite's
  integrity check, is moved aside (renamed ``history.sqlite3.broken-<time>``,
  never deleted) and a fresh one is started. A folder that cannot be written
  (or a file from a newer version of the app) turns the history off for this
  run. Either way :attr:`History.notices` says what happened in a plain
  sentence, and the app keeps running: writes to a disabled history do
  nothing, and queries answer as if it were empty.

Times are stored as ISO 8601 text with their UTC offset, plus the local date
(``day``) they fell on, so "per day" questions need no time zone arithmetic.

The history also keeps the one piece of reminder state that must outlive a
restart: the local date each fixed daily reminder last fired
(:attr:`~stretchdesk.core.scheduler.Scheduler.fixed_fired`), so quitting and
starting the app again (or a clock set back meanwhile) never fires one twice
in a day. It lives here rather than in the settings because it is a record of
what happened, not a choice the user made.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stretchdesk.core.scheduler import BreakRecord, Outcome, ReminderKind
from stretchdesk.core.settings import FixedReminder

SCHEMA_VERSION = 2
"""The history format this version of the app reads and writes."""

_V1 = """
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    due TEXT,
    seconds REAL,
    postpones INTEGER NOT NULL DEFAULT 0,
    label TEXT NOT NULL DEFAULT '',
    routine TEXT,
    stretch TEXT
);
CREATE INDEX reminders_day ON reminders (day);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    routine TEXT NOT NULL,
    started TEXT NOT NULL,
    day TEXT NOT NULL,
    ended TEXT NOT NULL,
    ending TEXT NOT NULL CHECK (ending IN ('finished', 'stopped', 'hurt')),
    seconds_held REAL NOT NULL DEFAULT 0,
    items_done INTEGER NOT NULL DEFAULT 0,
    items_skipped INTEGER NOT NULL DEFAULT 0,
    items_partial INTEGER NOT NULL DEFAULT 0,
    feeling TEXT,
    pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10)
);
CREATE INDEX sessions_day ON sessions (day);
CREATE TABLE session_stretches (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    stretch TEXT NOT NULL
);
CREATE INDEX session_stretches_stretch ON session_stretches (stretch);
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    answer TEXT NOT NULL,
    pain INTEGER CHECK (pain BETWEEN 0 AND 10)
);
"""


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the open transaction.

    :meth:`sqlite3.Connection.executescript` commits first, which would split a
    migration across transactions.
    """
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _create_v1(db: sqlite3.Connection) -> None:
    _run_script(db, _V1)


_V2 = """
CREATE TABLE fixed_fired (
    time TEXT NOT NULL,
    routine TEXT NOT NULL,
    label TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (time, routine, label)
);
"""


def _v1_to_v2(db: sqlite3.Connection) -> None:
    """Version 2 remembers when each fixed daily reminder last fired."""
    _run_script(db, _V2)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_create_v1, _v1_to_v2)
"""``MIGRATIONS[n]`` upgrades a version ``n`` file to version ``n + 1`` (0 is an empty file)."""


# --- what is stored -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderEntry:
    """A stored :class:`BreakRecord`, with the stretch that was suggested, if any."""

    record: BreakRecord
    stretch: str | None = None


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session of the player, from start to its ending."""

    routine: str
    started: _dt.datetime
    ended: _dt.datetime
    ending: str  # "finished", "stopped" or "hurt"
    seconds_held: float = 0.0
    items_done: int = 0
    items_skipped: int = 0
    items_partial: int = 0
    feeling: str | None = None  # "better", "same", "worse"
    pain_before: int | None = None
    pain_after: int | None = None
    stretches: tuple[str, ...] = field(default=())  # ids of the stretches done


@dataclass(frozen=True, slots=True)
class CheckIn:
    """An answer to "How is your back today?"."""

    at: _dt.datetime
    answer: str
    pain: int | None = None


@dataclass(frozen=True, slots=True)
class DayCount:
    """What happened on one local date."""

    day: _dt.date
    sessions: int = 0
    breaks_taken: int = 0  # reminders started, and natural breaks
    skipped: int = 0
    postponed: int = 0


_SESSION_COLUMNS = (
    "routine, started, ended, ending, seconds_held, items_done, items_skipped,"
    " items_partial, feeling, pain_before, pain_after"
)


def _session(row: Sequence[Any], stretches: tuple[str, ...] = ()) -> SessionRecord:
    """A :class:`SessionRecord` from a row of :data:`_SESSION_COLUMNS`."""
    routine, started, ended, ending, held, done, skipped, partial, feeling, before, after = row
    return SessionRecord(
        routine=routine,
        started=_dt.datetime.fromisoformat(started),
        ended=_dt.datetime.fromisoformat(ended),
        ending=ending,
        seconds_held=held,
        items_done=done,
        items_skipped=skipped,
        items_partial=partial,
        feeling=feeling,
        pain_before=before,
        pain_after=after,
        stretches=stretches,
    )


def _break_record(row: Sequence[Any]) -> BreakRecord:
    """A :class:`BreakRecord` from a row of the reminders table (``kind`` to ``routine``)."""
    kind, outcome, at, due, seconds, postpones, label, routine = row
    return BreakRecord(
        kind=ReminderKind(kind),
        outcome=Outcome(outcome),
        at=_dt.datetime.fromisoformat(at),
        due=_dt.datetime.fromisoformat(due) if due else None,
        seconds=seconds,
        postpones=postpones,
        label=label,
        routine=routine,
    )


class HistoryError(Exception):
    """The history could not be used; ``str(error)`` is a sentence for the user."""


# --- the store ----------------------------------------------------------------------------


class History:
    """The history file. Open it with :meth:`open`; it never raises for file problems.

    ``enabled`` is ``False`` when the history could not be used this run
    (``notices`` says why); writes then do nothing and queries return nothing.
    """

    def __init__(self, db: sqlite3.Connection | None, notices: Sequence[str] = ()) -> None:
        self._db = db
        self.notices: tuple[str, ...] = tuple(notices)

    @property
    def enabled(self) -> bool:
        return self._db is not None

    @classmethod
    def disabled(cls, reason: str = "") -> History:
        """A history that stores nothing (for tests, or when told so)."""
        return cls(None, (reason,) if reason else ())

    @classmethod
    def open(cls, path: Path, *, now: Callable[[], _dt.datetime] = _dt.datetime.now) -> History:
        """Open (or create) the history at ``path``, repairing what can be repaired."""
        notices: list[str] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return cls(None, (_off(path, _reason(exc)),))
        try:
            return cls(_open_checked(path), notices)
        except _Corrupt as bad:
            try:
                kept = _keep_aside(path, now())
            except OSError as exc:
                return cls(
                    None, (_off(path, f"{bad}; it could not be moved aside: {_reason(exc)}"),)
                )
            notices.append(
                f"Your history file {path} could not be read ({bad}). Nothing was deleted: "
                f"it was kept as {kept.name}, and a new history was started."
            )
        except HistoryError as exc:
            return cls(None, (str(exc),))
        except (sqlite3.Error, OSError) as exc:
            return cls(None, (_off(path, _reason(exc)),))
        try:
            return cls(_open_checked(path), notices)
        except (sqlite3.Error, OSError, _Corrupt, HistoryError) as exc:
            return cls(None, (*notices, _off(path, _reason(exc))))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- writing --------------------------------------------------------------------------

    def add_reminder(self, record: BreakRecord, stretch: str | None = None) -> None:
        """Store a reminder's outcome (or a break taken without one)."""
        with self._write() as db:
            if db is None:
                return
            db.execute(
                "INSERT INTO reminders (kind, outcome, at, day, due, seconds, postpones, label,"
                " routine, stretch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(record.kind),
                    str(record.outcome),
                    record.at.isoformat(),
                    record.at.date().isoformat(),
                    record.due.isoformat() if record.due else None,
                    record.seconds,
                    record.postpones,
                    record.label,
                    record.routine,
                    stretch,
                ),
            )

    def add_session(self, session: SessionRecord) -> int | None:
        """Store one session and the stretches done in it; its id, or ``None`` when off."""
        session_id = None
        with self._write() as db:
            if db is None:
                return None
            cursor = db.execute(
                "INSERT INTO sessions (routine, started, day, ended, ending, seconds_held,"
                " items_done, items_skipped, items_partial, feeling, pain_before, pain_after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session.routine,
                    session.started.isoformat(),
                    session.started.date().isoformat(),
                    session.ended.isoformat(),
                    session.ending,
                    session.seconds_held,
                    session.items_done,
                    session.items_skipped,
                    session.items_partial,
                    session.feeling,
                    session.pain_before,
                    session.pain_after,
                ),
            )
            db.executemany(
                "INSERT INTO session_stretches (session_id, stretch) VALUES (?, ?)",
                [(cursor.lastrowid, stretch) for stretch in session.stretches],
            )
            session_id = cursor.lastrowid
        return session_id if self._db is not None else None

    def set_session_feeling(self, session_id: int, feeling: str) -> None:
        """Add "how do you feel now?" to a stored session, once the user answers."""
        with self._write() as db:
            if db is not None:
                db.execute("UPDATE sessions SET feeling = ? WHERE id = ?", (feeling, session_id))

    def set_session_pain_after(self, session_id: int, pain: int) -> None:
        """Add the pain score given after a session (0-10) to the stored session."""
        with self._write() as db:
            if db is not None:
                db.execute("UPDATE sessions SET pain_after = ? WHERE id = ?", (pain, session_id))

    def add_checkin(self, checkin: CheckIn) -> None:
        with self._write() as db:
            if db is None:
                return
            db.execute(
                "INSERT INTO checkins (at, day, answer, pain) VALUES (?, ?, ?, ?)",
                (
                    checkin.at.isoformat(),
                    checkin.at.date().isoformat(),
                    checkin.answer,
                    checkin.pain,
                ),
            )

    def save_fixed_fired(self, fired: Mapping[FixedReminder, _dt.date]) -> None:
        """Remember the date each fixed reminder last fired (replacing what was stored)."""
        with self._write() as db:
            if db is None:
                return
            db.execute("DELETE FROM fixed_fired")
            db.executemany(
                "INSERT INTO fixed_fired (time, routine, label, day) VALUES (?, ?, ?, ?)",
                [
                    (f"{fixed.time:%H:%M}", fixed.routine, fixed.label, day.isoformat())
                    for fixed, day in fired.items()
                ],
            )

    # --- reading --------------------------------------------------------------------------

    def fixed_fired(self) -> dict[FixedReminder, _dt.date]:
        """The date each fixed reminder last fired, as :meth:`save_fixed_fired` stored it.

        Rows that no longer make a valid reminder (edited by hand) are left out.
        """
        fired: dict[FixedReminder, _dt.date] = {}
        for time, routine, label, day in self._query(
            "SELECT time, routine, label, day FROM fixed_fired"
        ):
            try:
                fixed = FixedReminder(_dt.time.fromisoformat(time), routine, label)
                fired[fixed] = _dt.date.fromisoformat(day)
            except (TypeError, ValueError):
                continue
        return fired

    def recent_reminders(self, limit: int = 50) -> list[ReminderEntry]:
        """The last ``limit`` reminder records, newest first."""
        rows = self._query(
            "SELECT kind, outcome, at, due, seconds, postpones, label, routine, stretch"
            " FROM reminders ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [ReminderEntry(_break_record(row[:-1]), row[-1]) for row in rows]

    def recent_sessions(self, limit: int = 50) -> list[SessionRecord]:
        """The last ``limit`` sessions, newest first."""
        rows = self._query(
            f"SELECT id, {_SESSION_COLUMNS} FROM sessions ORDER BY id DESC LIMIT ?", (limit,)
        )
        sessions = []
        for row in rows:
            stretches = self._query(
                "SELECT stretch FROM session_stretches WHERE session_id = ? ORDER BY rowid",
                (row[0],),
            )
            sessions.append(_session(row[1:], tuple(s for (s,) in stretches)))
        return sessions

    def sessions_since(self, since: _dt.date) -> list[SessionRecord]:
        """Sessions started on ``since`` or later, oldest first (without their stretches)."""
        rows = self._query(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE day >= ? ORDER BY started, id",
            (since.isoformat(),),
        )
        return [_session(row) for row in rows]

    def session_days(self, until: _dt.date) -> set[_dt.date]:
        """Every local date up to ``until`` with at least one session."""
        return {
            _dt.date.fromisoformat(day)
            for (day,) in self._query(
                "SELECT DISTINCT day FROM sessions WHERE day <= ?", (until.isoformat(),)
            )
        }

    def reminders_since(self, since: _dt.date) -> list[BreakRecord]:
        """Reminder records from the local date ``since`` on, oldest first."""
        rows = self._query(
            "SELECT kind, outcome, at, due, seconds, postpones, label, routine"
            " FROM reminders WHERE day >= ? ORDER BY id",
            (since.isoformat(),),
        )
        records = []
        for row in rows:
            try:
                records.append(_break_record(row))
            except ValueError:  # a row from a newer version, or edited by hand
                continue
        return records

    def recent_checkins(self, limit: int = 50) -> list[CheckIn]:
        rows = self._query(
            "SELECT at, answer, pain FROM checkins ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [CheckIn(_dt.datetime.fromisoformat(at), answer, pain) for at, answer, pain in rows]

    def counts_per_day(self, since: _dt.date) -> list[DayCount]:
        """What happened on each local date from ``since`` on (days with nothing left out)."""
        days: dict[str, dict[str, int]] = {}
        for day, count in self._query(
            "SELECT day, COUNT(*) FROM sessions WHERE day >= ? GROUP BY day", (since.isoformat(),)
        ):
            days.setdefault(day, {})["sessions"] = count
        for day, outcome, count in self._query(
            "SELECT day, outcome, COUNT(*) FROM reminders WHERE day >= ? GROUP BY day, outcome",
            (since.isoformat(),),
        ):
            column = {
                Outcome.STARTED: "breaks_taken",
                Outcome.NATURAL_BREAK: "breaks_taken",
                Outcome.SKIPPED: "skipped",
                Outcome.POSTPONED: "postponed",
            }.get(Outcome(outcome))
            if column is not None:
                counts = days.setdefault(day, {})
                counts[column] = counts.get(column, 0) + count
        return [
            DayCount(_dt.date.fromisoformat(day), **counts) for day, counts in sorted(days.items())
        ]

    def streak(self, today: _dt.date) -> int:
        """Days in a row, up to ``today``, with at least one session.

        A day without one yet does not break the streak before it is over, so
        the streak counts back from yesterday when today has no session.
        """
        days = self.session_days(today)
        day = today if today in days else today - _dt.timedelta(days=1)
        count = 0
        while day in days:
            count += 1
            day -= _dt.timedelta(days=1)
        return count

    def stretch_counts(self, since: _dt.date) -> dict[str, int]:
        """How many times each stretch was done since ``since``: in sessions and from reminders."""
        counts: dict[str, int] = {}
        for stretch, count in self._query(
            "SELECT ss.stretch, COUNT(*) FROM session_stretches ss JOIN sessions s"
            " ON s.id = ss.session_id WHERE s.day >= ? GROUP BY ss.stretch",
            (since.isoformat(),),
        ):
            counts[stretch] = counts.get(stretch, 0) + count
        for stretch, count in self._query(
            "SELECT stretch, COUNT(*) FROM reminders WHERE stretch IS NOT NULL AND outcome = ?"
            " AND day >= ? GROUP BY stretch",
            (str(Outcome.STARTED), since.isoformat()),
        ):
            counts[stretch] = counts.get(stretch, 0) + count
        return counts

    # --- helpers --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection | None]:
        """One transaction; on a failing disk the history turns off for the rest of the run."""
        db = self._db
        if db is None:
            yield None
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            self.notices += (
                f"The history could not be saved ({exc}); it is off until StretchDesk restarts.",
            )
            with contextlib.suppress(sqlite3.Error):
                db.close()
            self._db = None

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error:
            return []


class _Corrupt(Exception):
    """The file is not a usable database (and should be kept aside)."""


def _open_checked(path: Path) -> sqlite3.Connection:
    """Connect, check the file and bring its schema up to date."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        try:
            result = db.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
                raise
            raise _Corrupt(str(exc)) from None
        if result is None or result[0] != "ok":
            raise _Corrupt(f"integrity check: {result[0] if result else 'no answer'}")
        _migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    if "schema_version" in tables:
        row = db.execute("SELECT version FROM schema_version").fetchone()
        if row is None or not isinstance(row[0], int):
            raise _Corrupt("the version of the file is missing")
        version = row[0]
    elif tables:
        raise _Corrupt("it is not a StretchDesk history")
    else:
        version = 0
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"Your history file {path} was written by a newer version of StretchDesk "
            f"(history version {version}; this version reads up to {SCHEMA_VERSION}). "
            "It was left as it is, and the history is off until you update StretchDesk."
        )
    while version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](db)
            if version == 0:
                db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                db.execute("INSERT INTO schema_version VALUES (?)", (version + 1,))
            else:
                db.execute("UPDATE schema_version SET version = ?", (version + 1,))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        version += 1


def _keep_aside(path: Path, now: _dt.datetime) -> Path:
    """Rename the file (and its journal files) to a ``.broken-<time>`` name not yet taken."""
    base = f"{path.name}.broken-{now:%Y%m%d-%H%M%S}"
    for n in range(1, 1000):
        target = path.with_name(base if n == 1 else f"{base}-{n}")
        if os.path.lexists(target):
            continue
        os.rename(path, target)
        for suffix in ("-wal", "-shm", "-journal"):
            journal = path.with_name(path.name + suffix)
            if journal.exists():
                os.rename(journal, target.with_name(target.name + suffix))
        return target
    raise OSError(f"no free name like {base}")


def _off(path: Path, why: str) -> str:
    return (
        f"The history could not be opened at {path} ({why}). StretchDesk works as usual, "
        "but it will not remember your breaks and sessions this time."
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    return str(exc) or type(exc).__name__
