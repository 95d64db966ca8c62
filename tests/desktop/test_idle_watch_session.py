"""Idle watches for real: the SYNC extension's IDLETIME alarms under Xvfb, and GNOME's
idle watches over a real session bus (with a stand-in for GNOME Shell).

Input comes from ``xdotool`` (XTEST), which the X server counts like a real
mouse. The watches' callbacks arrive through Qt's event loop (a socket
notifier on the alarms' own connection); the test also counts how often that
socket woke the loop, to show that nothing runs while nothing happens.
"""

from __future__ import annotations

import subprocess
import textwrap
import time
from collections.abc import Iterator

import pytest
from xsession import XSession, _need

from stretchdesk.platform.dbus import DBusError
from stretchdesk.platform.idle import (
    IdleUnavailable,
    IdleWatcher,
    MutterIdleMonitor,
    X11IdleMonitor,
    choose_idle_monitor,
    open_idle_watcher,
)
from stretchdesk.platform.idle_watch import QtEventLoop
from stretchdesk.platform.x11 import XSyncIdleAlarms

pytestmark = pytest.mark.desktop


def _no_bus(*_args):
    raise DBusError("no bus in this test")


class CountingLoop(QtEventLoop):
    """Qt's event loop, counting the times the watcher's socket woke it."""

    def __init__(self) -> None:
        self.wakeups = 0

    def add_reader(self, fd, callback):
        def counted() -> None:
            self.wakeups += 1
            callback()

        return super().add_reader(fd, counted)


@pytest.fixture
def monitor(x_session: XSession) -> Iterator[X11IdleMonitor]:
    monitor = choose_idle_monitor(
        env={"DISPLAY": x_session.display, "XDG_SESSION_TYPE": "x11"},
        platform="linux",
        bus_call=_no_bus,
    )
    assert isinstance(monitor, X11IdleMonitor)
    try:
        yield monitor
    finally:
        monitor.close()


@pytest.fixture
def loop() -> CountingLoop:
    return CountingLoop()


@pytest.fixture
def watcher(qapp, monitor: X11IdleMonitor, loop: CountingLoop) -> Iterator[IdleWatcher]:
    watcher = open_idle_watcher(monitor, loop=loop)
    assert watcher is not None
    try:
        yield watcher
    finally:
        watcher.close()


_positions = iter(range(10, 10_000, 7))


def _move_mouse(x_session: XSession, monitor: X11IdleMonitor, qtbot) -> None:
    """Move the pointer somewhere new and wait until the server has counted it as input."""
    x = next(_positions) % 600 + 10
    assert x_session.run(_need("xdotool"), "mousemove", str(x), "100").returncode == 0
    qtbot.waitUntil(lambda: (monitor.idle_seconds() or 0) < 0.5, timeout=2_000)


def test_xvfb_has_the_idletime_counter(x_session: XSession):
    with XSyncIdleAlarms(x_session.display) as alarms:
        first = alarms.idle_ms()
        time.sleep(0.2)
        assert alarms.idle_ms() >= first + 150


def test_an_idle_watch_fires_after_a_second_without_input_and_an_active_watch_on_input(
    qtbot, x_session: XSession, monitor: X11IdleMonitor, watcher: IdleWatcher
):
    _move_mouse(x_session, monitor, qtbot)
    idle_at_fire: list[float] = []
    active: list[float] = []
    idle_watch = watcher.watch_idle(1.0, lambda: idle_at_fire.append(monitor.idle_seconds()))
    active_watch = watcher.watch_active(lambda: active.append(time.monotonic()))
    assert idle_watch.armed and active_watch.armed

    qtbot.waitUntil(lambda: bool(idle_at_fire), timeout=5_000)
    assert 0.95 <= idle_at_fire[0] < 2.0
    assert not idle_watch.armed and active_watch.armed
    assert active == []

    qtbot.wait(1_000)  # still no input: nothing more
    assert len(idle_at_fire) == 1 and active == []

    _move_mouse(x_session, monitor, qtbot)
    qtbot.waitUntil(lambda: bool(active), timeout=3_000)
    assert not active_watch.armed
    _move_mouse(x_session, monitor, qtbot)
    qtbot.wait(300)
    assert len(active) == 1 and len(idle_at_fire) == 1  # each watch fires once


