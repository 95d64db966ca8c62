"""Where StretchDesk keeps the user's files.

``--config-dir`` and ``--data-dir`` on the command line override these, so
tests and bug reports can point everything at another folder. Pure Python, no
Qt: the command line uses it without starting Qt.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from stretchdesk import APP_NAME


def _default_config_dir() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Preferences" / APP_NAME
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / APP_NAME


def _default_data_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
        return Path(base) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def _default_cache_dir() -> Path:
    if sys.platform == "win32":
        return _default_data_dir() / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_NAME
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP_NAME


@dataclass(frozen=True, slots=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path = None  # type: ignore[assignment]  # rebuildable files; default data_dir/cache

    def __post_init__(self) -> None:
        if self.cache_dir is None:
            object.__setattr__(self, "cache_dir", self.data_dir / "cache")

    @classmethod
    def resolve(cls, config_dir: str | Path | None = None, data_dir: str | Path | None = None):
        """The usual folders, or the ones given. A given data dir also holds the cache."""
        data = Path(data_dir).expanduser() if data_dir else _default_data_dir()
        return cls(
            Path(config_dir).expanduser() if config_dir else _default_config_dir(),
            data,
            data / "cache" if data_dir else _default_cache_dir(),
        )

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.yaml"

    @property
    def user_stretches_dir(self) -> Path:
        return self.data_dir / "stretches.d"

    @property
    def user_routines_dir(self) -> Path:
        return self.data_dir / "routines.d"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"
