"""``stretchdesk run ROUTINE --text``: a routine in the terminal, driven by the session engine.

The runner sleeps in ``select()`` until the engine's next deadline or a key,
whichever comes first, so it wakes only when something is due. On a terminal
it reads single keys (cbreak mode, restored on exit) and keeps a live
countdown on the last line; otherwise it reads commands a line at a time and
prints plain lines only.

Keys: space or p pause and resume (and start a stretch that waits for you),
n or the right arrow go to the next segment, s skips the rest of the stretch,
b or the left arrow go back, + adds 10 seconds, Enter says you are ready,
h stops because it hurts, q (or Esc) quits.
"""

from __future__ import annotations

import contextlib
import os
import select
import time
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Protocol, TextIO

from stretchdesk.core.engine import (
    ENDED,
    Cue,
    CueKind,
    Ending,
    SessionEngine,
    SkipTo,
    State,
    Summary,
)
from stretchdesk.core.model import Catalogue
from stretchdesk.core.routine import Routine
from stretchdesk.core.timeline import Segment, SegmentKind, expand
from stretchdesk.core.timeline_text import breath_words, format_clock, segment_title

#: Waits longer than this are cut short a little and finished with a second, short wait.
EARLY_WAKE_ABOVE = 0.02
HELP = "Keys: space pause, n next, s skip stretch, b back, + 10 s, Enter ready, h it hurts, q quit"
HURT_ADVICE = (
    "Stopped. Ease out of the position and rest. Sharp pain is a signal to stop, not to push "
    "through. If pain shoots down a leg, brings numbness, or is worse at night, see a health "
    "professional; get urgent help for numbness around the groin, new leg weakness, or loss "
    "of bladder or bowel control."
)


class Key(Enum):
    PAUSE = "pause"  # toggles; also "ready" while waiting
    NEXT = "next"
    SKIP_STRETCH = "skip-stretch"
    BACK = "back"
    ADD = "add"
    READY = "ready"
    HURT = "hurt"
    QUIT = "quit"


_SEQUENCES = {"\x1b[C": Key.NEXT, "\x1b[D": Key.BACK, "\x1bOC": Key.NEXT, "\x1bOD": Key.BACK}
_SINGLE = {
    " ": Key.PAUSE,
    "p": Key.PAUSE,
    "n": Key.NEXT,
    "s": Key.SKIP_STRETCH,
    "b": Key.BACK,
    "+": Key.ADD,
    "=": Key.ADD,
    "h": Key.HURT,
    "q": Key.QUIT,
    "\x1b": Key.QUIT,
    "\r": Key.READY,
    "\n": Key.READY,
    "r": Key.READY,
}


def parse_keys(text: str, *, line_mode: bool = False) -> list[Key]:
    """The commands in what was typed. In line mode an empty line (Enter) means ready."""
    if line_mode:
        keys: list[Key] = []
        for line in text.splitlines():
            keys.extend(parse_keys(line) if line.strip() else [Key.READY])
        return keys
    keys = []
    i = 0
    while i < len(text):
        sequence = next((s for s in _SEQUENCES if text.startswith(s, i)), None)
        if sequence is not None:
            keys.append(_SEQUENCES[sequence])
            i += len(sequence)
            continue
        if text[i] == "\x1b" and text.startswith("[", i + 1):  # another escape sequence
            i += 3
            continue
        key = _SINGLE.get(text[i].lower() if text[i] != "\x1b" else text[i])
        if key is not None:
            keys.append(key)
        i += 1
    return keys


class KeySource(Protocol):
    """Where keys come from: waits up to ``timeout`` seconds (None: until input)."""

    closed: bool  # no more input will come
    line_mode: bool

    def wait(self, timeout: float | None) -> str: ...


class StreamKeys:
    """Keys from a file object: ``select()`` on its descriptor, cbreak mode on a terminal."""

    def __init__(self, stream: TextIO, sleep: Callable[[float], None] = time.sleep) -> None:
        self.stream = stream
        self.sleep = sleep
        self.closed = False
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = None
        self.is_tty = self.fd is not None and os.isatty(self.fd)
        self.line_mode = not self.is_tty
        self._pending = ""
        if self.fd is None:  # e.g. a StringIO: everything is there already
            self._pending = stream.read()
            self.closed = True

    @contextlib.contextmanager
    def raw(self) -> Iterator[None]:
        """Single keys without echo while inside, the terminal as it was afterwards."""
        if not self.is_tty or self.fd is None:
            yield
            return
        import termios
        import tty

        saved = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd)
            yield
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)

    def wait(self, timeout: float | None) -> str:
        if self._pending:
            pending, self._pending = self._pending, ""
            return pending
        if self.closed or self.fd is None:
            if timeout is not None:
                self.sleep(timeout)
            return ""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return ""
        data = os.read(self.fd, 256)
        if not data:
            self.closed = True
            return ""
        return data.decode("utf-8", "replace")


