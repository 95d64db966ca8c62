"""Handing the running app to a fresh process of itself, in place (same process id).

While StretchDesk only waits in the tray, it runs as a small *resident*
process (``ui/resident.py``) that loads no catalogue, no window and no
figures. When the user needs more (the window, a break, a reminder to show),
the resident replaces itself with the full app; when the full app has been
back in the tray a while, it replaces itself with the resident again. Python
never gives memory for loaded code back to the system, so starting afresh is
the only way down to the small size.

A switch writes what the next process needs (the break scheduler's state, what
to do first) to a private *handover file* beside the command socket, keeps
the listening command socket open across the switch (so a command sent
meanwhile waits in its queue instead of finding nobody), closes every other
file descriptor, and ``exec``\\ s ``python -m stretchdesk --handover FILE``.
The new process reads the file and deletes it.

Only Linux and the other Unix-likes switch; on Windows the full app simply
stays.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stretchdesk.storage.paths import AppPaths

HANDOVER_VERSION = 1
MAX_HANDOVER_BYTES = 1024 * 1024

LISTEN_FD_ENV = "STRETCHDESK_LISTEN_FD"
"""Also names the kept socket, for when the handover file cannot be read."""

RESIDENT = "resident"
FULL = "full"


class HandoverError(RuntimeError):
    """The handover file cannot be used; the message says why."""


def can_switch(platform: str | None = None) -> bool:
    """Whether this system can replace the running process (``exec``) and pass the socket."""
    return (platform or sys.platform) != "win32" and hasattr(os, "execv")


def handover_file(address: str, pid: int | None = None) -> Path:
    """Where the process ``pid`` (this one) leaves its handover, beside the command socket."""
    folder = Path(address).parent
    return folder / f"{Path(address).stem}.{os.getpid() if pid is None else pid}.handover.json"


def write_handover(path: Path, data: Mapping[str, object]) -> None:
    """Write ``data`` to ``path``, readable by this user only."""
    text = json.dumps({"version": HANDOVER_VERSION, **data}, separators=(",", ":"))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def read_handover(path: Path) -> dict[str, object]:
    """The handover in ``path``, which is then deleted; :class:`HandoverError` if unusable."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
            raise HandoverError(f"{path} is not a private file")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise HandoverError(f"{path} belongs to another user")
        if info.st_size > MAX_HANDOVER_BYTES:
            raise HandoverError(f"{path} is too big to be a handover")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HandoverError(f"cannot read {path}: {exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise HandoverError(f"{path} is not a handover: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != HANDOVER_VERSION:
        raise HandoverError(f"{path} is not a handover of this version")
    return data


def inherited_socket(value: object) -> int | None:
    """The listening socket passed across the switch, if ``value`` names a real one."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 3:
        return None
    try:
        if not stat.S_ISSOCK(os.fstat(value).st_mode):
            return None
    except OSError:
        return None
    return value


def prepare(address: str, paths: AppPaths, data: Mapping[str, object]) -> list[str]:
    """Write ``data`` beside the command socket at ``address``; the command line to switch to.

    Raises :class:`OSError` when the file cannot be written.
    """
    path = handover_file(address)
    write_handover(path, data)
    return relaunch_argv(paths.config_dir, paths.data_dir, path)


def listen_fd_from_environment() -> int | None:
    """The kept socket named in the environment (taken out of it, so children do not see it)."""
    value = os.environ.pop(LISTEN_FD_ENV, "")
    return inherited_socket(int(value)) if value.isdigit() else None


def relaunch_argv(config_dir: Path, data_dir: Path, handover: Path) -> list[str]:
    """The command line that starts this installation again with ``handover``."""
    return [
        sys.executable,
        "-m",
        "stretchdesk",
        "--config-dir",
        str(config_dir),
        "--data-dir",
        str(data_dir),
        "--handover",
        str(handover),
    ]


def _environment() -> dict[str, str]:
    """This environment, with the folder this package came from first on the import path.

    The time-zone search path found here is handed on as ``PYTHONTZPATH``:
    without it, the next process's ``zoneinfo`` reads Python's whole build
    configuration to find the same folders (300 kB that the resident keeps).
    """
    environ = dict(os.environ)
    zoneinfo = sys.modules.get("zoneinfo")
    if "PYTHONTZPATH" not in environ and zoneinfo is not None and zoneinfo.TZPATH:
        environ["PYTHONTZPATH"] = os.pathsep.join(zoneinfo.TZPATH)
    here = str(Path(__file__).resolve().parents[2])
    rest = environ.get("PYTHONPATH", "")
    if here not in rest.split(os.pathsep):
        environ["PYTHONPATH"] = here + (os.pathsep + rest if rest else "")
    return environ


def switch(
    argv: list[str],
    keep_fd: int | None,
    *,
    execve: Callable[[str, list[str], dict[str, str]], object] = os.execve,
) -> None:
    """Replace this process with ``argv``, keeping ``keep_fd`` open (never returns on success).

    Raises :class:`OSError`, with nothing changed, when ``argv[0]`` cannot be
    run. Then every other file descriptor above 2 is closed, so nothing of this
    process (the display connection, the tray icon's window, the bus) lingers
    in the next one; should the ``exec`` itself still fail after that, this
    process cannot go on and ends with a message.
    """
    if not os.access(argv[0], os.X_OK):
        raise OSError(errno.ENOENT, f"{argv[0]} cannot be run")
    environ = _environment()
    if keep_fd is not None:
        environ[LISTEN_FD_ENV] = str(keep_fd)
    sys.stdout.flush()
    sys.stderr.flush()
    if keep_fd is not None:
        os.set_inheritable(keep_fd, True)
        os.closerange(3, keep_fd)
        os.closerange(keep_fd + 1, _max_fd())
    else:
        os.closerange(3, _max_fd())
    try:
        execve(argv[0], argv, environ)
    except OSError as exc:
        os.write(2, f"stretchdesk: could not start again ({exc}); stopping\n".encode())
        os._exit(70)


def _max_fd() -> int:
    try:
        return max(4096, os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 4096
