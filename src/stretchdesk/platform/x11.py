"""A small ctypes binding of Xlib: the idle time, idle alarms and the focused window's state.

Used by the X11 idle monitor, its idle watches and the full-screen check; no
new dependency, only ``libX11``, ``libXss`` (the MIT-SCREEN-SAVER extension's
client library) and ``libXext`` (the SYNC extension's), loaded when first
needed. :class:`X11Unavailable` says, in words, why it cannot work here (a
library missing, no display, no extension).

Xlib's default error handler ends the process on any protocol error (a window
that closed between two calls gives ``BadWindow``), so a handler that only
counts errors is installed when a display is opened.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache

_ulong = ctypes.c_ulong
_Window = _ulong
_Atom = _ulong
_XA_ATOM = 4
_XA_WINDOW = 33
_SUCCESS = 0


class X11Unavailable(RuntimeError):
    """Xlib cannot be used here; the message says why, for the user."""


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", _Window),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", _ulong),
        ("idle", _ulong),
        ("event_mask", _ulong),
    )


class _XSyncValue(ctypes.Structure):
    _fields_ = (("hi", ctypes.c_int), ("lo", ctypes.c_uint))


class _XSyncSystemCounter(ctypes.Structure):
    _fields_ = (("name", ctypes.c_char_p), ("counter", _ulong), ("resolution", _XSyncValue))


class _XSyncTrigger(ctypes.Structure):
    _fields_ = (
        ("counter", _ulong),
        ("value_type", ctypes.c_int),
        ("wait_value", _XSyncValue),
        ("test_type", ctypes.c_int),
    )


class _XSyncAlarmAttributes(ctypes.Structure):
    _fields_ = (
        ("trigger", _XSyncTrigger),
        ("delta", _XSyncValue),
        ("events", ctypes.c_int),
        ("state", ctypes.c_int),
    )


class _XSyncAlarmNotifyEvent(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("serial", _ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("alarm", _ulong),
        ("counter_value", _XSyncValue),
        ("alarm_value", _XSyncValue),
        ("time", _ulong),
        ("state", ctypes.c_int),
    )


class _XEvent(ctypes.Union):
    _fields_ = (
        ("type", ctypes.c_int),
        ("alarm", _XSyncAlarmNotifyEvent),
        ("pad", ctypes.c_long * 24),  # Xlib's XEvent is 24 longs
    )


_ErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_errors = [0]


@_ErrorHandler
def _count_error(_display: int, _event: int) -> int:
    _errors[0] += 1
    return 0


_SONAMES = {"X11": "libX11.so.6", "Xss": "libXss.so.1", "Xext": "libXext.so.6"}
"""The libraries' usual names, tried before asking the system (which runs ``ldconfig``)."""


def _load(name: str) -> ctypes.CDLL:
    try:
        return ctypes.CDLL(_SONAMES[name])
    except (KeyError, OSError):
        pass
    from ctypes.util import find_library  # only when the usual name fails: it loads subprocess

    path = find_library(name) or f"lib{name}.so"
    try:
        return ctypes.CDLL(path)
    except OSError as exc:
        raise X11Unavailable(f"the library lib{name} is not installed") from exc


def _fn(lib: ctypes.CDLL, name: str, restype: object, *argtypes: object):
    func = getattr(lib, name)
    func.restype = restype
    func.argtypes = list(argtypes)
    return func


