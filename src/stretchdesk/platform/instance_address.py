"""Where the running app listens for commands: a per-user socket path (a pipe name on Windows).

Kept apart from :mod:`stretchdesk.platform.single_instance` so that a plain
start can see whether an app already runs without loading the command code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from stretchdesk import APP_ID
from stretchdesk.storage.paths import AppPaths


def _user_key() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    import getpass
    import hashlib

    return hashlib.sha256(getpass.getuser().encode()).hexdigest()[:8]


def instance_address(
    paths: AppPaths, *, default_config_dir: Path | None = None, platform: str | None = None
) -> str:
    """The local socket's name (Windows) or path (elsewhere) for these settings."""
    platform = sys.platform if platform is None else platform
    default = (
        default_config_dir if default_config_dir is not None else AppPaths.resolve().config_dir
    )
    name = f"{APP_ID}.{_user_key()}"
    config = paths.config_dir.expanduser().absolute()
    if config != default.expanduser().absolute():
        import zlib  # not hashlib: that loads OpenSSL (2 MB) into the tray-only process

        key = str(config).encode()
        name += f".{zlib.crc32(key):08x}{zlib.crc32(key[::-1]):08x}"
    if platform == "win32":
        return name
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        base = runtime
    else:
        import tempfile

        base = os.path.join(tempfile.gettempdir(), f"stretchdesk-{_user_key()}")
    return os.path.join(base, name + ".sock")


def nothing_listens(address: str, platform: str | None = None) -> bool:
    """True when no app can be listening at ``address`` (its socket file does not exist).

    On Windows the pipe cannot be seen without connecting, so this is False there.
    """
    platform = sys.platform if platform is None else platform
    return platform != "win32" and not os.path.exists(address)
