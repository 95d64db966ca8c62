"""Commands one ``stretchdesk`` process sends to the running app, and how they travel.

A second launch (``stretchdesk``, ``stretchdesk start ROUTINE``, ``stretchdesk
break-now``, ``stretchdesk pause 30m``, ``stretchdesk resume``) does not start
another copy: it sends one command to the running app over a local socket and
exits. This module is the pure part: the commands as values, durations such as
``30m`` or ``tomorrow``, and the wire format.

The wire format
---------------
One request per connection: a single line of UTF-8 JSON, at most
:data:`MAX_LINE_BYTES` bytes including the newline, an object with the protocol
version ``"v"`` and the command ``"cmd"``::

    {"v": 1, "cmd": "raise"}
    {"v": 1, "cmd": "start", "routine": "morning-mobility"}
    {"v": 1, "cmd": "break-now"}
    {"v": 1, "cmd": "pause", "seconds": 1800}
    {"v": 1, "cmd": "pause", "until": "tomorrow"}
    {"v": 1, "cmd": "resume"}

The answer is one line too: ``{"v": 1, "ok": true}`` or ``{"v": 1, "ok":
false, "error": "..."}``. Only these commands exist; anything else (another
version, an unknown command, an unknown or missing field, a wrong type, a line
too long, bytes that are not UTF-8 JSON) is answered with an error and changes
nothing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

PROTOCOL_VERSION = 1
MAX_LINE_BYTES = 4096
"""The longest request or answer line, newline included."""

MAX_ROUTINE_CHARS = 200
MAX_PAUSE_SECONDS = 24 * 3600.0
"""The longest pause a duration may ask for; longer ones are refused (use ``tomorrow``)."""


class CommandError(ValueError):
    """A request that is not one of the known commands, or a duration that cannot be read."""


@dataclass(frozen=True, slots=True)
class RaiseWindow:
    """Bring the main window to the front (a second plain launch)."""


@dataclass(frozen=True, slots=True)
class StartRoutine:
    """Open the player with a routine, by its id or name."""

    routine: str


@dataclass(frozen=True, slots=True)
class BreakNow:
    """Offer a break now, as if it were due."""


@dataclass(frozen=True, slots=True)
class Pause:
    """No reminders for ``seconds``, or until tomorrow when ``until_tomorrow`` is true."""

    seconds: float | None = None
    until_tomorrow: bool = False

    def __post_init__(self) -> None:
        if self.until_tomorrow == (self.seconds is not None):
            raise CommandError("a pause is either a number of seconds or until tomorrow")
        if self.seconds is not None and not (
            math.isfinite(self.seconds) and 0 < self.seconds <= MAX_PAUSE_SECONDS
        ):
            raise CommandError(
                f"a pause lasts more than 0 seconds and at most {MAX_PAUSE_SECONDS:.0f}"
            )


@dataclass(frozen=True, slots=True)
class Resume:
    """End a pause early."""


AppCommand = RaiseWindow | StartRoutine | BreakNow | Pause | Resume


@dataclass(frozen=True, slots=True)
class Reply:
    """The running app's answer: ``ok``, or an ``error`` to show the user."""

    ok: bool
    error: str = ""


# --- durations ----------------------------------------------------------------------------

_UNITS = {"h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(\d{1,5})\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])")


def parse_pause(text: str) -> Pause:
    """A :class:`Pause` from what a user types: ``30m``, ``1h``, ``1h30m``, ``90s``, ``tomorrow``.

    Raises :class:`CommandError` with a message for the user when the text is
    not a duration or is longer than a day.
    """
    cleaned = text.strip().lower()
    if cleaned == "tomorrow":
        return Pause(until_tomorrow=True)
    position, total, parts = 0, 0, 0
    for match in _DURATION.finditer(cleaned):
        if cleaned[position : match.start()].strip():
            break
        total += int(match.group(1)) * _UNITS[match.group(2)[0]]
        position = match.end()
        parts += 1
    if parts == 0 or cleaned[position:].strip():
        raise CommandError(
            f"cannot read {text!r} as a duration; write e.g. 30m, 1h, 2h, 1h30m or tomorrow"
        )
    if total <= 0:
        raise CommandError("a pause must last longer than 0 minutes")
    if total > MAX_PAUSE_SECONDS:
        raise CommandError("a pause lasts at most 24h; for longer, use 'tomorrow' each day")
    return Pause(seconds=float(total))


