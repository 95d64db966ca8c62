"""Is now a bad moment for a reminder? Do-not-disturb and full-screen windows.

:class:`QuietProbe` answers :meth:`~QuietProbe.quiet` with a
:class:`~stretchdesk.core.reminder_gate.Quiet` reason or ``None``; the app
passes that to :class:`~stretchdesk.core.reminder_gate.ReminderGate`, which
holds reminders while it is quiet. Nothing here polls: the app asks when a
reminder is due and, while one is held, every ``RECHECK_SECONDS``.

Do-not-disturb sources, tried in turn (the first that answers wins):

- GNOME: ``org.gnome.desktop.notifications show-banners`` is false, read with
  ``gsettings`` (:class:`GnomeDoNotDisturb`);
- the notification server's ``Inhibited`` property
  (``org.freedesktop.Notifications``, KDE Plasma and others), or dunst's
  ``paused`` (:class:`NotificationsDoNotDisturb`);
- otherwise it is never on.

Full-screen: on X11, the focused window (``_NET_ACTIVE_WINDOW``, or the input
focus without a window manager) is in ``_NET_WM_STATE_FULLSCREEN`` or covers
the whole screen (:class:`X11FullScreen`); on Windows the foreground window
covers its monitor (:class:`WindowsFullScreen`). Wayland does not let an app
see other apps' windows, so there it is never full-screen.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Protocol

from stretchdesk.core.reminder_gate import Quiet
from stretchdesk.platform.dbus import BusCall, DBusError, get_property
from stretchdesk.platform.x11 import WindowState

Run = Callable[[list[str]], str]
"""Runs a command and returns its standard output; raises OSError or CalledProcessError."""


class DoNotDisturb(Protocol):
    """The desktop's do-not-disturb switch."""

    name: str

    def is_on(self) -> bool | None:
        """True when on, False when off, ``None`` when this source cannot tell."""
        ...


class FullScreen(Protocol):
    """Whether the window with the focus fills the screen."""

    name: str

    def is_full_screen(self) -> bool: ...


def _run(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=2, check=True)
    return done.stdout


class GnomeDoNotDisturb:
    """GNOME's switch: notification banners off (``show-banners false``) means do-not-disturb."""

    name = "GNOME notifications"

    def __init__(self, run: Run = _run) -> None:
        self._run = run

    def is_on(self) -> bool | None:
        try:
            out = self._run(
                ["gsettings", "get", "org.gnome.desktop.notifications", "show-banners"]
            ).strip()
        except (OSError, subprocess.SubprocessError):
            return None
        return {"false": True, "true": False}.get(out)


class NotificationsDoNotDisturb:
    """The notification server's ``Inhibited`` property, or dunst's ``paused``."""

    name = "notification server"
    service = "org.freedesktop.Notifications"
    path = "/org/freedesktop/Notifications"
    _properties = (
        ("org.freedesktop.Notifications", "Inhibited"),
        ("org.dunstproject.cmd0", "paused"),
    )

    def __init__(self, call: BusCall) -> None:
        self._call = call

    def is_on(self) -> bool | None:
        for interface, prop in self._properties:
            try:
                value = get_property(self._call, self.service, self.path, interface, prop)
            except DBusError:
                continue
            if isinstance(value, bool):
                return value
        return None


class FakeDoNotDisturb:
    """For tests: on or off as set."""

    name = "fake"

    def __init__(self, on: bool | None = False) -> None:
        self.on = on

    def is_on(self) -> bool | None:
        return self.on


def is_full_screen_state(state: WindowState | None) -> bool:
    """Whether a focused window counts as full-screen.

    It does when the window manager marks it ``_NET_WM_STATE_FULLSCREEN``, or
    when it covers the whole screen (some games and players skip the state);
    the desktop itself (``_NET_WM_WINDOW_TYPE_DESKTOP``) never does.
    """
    if state is None or "_NET_WM_WINDOW_TYPE_DESKTOP" in state.types:
        return False
    if "_NET_WM_STATE_FULLSCREEN" in state.states:
        return True
    width, height = state.size
    screen_width, screen_height = state.screen
    return width >= screen_width > 0 and height >= screen_height > 0


class X11FullScreen:
    """X11: the focused top-level window's state and size, read with Xlib."""

    name = "X11 focused window"

    def __init__(self, display: str | None = None) -> None:
        from stretchdesk.platform.x11 import XDisplay

        self._display = XDisplay(display)  # raises X11Unavailable

    def state(self) -> WindowState | None:
        return self._display.focused_window()

    def is_full_screen(self) -> bool:
        return is_full_screen_state(self.state())

    def close(self) -> None:
        self._display.close()


