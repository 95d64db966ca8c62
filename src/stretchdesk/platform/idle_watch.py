"""Idle watches from the platform's own events: the implementations behind
:class:`~stretchdesk.platform.idle.IdleWatcher`.

Three parts, kept apart so that the logic is tested without Qt or a desktop:

- a *source* speaks to the system and owns one socket: :class:`XSyncSource`
  (the X server's ``IDLETIME`` alarms, see
  :class:`~stretchdesk.platform.x11.XSyncIdleAlarms`) or
  :class:`MutterWatchSource` (GNOME's ``org.gnome.Mutter.IdleMonitor`` watches
  over a :class:`~stretchdesk.platform.dbus.PrivateBus`);
- :class:`SourceWatcher` keeps the watches and their callbacks, makes every
  watch fire at most once, and reads the source when its socket is readable;
- an :class:`EventLoop` says when that is: :class:`QtEventLoop` puts a
  ``QSocketNotifier`` on the socket, so nothing runs until the system has
  something to say (no timer, no polling).

Callbacks always run from the event loop, never inside ``watch_idle`` or
``watch_active`` themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Protocol

from stretchdesk.platform.dbus import BusSignal, DBusError, PrivateBus
from stretchdesk.platform.idle import IdleUnavailable

Callback = Callable[[], None]


class EventLoop(Protocol):
    """What a watcher needs from the event loop."""

    def add_reader(self, fd: int, callback: Callback) -> Callback:
        """Call ``callback`` whenever ``fd`` is readable; returns a function that stops that."""
        ...

    def call_soon(self, callback: Callback) -> None:
        """Call ``callback`` once, from the event loop, as soon as it is free."""
        ...


class QtEventLoop:
    """:class:`EventLoop` on Qt's event loop (needs a ``QCoreApplication``)."""

    def add_reader(self, fd: int, callback: Callback) -> Callback:
        from PySide6.QtCore import QCoreApplication, QSocketNotifier

        # Owned by the application and deleted later: stop() may run inside its own signal.
        notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, QCoreApplication.instance())
        notifier.activated.connect(lambda *_args: callback())

        def stop() -> None:
            notifier.setEnabled(False)
            notifier.deleteLater()

        return stop

    def call_soon(self, callback: Callback) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, callback)


class WatchSource(Protocol):
    """One system's idle watches, behind a socket. Keys identify watches within a source."""

    def fileno(self) -> int: ...

    def add_idle(self, ms: int) -> int:
        """A watch that fires once idle time reaches ``ms``; raises :class:`IdleUnavailable`."""
        ...

    def add_active(self) -> int:
        """A watch that fires at the next input; raises :class:`IdleUnavailable`."""
        ...

    def remove(self, key: int) -> None:
        """Forget the watch ``key`` (fired or not); never raises."""
        ...

    def read(self) -> list[int]:
        """The keys that fired since the last read; never blocks."""
        ...

    def pending(self) -> bool:
        """Whether something was read from the socket already and waits to be handled."""
        ...

    @property
    def lost(self) -> bool:
        """True once the source stopped working (its watches will never fire)."""
        ...

    def close(self) -> None: ...


class _Watch:
    """The handle returned by ``watch_idle`` and ``watch_active``."""

    __slots__ = ("_callback", "_owner", "key", "kind")

    def __init__(self, owner: SourceWatcher, key: int, kind: str, callback: Callback) -> None:
        self._owner: SourceWatcher | None = owner
        self._callback: Callback | None = callback
        self.key = key
        self.kind = kind

    @property
    def armed(self) -> bool:
        return self._owner is not None

    def cancel(self) -> None:
        owner, self._owner, self._callback = self._owner, None, None
        if owner is not None:
            owner._forget(self)

    def _fire(self) -> Callback | None:
        callback, self._owner, self._callback = self._callback, None, None
        return callback


