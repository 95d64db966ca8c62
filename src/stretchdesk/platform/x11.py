"""A small ctypes binding of Xlib: the idle time and the focused window's state.

Used by the X11 idle monitor and the full-screen check; no new dependency,
only ``libX11`` and ``libXss`` (the MIT-SCREEN-SAVER extension's client
library), loaded when first needed. :class:`X11Unavailable` says, in words,
why it cannot work here (a library missing, no display, no extension).

Xlib's default error handler ends the process on any protocol error (a window
that closed between two calls gives ``BadWindow``), so a handler that only
counts errors is installed when a display is opened.
"""

from __future__ import annotations

import ctypes
import ctypes.util
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


_ErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_errors = [0]


@_ErrorHandler
def _count_error(_display: int, _event: int) -> int:
    _errors[0] += 1
    return 0


def _load(name: str) -> ctypes.CDLL:
    path = ctypes.util.find_library(name) or f"lib{name}.so"
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
