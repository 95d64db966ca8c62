"""How long the user has been away from the keyboard and mouse.

:class:`IdleMonitor` is the interface: :meth:`~IdleMonitor.idle_seconds`
answers "seconds since the last input", or ``None`` when it cannot tell right
now. The monitors ask the system only when called; nothing here polls. The
break clock (``ui/break_clock.py``) asks once per wake-up and puts the answer
into ``Instant(mono, wall, idle)``. Where the monitor has watches (below) they
wake the clock when the user goes idle or comes back; elsewhere the
scheduler's deadlines wake it to ask (once per idle threshold while the user
is active, every few seconds while they are away).

Sources, in the order :func:`choose_idle_monitor` tries them:

======================  =====================================================================
X11 session             the MIT-SCREEN-SAVER extension (:class:`X11IdleMonitor`), then the
                        D-Bus sources below
Wayland session         GNOME's ``org.gnome.Mutter.IdleMonitor`` (:class:`MutterIdleMonitor`),
                        then ``org.freedesktop.ScreenSaver`` (:class:`ScreenSaverIdleMonitor`,
                        KDE and others). X11 is not tried: under XWayland it sees only the
                        input that X11 windows receive.
Windows                 ``GetLastInputInfo`` (:class:`WindowsIdleMonitor`)
macOS                   the HID system's ``HIDIdleTime`` (:class:`MacIdleMonitor`)
======================  =====================================================================

When none works, :class:`NullIdleMonitor` answers ``None`` and carries the
reason in plain words; reminders then count wall-clock time, and Settings says
so once (``monitor.reason``).

Watches: some sources can also *tell* the app when idle time crosses a value,
so it need not ask at all. :func:`open_idle_watcher` gives an
:class:`IdleWatcher` for a monitor that can (the X server's SYNC ``IDLETIME``
alarms for :class:`X11IdleMonitor`, GNOME's ``AddIdleWatch`` /
``AddUserActiveWatch`` for :class:`MutterIdleMonitor`), or ``None`` for the
others, whose callers keep asking :meth:`~IdleMonitor.idle_seconds` when their
own deadlines come (as the break clock also does once a watcher is lost). The
watches' workings are in ``platform/idle_watch.py``;
their callbacks arrive through Qt's event loop when the system's socket is
readable, never from a timer.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from stretchdesk.platform.dbus import BusCall, DBusError, private_bus_call

if TYPE_CHECKING:
    from stretchdesk.platform.idle_watch import EventLoop


class IdleUnavailable(RuntimeError):
    """This idle-time source does not work here; the message says why, for the user."""


@runtime_checkable
class IdleMonitor(Protocol):
    """Seconds since the user's last keyboard or mouse input."""

    name: str
    """A short name for Settings and bug reports, e.g. ``"X11 screen saver extension"``."""

    def idle_seconds(self) -> float | None:
        """Seconds since the last input, or ``None`` when it cannot be told right now."""
        ...

    def close(self) -> None:
        """Let go of what the monitor holds (a display connection); idempotent."""
        ...


IdleCallback = Callable[[], None]


@runtime_checkable
class IdleWatch(Protocol):
    """One armed watch: it fires once at most, then (or when cancelled) it is disarmed."""

    @property
    def armed(self) -> bool:
        """True until the watch fired or was cancelled."""
        ...

    def cancel(self) -> None:
        """Disarm the watch: its callback will not be called. Idempotent; after firing too."""
        ...


@runtime_checkable
class IdleWatcher(Protocol):
    """Tells, through the event loop, when idle time crosses a value; see the module docstring.

    Each watch fires once at most; its callback takes no argument and is never
    called from inside ``watch_idle`` or ``watch_active``.
    """

    name: str

    @property
    def lost(self) -> bool:
        """True once the source stopped working; its watches will not fire any more."""
        ...

    def watch_idle(self, seconds: float, callback: IdleCallback) -> IdleWatch:
        """Call ``callback`` once the user has been idle for at least ``seconds`` (> 0).

        Already idle that long: it is called soon. Raises :class:`IdleUnavailable`
        when the source does not work any more (the watcher is lost then).
        """
        ...

    def watch_active(self, callback: IdleCallback) -> IdleWatch:
        """Call ``callback`` at the next keyboard or mouse input; raises like ``watch_idle``."""
        ...

    def close(self) -> None:
        """Cancel every watch and let go of the connection; idempotent."""
        ...


