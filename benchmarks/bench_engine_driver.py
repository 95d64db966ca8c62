"""How precisely the terminal runner keeps time: a ~60 s routine on the real clock.

The text driver (``stretchdesk run ROUTINE --text``) runs a routine of real
catalogue stretches with its output going to a buffer and its input a pipe
nobody writes to. Every segment boundary is due at a known deadline; the
benchmark records when the driver actually handled it and reports how late
boundaries fire (median and max, in ms) and the drift at the end: when the
routine finished against start + its planned duration.
Targets: boundaries within 20 ms of their deadline; no drift.

    .venv/bin/python benchmarks/bench_engine_driver.py [--routine ID]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stretchdesk import resources  # noqa: E402
from stretchdesk.cli.run_text import run_text  # noqa: E402
from stretchdesk.core.engine import Cue, CueKind  # noqa: E402
from stretchdesk.core.loader import load_catalogue  # noqa: E402
from stretchdesk.core.routine import Routine, RoutineItem, find_routine, load_routines  # noqa: E402
from stretchdesk.core.timeline import expand  # noqa: E402

SIXTY_SECONDS = Routine(
    id="bench-sixty",
    name="Sixty seconds",
    description="Holds, a side switch and breath-paced reps, about a minute in all.",
    items=(
        RoutineItem("shoulder-rolls", reps=4),
        RoutineItem("upper-trap-stretch", hold_seconds=8),
        RoutineItem("chin-tucks", reps=3),
    ),
    prepare_seconds=2,
    rest_seconds=2,
    switch_seconds=2,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", help="run a built-in routine instead (e.g. desk-break)")
    args = parser.parse_args()

    catalogue = load_catalogue(resources.data_file("stretches.yaml"), None).catalogue
    routine = SIXTY_SECONDS
    if args.routine:
        routines = load_routines(resources.data_file("routines.yaml"), None, catalogue).routines
        routine = find_routine(routines, args.routine)
    plan = expand(routine, catalogue)

    lateness: list[float] = []
    started: list[float] = []
    finished: list[float] = []

    def observe(now: float, cues: list[Cue]) -> None:
        handled = time.monotonic()
        for cue in cues:
            if cue.kind is CueKind.SEGMENT_STARTED and cue.index == 0:
                started.append(cue.due)
            elif cue.kind is CueKind.SEGMENT_STARTED:
                lateness.append(handled - cue.due)
            if cue.kind is CueKind.ROUTINE_FINISHED:
                finished.append(handled)

    read_fd, write_fd = os.pipe()  # input that never comes
    out = io.StringIO()
    print(f"running {routine.id!r} ({plan.duration:.0f} s, {len(plan.segments) - 1} segments)")
    try:
        with os.fdopen(read_fd, "r") as stdin:
            summary = run_text(routine, catalogue, stdin=stdin, stdout=out, observer=observe)
    finally:
        os.close(write_fd)
    ms = [x * 1000 for x in lateness]
    drift = (finished[0] - started[0] - plan.duration) * 1000
    print(f"boundaries: {len(ms)}  ended: {summary.ending}")
    print(f"late by: median {statistics.median(ms):.2f} ms  max {max(ms):.2f} ms")
    print(f"drift at the end: {drift:+.2f} ms over {plan.duration:.0f} s")
    ok = max(ms) <= 20 and abs(drift) <= 20
    print("within target (20 ms)" if ok else "OUTSIDE the 20 ms target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
