"""Idle watches without a desktop: the watcher's logic, GNOME's watches and the fakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stretchdesk.platform import dbus, idle_watch
from stretchdesk.platform.dbus import BusSignal, DBusError
from stretchdesk.platform.idle import (
    FakeIdleMonitor,
    FakeIdleWatcher,
    IdleUnavailable,
    IdleWatch,
    IdleWatcher,
    MutterIdleMonitor,
    NullIdleMonitor,
    ScreenSaverIdleMonitor,
    X11IdleMonitor,
    open_idle_watcher,
)
from stretchdesk.platform.idle_watch import (
    MUTTER_INTERFACE,
    MUTTER_PATH,
    MUTTER_SERVICE,
    MutterWatchSource,
    SourceWatcher,
    XSyncSource,
)


class FakeLoop:
    """An event loop the test turns by hand: readers by fd, and a queue for call_soon."""

    def __init__(self):
        self.readers = {}
        self.soon = []

    def add_reader(self, fd, callback):
        self.readers[fd] = callback

        def stop():
            self.readers.pop(fd, None)

        return stop

    def call_soon(self, callback):
        self.soon.append(callback)

    def readable(self, fd=7):
        """The socket is readable: what the loop does then."""
        self.readers[fd]()

    def run_soon(self):
        while self.soon:
            self.soon.pop(0)()


class FakeSource:
    """A WatchSource: the test decides which keys fire and whether it is lost."""

    def __init__(self):
        self.next_key = 100
        self.added = []
        self.removed = []
        self.ready = []
        self.queued = False
        self.lost = False
        self.closed = 0
        self.fail = False

    def fileno(self):
        return 7

    def _add(self, what):
        if self.fail:
            raise IdleUnavailable("gone")
        self.next_key += 1
        self.added.append((self.next_key, what))
        return self.next_key

    def add_idle(self, ms):
        return self._add(ms)

    def add_active(self):
        return self._add("active")

    def remove(self, key):
        self.removed.append(key)

    def read(self):
        ready, self.ready = self.ready, []
        self.queued = False
        return ready

    def pending(self):
        return self.queued

    def close(self):
        self.closed += 1


@pytest.fixture
def loop():
    return FakeLoop()


@pytest.fixture
def source():
    return FakeSource()


@pytest.fixture
def lost_calls():
    return []


@pytest.fixture
def watcher(loop, source, lost_calls):
    return SourceWatcher("test", source, loop, on_lost=lambda: lost_calls.append(1))


def test_watches_fire_once_from_the_loop_and_are_removed_from_the_source(watcher, loop, source):
    fired = []
    idle = watcher.watch_idle(1.5, lambda: fired.append("idle"))
    active = watcher.watch_active(lambda: fired.append("active"))
    assert source.added == [(101, 1500), (102, "active")]
    assert isinstance(idle, IdleWatch) and idle.armed and active.armed
    assert fired == []

    source.ready = [101]
    loop.readable()
    assert fired == ["idle"]
    assert not idle.armed and active.armed
    assert source.removed == [101]

    source.ready = [101, 999]  # again, and an unknown key: ignored
    loop.readable()
    assert fired == ["idle"]

    source.ready = [102]
    loop.readable()
    assert fired == ["idle", "active"]
    assert source.removed == [101, 102]


def test_a_cancelled_watch_never_fires_and_cancel_is_idempotent(watcher, loop, source):
    fired = []
    watch = watcher.watch_idle(2, lambda: fired.append("idle"))
    watch.cancel()
    watch.cancel()
    assert not watch.armed
    assert source.removed == [101]
    source.ready = [101]
    loop.readable()
    assert fired == []


def test_a_callback_may_cancel_a_watch_that_fired_in_the_same_batch(watcher, loop, source):
    fired = []
    watches = {}
    watches["a"] = watcher.watch_idle(1, lambda: (fired.append("a"), watches["b"].cancel()))
    watches["b"] = watcher.watch_active(lambda: fired.append("b"))
    source.ready = [101, 102]
    loop.readable()
    assert fired == ["a"]


def test_a_callback_may_arm_the_next_watch(watcher, loop, source):
    fired = []

    def away():
        fired.append("idle")
        watcher.watch_active(lambda: fired.append("back"))

    watcher.watch_idle(60, away)
    source.ready = [101]
    loop.readable()
    source.ready = [102]
    loop.readable()
    assert fired == ["idle", "back"]


def test_events_already_read_are_handled_soon_once(watcher, loop, source):
    fired = []
    source.queued = True
    source.ready = [101]
    watcher.watch_idle(1, lambda: fired.append("idle"))
    watcher.watch_active(lambda: fired.append("active"))
    assert fired == [] and len(loop.soon) == 1
    loop.run_soon()
    assert fired == ["idle"]


@pytest.mark.parametrize("seconds", [0, -1, float("nan")])
def test_an_idle_watch_needs_a_positive_time(watcher, seconds):
    with pytest.raises(ValueError, match="positive"):
        watcher.watch_idle(seconds, lambda: None)


def test_tiny_times_round_to_a_millisecond(watcher, source):
    watcher.watch_idle(0.0001, lambda: None)
    assert source.added == [(101, 1)]


def test_close_disarms_stops_reading_and_is_idempotent(watcher, loop, source):
    fired = []
    watch = watcher.watch_active(lambda: fired.append("active"))
    watcher.close()
    watcher.close()
    assert source.closed == 1
    assert loop.readers == {}
    assert not watch.armed
    watch.cancel()
    with pytest.raises(IdleUnavailable, match="closed"):
        watcher.watch_idle(1, lambda: None)


def test_a_lost_source_stops_reading_and_says_so_once(watcher, loop, source, lost_calls):
    fired = []
    watcher.watch_active(lambda: fired.append("active"))
    source.lost = True
    source.ready = [101]  # what came before the loss still counts
    loop.readable()
    assert fired == ["active"]
    assert watcher.lost
    assert loop.readers == {}
    assert lost_calls == []  # from the loop, not from inside the read
    loop.run_soon()
    assert lost_calls == [1]
    with pytest.raises(IdleUnavailable):
        watcher.watch_active(lambda: None)
    watcher.close()
    assert source.closed == 1
    assert lost_calls == [1]


def test_a_source_that_fails_to_add_a_watch_is_lost(watcher, loop, source, lost_calls):
    source.fail = True
    with pytest.raises(IdleUnavailable, match="gone"):
        watcher.watch_idle(5, lambda: None)
    assert watcher.lost
    loop.run_soon()
    assert lost_calls == [1]


def test_a_source_watcher_is_an_idle_watcher(watcher):
    assert isinstance(watcher, IdleWatcher)
    assert isinstance(FakeIdleWatcher(), IdleWatcher)


# --- GNOME ----------------------------------------------------------------------------------


class FakeBus:
    """The part of PrivateBus the GNOME source uses, with canned replies and queued signals."""

    def __init__(self):
        self.connected = True
        self.matches = []
        self.calls = []
        self.sent = []
        self.signals = []
        self.next_id = 0
        self.fail = None
        self.reply = None
        self.closed = False

    def fileno(self):
        return 7

    def add_match(self, rule):
        self.matches.append(rule)

    def call(self, service, path, interface, method, *args):
        self.calls.append((service, path, interface, method, args))
        if self.fail is not None:
            raise self.fail
        if self.reply is not None:
            return self.reply
        self.next_id += 1
        return [self.next_id]

    def send(self, service, path, interface, method, *args):
        self.sent.append((service, path, interface, method, args))

    def pending(self):
        return False

    def read(self):
        signals, self.signals = self.signals, []
        return signals

    def close(self):
        self.closed = True
        self.connected = False


def fired(key, path=MUTTER_PATH, interface=MUTTER_INTERFACE):
    return BusSignal(path, interface, "WatchFired", (key,))


@pytest.fixture
def bus():
    return FakeBus()


@pytest.fixture
def gnome(bus, loop, lost_calls):
    return SourceWatcher(
        "GNOME", MutterWatchSource(bus), loop, on_lost=lambda: lost_calls.append(1)
    )


def test_gnome_watches_are_asked_for_on_the_idle_monitor(gnome, bus):
    gnome.watch_idle(90, lambda: None)
    gnome.watch_active(lambda: None)
    core = (MUTTER_SERVICE, MUTTER_PATH, MUTTER_INTERFACE)
    assert bus.calls == [
        (*core, "AddIdleWatch", (("t", 90_000),)),
        (*core, "AddUserActiveWatch", ()),
    ]
    assert any("member='WatchFired'" in rule for rule in bus.matches)
    assert any("arg0='org.gnome.Mutter.IdleMonitor'" in rule for rule in bus.matches)


def test_gnome_idle_watches_are_removed_after_firing_and_active_ones_are_not(gnome, bus, loop):
    fired_watches = []
    gnome.watch_idle(60, lambda: fired_watches.append("idle"))
    gnome.watch_active(lambda: fired_watches.append("active"))
    bus.signals = [fired(1)]
    loop.readable()
    assert fired_watches == ["idle"]
    # Mutter's idle watches would fire again at every idle spell: this one is removed.
    assert bus.sent == [(MUTTER_SERVICE, MUTTER_PATH, MUTTER_INTERFACE, "RemoveWatch", (("u", 1),))]
    bus.signals = [fired(2)]
    loop.readable()
    assert fired_watches == ["idle", "active"]
    assert len(bus.sent) == 1  # Mutter drops user-active watches itself


def test_cancelled_gnome_watches_are_removed(gnome, bus):
    gnome.watch_active(lambda: None).cancel()
    gnome.watch_idle(5, lambda: None).cancel()
    assert [sent[4] for sent in bus.sent] == [(("u", 1),), (("u", 2),)]


def test_other_signals_are_ignored(gnome, bus, loop):
    calls = []
    gnome.watch_idle(5, lambda: calls.append(1))
    bus.signals = [
        fired(1, path="/org/gnome/Mutter/IdleMonitor/Other"),
        fired(1, interface="org.example.Other"),
        BusSignal(MUTTER_PATH, MUTTER_INTERFACE, "WatchFired", ("1",)),
        BusSignal(MUTTER_PATH, MUTTER_INTERFACE, "WatchFired", ()),
        BusSignal("/org/freedesktop/DBus", "org.freedesktop.DBus", "NameOwnerChanged", ("x",)),
    ]
    loop.readable()
    assert calls == [] and not gnome.lost


def test_gnome_shell_restarting_loses_the_watches(gnome, bus, loop, lost_calls):
    gnome.watch_idle(5, lambda: None)
    bus.signals = [
        BusSignal(
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "NameOwnerChanged",
            (MUTTER_SERVICE, ":1.5", ":1.9"),
        )
    ]
    loop.readable()
    loop.run_soon()
    assert gnome.lost and lost_calls == [1]
    gnome.close()
    assert bus.closed
    assert bus.sent == []  # nothing to remove from a monitor that is gone


def test_a_lost_bus_connection_loses_the_watches(gnome, bus, loop, lost_calls):
    gnome.watch_active(lambda: None)
    bus.connected = False
    loop.readable()
    loop.run_soon()
    assert gnome.lost and lost_calls == [1]


@pytest.mark.parametrize("reply", [[], ["3"], [1, 2], [None]])
def test_odd_gnome_replies_are_not_trusted(gnome, bus, reply):
    bus.reply = reply
    with pytest.raises(IdleUnavailable, match="AddUserActiveWatch"):
        gnome.watch_active(lambda: None)


def test_a_gnome_error_reply_loses_the_watcher(gnome, bus):
    bus.fail = DBusError("no such name", "org.freedesktop.DBus.Error.ServiceUnknown")
    with pytest.raises(IdleUnavailable, match="no such name"):
        gnome.watch_idle(5, lambda: None)
    assert gnome.lost


def test_without_a_session_bus_gnome_has_no_watches(monkeypatch):
    def no_bus():
        raise DBusError("no session bus")

    monkeypatch.setattr(dbus.PrivateBus, "session", staticmethod(no_bus))
    monitor = MutterIdleMonitor(lambda *_args: [0])
    assert open_idle_watcher(monitor, loop=FakeLoop()) is None
    with pytest.raises(IdleUnavailable, match="GNOME idle monitor: no session bus"):
        MutterWatchSource.session()


# --- choosing and the fakes -----------------------------------------------------------------


def test_monitors_without_watches_give_none():
    assert open_idle_watcher(NullIdleMonitor("none")) is None
    assert open_idle_watcher(ScreenSaverIdleMonitor(lambda *_args: [0])) is None
    assert open_idle_watcher(FakeIdleMonitor()) is None


def test_x11_watches_need_a_display():
    with pytest.raises(IdleUnavailable, match="no X display"):
        XSyncSource(":987")
    assert not hasattr(X11IdleMonitor, "watch_idle")  # the monitor asks; its watcher tells


def test_the_fake_watcher_fires_what_the_test_says():
    watcher = FakeIdleWatcher()
    lost = []
    monitor = FakeIdleMonitor(watcher=watcher)
    assert open_idle_watcher(monitor, on_lost=lambda: lost.append(1)) is watcher
    assert monitor.opened == 1
    fired = []
    short = watcher.watch_idle(60, lambda: fired.append(60))
    long = watcher.watch_idle(300, lambda: fired.append(300))
    active = watcher.watch_active(lambda: fired.append("active"))
    assert watcher.idle_for(120) == 1
    assert fired == [60] and not short.armed and long.armed
    assert watcher.input() == 1 and fired == [60, "active"]
    assert watcher.input() == 0 and not active.armed
    assert watcher.armed == [long]
    watcher.close()
    assert watcher.armed == []
    reopened = open_idle_watcher(monitor, on_lost=lambda: lost.append(1))
    assert reopened is watcher and monitor.opened == 2  # open again, as a new connection
    watcher.watch_idle(60, lambda: None)
    watcher.lose()
    assert lost == [1] and watcher.armed == []
    with pytest.raises(IdleUnavailable):
        watcher.watch_active(lambda: None)
    assert open_idle_watcher(monitor) is None  # lost for good
    with pytest.raises(ValueError):
        FakeIdleWatcher().watch_idle(0, lambda: None)


def test_the_watch_modules_load_no_qt_and_never_poll():
    code = (
        "import sys; import stretchdesk.platform.idle, stretchdesk.platform.idle_watch; "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    source = Path(idle_watch.__file__).read_text(encoding="utf-8")
    assert "sleep(" not in source and "setInterval" not in source and "QtDBus" not in source
    assert source.count("QTimer.singleShot(0,") == 1  # call_soon only
