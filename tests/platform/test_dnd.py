"""Do-not-disturb and full-screen checks, with fakes."""

from __future__ import annotations

import subprocess

import pytest

from stretchdesk.core.reminder_gate import Quiet
from stretchdesk.platform import dnd
from stretchdesk.platform.dbus import DBusError
from stretchdesk.platform.dnd import (
    FakeDoNotDisturb,
    GnomeDoNotDisturb,
    NoFullScreen,
    NotificationsDoNotDisturb,
    QuietProbe,
    choose_quiet_probe,
    is_full_screen_state,
)
from stretchdesk.platform.x11 import WindowState

PROPS = "org.freedesktop.DBus.Properties"


def bus(properties: dict[tuple[str, str], object]):
    calls = []

    def call(service, path, interface, method, *args):
        calls.append((service, path, interface, method, args))
        assert (service, path, interface, method) == (
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            PROPS,
            "Get",
        )
        value = properties.get(args)
        if value is None:
            raise DBusError("No such property", "org.freedesktop.DBus.Error.InvalidArgs")
        return [value]

    call.calls = calls
    return call


@pytest.mark.parametrize(("out", "on"), [("false\n", True), ("true\n", False), ("", None)])
def test_gnome_banners_off_means_do_not_disturb(out, on):
    seen = []

    def run(argv):
        seen.append(argv)
        return out

    assert GnomeDoNotDisturb(run).is_on() is on
    assert seen == [["gsettings", "get", "org.gnome.desktop.notifications", "show-banners"]]


def test_gnome_without_gsettings_cannot_tell():
    def run(argv):
        raise subprocess.CalledProcessError(1, argv)

    assert GnomeDoNotDisturb(run).is_on() is None


def test_the_notification_servers_inhibited_property():
    on = bus({("org.freedesktop.Notifications", "Inhibited"): True})
    assert NotificationsDoNotDisturb(on).is_on() is True
    off = bus({("org.freedesktop.Notifications", "Inhibited"): False})
    assert NotificationsDoNotDisturb(off).is_on() is False


def test_dunst_paused_when_there_is_no_inhibited_property():
    paused = bus({("org.dunstproject.cmd0", "paused"): True})
    assert NotificationsDoNotDisturb(paused).is_on() is True
    assert [c[4] for c in paused.calls] == [
        ("org.freedesktop.Notifications", "Inhibited"),
        ("org.dunstproject.cmd0", "paused"),
    ]


def test_no_notification_server_cannot_tell():
    assert NotificationsDoNotDisturb(bus({})).is_on() is None
    odd = bus({("org.freedesktop.Notifications", "Inhibited"): "yes"})
    assert NotificationsDoNotDisturb(odd).is_on() is None


def test_the_first_source_that_can_tell_decides():
    probe = QuietProbe([FakeDoNotDisturb(None), FakeDoNotDisturb(True)], NoFullScreen())
    assert probe.quiet() is Quiet.DO_NOT_DISTURB
    probe = QuietProbe([FakeDoNotDisturb(False), FakeDoNotDisturb(True)], NoFullScreen())
    assert probe.quiet() is None
    assert QuietProbe([], NoFullScreen(True)).quiet() is Quiet.FULL_SCREEN
    assert QuietProbe([FakeDoNotDisturb(None)], NoFullScreen()).quiet() is None


def state(states=(), types=(), size=(800, 600), screen=(1920, 1080)):
    return WindowState(1, frozenset(states), frozenset(types), size, screen, True)


def test_full_screen_state_and_size():
    assert not is_full_screen_state(None)
    assert not is_full_screen_state(state())
    assert is_full_screen_state(state(states={"_NET_WM_STATE_FULLSCREEN"}))
    assert is_full_screen_state(state(size=(1920, 1080)))
    assert not is_full_screen_state(state(size=(1920, 1080), types={"_NET_WM_WINDOW_TYPE_DESKTOP"}))
    assert not is_full_screen_state(state(size=(0, 0), screen=(0, 0)))


def test_wayland_cannot_see_other_windows(monkeypatch):
    monkeypatch.setattr(dnd.shutil, "which", lambda name: f"/usr/bin/{name}")
    probe = choose_quiet_probe(
        {"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"},
        "linux",
        bus({}),
    )
    assert isinstance(probe.full_screen, NoFullScreen)
    assert [type(s) for s in probe.dnd] == [GnomeDoNotDisturb, NotificationsDoNotDisturb]


def test_kde_asks_the_notification_server_only():
    probe = choose_quiet_probe({"XDG_CURRENT_DESKTOP": "KDE"}, "linux", bus({}))
    assert [type(s) for s in probe.dnd] == [NotificationsDoNotDisturb]
    assert probe.quiet() is None


def test_a_display_that_cannot_be_opened_means_no_full_screen_check():
    probe = choose_quiet_probe({"DISPLAY": ":987", "XDG_SESSION_TYPE": "x11"}, "linux", bus({}))
    assert isinstance(probe.full_screen, NoFullScreen)
