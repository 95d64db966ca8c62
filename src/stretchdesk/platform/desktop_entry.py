"""The app's desktop entry and icon: how to launch this installation, and installing them.

One reverse-DNS id, :data:`stretchdesk.APP_ID`, names the ``.desktop`` file,
the AppStream metainfo, the icon and ``QGuiApplication.setDesktopFileName``.
:func:`install_desktop_files` copies the entry (with ``Exec`` rewritten to
:func:`launcher_command`) and the icon into ``$XDG_DATA_HOME`` for the current
user; :func:`uninstall_desktop_files` removes exactly those files, and never a
file it did not write.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from stretchdesk import APP_ID, resources

OWNER_KEY = "X-StretchDesk-Installed"
"""Marks a desktop entry that ``stretchdesk install-desktop`` wrote."""

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def launcher_command(
    argv0: str | None = None, executable: str | None = None, platform: str | None = None
) -> list[str]:
    """The command line that starts this installation of StretchDesk.

    The ``stretchdesk`` script that is running, when it is one; otherwise the
    running interpreter with ``-m stretchdesk`` (``pythonw`` on Windows, so no
    console window opens).
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    platform = sys.platform if platform is None else platform
    script = Path(argv0)
    if script.stem == "stretchdesk" and script.suffix in ("", ".exe") and script.is_file():
        return [str(script.absolute())]
    python = Path(executable).absolute()
    if platform == "win32" and python.name.lower() == "python.exe":
        windowless = python.with_name("pythonw.exe")
        if windowless.is_file():
            python = windowless
    return [str(python), "-m", "stretchdesk"]


def desktop_exec(argv: list[str]) -> str:
    """``argv`` as a desktop entry's ``Exec`` value (quoted and escaped as the spec asks)."""
    words = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if arg and not (_RESERVED & set(arg)):
            words.append(arg)
            continue
        quoted = re.sub(r'(["`$\\])', r"\\\1", arg)
        words.append(f'"{quoted}"')
    # The whole value is a desktop-entry string, whose own escape for a backslash is "\\".
    return " ".join(words).replace("\\", "\\\\")


def rewrite_entry(text: str, changes: dict[str, str | None]) -> str:
    """The ``[Desktop Entry]`` group of ``text`` with keys set (or removed, for ``None``).

    Keys not yet present are added at the end of the group; other groups
    (actions) are left as they are.
    """
    lines = text.splitlines()
    out: list[str] = []
    pending = dict(changes)
    in_main = False

    def flush() -> None:
        for key, value in pending.items():
            if value is not None:
                out.append(f"{key}={value}")
        pending.clear()

    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            if in_main:
                flush()
            in_main = stripped == "[Desktop Entry]"
            out.append(line)
            continue
        key = stripped.split("=", 1)[0].strip() if "=" in stripped else None
        if in_main and key in changes:
            value = pending.pop(key, None)
            if value is not None:
                out.append(f"{key}={value}")
            continue
        out.append(line)
    if in_main:
        flush()
    return "\n".join(out) + "\n"


def entry_values(text: str) -> dict[str, str]:
    """The keys and raw values of the ``[Desktop Entry]`` group."""
    values: dict[str, str] = {}
    in_main = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_main = stripped == "[Desktop Entry]"
        elif in_main and "=" in stripped and not stripped.startswith("#"):
            key, value = stripped.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def is_ours(path: Path, marker: str) -> bool:
    """True when ``path`` is a desktop entry carrying ``marker=true``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return entry_values(text).get(marker, "").lower() == "true"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def data_home(env: dict[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share``."""
    env = dict(os.environ) if env is None else env
    value = env.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


@dataclass(frozen=True, slots=True)
class DesktopFiles:
    """Where the user's copies of the desktop entry and the icon go."""

    entry: Path
    icon: Path

    @classmethod
    def under(cls, data_dir: Path) -> DesktopFiles:
        return cls(
            data_dir / "applications" / f"{APP_ID}.desktop",
            data_dir / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        )


@dataclass
class Outcome:
    """What an install or uninstall did, in lines for the user."""

    done: list[Path] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def desktop_entry_text(launcher: list[str]) -> str:
    """The shipped desktop entry, with ``Exec`` set to ``launcher`` and marked as ours."""
    shipped = resources.asset_file(f"desktop/{APP_ID}.desktop").read_text(encoding="utf-8")
    return rewrite_entry(
        shipped, {"Exec": desktop_exec(launcher), "TryExec": None, OWNER_KEY: "true"}
    )


def install_desktop_files(files: DesktopFiles, launcher: list[str]) -> Outcome:
    """Install the entry and the icon; a file there that is not ours is left alone."""
    outcome = Outcome()
    if files.entry.exists() and not is_ours(files.entry, OWNER_KEY):
        outcome.left.append(f"{files.entry} exists and was not written by StretchDesk; left as is")
    else:
        write_atomically(files.entry, desktop_entry_text(launcher).encode("utf-8"))
        outcome.done.append(files.entry)
    icon = resources.asset_file(f"icons/{APP_ID}.svg").read_bytes()
    if files.icon.exists() and files.icon.read_bytes() != icon:
        outcome.left.append(f"{files.icon} exists and is not StretchDesk's icon; left as is")
    else:
        write_atomically(files.icon, icon)
        outcome.done.append(files.icon)
    return outcome


def uninstall_desktop_files(files: DesktopFiles) -> Outcome:
    """Remove the entry (only when it carries our mark) and the icon (only when it is ours)."""
    outcome = Outcome()
    if files.entry.exists():
        if is_ours(files.entry, OWNER_KEY):
            files.entry.unlink()
            outcome.done.append(files.entry)
        else:
            outcome.left.append(f"{files.entry} was not written by StretchDesk; left as is")
    if files.icon.exists():
        icon = resources.asset_file(f"icons/{APP_ID}.svg").read_bytes()
        if files.icon.read_bytes() == icon:
            files.icon.unlink()
            outcome.done.append(files.icon)
        else:
            outcome.left.append(f"{files.icon} is not StretchDesk's icon; left as is")
    return outcome