class NullIdleMonitor:
    """No source of idle time works: always ``None``, with the reason for Settings."""

    name = "none"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def idle_seconds(self) -> float | None:
        return None

    def close(self) -> None:
        pass


class FakeIdleMonitor:
    """For tests: answers whatever ``idle`` is set to, and counts the calls.

    Given a ``watcher`` (a :class:`FakeIdleWatcher`), it also has watches:
    :func:`open_idle_watcher` hands that watcher out (open again if it was
    closed, as a fresh connection would be; not if it was lost) and counts it
    in ``opened``.
    """

    name = "fake"

    def __init__(self, idle: float | None = 0.0, watcher: FakeIdleWatcher | None = None) -> None:
        self.idle = idle
        self.calls = 0
        self.closed = False
        self.watcher = watcher
        self.opened = 0

    def idle_seconds(self) -> float | None:
        self.calls += 1
        return self.idle

    def open_watcher(
        self, on_lost: IdleCallback | None = None, loop: object = None
    ) -> FakeIdleWatcher:
        if self.watcher is None or self.watcher.lost:
            raise IdleUnavailable("this fake has no watches")
        self.opened += 1
        self.watcher.closed = False
        self.watcher.on_lost = on_lost
        return self.watcher

    def close(self) -> None:
        self.closed = True


class FakeIdleWatch:
    """A watch of :class:`FakeIdleWatcher`: ``seconds`` is ``None`` for an active watch."""

    def __init__(self, seconds: float | None, callback: IdleCallback) -> None:
        self.seconds = seconds
        self._callback: IdleCallback | None = callback

    @property
    def armed(self) -> bool:
        return self._callback is not None

    def cancel(self) -> None:
        self._callback = None

    def fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


class FakeIdleWatcher:
    """For tests: keeps the watches it was asked for; the test says when the user idles.

    :meth:`idle_for` fires the armed idle watches of at most that many seconds,
    :meth:`input` the armed active watches, :meth:`lose` acts as if the
    source went away. ``watches`` lists every watch made, in order.
    """

    name = "fake watches"

    def __init__(self) -> None:
        self.watches: list[FakeIdleWatch] = []
        self.lost = False
        self.closed = False
        self.on_lost: IdleCallback | None = None

    def _add(self, seconds: float | None, callback: IdleCallback) -> FakeIdleWatch:
        if self.closed or self.lost:
            raise IdleUnavailable("the fake watcher is closed")
        watch = FakeIdleWatch(seconds, callback)
        self.watches.append(watch)
        return watch

    def watch_idle(self, seconds: float, callback: IdleCallback) -> FakeIdleWatch:
        if not seconds > 0:
            raise ValueError(f"an idle watch needs a positive time, not {seconds!r}")
        return self._add(seconds, callback)

    def watch_active(self, callback: IdleCallback) -> FakeIdleWatch:
        return self._add(None, callback)

    @property
    def armed(self) -> list[FakeIdleWatch]:
        """The watches that are still armed."""
        return [watch for watch in self.watches if watch.armed]

    def idle_for(self, seconds: float) -> int:
        """The user has now been idle ``seconds``: fire those idle watches; how many fired."""
        due = [w for w in self.armed if w.seconds is not None and w.seconds <= seconds]
        for watch in due:
            watch.fire()
        return len(due)

    def input(self) -> int:
        """The user touched the keyboard or mouse: fire the active watches; how many fired."""
        due = [w for w in self.armed if w.seconds is None]
        for watch in due:
            watch.fire()
        return len(due)

    def lose(self) -> None:
        self.lost = True
        for watch in self.watches:
            watch.cancel()
        if self.on_lost is not None:
            self.on_lost()

    def close(self) -> None:
        self.closed = True
        for watch in self.watches:
            watch.cancel()


