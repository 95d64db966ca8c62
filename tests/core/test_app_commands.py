"""Commands to the running app: durations, the wire format, and what is refused."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchdesk.core.app_commands import (
    MAX_LINE_BYTES,
    BreakNow,
    CommandError,
    Pause,
    RaiseWindow,
    Reply,
    Resume,
    StartRoutine,
    decode_reply,
    decode_request,
    encode_reply,
    encode_request,
    parse_pause,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30m", 1800),
        ("1h", 3600),
        ("2h", 7200),
        ("1h30m", 5400),
        ("1h 30 min", 5400),
        ("90s", 90),
        ("45 minutes", 2700),
        (" 2H ", 7200),
        ("24h", 86400),
    ],
)
def test_durations_are_read(text, seconds):
    assert parse_pause(text) == Pause(seconds=float(seconds))


def test_tomorrow_is_a_pause_until_tomorrow():
    assert parse_pause("Tomorrow") == Pause(until_tomorrow=True)


@pytest.mark.parametrize("text", ["", "soon", "30", "m30", "30m later", "-5m", "0m", "25h", "1d"])
def test_bad_durations_are_refused_with_a_hint(text):
    with pytest.raises(CommandError, match=r"duration|longer than 0|at most 24h"):
        parse_pause(text)


COMMANDS = [
    RaiseWindow(),
    StartRoutine("desk-break"),
    StartRoutine("Morning mobility ✓"),
    BreakNow(),
    Pause(seconds=1800.0),
    Pause(until_tomorrow=True),
    Resume(),
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_survives_the_trip(command):
    line = encode_request(command)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line)["v"] == 1
    assert decode_request(line) == command


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b'{"v": 2, "cmd": "resume"}\n', "version"),
        (b'{"cmd": "resume"}\n', "version"),
        (b'{"v": true, "cmd": "resume"}\n', "version"),
        (b'{"v": 1, "cmd": "quit"}\n', "unknown command"),
        (b'{"v": 1, "cmd": "resume", "force": true}\n', "unknown field"),
        (b'{"v": 1, "cmd": "start"}\n', "routine"),
        (b'{"v": 1, "cmd": "start", "routine": 3}\n', "routine"),
        (b'{"v": 1, "cmd": "start", "routine": "  "}\n', "routine"),
        (b'{"v": 1, "cmd": "pause"}\n', "seconds"),
        (b'{"v": 1, "cmd": "pause", "seconds": true}\n', "seconds"),
        (b'{"v": 1, "cmd": "pause", "seconds": "30m"}\n', "seconds"),
        (b'{"v": 1, "cmd": "pause", "seconds": -1}\n', "more than 0"),
        (b'{"v": 1, "cmd": "pause", "seconds": NaN}\n', "more than 0"),
        (b'{"v": 1, "cmd": "pause", "seconds": 1e9}\n', "more than 0"),
        (b'{"v": 1, "cmd": "pause", "until": "friday"}\n', "tomorrow"),
        (b'{"v": 1, "cmd": "pause", "until": "tomorrow", "seconds": 5}\n', "tomorrow"),
        (b"[1, 2]\n", "object"),
        (b"\xff\xfe\n", "UTF-8 JSON"),
        (b"not json\n", "UTF-8 JSON"),
        (b"[" * 5000 + b"\n", "longer than"),
        (b'{"v": 1, "cmd": "start", "routine": "' + b"x" * 300 + b'"}\n', "too long"),
    ],
)
def test_anything_else_is_refused(line, message):
    with pytest.raises(CommandError, match=message):
        decode_request(line)


@given(st.binary(max_size=MAX_LINE_BYTES + 10))
def test_random_bytes_are_a_command_or_a_command_error(data):
    with contextlib.suppress(CommandError):
        decode_request(data)


def test_replies_survive_the_trip():
    assert decode_reply(encode_reply(Reply(True))) == Reply(True)
    assert decode_reply(encode_reply(Reply(False, "no"))) == Reply(False, "no")
    assert len(encode_reply(Reply(False, "x" * 10_000))) <= MAX_LINE_BYTES


def test_a_reply_without_ok_is_refused():
    with pytest.raises(CommandError):
        decode_reply(b'{"v": 1}\n')


def test_a_pause_is_seconds_or_tomorrow_never_both():
    with pytest.raises(CommandError):
        Pause()
    with pytest.raises(CommandError):
        Pause(seconds=60.0, until_tomorrow=True)
