"""The terminal runner, end to end over the session engine with a fake clock and keys."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from session_fixtures import FakeClock, catalogue, hold_stretch, rep_stretch, routine

from stretchdesk.cli.run_text import Key, StreamKeys, parse_keys, run_text
from stretchdesk.core.engine import Ending, Outcome
from stretchdesk.core.model import Sides

CAT = catalogue(
    hold_stretch("hold", hold=10, sides=Sides.EACH),
    rep_stretch("reps", reps=2),
)


class ScriptedKeys:
    """Keys typed at given clock times; waiting moves the fake clock on."""

    line_mode = False

    def __init__(self, clock: FakeClock, script: list[tuple[float, str]]) -> None:
        self.clock = clock
        self.script = [(clock.now + at, text) for at, text in script]
        self.closed = not self.script
        self.waits: list[float | None] = []

    def wait(self, timeout: float | None) -> str:
        self.waits.append(timeout)
        if self.script and (timeout is None or self.script[0][0] <= self.clock.now + timeout):
            at, text = self.script.pop(0)
            self.clock.now = max(self.clock.now, at)
            self.closed = not self.script
            return text
        assert timeout is not None, "would wait for ever"
        self.clock.now += timeout
        return ""


def run(rt, script=(), **kwargs):
    clock = FakeClock(0.0)
    keys = ScriptedKeys(clock, list(script))
    out = io.StringIO()
    summary = run_text(rt, CAT, stdin=io.StringIO(), stdout=out, clock=clock, keys=keys, **kwargs)
    return summary, out.getvalue(), clock, keys


def test_a_routine_runs_to_the_end_on_time():
    summary, text, clock, keys = run(routine("hold", "reps", switch=2, rest=3))
    assert summary.ending is Ending.FINISHED
    assert clock.now == pytest.approx(5 + 10 + 2 + 10 + 3 + 5 + 14)
    assert "Hold (1 of 2)" in text and "Get into position (0:05)." in text
    assert "  1. Kneel." in text
    assert "Hold: hold, left side (0:10): Breathe and hold." in text
    assert "Switch sides." in text and "  3\n  2\n  1\n" in text
    assert "Rest. Next up: Reps (0:03)." in text
    assert "  1/2: Breathe in (phase 1)" in text
    assert "Routine finished. Well done." in text
    assert "Done 2 of 2 stretches" in text and "(finished)" in text
    assert None not in keys.waits  # always a deadline to sleep until
    # wakes for each deadline (a long wait and a short one to land on time), never spins
    assert all(wait > 0.001 for wait in keys.waits)
    assert len(keys.waits) <= 2 * 24


def test_keys_pause_skip_back_add_and_quit():
    script = [(1, " "), (30, " "), (31, "n"), (32, "+"), (33, "b"), (34, "s"), (35, "q")]
    summary, text, _clock, _ = run(routine("hold", "reps"), script)
    assert "Paused. Press space to carry on." in text
    assert "+10 s" in text
    assert summary.ending is Ending.STOPPED
    assert summary.items[1].outcome is Outcome.SKIPPED


def test_it_hurts_stops_with_advice():
    summary, text, _, _ = run(routine("hold"), [(7, "h")])
    assert summary.ending is Ending.HURT
    assert "see a health professional" in text and "(stopped because it hurt)" in text


def test_refused_keys_say_why():
    _summary, text, _, _ = run(routine("reps"), [(6, "+"), (7, "q")])
    assert "(repetitions follow the breath; pause if you need a moment)" in text


def test_waiting_for_ready_and_enter():
    summary, text, clock, _ = run(routine("reps", prepare=0), [(50, "\r")])
    assert "Get into position." in text
    assert summary.ending is Ending.FINISHED
    assert clock.now == pytest.approx(50 + 14)
    assert summary.active_seconds == pytest.approx(14)


def test_parse_keys():
    assert parse_keys(" pnsb+hq\r") == [
        Key.PAUSE,
        Key.PAUSE,
        Key.NEXT,
        Key.SKIP_STRETCH,
        Key.BACK,
        Key.ADD,
        Key.HURT,
        Key.QUIT,
        Key.READY,
    ]
    assert parse_keys("\x1b[C\x1b[D\x1b[A\x1b") == [Key.NEXT, Key.BACK, Key.QUIT]
    assert parse_keys("n\n\nq\n", line_mode=True) == [Key.NEXT, Key.READY, Key.QUIT]


def test_line_mode_over_a_pipe_with_the_real_clock():
    """A pipe that closes at once: the runner carries on by itself and does not spin."""
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"n\n")
    os.close(write_fd)
    rt = routine("hold", prepare=0, switch=0)
    fast = catalogue(hold_stretch("hold", hold=0.05, sides=Sides.EACH))
    out = io.StringIO()
    with os.fdopen(read_fd, "r") as stdin:
        keys = StreamKeys(stdin)
        assert keys.line_mode
        summary = run_text(rt, fast, stdin=stdin, stdout=out, keys=keys)
    assert summary.ending is Ending.FINISHED
    assert "Routine finished" in out.getvalue()