# --- X11 ----------------------------------------------------------------------------------


class X11IdleMonitor:
    """The X server's own count of time since input, via the MIT-SCREEN-SAVER extension.

    Its watches are alarms on the SYNC extension's ``IDLETIME`` counter, on a
    connection of their own (:meth:`open_watcher`).
    """

    name = "X11 screen saver extension"

    def __init__(self, display: str | None = None) -> None:
        from stretchdesk.platform.x11 import X11Unavailable, XDisplay

        self._display_name = display
        try:
            self._display = XDisplay(display)
            self._display.enable_idle_time()
        except X11Unavailable as exc:
            if hasattr(self, "_display"):
                self._display.close()
            raise IdleUnavailable(str(exc)) from exc

    def idle_seconds(self) -> float | None:
        from stretchdesk.platform.x11 import X11Unavailable

        try:
            return self._display.idle_ms() / 1000.0
        except X11Unavailable:
            return None

    def open_watcher(
        self, on_lost: IdleCallback | None = None, loop: EventLoop | None = None
    ) -> IdleWatcher:
        """Idle watches on this display; raises :class:`IdleUnavailable` without SYNC."""
        from stretchdesk.platform.idle_watch import QtEventLoop, SourceWatcher, XSyncSource

        source = XSyncSource(self._display_name)
        return SourceWatcher("X11 idle alarms", source, loop or QtEventLoop(), on_lost)

    def close(self) -> None:
        self._display.close()


# --- D-Bus --------------------------------------------------------------------------------


def _milliseconds(values: list[object], what: str) -> float:
    if len(values) != 1 or type(values[0]) is not int or values[0] < 0:  # type: ignore[operator]
        raise IdleUnavailable(f"{what} gave an unexpected answer: {values!r}")
    return values[0] / 1000.0  # type: ignore[operator]


class _DBusIdleMonitor:
    """An idle time from one D-Bus method returning milliseconds."""

    name = ""
    service = path = interface = method = ""

    def __init__(self, call: BusCall) -> None:
        self._call = call

    def _ask(self) -> float:
        try:
            values = self._call(self.service, self.path, self.interface, self.method)
        except DBusError as exc:
            raise IdleUnavailable(f"{self.name}: {exc}") from exc
        return _milliseconds(values, self.name)

    def probe(self) -> None:
        """Raises :class:`IdleUnavailable` when the service does not answer properly."""
        self._ask()

    def idle_seconds(self) -> float | None:
        try:
            return self._ask()
        except IdleUnavailable:
            return None

    def close(self) -> None:
        pass


class MutterIdleMonitor(_DBusIdleMonitor):
    """GNOME Shell (X11 and Wayland): ``org.gnome.Mutter.IdleMonitor.GetIdletime`` (ms)."""

    name = "GNOME idle monitor"
    service = "org.gnome.Mutter.IdleMonitor"
    path = "/org/gnome/Mutter/IdleMonitor/Core"
    interface = "org.gnome.Mutter.IdleMonitor"
    method = "GetIdletime"

    def open_watcher(
        self, on_lost: IdleCallback | None = None, loop: EventLoop | None = None
    ) -> IdleWatcher:
        """GNOME's idle watches, on a private session-bus connection (``AddIdleWatch``...)."""
        from stretchdesk.platform.idle_watch import MutterWatchSource, QtEventLoop, SourceWatcher

        source = MutterWatchSource.session()
        return SourceWatcher("GNOME idle watches", source, loop or QtEventLoop(), on_lost)


