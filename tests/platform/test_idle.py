"""Choosing an idle-time source, and reading D-Bus answers, with fakes."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest

from stretchdesk.platform import idle, x11
from stretchdesk.platform.dbus import DBusError
from stretchdesk.platform.idle import (
    FakeIdleMonitor,
    IdleMonitor,
    IdleUnavailable,
    MutterIdleMonitor,
    NullIdleMonitor,
    ScreenSaverIdleMonitor,
    X11IdleMonitor,
    candidate_sources,
    choose_idle_monitor,
    first_working,
)


class FakeBus:
    """Answers D-Bus calls from a table: (service, method) -> values, or an exception."""

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def __call__(self, service, path, interface, method, *args):
        self.calls.append((service, path, interface, method, args))
        answer = self.answers.get((service, method), DBusError("no such name", "ServiceUnknown"))
        if isinstance(answer, Exception):
            raise answer
        return answer


MUTTER = ("org.gnome.Mutter.IdleMonitor", "GetIdletime")
SCREENSAVER = ("org.freedesktop.ScreenSaver", "GetSessionIdleTime")


def names(env, platform="linux"):
    return [name for name, _make in candidate_sources(env, platform, FakeBus({}))]


def test_x11_sessions_try_the_x_server_first():
    assert names({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}) == [
        X11IdleMonitor.name,
        MutterIdleMonitor.name,
        ScreenSaverIdleMonitor.name,
    ]


@pytest.mark.parametrize(
    "env",
    [
        {"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"},
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"},
    ],
)
def test_wayland_sessions_never_trust_xwayland(env):
    assert names(env) == [MutterIdleMonitor.name, ScreenSaverIdleMonitor.name]


def test_without_a_display_only_dbus_is_tried():
    assert names({}) == [MutterIdleMonitor.name, ScreenSaverIdleMonitor.name]


def test_windows_and_macos_have_their_own_source():
    assert names({}, "win32") == ["Windows last input"]
    assert names({}, "darwin") == ["macOS HID idle time"]


def test_gnome_answers_in_milliseconds():
    bus = FakeBus({MUTTER: [61_500]})
    monitor = choose_idle_monitor({"XDG_SESSION_TYPE": "wayland"}, "linux", bus)
    assert isinstance(monitor, MutterIdleMonitor)
    assert monitor.idle_seconds() == 61.5
    assert bus.calls[-1] == (
        "org.gnome.Mutter.IdleMonitor",
        "/org/gnome/Mutter/IdleMonitor/Core",
        "org.gnome.Mutter.IdleMonitor",
        "GetIdletime",
        (),
    )


def test_kde_is_used_when_gnome_is_absent():
    bus = FakeBus({SCREENSAVER: [2000]})
    monitor = choose_idle_monitor({"XDG_SESSION_TYPE": "wayland"}, "linux", bus)
    assert isinstance(monitor, ScreenSaverIdleMonitor)
    assert monitor.idle_seconds() == 2.0


def test_a_screensaver_that_does_not_implement_the_method_is_skipped():
    bus = FakeBus(
        {SCREENSAVER: DBusError("not implemented", "org.freedesktop.DBus.Error.NotSupported")}
    )
    monitor = choose_idle_monitor({"XDG_SESSION_TYPE": "wayland"}, "linux", bus)
    assert isinstance(monitor, NullIdleMonitor)
    assert monitor.idle_seconds() is None
    assert "GNOME idle monitor: no such name" in monitor.reason
    assert "not implemented" in monitor.reason
    assert "timed by the clock" in monitor.reason


@pytest.mark.parametrize("reply", [[], ["12"], [-5], [1, 2], [True]])
def test_odd_replies_are_not_trusted(reply):
    with pytest.raises(IdleUnavailable):
        MutterIdleMonitor(FakeBus({MUTTER: reply})).probe()


def test_a_source_that_stops_answering_gives_none():
    bus = FakeBus({MUTTER: [10]})
    monitor = MutterIdleMonitor(bus)
    bus.answers[MUTTER] = DBusError("gone")
    assert monitor.idle_seconds() is None


def test_the_first_working_source_wins_and_the_others_are_not_made():
    made = []

    def make(name, value):
        def factory():
            made.append(name)
            if value is None:
                raise IdleUnavailable("absent")
            return FakeIdleMonitor(value)

        return factory

    monitor = first_working([("a", make("a", None)), ("b", make("b", 3.0)), ("c", make("c", 1))])
    assert isinstance(monitor, FakeIdleMonitor) and monitor.idle_seconds() == 3.0
    assert made == ["a", "b"]


def test_a_source_that_answers_none_at_first_is_closed_and_skipped():
    silent = FakeIdleMonitor(None)
    monitor = first_working([("silent", lambda: silent)])
    assert silent.closed
    assert "silent: no answer" in monitor.reason  # type: ignore[attr-defined]


def test_nothing_known_says_so():
    monitor = first_working([])
    assert isinstance(monitor, NullIdleMonitor)
    assert "no source is known" in monitor.reason


def test_every_monitor_is_an_idle_monitor():
    for monitor in (FakeIdleMonitor(), NullIdleMonitor("x"), MutterIdleMonitor(FakeBus({}))):
        assert isinstance(monitor, IdleMonitor)


def test_missing_x_libraries_are_reported_in_words(monkeypatch):
    x11._xlib.cache_clear()

    def no_library(_path):
        raise OSError("not found")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    try:
        with pytest.raises(IdleUnavailable, match="libX11 is not installed"):
            X11IdleMonitor(":0")
    finally:
        monkeypatch.undo()
        x11._xlib.cache_clear()


def test_a_display_that_does_not_exist_is_reported(monkeypatch):
    with pytest.raises(IdleUnavailable, match="no X display"):
        X11IdleMonitor(":987")
    monitor = choose_idle_monitor({"DISPLAY": ":987"}, "linux", FakeBus({}))
    assert "X11 screen saver extension: no X display" in monitor.reason  # type: ignore[attr-defined]


def test_the_module_never_polls():
    source = Path(idle.__file__).read_text(encoding="utf-8")
    assert "QTimer" not in source and "sleep(" not in source