@cache
def _xlib() -> ctypes.CDLL:
    lib = _load("X11")
    p = ctypes.c_void_p
    _fn(lib, "XOpenDisplay", p, ctypes.c_char_p)
    _fn(lib, "XCloseDisplay", ctypes.c_int, p)
    _fn(lib, "XDefaultRootWindow", _Window, p)
    _fn(lib, "XInternAtom", _Atom, p, ctypes.c_char_p, ctypes.c_int)
    _fn(lib, "XFree", ctypes.c_int, p)
    _fn(lib, "XSync", ctypes.c_int, p, ctypes.c_int)
    _fn(lib, "XSetErrorHandler", p, _ErrorHandler)
    _fn(lib, "XConnectionNumber", ctypes.c_int, p)
    _fn(lib, "XFlush", ctypes.c_int, p)
    _fn(lib, "XPending", ctypes.c_int, p)
    _fn(lib, "XEventsQueued", ctypes.c_int, p, ctypes.c_int)
    _fn(lib, "XNextEvent", ctypes.c_int, p, ctypes.POINTER(_XEvent))
    _fn(
        lib,
        "XGetWindowProperty",
        ctypes.c_int,
        p,
        _Window,
        _Atom,
        ctypes.c_long,
        ctypes.c_long,
        ctypes.c_int,
        _Atom,
        ctypes.POINTER(_Atom),
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(_ulong),
        ctypes.POINTER(_ulong),
        ctypes.POINTER(ctypes.c_void_p),
    )
    _fn(
        lib,
        "XGetInputFocus",
        ctypes.c_int,
        p,
        ctypes.POINTER(_Window),
        ctypes.POINTER(ctypes.c_int),
    )
    _fn(
        lib,
        "XQueryTree",
        ctypes.c_int,
        p,
        _Window,
        ctypes.POINTER(_Window),
        ctypes.POINTER(_Window),
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_uint),
    )
    uint_p = ctypes.POINTER(ctypes.c_uint)
    int_p = ctypes.POINTER(ctypes.c_int)
    _fn(
        lib,
        "XGetGeometry",
        ctypes.c_int,
        p,
        _Window,
        ctypes.POINTER(_Window),
        int_p,
        int_p,
        uint_p,
        uint_p,
        uint_p,
        uint_p,
    )
    return lib


@cache
def _xss() -> ctypes.CDLL:
    lib = _load("Xss")
    p = ctypes.c_void_p
    int_p = ctypes.POINTER(ctypes.c_int)
    _fn(lib, "XScreenSaverQueryExtension", ctypes.c_int, p, int_p, int_p)
    _fn(lib, "XScreenSaverAllocInfo", ctypes.POINTER(_XScreenSaverInfo))
    _fn(lib, "XScreenSaverQueryInfo", ctypes.c_int, p, _Window, ctypes.POINTER(_XScreenSaverInfo))
    return lib


@cache
def _xext() -> ctypes.CDLL:
    lib = _load("Xext")
    p = ctypes.c_void_p
    int_p = ctypes.POINTER(ctypes.c_int)
    _fn(lib, "XSyncQueryExtension", ctypes.c_int, p, int_p, int_p)
    _fn(lib, "XSyncInitialize", ctypes.c_int, p, int_p, int_p)
    _fn(lib, "XSyncListSystemCounters", ctypes.POINTER(_XSyncSystemCounter), p, int_p)
    _fn(lib, "XSyncFreeSystemCounterList", None, ctypes.POINTER(_XSyncSystemCounter))
    _fn(lib, "XSyncQueryCounter", ctypes.c_int, p, _ulong, ctypes.POINTER(_XSyncValue))
    _fn(lib, "XSyncCreateAlarm", _ulong, p, _ulong, ctypes.POINTER(_XSyncAlarmAttributes))
    _fn(lib, "XSyncDestroyAlarm", ctypes.c_int, p, _ulong)
    return lib


@dataclass(frozen=True, slots=True)
class WindowState:
    """What the full-screen check needs to know about the focused top-level window."""

    window: int
    states: frozenset[str]
    """Its ``_NET_WM_STATE`` atoms, by name (e.g. ``_NET_WM_STATE_FULLSCREEN``)."""
    types: frozenset[str]
    """Its ``_NET_WM_WINDOW_TYPE`` atoms, by name."""
    size: tuple[int, int]
    screen: tuple[int, int]
    """The size of the root window (all monitors together)."""
    from_window_manager: bool
    """True when the window manager named it (``_NET_ACTIVE_WINDOW``), not the input focus."""