class ScreenSaverIdleMonitor(_DBusIdleMonitor):
    """KDE Plasma and others: ``org.freedesktop.ScreenSaver.GetSessionIdleTime``.

    KDE answers in milliseconds, which is what is assumed. GNOME Shell also owns
    this name but answers that the method is not implemented, so the probe fails
    there and Mutter's monitor (tried first) is used instead.
    """

    name = "freedesktop screen saver"
    service = "org.freedesktop.ScreenSaver"
    path = "/org/freedesktop/ScreenSaver"
    interface = "org.freedesktop.ScreenSaver"
    method = "GetSessionIdleTime"


# --- Windows ------------------------------------------------------------------------------


class _LastInputInfo(ctypes.Structure):
    _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32))


class WindowsIdleMonitor:
    """Windows: ``GetLastInputInfo`` against ``GetTickCount`` (both wrap every 49.7 days)."""

    name = "Windows last input"

    def __init__(self) -> None:
        try:
            windll = ctypes.WinDLL  # type: ignore[attr-defined]
            self._user32 = windll("user32")
            self._kernel32 = windll("kernel32")
        except (AttributeError, OSError) as exc:
            raise IdleUnavailable("user32.dll is not available") from exc
        self._kernel32.GetTickCount.restype = ctypes.c_uint32
        self._info = _LastInputInfo(ctypes.sizeof(_LastInputInfo), 0)

    def idle_seconds(self) -> float | None:
        if not self._user32.GetLastInputInfo(ctypes.byref(self._info)):
            return None
        now = self._kernel32.GetTickCount()
        return ((now - self._info.dwTime) & 0xFFFFFFFF) / 1000.0

    def close(self) -> None:
        pass


# --- macOS --------------------------------------------------------------------------------


class MacIdleMonitor:
    """macOS: the ``HIDIdleTime`` property (nanoseconds) of the ``IOHIDSystem`` service."""

    name = "macOS HID idle time"
    _K_CF_NUMBER_SINT64 = 4
    _K_CF_STRING_UTF8 = 0x08000100

    def __init__(self) -> None:
        from ctypes.util import find_library

        iokit_path = find_library("IOKit")
        cf_path = find_library("CoreFoundation")
        if not iokit_path or not cf_path:
            raise IdleUnavailable("IOKit is not available")
        iokit, cf = ctypes.CDLL(iokit_path), ctypes.CDLL(cf_path)
        void_p, u32 = ctypes.c_void_p, ctypes.c_uint32
        iokit.IOServiceMatching.restype = void_p
        iokit.IOServiceMatching.argtypes = [ctypes.c_char_p]
        iokit.IOServiceGetMatchingService.restype = u32
        iokit.IOServiceGetMatchingService.argtypes = [u32, void_p]  # consumes the dictionary
        iokit.IORegistryEntryCreateCFProperty.restype = void_p
        iokit.IORegistryEntryCreateCFProperty.argtypes = [u32, void_p, void_p, u32]
        iokit.IOObjectRelease.argtypes = [u32]
        cf.CFStringCreateWithCString.restype = void_p
        cf.CFStringCreateWithCString.argtypes = [void_p, ctypes.c_char_p, u32]
        cf.CFNumberGetValue.restype = ctypes.c_bool
        cf.CFNumberGetValue.argtypes = [void_p, ctypes.c_int, void_p]
        cf.CFRelease.argtypes = [void_p]
        self._iokit, self._cf = iokit, cf
        # kIOMasterPortDefault is 0.
        self._service = iokit.IOServiceGetMatchingService(
            0, iokit.IOServiceMatching(b"IOHIDSystem")
        )
        if not self._service:
            raise IdleUnavailable("the IOHIDSystem service was not found")
        self._key = cf.CFStringCreateWithCString(None, b"HIDIdleTime", self._K_CF_STRING_UTF8)

    def idle_seconds(self) -> float | None:
        number = self._iokit.IORegistryEntryCreateCFProperty(self._service, self._key, None, 0)
        if not number:
            return None
        try:
            nanoseconds = ctypes.c_int64()
            ok = self._cf.CFNumberGetValue(
                number, self._K_CF_NUMBER_SINT64, ctypes.byref(nanoseconds)
            )
            return nanoseconds.value / 1e9 if ok else None
        finally:
            self._cf.CFRelease(number)

    def close(self) -> None:
        if self._service:
            self._iokit.IOObjectRelease(self._service)
            self._cf.CFRelease(self._key)
            self._service = 0