class _Screen:
    """Lines of output, plus a live status line on a terminal."""

    def __init__(self, out: TextIO, live: bool) -> None:
        self.out = out
        self.live = live
        self._status = ""

    def line(self, text: str = "") -> None:
        if self.live and self._status:
            self.out.write("\r\x1b[K")
        self.out.write(text + "\n")
        if self.live and self._status:
            self.out.write(self._status)
        self.out.flush()

    def status(self, text: str) -> None:
        if not self.live or text == self._status:
            return
        self._status = text
        self.out.write("\r\x1b[K" + text)
        self.out.flush()

    def close(self) -> None:
        if self.live and self._status:
            self.out.write("\r\x1b[K")
            self._status = ""
            self.out.flush()


class TextRunner:
    """Runs one session in a terminal; :func:`run_text` is the simple way to use it."""

    def __init__(
        self,
        engine: SessionEngine,
        keys: KeySource,
        screen: _Screen,
        clock: Callable[[], float],
        observer: Callable[[float, list[Cue]], None] | None = None,
    ) -> None:
        self.engine = engine
        self.keys = keys
        self.screen = screen
        self.clock = clock
        self.observer = observer
        self.items = len(engine.plan.stretches)

    # --- the loop ------------------------------------------------------------------------

    def run(self) -> Summary:
        engine, screen = self.engine, self.screen
        plan = engine.plan
        screen.line(f"{plan.routine.name}: {format_clock(plan.duration)}, {self.items} stretches.")
        screen.line(HELP)
        screen.line()
        now = self.clock()
        self.show(now, list(engine.start(now).cues))
        try:
            while engine.state not in ENDED:
                self.step()
        except KeyboardInterrupt:
            self.show(self.clock(), list(engine.stop(self.clock()).cues))
        screen.close()
        summary = engine.summary()
        assert summary is not None
        self.show_summary(summary)
        return summary

    def step(self) -> None:
        engine = self.engine
        now = self.clock()
        if self.keys.closed and engine.state is State.WAITING:
            self.show(now, list(engine.ready(now).cues))
            return
        if self.keys.closed and engine.state is State.PAUSED:
            self.show(now, list(engine.resume(now).cues))
            return
        self.refresh(now)
        typed = self.keys.wait(self.timeout(now))
        now = self.clock()
        self.show(now, engine.update(now))
        for key in parse_keys(typed, line_mode=self.keys.line_mode):
            if engine.state in ENDED:
                break
            self.apply(key, self.clock())

    def timeout(self, now: float) -> float | None:
        """Seconds until the engine's next deadline (or the next whole second on screen)."""
        deadline = self.engine.next_deadline()
        if deadline is None:
            return None
        wait = deadline - now
        if self.screen.live:
            left = self.engine.snapshot(now).seconds_left
            wait = min(wait, left - int(left) or 1.0)
        if wait > EARLY_WAKE_ABOVE:
            # The kernel lets select() oversleep by about 0.1 % of its timeout (2 ms on
            # 2 s): wake a little early, and the short wait that follows lands on time.
            wait -= wait * 0.002 + 0.0005
        return max(wait, 0.0)

    def apply(self, key: Key, now: float) -> None:
        engine = self.engine
        state = engine.state
        if key is Key.PAUSE:
            if state is State.WAITING:
                result = engine.ready(now)
            elif state is State.PAUSED:
                result = engine.resume(now)
            else:
                result = engine.pause(now)
        elif key is Key.NEXT:
            result = engine.skip(now)
        elif key is Key.SKIP_STRETCH:
            result = engine.skip(now, SkipTo.STRETCH)
        elif key is Key.BACK:
            result = engine.back(now)
        elif key is Key.ADD:
            result = engine.add_time(now)
        elif key is Key.READY:
            result = engine.ready(now)
        elif key is Key.HURT:
            result = engine.hurt(now)
        else:
            result = engine.stop(now)
        self.show(now, list(result.cues))
        if not result:
            self.screen.line(f"  ({result.reason})")
        elif key is Key.PAUSE and engine.state is State.PAUSED:
            self.screen.line("  Paused. Press space to carry on.")
        elif key is Key.ADD:
            self.screen.line("  +10 s")
        self.refresh(now)

    # --- output --------------------------------------------------------------------------

    def refresh(self, now: float) -> None:
        snap = self.engine.snapshot(now)
        if snap.state is State.WAITING:
            text = "  Get into position, then press Enter."
        elif snap.state is State.PAUSED:
            text = f"  Paused with {format_clock(snap.seconds_left, round_up=True)} left."
        elif snap.state is State.RUNNING:
            text = (
                f"  {format_clock(snap.seconds_left, round_up=True)} "
                f"{snap.segment.kind} · {format_clock(snap.total_left, round_up=True)} to go"
            )
        else:
            text = ""
        self.screen.status(text)

    def show(self, now: float, cues: list[Cue]) -> None:
        if self.observer is not None:
            self.observer(now, cues)
        for cue in cues:
            for text in self.cue_lines(cue):
                self.screen.line(text)

    def cue_lines(self, cue: Cue) -> list[str]:
        kind = cue.kind
        if kind is CueKind.SEGMENT_STARTED:
            return self.segment_lines(cue.segment)
        if kind is CueKind.COUNTDOWN:
            return [f"  {cue.count}"]
        if kind is CueKind.HALFWAY:
            return ["  Halfway."]
        if kind is CueKind.SWITCH_SIDES:
            return ["  Switch sides."]
        if kind is CueKind.PAUSED_AFTER_SLEEP:
            return ["Paused: the computer was asleep. Press space to carry on."]
        return []  # breathing and "next up" are part of the segment's own line

    def segment_lines(self, segment: Segment) -> list[str]:
        stretch = segment.stretch
        kind = segment.kind
        if kind is SegmentKind.FINISHED or stretch is None:
            return ["", "Routine finished. Well done."]
        seconds = "" if segment.waits else f" ({format_clock(segment.duration)})"
        if kind is SegmentKind.PREPARE:
            number = (segment.item or 0) + 1
            lines = ["", f"{stretch.name} ({number} of {self.items}): {stretch.summary}"]
            lines += [f"  Careful: {caution}" for caution in stretch.cautions]
            lines += [f"  {i}. {step.text}" for i, step in enumerate(stretch.steps, start=1)]
            lines.append(f"Get into position{seconds}.")
            return lines
        if kind is SegmentKind.HOLD:
            step = stretch.steps[stretch.hold_step].text
            return [f"{segment_title(segment).capitalize()}{seconds}: {step}"]
        if kind is SegmentKind.REP:
            side = f" {segment.side}" if segment.side is not None else ""
            label = f" ({segment.label})" if segment.label else ""
            words = breath_words(segment.breath).capitalize()
            return [f"  {segment.rep}/{segment.reps}{side}: {words}{label}"]
        return [f"{segment_title(segment)}{seconds}."]

    def show_summary(self, summary: Summary) -> None:
        screen = self.screen
        how = {
            Ending.FINISHED: "finished",
            Ending.STOPPED: "stopped",
            Ending.HURT: "stopped because it hurt",
        }[summary.ending]
        if summary.ending is Ending.HURT:
            screen.line(HURT_ADVICE)
        screen.line(
            f"Done {summary.done_count} of {len(summary.items)} stretches; "
            f"{format_clock(summary.held_seconds)} holding and moving, "
            f"{format_clock(summary.active_seconds)} in all ({how})."
        )


def run_text(
    routine: Routine,
    catalogue: Catalogue,
    *,
    stdin: TextIO,
    stdout: TextIO,
    clock: Callable[[], float] = time.monotonic,
    keys: KeySource | None = None,
    observer: Callable[[float, list[Cue]], None] | None = None,
) -> Summary:
    """Run ``routine`` in a terminal until it ends; how it went.

    ``keys`` replaces reading from ``stdin`` (tests pass a scripted source);
    ``observer`` sees every batch of cues with the clock reading it was
    handled at (the benchmark measures lateness with it).
    """
    engine = SessionEngine(expand(routine, catalogue))
    source = keys if keys is not None else StreamKeys(stdin)
    live = bool(getattr(stdout, "isatty", lambda: False)()) and not source.line_mode
    screen = _Screen(stdout, live)
    runner = TextRunner(engine, source, screen, clock, observer)
    raw = source.raw() if isinstance(source, StreamKeys) else contextlib.nullcontext()
    with raw:
        return runner.run()