class XDisplay:
    """One connection to an X server, kept open for the life of the object.

    ``name`` is a display name such as ``":1"``; ``None`` uses ``$DISPLAY``.
    """

    def __init__(self, name: str | None = None) -> None:
        self._x = _xlib()
        self._display = self._x.XOpenDisplay(name.encode() if name else None)
        if not self._display:
            raise X11Unavailable("no X display can be opened (is DISPLAY set?)")
        self._x.XSetErrorHandler(_count_error)
        self._root = self._x.XDefaultRootWindow(self._display)
        self._atoms: dict[str, int] = {}
        self._names: dict[int, str] = {}
        self._xss_info: ctypes._Pointer[_XScreenSaverInfo] | None = None

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._display:
            if self._xss_info:
                self._x.XFree(self._xss_info)
                self._xss_info = None
            self._x.XCloseDisplay(self._display)
            self._display = None

    def __enter__(self) -> XDisplay:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if not self._display:
            raise X11Unavailable("the X display was closed")

    # --- idle time ------------------------------------------------------------------------

    def enable_idle_time(self) -> None:
        """Make :meth:`idle_ms` usable; raises :class:`X11Unavailable` without the extension."""
        self._check_open()
        if self._xss_info:
            return
        xss = _xss()
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(
            self._display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            raise X11Unavailable("the X server has no MIT-SCREEN-SAVER extension")
        info = xss.XScreenSaverAllocInfo()
        if not info:
            raise X11Unavailable("out of memory for the screen saver info")
        self._xss_info = info

    def idle_ms(self) -> int:
        """Milliseconds since the last keyboard or mouse input anywhere on this display."""
        self._check_open()
        if not self._xss_info:
            self.enable_idle_time()
        assert self._xss_info is not None
        if not _xss().XScreenSaverQueryInfo(self._display, self._root, self._xss_info):
            raise X11Unavailable("the X server did not answer the idle-time query")
        return int(self._xss_info.contents.idle)

    # --- windows --------------------------------------------------------------------------

    def atom(self, name: str) -> int:
        """The atom for ``name`` (created if new)."""
        if name not in self._atoms:
            value = self._x.XInternAtom(self._display, name.encode(), 0)
            self._atoms[name] = value
            self._names[value] = name
        return self._atoms[name]

    def _property(self, window: int, name: str, kind: int, limit: int = 64) -> list[int]:
        actual_type, actual_format = _Atom(), ctypes.c_int()
        count, after, data = _ulong(), _ulong(), ctypes.c_void_p()
        status = self._x.XGetWindowProperty(
            self._display,
            window,
            self.atom(name),
            0,
            limit,
            0,
            kind,
            ctypes.byref(actual_type),
            ctypes.byref(actual_format),
            ctypes.byref(count),
            ctypes.byref(after),
            ctypes.byref(data),
        )
        try:
            if status != _SUCCESS or not data.value or actual_format.value != 32:
                return []
            # Format-32 properties come back as an array of C longs.
            values = ctypes.cast(data, ctypes.POINTER(_ulong))
            return [int(values[i]) for i in range(count.value)]
        finally:
            if data.value:
                self._x.XFree(data)

    def _top_level(self, window: int) -> int:
        """The child of the root that contains ``window`` (0 when there is none)."""
        root, parent = _Window(), _Window()
        children, count = ctypes.c_void_p(), ctypes.c_uint()
        for _ in range(64):
            if window in (0, 1, self._root):  # None, PointerRoot, the root itself
                return 0
            if not self._x.XQueryTree(
                self._display,
                window,
                ctypes.byref(root),
                ctypes.byref(parent),
                ctypes.byref(children),
                ctypes.byref(count),
            ):
                return 0
            if children.value:
                self._x.XFree(children)
            if parent.value == self._root:
                return window
            window = parent.value
        return 0

    def _size(self, window: int) -> tuple[int, int]:
        root = _Window()
        x, y = ctypes.c_int(), ctypes.c_int()
        width, height, border, depth = (ctypes.c_uint() for _ in range(4))
        if not self._x.XGetGeometry(
            self._display,
            window,
            ctypes.byref(root),
            ctypes.byref(x),
            ctypes.byref(y),
            ctypes.byref(width),
            ctypes.byref(height),
            ctypes.byref(border),
            ctypes.byref(depth),
        ):
            return (0, 0)
        return (width.value, height.value)

    def _atom_names(self, atoms: list[int]) -> frozenset[str]:
        return frozenset(self._names.get(a, "") for a in atoms) - {""}

    def focused_window(self) -> WindowState | None:
        """The focused top-level window's state, or ``None`` when no window has the focus.

        The window manager's ``_NET_ACTIVE_WINDOW`` is asked first; without a
        window manager that sets it, the input focus is used.
        """
        self._check_open()
        for name in ("_NET_WM_STATE_FULLSCREEN", "_NET_WM_WINDOW_TYPE_DESKTOP"):
            self.atom(name)
        errors_before = _errors[0]
        active = self._property(self._root, "_NET_ACTIVE_WINDOW", _XA_WINDOW, 1)
        from_wm = bool(active and active[0])
        window = active[0] if from_wm else 0
        if not from_wm:
            focus, revert = _Window(), ctypes.c_int()
            self._x.XGetInputFocus(self._display, ctypes.byref(focus), ctypes.byref(revert))
            window = self._top_level(focus.value)
        if not window:
            return None
        state = WindowState(
            window=window,
            states=self._atom_names(self._property(window, "_NET_WM_STATE", _XA_ATOM)),
            types=self._atom_names(self._property(window, "_NET_WM_WINDOW_TYPE", _XA_ATOM)),
            size=self._size(window),
            screen=self._size(self._root),
            from_window_manager=from_wm,
        )
        self._x.XSync(self._display, 0)
        return None if _errors[0] != errors_before else state  # the window went away


# --- idle alarms (the SYNC extension) -----------------------------------------------------

_SYNC_ALARM_NOTIFY = 1  # added to the extension's first event number
_SYNC_ABSOLUTE = 0
_SYNC_NEGATIVE_TRANSITION = 1
_SYNC_POSITIVE_COMPARISON = 2
_SYNC_ALARM_DESTROYED = 2
_SYNC_ALARM_ATTRIBUTES = 0x3F  # counter, value type, value, test type, delta, events
_QUEUED_ALREADY = 0


def _sync_value(number: int) -> _XSyncValue:
    return _XSyncValue(number >> 32, number & 0xFFFFFFFF)


class XSyncIdleAlarms:
    """Alarms on the X server's ``IDLETIME`` counter: the server says when idle time crosses a
    value, so nothing has to ask it over and over.

    ``IDLETIME`` (a system counter of the SYNC extension) counts milliseconds
    since the last input on any device. Two kinds of alarm are made, each with
    events on and a delta of zero:

    - :meth:`add_idle`: a *positive comparison* with ``ms``; it fires once when
      the counter is at least ``ms`` (at once when it already is) and then
      turns inactive by itself;
    - :meth:`add_active`: a *negative transition* through 1 ms; it fires at the
      next input (the counter drops back to zero) and would fire again at each
      later one, so its owner removes it after the first.

    The alarms live on a connection of their own, so that no other request
    reads their events into Xlib's queue behind the owner's back. Its socket
    (:meth:`fileno`) becomes readable when an alarm fires; :meth:`read` then
    collects the alarms that fired. After calls that may have queued events
    without the socket staying readable, :meth:`pending` says so.
    """

    def __init__(self, name: str | None = None) -> None:
        self._x = _xlib()
        ext = _xext()
        self._display = self._x.XOpenDisplay(name.encode() if name else None)
        if not self._display:
            raise X11Unavailable("no X display can be opened (is DISPLAY set?)")
        self._x.XSetErrorHandler(_count_error)
        self._alarms: set[int] = set()
        try:
            event_base, error_base = ctypes.c_int(), ctypes.c_int()
            if not ext.XSyncQueryExtension(
                self._display, ctypes.byref(event_base), ctypes.byref(error_base)
            ):
                raise X11Unavailable("the X server has no SYNC extension")
            major, minor = ctypes.c_int(), ctypes.c_int()
            if not ext.XSyncInitialize(self._display, ctypes.byref(major), ctypes.byref(minor)):
                raise X11Unavailable("the X server's SYNC extension is too old")
            self._notify_type = event_base.value + _SYNC_ALARM_NOTIFY
            self._counter = self._find_counter(ext, b"IDLETIME")
        except X11Unavailable:
            self.close()
            raise

    def _find_counter(self, ext: ctypes.CDLL, wanted: bytes) -> int:
        count = ctypes.c_int()
        counters = ext.XSyncListSystemCounters(self._display, ctypes.byref(count))
        if not counters:
            raise X11Unavailable("the X server lists no SYNC counters")
        try:
            for index in range(count.value):
                if counters[index].name == wanted:
                    return int(counters[index].counter)
        finally:
            ext.XSyncFreeSystemCounterList(counters)
        raise X11Unavailable("the X server has no IDLETIME counter")

    def _check_open(self) -> None:
        if not self._display:
            raise X11Unavailable("the X display was closed")

    def fileno(self) -> int:
        """The connection's socket: readable when the server sent an alarm's event."""
        self._check_open()
        return int(self._x.XConnectionNumber(self._display))

    def idle_ms(self) -> int:
        """The ``IDLETIME`` counter now (milliseconds since the last input); a round trip."""
        self._check_open()
        value = _XSyncValue()
        if not _xext().XSyncQueryCounter(self._display, self._counter, ctypes.byref(value)):
            raise X11Unavailable("the X server did not answer the counter query")
        return (value.hi << 32) | value.lo

    def _add(self, test_type: int, ms: int) -> int:
        self._check_open()
        attributes = _XSyncAlarmAttributes()
        attributes.trigger.counter = self._counter
        attributes.trigger.value_type = _SYNC_ABSOLUTE
        attributes.trigger.wait_value = _sync_value(ms)
        attributes.trigger.test_type = test_type
        attributes.delta = _sync_value(0)
        attributes.events = 1
        alarm = int(
            _xext().XSyncCreateAlarm(
                self._display, _SYNC_ALARM_ATTRIBUTES, ctypes.byref(attributes)
            )
        )
        self._x.XFlush(self._display)
        if not alarm:
            raise X11Unavailable("the X server's SYNC alarm could not be made")
        self._alarms.add(alarm)
        return alarm

    def add_idle(self, ms: int) -> int:
        """An alarm that fires once the user has been idle for ``ms`` milliseconds."""
        return self._add(_SYNC_POSITIVE_COMPARISON, max(1, int(ms)))

    def add_active(self) -> int:
        """An alarm that fires at the next keyboard or mouse input."""
        return self._add(_SYNC_NEGATIVE_TRANSITION, 1)

    def remove(self, alarm: int) -> None:
        """Destroy ``alarm`` (nothing when it is not one of ours)."""
        if alarm in self._alarms and self._display:
            self._alarms.discard(alarm)
            _xext().XSyncDestroyAlarm(self._display, alarm)
            self._x.XFlush(self._display)

    def pending(self) -> bool:
        """Whether events wait in Xlib's queue (read from the socket already)."""
        return bool(self._display) and self._x.XEventsQueued(self._display, _QUEUED_ALREADY) > 0

    def read(self) -> list[int]:
        """The alarms of ours that fired since the last read, in order; never blocks."""
        fired: list[int] = []
        if not self._display:
            return fired
        event = _XEvent()
        while self._display and self._x.XPending(self._display) > 0:
            self._x.XNextEvent(self._display, ctypes.byref(event))
            if event.type != self._notify_type:
                continue
            notify = event.alarm
            if notify.state != _SYNC_ALARM_DESTROYED and notify.alarm in self._alarms:
                fired.append(int(notify.alarm))
        return fired

    def close(self) -> None:
        """Destroy the alarms and close the connection (idempotent)."""
        if self._display:
            for alarm in list(self._alarms):
                self.remove(alarm)
            self._x.XCloseDisplay(self._display)
            self._display = None
        self._alarms.clear()

    def __enter__(self) -> XSyncIdleAlarms:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