class _Rect(ctypes.Structure):
    _fields_ = (
        ("left", ctypes.c_long),
        ("top", ctypes.c_long),
        ("right", ctypes.c_long),
        ("bottom", ctypes.c_long),
    )


class _MonitorInfo(ctypes.Structure):
    _fields_ = (
        ("cbSize", ctypes.c_uint32),
        ("rcMonitor", _Rect),
        ("rcWork", _Rect),
        ("dwFlags", ctypes.c_uint32),
    )


class WindowsFullScreen:
    """Windows: the foreground window's rectangle covers its whole monitor."""

    name = "Windows foreground window"

    def __init__(self) -> None:
        self._user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined]
        self._user32.GetForegroundWindow.restype = ctypes.c_void_p
        self._user32.GetShellWindow.restype = ctypes.c_void_p
        self._user32.GetDesktopWindow.restype = ctypes.c_void_p
        self._user32.MonitorFromWindow.restype = ctypes.c_void_p
        self._user32.MonitorFromWindow.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        self._user32.GetWindowRect.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Rect)]
        self._user32.GetMonitorInfoW.argtypes = [ctypes.c_void_p, ctypes.POINTER(_MonitorInfo)]

    def is_full_screen(self) -> bool:
        user32 = self._user32
        window = user32.GetForegroundWindow()
        if not window or window in (user32.GetShellWindow(), user32.GetDesktopWindow()):
            return False
        rect = _Rect()
        info = _MonitorInfo(cbSize=ctypes.sizeof(_MonitorInfo))
        monitor = user32.MonitorFromWindow(window, 2)  # MONITOR_DEFAULTTONEAREST
        if not user32.GetWindowRect(window, ctypes.byref(rect)) or not user32.GetMonitorInfoW(
            monitor, ctypes.byref(info)
        ):
            return False
        screen = info.rcMonitor
        return (rect.left, rect.top, rect.right, rect.bottom) == (
            screen.left,
            screen.top,
            screen.right,
            screen.bottom,
        )


class NoFullScreen:
    """Where other apps' windows cannot be seen (Wayland, macOS): never full-screen."""

    name = "none"

    def __init__(self, full_screen: bool = False) -> None:
        self.full_screen = full_screen

    def is_full_screen(self) -> bool:
        return self.full_screen


class QuietProbe:
    """Asks the do-not-disturb sources and the full-screen check; see the module's notes."""

    def __init__(self, dnd: list[DoNotDisturb], full_screen: FullScreen) -> None:
        self.dnd = dnd
        self.full_screen = full_screen

    def do_not_disturb(self) -> bool:
        """The first source that can tell; False when none can."""
        for source in self.dnd:
            on = source.is_on()
            if on is not None:
                return on
        return False

    def quiet(self) -> Quiet | None:
        """Why reminders should wait now, or ``None`` when they may be shown."""
        if self.do_not_disturb():
            return Quiet.DO_NOT_DISTURB
        if self.full_screen.is_full_screen():
            return Quiet.FULL_SCREEN
        return None


def choose_quiet_probe(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    bus_call: BusCall | None = None,
) -> QuietProbe:
    """The probe for this session (make it once, after the ``QApplication``)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    dnd: list[DoNotDisturb] = []
    full_screen: FullScreen = NoFullScreen()
    if platform == "win32":
        with contextlib.suppress(AttributeError, OSError):
            full_screen = WindowsFullScreen()
        return QuietProbe(dnd, full_screen)
    if platform == "darwin":
        return QuietProbe(dnd, full_screen)
    if "GNOME" in env.get("XDG_CURRENT_DESKTOP", "").upper().split(":") and shutil.which(
        "gsettings"
    ):
        dnd.append(GnomeDoNotDisturb())
    if bus_call is None:
        from stretchdesk.platform.dbus import session_bus_call

        bus_call = session_bus_call()
    dnd.append(NotificationsDoNotDisturb(bus_call))
    session = env.get("XDG_SESSION_TYPE", "").lower()
    wayland = session == "wayland" or (session != "x11" and bool(env.get("WAYLAND_DISPLAY")))
    if not wayland and env.get("DISPLAY"):
        from stretchdesk.platform.x11 import X11Unavailable

        with contextlib.suppress(X11Unavailable):
            full_screen = X11FullScreen(env["DISPLAY"])
    return QuietProbe(dnd, full_screen)