class SourceWatcher:
    """:class:`~stretchdesk.platform.idle.IdleWatcher` over one :class:`WatchSource`.

    ``on_lost`` is called (from the event loop, once) when the source stops
    working, e.g. the service behind it went away; the caller then closes the
    watcher and asks for idle time itself.
    """

    def __init__(
        self,
        name: str,
        source: WatchSource,
        loop: EventLoop,
        on_lost: Callback | None = None,
    ) -> None:
        self.name = name
        self._source: WatchSource | None = source
        self._loop = loop
        self._on_lost = on_lost
        self._watches: dict[int, _Watch] = {}
        self._lost = False
        self._soon = False
        self._stop_reading: Callback | None = loop.add_reader(source.fileno(), self._dispatch)

    # --- IdleWatcher ----------------------------------------------------------------------

    @property
    def lost(self) -> bool:
        return self._lost

    def watch_idle(self, seconds: float, callback: Callback) -> _Watch:
        if not seconds > 0:
            raise ValueError(f"an idle watch needs a positive time, not {seconds!r}")
        ms = max(1, round(seconds * 1000))
        return self._arm("idle", lambda source: source.add_idle(ms), callback)

    def watch_active(self, callback: Callback) -> _Watch:
        return self._arm("active", lambda source: source.add_active(), callback)

    def close(self) -> None:
        source, self._source = self._source, None
        if source is None:
            return
        if self._stop_reading is not None:
            self._stop_reading()
            self._stop_reading = None
        for watch in list(self._watches.values()):
            watch._owner = watch._callback = None
        self._watches.clear()
        source.close()

    # --- helpers --------------------------------------------------------------------------

    def _arm(self, kind: str, add: Callable[[WatchSource], int], callback: Callback) -> _Watch:
        source = self._source
        if source is None or self._lost:
            raise IdleUnavailable(f"{self.name}: the watcher is closed")
        try:
            key = add(source)
        except IdleUnavailable:
            self._lose()
            raise
        watch = _Watch(self, key, kind, callback)
        self._watches[key] = watch
        self._check_pending()
        return watch

    def _forget(self, watch: _Watch) -> None:
        if self._watches.get(watch.key) is watch:
            del self._watches[watch.key]
            if self._source is not None:
                self._source.remove(watch.key)
                self._check_pending()

    def _check_pending(self) -> None:
        """Handle, soon, what a call read into the source's queue without waking the socket."""
        if self._source is not None and not self._soon and self._source.pending():
            self._soon = True
            self._loop.call_soon(self._dispatch_soon)

    def _dispatch_soon(self) -> None:
        self._soon = False
        self._dispatch()

    def _dispatch(self) -> None:
        source = self._source
        if source is None:
            return
        due = []
        for key in source.read():
            watch = self._watches.pop(key, None)
            if watch is not None:
                source.remove(key)
                due.append(watch)
        if source.lost:
            self._lose()
        for watch in due:
            callback = watch._fire()  # None when an earlier callback cancelled it
            if callback is not None:
                callback()

    def _lose(self) -> None:
        """The source stopped working: stop reading its socket and tell the owner, once."""
        if self._lost:
            return
        self._lost = True
        if self._stop_reading is not None:
            self._stop_reading()
            self._stop_reading = None
        if self._on_lost is not None:
            self._loop.call_soon(self._on_lost)


# --- X11 ----------------------------------------------------------------------------------


class XSyncSource:
    """:class:`WatchSource` over the X server's ``IDLETIME`` alarms."""

    def __init__(self, display: str | None = None) -> None:
        from stretchdesk.platform.x11 import X11Unavailable, XSyncIdleAlarms

        try:
            self._alarms = XSyncIdleAlarms(display)
        except X11Unavailable as exc:
            raise IdleUnavailable(str(exc)) from exc

    lost = False

    def fileno(self) -> int:
        return self._alarms.fileno()

    def add_idle(self, ms: int) -> int:
        return self._add(lambda: self._alarms.add_idle(ms))

    def add_active(self) -> int:
        return self._add(self._alarms.add_active)

    def _add(self, make: Callable[[], int]) -> int:
        from stretchdesk.platform.x11 import X11Unavailable

        try:
            return make()
        except X11Unavailable as exc:
            raise IdleUnavailable(str(exc)) from exc

    def remove(self, key: int) -> None:
        self._alarms.remove(key)

    def read(self) -> list[int]:
        return self._alarms.read()

    def pending(self) -> bool:
        return self._alarms.pending()

    def close(self) -> None:
        self._alarms.close()


# --- GNOME --------------------------------------------------------------------------------

MUTTER_SERVICE = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
MUTTER_INTERFACE = "org.gnome.Mutter.IdleMonitor"
_BUS = "org.freedesktop.DBus"