# --- the wire format ----------------------------------------------------------------------


def _line(obj: dict[str, Any]) -> bytes:
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    if len(data) > MAX_LINE_BYTES:
        raise CommandError(f"the message is longer than {MAX_LINE_BYTES} bytes")
    return data


def encode_request(command: AppCommand) -> bytes:
    """The request line for ``command``."""
    body: dict[str, Any] = {"v": PROTOCOL_VERSION}
    match command:
        case RaiseWindow():
            body["cmd"] = "raise"
        case StartRoutine(routine):
            body.update(cmd="start", routine=routine)
        case BreakNow():
            body["cmd"] = "break-now"
        case Pause(seconds, until_tomorrow):
            body["cmd"] = "pause"
            if until_tomorrow:
                body["until"] = "tomorrow"
            else:
                body["seconds"] = seconds
        case Resume():
            body["cmd"] = "resume"
    return _line(body)


def _load_line(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_LINE_BYTES:
        raise CommandError(f"the message is longer than {MAX_LINE_BYTES} bytes")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CommandError("the message is not a line of UTF-8 JSON") from exc
    if not isinstance(obj, dict):
        raise CommandError("the message is not a JSON object")
    version = obj.get("v")
    if type(version) is not int or version != PROTOCOL_VERSION:
        raise CommandError(f"unsupported protocol version {version!r}; expected {PROTOCOL_VERSION}")
    return obj


def _expect_fields(obj: dict[str, Any], *names: str) -> None:
    extra = sorted(set(obj) - {"v", "cmd", *names})
    if extra:
        raise CommandError(f"unknown field {extra[0]!r} for command {obj['cmd']!r}")


def decode_request(data: bytes) -> AppCommand:
    """The command in a request line; :class:`CommandError` for anything else."""
    obj = _load_line(data)
    name = obj.get("cmd")
    if name in ("raise", "break-now", "resume"):
        _expect_fields(obj)
        return {"raise": RaiseWindow, "break-now": BreakNow, "resume": Resume}[name]()
    if name == "start":
        _expect_fields(obj, "routine")
        routine = obj.get("routine")
        if not isinstance(routine, str) or not routine.strip():
            raise CommandError("'start' needs a routine's id or name")
        if len(routine) > MAX_ROUTINE_CHARS:
            raise CommandError("the routine's name is too long")
        return StartRoutine(routine)
    if name == "pause":
        _expect_fields(obj, "seconds", "until")
        if "until" in obj:
            if obj["until"] != "tomorrow" or "seconds" in obj:
                raise CommandError("'pause' takes seconds, or until 'tomorrow'")
            return Pause(until_tomorrow=True)
        seconds = obj.get("seconds")
        if type(seconds) not in (int, float):
            raise CommandError("'pause' needs a number of seconds")
        return Pause(seconds=float(seconds))
    raise CommandError(f"unknown command {name!r}")


def encode_reply(reply: Reply) -> bytes:
    """The answer line for ``reply`` (a long error message is shortened to fit)."""
    body: dict[str, Any] = {"v": PROTOCOL_VERSION, "ok": reply.ok}
    if not reply.ok:
        body["error"] = reply.error[:1000]
    return _line(body)


def decode_reply(data: bytes) -> Reply:
    """The running app's answer; :class:`CommandError` when it is not one."""
    obj = _load_line(data)
    ok = obj.get("ok")
    if not isinstance(ok, bool):
        raise CommandError("the answer has no 'ok'")
    error = obj.get("error", "")
    return Reply(ok, error if isinstance(error, str) else str(error))
