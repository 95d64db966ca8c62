""" "Start at login" (the ``desktop.start_at_login`` setting) on each system.

:class:`Autostart` is the interface; :func:`choose_autostart` picks the one for
this system:

- Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/<APP_ID>.desktop``
  (:class:`XdgAutostart`);
- Windows: a value named after the app id under
  ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` (:class:`WindowsAutostart`);
- macOS: ``~/Library/LaunchAgents/<APP_ID>.plist`` (:class:`MacAutostart`).

Each writes the command from
:func:`~stretchdesk.platform.desktop_entry.launcher_command` and marks what it
wrote (``X-StretchDesk-Autostart=true`` in the entry, the same key in the
plist, a value name only StretchDesk uses in the registry). Turning it off
removes exactly that and nothing else: a file or value without the mark is the
user's, and is left alone (``disable`` then says so).
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from stretchdesk import APP_ID, APP_NAME
from stretchdesk.platform.desktop_entry import (
    desktop_exec,
    entry_values,
    is_ours,
    launcher_command,
    write_atomically,
)

MARKER = "X-StretchDesk-Autostart"


class AutostartError(RuntimeError):
    """Start at login could not be changed; the message says why, for the user."""


class Autostart(Protocol):
    """Whether StretchDesk starts when the user logs in."""

    def location(self) -> str:
        """Where the setting lives, for messages (a path or a registry key)."""
        ...

    def is_enabled(self) -> bool:
        """True when our own entry is there and turned on."""
        ...

    def enable(self) -> None:
        """Add our entry; raises :class:`AutostartError` when a foreign one is in the way."""
        ...

    def disable(self) -> None:
        """Remove our entry, if there; raises :class:`AutostartError` for a foreign one."""
        ...


def set_autostart(autostart: Autostart, enabled: bool) -> None:
    """Make the system match the ``desktop.start_at_login`` setting."""
    if enabled:
        autostart.enable()
    else:
        autostart.disable()


# --- XDG ----------------------------------------------------------------------------------


class XdgAutostart:
    """An XDG autostart desktop entry."""

    def __init__(self, config_home: Path, launcher: list[str]) -> None:
        self.path = config_home / "autostart" / f"{APP_ID}.desktop"
        self.launcher = launcher

    def location(self) -> str:
        return str(self.path)

    def text(self) -> str:
        return "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                f"Name={APP_NAME}",
                "Comment=Gentle desk-break reminders and stretch routines",
                f"Exec={desktop_exec(self.launcher)}",
                f"Icon={APP_ID}",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                f"{MARKER}=true",
                "",
            ]
        )

    def is_enabled(self) -> bool:
        if not is_ours(self.path, MARKER):
            return False
        values = entry_values(self.path.read_text(encoding="utf-8"))
        return (
            values.get("Hidden", "false") != "true"
            and values.get("X-GNOME-Autostart-enabled", "true") != "false"
        )

    def enable(self) -> None:
        if self.path.exists() and not is_ours(self.path, MARKER):
            raise AutostartError(
                f"{self.path} already exists and was not written by StretchDesk; "
                "remove it or use it as it is"
            )
        try:
            write_atomically(self.path, self.text().encode("utf-8"))
        except OSError as exc:
            raise AutostartError(f"cannot write {self.path}: {exc.strerror or exc}") from exc

    def disable(self) -> None:
        if not self.path.exists():
            return
        if not is_ours(self.path, MARKER):
            raise AutostartError(f"{self.path} was not written by StretchDesk; left as is")
        try:
            self.path.unlink()
        except OSError as exc:
            raise AutostartError(f"cannot remove {self.path}: {exc.strerror or exc}") from exc


# --- macOS --------------------------------------------------------------------------------


class MacAutostart:
    """A per-user LaunchAgent that runs the app once at login."""

    def __init__(self, home: Path, launcher: list[str]) -> None:
        self.path = home / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
        self.launcher = launcher

    def location(self) -> str:
        return str(self.path)

    def agent(self) -> dict[str, Any]:
        return {
            "Label": APP_ID,
            "ProgramArguments": list(self.launcher),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            MARKER: True,
        }

    def _read(self) -> dict[str, Any] | None:
        try:
            with self.path.open("rb") as file:
                value = plistlib.load(file)
        except (OSError, plistlib.InvalidFileException, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def _ours(self) -> bool:
        agent = self._read()
        return agent is not None and agent.get(MARKER) is True

    def is_enabled(self) -> bool:
        agent = self._read()
        return agent is not None and agent.get(MARKER) is True and not agent.get("Disabled")

    def enable(self) -> None:
        if self.path.exists() and not self._ours():
            raise AutostartError(f"{self.path} exists and was not written by StretchDesk")
        try:
            write_atomically(self.path, plistlib.dumps(self.agent()))
        except OSError as exc:
            raise AutostartError(f"cannot write {self.path}: {exc.strerror or exc}") from exc

    def disable(self) -> None:
        if not self.path.exists():
            return
        if not self._ours():
            raise AutostartError(f"{self.path} was not written by StretchDesk; left as is")
        self.path.unlink()


# --- Windows ------------------------------------------------------------------------------

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def _windows_command(argv: list[str]) -> str:
    import subprocess

    return subprocess.list2cmdline(argv)


class WindowsAutostart:
    """A value in the current user's Run key.

    The value's name is the app id, which nothing else uses; ``disable`` still
    removes it only when it holds a command that starts StretchDesk.
    ``registry`` is the :mod:`winreg` module, or a fake with the same functions.
    """

    def __init__(self, registry: Any, launcher: list[str]) -> None:
        self._reg = registry
        self.launcher = launcher
        self.value_name = APP_ID

    def location(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{self.value_name}"

    def _current(self) -> str | None:
        reg = self._reg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_READ) as key:
                value, _kind = reg.QueryValueEx(key, self.value_name)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise AutostartError(f"cannot read {self.location()}: {exc}") from exc
        return value if isinstance(value, str) else ""

    def _ours(self, value: str) -> bool:
        return "stretchdesk" in value.lower()

    def is_enabled(self) -> bool:
        value = self._current()
        return value is not None and self._ours(value)

    def enable(self) -> None:
        value = self._current()
        if value is not None and not self._ours(value):
            raise AutostartError(f"{self.location()} holds something else; left as is")
        reg = self._reg
        try:
            with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.SetValueEx(key, self.value_name, 0, reg.REG_SZ, _windows_command(self.launcher))
        except OSError as exc:
            raise AutostartError(f"cannot write {self.location()}: {exc}") from exc

    def disable(self) -> None:
        value = self._current()
        if value is None:
            return
        if not self._ours(value):
            raise AutostartError(f"{self.location()} holds something else; left as is")
        reg = self._reg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, self.value_name)
        except OSError as exc:
            raise AutostartError(f"cannot remove {self.location()}: {exc}") from exc


# --- choosing -----------------------------------------------------------------------------


def choose_autostart(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    launcher: list[str] | None = None,
) -> Autostart:
    """The autostart mechanism for this system, starting this installation."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    # At login the app starts in the tray; the window opens when the user asks for it.
    launcher = [*launcher_command(), "--tray"] if launcher is None else launcher
    if platform == "win32":
        import winreg  # type: ignore[import-not-found]

        return WindowsAutostart(winreg, launcher)
    if platform == "darwin":
        return MacAutostart(Path.home(), launcher)
    value = env.get("XDG_CONFIG_HOME", "")
    config_home = Path(value) if os.path.isabs(value) else Path.home() / ".config"
    return XdgAutostart(config_home, launcher)