class WatchBus(Protocol):
    """The part of :class:`~stretchdesk.platform.dbus.PrivateBus` the GNOME source uses."""

    @property
    def connected(self) -> bool: ...

    def fileno(self) -> int: ...

    def add_match(self, rule: str) -> None: ...

    def call(self, service: str, path: str, interface: str, method: str, *args) -> list: ...

    def send(self, service: str, path: str, interface: str, method: str, *args) -> None: ...

    def pending(self) -> bool: ...

    def read(self) -> list[BusSignal]: ...

    def close(self) -> None: ...


class MutterWatchSource:
    """:class:`WatchSource` over GNOME Shell's idle monitor (X11 and Wayland alike).

    ``AddIdleWatch(t interval_ms) -> u id`` and ``AddUserActiveWatch() -> u id``
    make watches; Mutter sends ``WatchFired(u id)`` to the connection that made
    them and forgets them all when it closes. An idle watch would fire again
    every time the user goes idle, so it is removed (``RemoveWatch``) after it
    fired once; a user-active watch is removed by Mutter itself. When the idle
    monitor's owner changes (GNOME Shell restarted) the watches are gone, and
    so is the source (``lost``).
    """

    def __init__(self, bus: WatchBus) -> None:
        self._bus = bus
        self._active: set[int] = set()  # user-active watches not fired yet
        self._idle: set[int] = set()
        self._gone = False
        try:
            bus.add_match(
                f"type='signal',sender='{MUTTER_SERVICE}',path='{MUTTER_PATH}',"
                f"interface='{MUTTER_INTERFACE}',member='WatchFired'"
            )
            bus.add_match(
                f"type='signal',sender='{_BUS}',interface='{_BUS}',"
                f"member='NameOwnerChanged',arg0='{MUTTER_SERVICE}'"
            )
        except DBusError as exc:
            raise IdleUnavailable(f"GNOME idle monitor: {exc}") from exc

    @classmethod
    def session(cls) -> MutterWatchSource:
        """On a new private connection to the session bus; raises :class:`IdleUnavailable`."""
        try:
            bus = PrivateBus.session()
        except DBusError as exc:
            raise IdleUnavailable(f"GNOME idle monitor: {exc}") from exc
        try:
            return cls(bus)
        except IdleUnavailable:
            bus.close()
            raise

    @property
    def lost(self) -> bool:
        return self._gone or not self._bus.connected

    def fileno(self) -> int:
        return self._bus.fileno()

    def _add(self, method: str, *args: tuple[str, object]) -> int:
        try:
            values = self._bus.call(MUTTER_SERVICE, MUTTER_PATH, MUTTER_INTERFACE, method, *args)
        except DBusError as exc:
            raise IdleUnavailable(f"GNOME idle monitor: {exc}") from exc
        if len(values) != 1 or type(values[0]) is not int:
            raise IdleUnavailable(f"GNOME idle monitor: {method} gave {values!r}")
        return values[0]

    def add_idle(self, ms: int) -> int:
        key = self._add("AddIdleWatch", ("t", ms))
        self._idle.add(key)
        return key

    def add_active(self) -> int:
        key = self._add("AddUserActiveWatch")
        self._active.add(key)
        return key

    def remove(self, key: int) -> None:
        if key in self._idle or key in self._active:
            self._idle.discard(key)
            self._active.discard(key)
            if self._bus.connected and not self._gone:
                with contextlib.suppress(DBusError):
                    self._bus.send(
                        MUTTER_SERVICE, MUTTER_PATH, MUTTER_INTERFACE, "RemoveWatch", ("u", key)
                    )

    def read(self) -> list[int]:
        fired = []
        for signal in self._bus.read():
            if (
                signal.member == "WatchFired"
                and signal.interface == MUTTER_INTERFACE
                and signal.path == MUTTER_PATH
                and len(signal.args) == 1
                and type(signal.args[0]) is int
            ):
                key = signal.args[0]
                if key in self._active:
                    self._active.discard(key)  # Mutter removed it already
                fired.append(key)
            elif (
                signal.member == "NameOwnerChanged"
                and signal.interface == _BUS
                and signal.args[:1] == (MUTTER_SERVICE,)
            ):
                self._gone = True
        return fired

    def pending(self) -> bool:
        return self._bus.pending()

    def close(self) -> None:
        self._idle.clear()
        self._active.clear()
        self._bus.close()  # Mutter drops this connection's watches itself