def test_nothing_fires_and_nothing_wakes_while_nothing_happens(
    qtbot, x_session: XSession, monitor: X11IdleMonitor, watcher: IdleWatcher, loop: CountingLoop
):
    _move_mouse(x_session, monitor, qtbot)
    fired: list[str] = []
    long_idle = watcher.watch_idle(30.0, lambda: fired.append("idle 30 s"))
    active = watcher.watch_active(lambda: fired.append("active"))
    cancelled = watcher.watch_idle(0.5, lambda: fired.append("cancelled idle"))
    cancelled_active = watcher.watch_active(lambda: fired.append("cancelled active"))
    cancelled.cancel()
    cancelled_active.cancel()
    cancelled.cancel()  # idempotent
    qtbot.wait(300)  # the server's notes about the destroyed alarms
    loop.wakeups = 0

    qtbot.wait(2_000)
    assert fired == []
    assert loop.wakeups == 0
    assert long_idle.armed and active.armed and not cancelled.armed

    _move_mouse(x_session, monitor, qtbot)
    qtbot.waitUntil(lambda: bool(fired), timeout=3_000)
    qtbot.wait(300)
    assert fired == ["active"]
    assert long_idle.armed
    assert loop.wakeups >= 1  # the count does see the alarm's event


def test_a_watch_for_an_idle_time_already_reached_fires_soon_but_not_at_once(
    qtbot, x_session: XSession, monitor: X11IdleMonitor, watcher: IdleWatcher
):
    _move_mouse(x_session, monitor, qtbot)
    qtbot.waitUntil(lambda: (monitor.idle_seconds() or 0) >= 1.2, timeout=5_000)
    fired: list[float] = []
    watcher.watch_idle(1.0, lambda: fired.append(time.monotonic()))
    armed_at = time.monotonic()
    assert fired == []  # never from inside watch_idle
    qtbot.waitUntil(lambda: bool(fired), timeout=2_000)
    assert fired[0] - armed_at < 0.5


def test_a_closed_watcher_fires_nothing_and_refuses_new_watches(
    qtbot, x_session: XSession, monitor: X11IdleMonitor, watcher: IdleWatcher
):
    _move_mouse(x_session, monitor, qtbot)
    fired: list[str] = []
    idle = watcher.watch_idle(0.3, lambda: fired.append("idle"))
    active = watcher.watch_active(lambda: fired.append("active"))
    watcher.close()
    watcher.close()
    assert not idle.armed and not active.armed
    qtbot.wait(600)
    _move_mouse(x_session, monitor, qtbot)
    qtbot.wait(300)
    assert fired == []
    with pytest.raises(IdleUnavailable):
        watcher.watch_active(lambda: None)
    idle.cancel()  # harmless after close


# --- GNOME's idle watches over a real session bus, with a stand-in for GNOME Shell ----------

FAKE_MUTTER = textwrap.dedent(
    """
    # Owns org.gnome.Mutter.IdleMonitor on the session bus and answers like GNOME Shell:
    # AddIdleWatch(t) and AddUserActiveWatch() give ids, RemoveWatch(u) forgets one. The
    # test makes a watch fire with org.example.FakeMutter.Fire(u), which sends WatchFired
    # to the connection that made the watch (and forgets a user-active watch, as Mutter
    # does). Each call is printed, one line each.
    import ctypes, sys
    from stretchdesk.platform import dbus as d

    lib = d._libdbus()
    p, s, i, u = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
    err_p = ctypes.POINTER(d._LibError)
    for name, result, args in (
        ("dbus_bus_request_name", i, [p, s, u, err_p]),
        ("dbus_message_is_method_call", u, [p, s, s]),
        ("dbus_message_new_method_return", p, [p]),
        ("dbus_message_new_signal", p, [s, s, s]),
        ("dbus_message_set_destination", u, [p, s]),
        ("dbus_message_get_sender", s, [p]),
    ):
        getattr(lib, name).restype = result
        getattr(lib, name).argtypes = args

    CORE = b"/org/gnome/Mutter/IdleMonitor/Core"
    IFACE = b"org.gnome.Mutter.IdleMonitor"
    error = d._LibError()
    lib.dbus_error_init(ctypes.byref(error))
    bus = lib.dbus_bus_get_private(0, ctypes.byref(error))
    assert lib.dbus_bus_request_name(bus, IFACE, 4, ctypes.byref(error)) == 1
    print("ready", flush=True)

    def send(message, *ids):
        it = d._LibIter()
        lib.dbus_message_iter_init_append(message, it)
        for key in ids:
            value = ctypes.c_uint32(key)
            lib.dbus_message_iter_append_basic(it, ord("u"), ctypes.byref(value))
        lib.dbus_connection_send(bus, message, None)
        lib.dbus_connection_flush(bus)
        lib.dbus_message_unref(message)

    watches, last = {}, 0
    while lib.dbus_connection_read_write(bus, -1):
        while message := lib.dbus_connection_pop_message(bus):
            args = d._read_basic_args(lib, message)
            sender = lib.dbus_message_get_sender(message)
            reply = []
            if lib.dbus_message_is_method_call(message, IFACE, b"AddIdleWatch"):
                last += 1
                watches[last] = (sender, "idle")
                print(f"AddIdleWatch {args[0]} -> {last}", flush=True)
                reply = [last]
            elif lib.dbus_message_is_method_call(message, IFACE, b"AddUserActiveWatch"):
                last += 1
                watches[last] = (sender, "active")
                print(f"AddUserActiveWatch -> {last}", flush=True)
                reply = [last]
            elif lib.dbus_message_is_method_call(message, IFACE, b"RemoveWatch"):
                watches.pop(args[0], None)
                print(f"RemoveWatch {args[0]}", flush=True)
            elif lib.dbus_message_is_method_call(message, b"org.example.FakeMutter", b"Fire"):
                owner, kind = watches[args[0]]
                signal = lib.dbus_message_new_signal(CORE, IFACE, b"WatchFired")
                lib.dbus_message_set_destination(signal, owner)
                send(signal, args[0])
                if kind == "active":
                    del watches[args[0]]
            else:
                lib.dbus_message_unref(message)
                continue
            send(lib.dbus_message_new_method_return(message), *reply)
            lib.dbus_message_unref(message)
    """
)