# --- watches ------------------------------------------------------------------------------


def open_idle_watcher(
    monitor: IdleMonitor,
    on_lost: IdleCallback | None = None,
    loop: EventLoop | None = None,
) -> IdleWatcher | None:
    """Watches from the same source as ``monitor``, or ``None`` when it has none here.

    ``on_lost`` is called once, from the event loop, if the source stops
    working later (the caller then closes the watcher and goes back to asking
    ``monitor.idle_seconds()``). ``loop`` defaults to Qt's event loop, which
    needs a ``QCoreApplication``. The caller closes the watcher when done.
    """
    opener = getattr(monitor, "open_watcher", None)
    if opener is None:
        return None
    try:
        return opener(on_lost=on_lost, loop=loop)
    except IdleUnavailable:
        return None


# --- choosing -----------------------------------------------------------------------------

Candidate = tuple[str, Callable[[], IdleMonitor]]
"""A source's name and a function that makes its monitor or raises IdleUnavailable."""


def candidate_sources(
    env: Mapping[str, str], platform: str, bus_call: BusCall | None = None
) -> list[Candidate]:
    """The sources worth trying in this session, best first (see the module's table)."""
    if platform == "win32":
        return [(WindowsIdleMonitor.name, WindowsIdleMonitor)]
    if platform == "darwin":
        return [(MacIdleMonitor.name, MacIdleMonitor)]
    calls: list[BusCall] = [bus_call] if bus_call is not None else []

    def dbus(cls: type[_DBusIdleMonitor]) -> Candidate:
        def make() -> IdleMonitor:
            if not calls:  # libdbus, not QtDBus: the tray-only process stays small
                calls.append(private_bus_call())
            monitor = cls(calls[0])
            monitor.probe()
            return monitor

        return (cls.name, make)

    session = env.get("XDG_SESSION_TYPE", "").lower()
    wayland = session == "wayland" or (session != "x11" and bool(env.get("WAYLAND_DISPLAY")))
    candidates: list[Candidate] = []
    if not wayland and env.get("DISPLAY"):
        display = env["DISPLAY"]
        candidates.append((X11IdleMonitor.name, lambda: X11IdleMonitor(display)))
    candidates += [dbus(MutterIdleMonitor), dbus(ScreenSaverIdleMonitor)]
    return candidates


def first_working(candidates: list[Candidate]) -> IdleMonitor:
    """The first candidate whose monitor can be made and answers; else a NullIdleMonitor."""
    failures = []
    for name, make in candidates:
        try:
            monitor = make()
        except IdleUnavailable as exc:
            failures.append(f"{name}: {exc}")
            continue
        if monitor.idle_seconds() is not None:
            return monitor
        monitor.close()
        failures.append(f"{name}: no answer")
    why = "; ".join(failures) if failures else "no source is known for this system"
    return NullIdleMonitor(
        "StretchDesk cannot tell when you are away from the keyboard on this desktop "
        f"({why}), so breaks are timed by the clock alone."
    )


def choose_idle_monitor(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    bus_call: BusCall | None = None,
) -> IdleMonitor:
    """The best idle-time source for the current session, tried once each.

    Call it once at start-up (with the ``QApplication`` made, for D-Bus). The
    result is a working monitor, or a :class:`NullIdleMonitor` whose ``reason``
    Settings shows.
    """
    return first_working(
        candidate_sources(
            os.environ if env is None else env,
            sys.platform if platform is None else platform,
            bus_call,
        )
    )