class FakeMutter:
    def __init__(self, session: XSession) -> None:
        self.session = session
        self.process = session.python("-c", FAKE_MUTTER, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def fire(self, key: int) -> None:
        done = self.session.run(
            _need("dbus-send"),
            "--session",
            "--print-reply",
            "--dest=org.gnome.Mutter.IdleMonitor",
            "/org/gnome/Mutter/IdleMonitor/Core",
            "org.example.FakeMutter.Fire",
            f"uint32:{key}",
        )
        assert done.returncode == 0, done.stderr

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def fake_mutter(x_session: XSession, monkeypatch) -> Iterator[FakeMutter]:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", x_session.start_bus())
    mutter = FakeMutter(x_session)
    try:
        yield mutter
    finally:
        mutter.stop()


def test_gnome_watches_over_a_real_session_bus(qtbot, fake_mutter: FakeMutter):
    loop = CountingLoop()
    lost: list[int] = []
    watcher = open_idle_watcher(
        MutterIdleMonitor(_no_bus), on_lost=lambda: lost.append(1), loop=loop
    )
    assert watcher is not None
    try:
        fired: list[str] = []
        idle = watcher.watch_idle(90, lambda: fired.append("idle"))
        assert fake_mutter.line() == "AddIdleWatch 90000 -> 1"
        active = watcher.watch_active(lambda: fired.append("active"))
        assert fake_mutter.line() == "AddUserActiveWatch -> 2"
        qtbot.wait(300)
        loop.wakeups = 0
        qtbot.wait(1_000)
        assert fired == [] and loop.wakeups == 0

        fake_mutter.fire(1)
        qtbot.waitUntil(lambda: bool(fired), timeout=3_000)
        assert fired == ["idle"] and not idle.armed and active.armed
        assert fake_mutter.line() == "RemoveWatch 1"  # GNOME would fire it again otherwise

        fake_mutter.fire(2)
        qtbot.waitUntil(lambda: len(fired) == 2, timeout=3_000)
        assert fired == ["idle", "active"] and not active.armed

        watcher.watch_active(lambda: fired.append("cancelled")).cancel()
        assert fake_mutter.line() == "AddUserActiveWatch -> 3"
        assert fake_mutter.line() == "RemoveWatch 3"

        watcher.watch_active(lambda: fired.append("after restart"))
        assert fake_mutter.line() == "AddUserActiveWatch -> 4"
        fake_mutter.stop()  # GNOME Shell went away: its name changes owner
        qtbot.waitUntil(lambda: bool(lost), timeout=3_000)
        assert watcher.lost and lost == [1]
        assert fired == ["idle", "active"]
    finally:
        watcher.close()
        watcher.close()
