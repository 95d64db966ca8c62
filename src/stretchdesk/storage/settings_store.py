"""The settings file on disk: ``settings.yaml`` in the config dir.

:class:`SettingsStore` reads and writes :class:`~stretchdesk.core.settings.Settings`
and keeps the promises the rest of the app relies on:

* **Writes are atomic.** The new text goes to a temporary file in the same
  folder, is flushed to disk, and replaces the old file in one rename; the
  folder is synced too where the system allows. A failure at any point leaves
  the old file as it was and no temporary file behind.
* **Only what the user changed is written**, under a short comment header.
* **Nothing is ever thrown away.** A file that cannot be read as settings
  (invalid YAML, not a mapping, not UTF-8, too big, or written by a newer
  version of the app) is renamed to ``settings.yaml.broken-YYYYMMDD-HHMMSS``
  (with ``-2``, ``-3``, ... if that name is taken), the defaults are used, and
  a notice says in plain words what happened and where the old file is. If it
  cannot even be moved aside, it is left alone and never saved over.
* **Failures are explained.** :meth:`SettingsStore.save` raises
  :class:`StorageError` with a sentence the UI can show as it is.

Problems with single values (a typo in a key, a number out of range) are not
failures: the file is still used, those values fall back to their defaults,
and :attr:`LoadedSettings.problems` lists them with file, line and column.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile  # noqa: F401 - the writes use it through storage/atomic.py; tests patch it here
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from stretchdesk.core.settings import (
    CURRENT_VERSION,
    ParsedSettings,
    Settings,
    UnreadableSettings,
    parse_settings,
    to_yaml_dict,
)
from stretchdesk.core.yamlsafe import MAX_BYTES, Problem, YamlInputError, read_yaml_bytes
from stretchdesk.storage import atomic
from stretchdesk.storage.paths import AppPaths

try:  # the C emitter is faster; both write the same YAML for our plain values
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

HEADER = (
    "# StretchDesk settings. Only the values you changed are stored here;\n"
    "# everything else uses its default. StretchDesk rewrites this file when\n"
    "# you change a setting, so edit it while StretchDesk is closed.\n"
)

_MAX_KEPT_COPIES = 1000  # names tried for a kept-aside file within one second


class StorageError(Exception):
    """Settings could not be saved. ``str(error)`` is a plain sentence for the user."""


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    """What :meth:`SettingsStore.load` found.

    ``problems`` are the individual keys and values that were ignored, each
    with file, line and column. ``notices`` are plain sentences for the user
    about the file as a whole (kept aside, upgraded from an older version, ...).
    """

    settings: Settings
    problems: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()


def settings_text(settings: Settings) -> str:
    """The full text of a settings file: the header and the non-default values."""
    body = yaml.dump(
        to_yaml_dict(settings),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body


@dataclass(frozen=True, slots=True)
class _Existing:
    """The settings file as it is on disk right now.

    Exactly one of these holds: ``missing``; ``data`` and ``parsed`` (readable);
    ``data`` and ``unreadable`` (kept aside before use); ``io_error`` (could not
    be opened at all, so it is left alone).
    """

    missing: bool = False
    data: bytes | None = None
    parsed: ParsedSettings | None = None
    unreadable: Problem | None = None
    future_version: int | None = None
    io_error: str | None = None


class SettingsStore:
    """Loads and saves the user's settings in ``paths.settings_file``.

    ``now`` gives the local time used to name a kept-aside file; tests pass a
    fixed clock.
    """

    def __init__(
        self, paths: AppPaths, *, now: Callable[[], _dt.datetime] = _dt.datetime.now
    ) -> None:
        self._paths = paths
        self._now = now

    @property
    def path(self) -> Path:
        """The settings file (following a symbolic link to the real file)."""
        path = self._paths.settings_file
        return Path(os.path.realpath(path)) if path.is_symlink() else path

    # --- loading ------------------------------------------------------------------------

    def load(self) -> LoadedSettings:
        """The saved settings, or the defaults with a notice when the file is unusable.

        Never raises for anything about the file itself: a missing file gives
        the defaults silently; an unreadable one is kept aside (see the module
        documentation) and explained in ``notices``.
        """
        existing = self._inspect()
        if existing.missing:
            return LoadedSettings(Settings())
        if existing.io_error is not None:
            return LoadedSettings(
                Settings(),
                notices=(
                    f"Your settings file {self.path} could not be opened "
                    f"({existing.io_error}). StretchDesk is using the default settings "
                    "and will not save over that file until it can be read.",
                ),
            )
        if existing.unreadable is not None:
            try:
                kept = self._keep_aside()
            except OSError as exc:
                return LoadedSettings(
                    Settings(),
                    problems=(existing.unreadable,),
                    notices=(
                        f"{self._why_unusable(existing)} It could not be moved aside either "
                        f"({_reason(exc)}), so StretchDesk is using the default settings and "
                        f"will not save over {self.path}.",
                    ),
                )
            return LoadedSettings(
                Settings(),
                problems=(existing.unreadable,),
                notices=(self._kept_notice(existing, kept),),
            )
        parsed = existing.parsed
        assert parsed is not None
        notices: tuple[str, ...] = ()
        if parsed.migrated_from is not None:
            notices = (
                "Your settings were written by an older version of StretchDesk "
                f"(settings version {parsed.migrated_from}); they were carried over "
                "and will be saved in the new form the next time a setting changes.",
            )
        return LoadedSettings(parsed.settings, parsed.problems, notices)

    # --- saving -------------------------------------------------------------------------

    def save(self, settings: Settings) -> tuple[str, ...]:
        """Write ``settings`` atomically; return notices for the user (usually none).

        A file on disk that cannot be read as settings (say, edited by hand
        into invalid YAML, or written by a newer version) is kept aside first
        and a notice says so. Raises :class:`StorageError` when the settings
        cannot be written; the old file is then unchanged.
        """
        data = settings_text(settings).encode("utf-8")
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Your settings could not be saved: the folder {folder} could not be "
                f"created ({_reason(exc)})."
            ) from exc
        existing = self._inspect()
        notices: list[str] = []
        if existing.io_error is not None:
            raise StorageError(
                f"Your settings could not be saved: the existing file {self.path} could "
                f"not be opened ({existing.io_error}), and StretchDesk does not save over "
                "a file it cannot read."
            )
        if existing.unreadable is not None:
            try:
                kept = self._keep_aside()
            except OSError as exc:
                raise StorageError(
                    f"Your settings could not be saved. {self._why_unusable(existing)} "
                    f"It could not be moved aside ({_reason(exc)}), and StretchDesk does not "
                    "save over it."
                ) from exc
            notices.append(self._kept_notice(existing, kept, loading=False))
        elif existing.data == data:
            return tuple(notices)  # already on disk exactly like this
        try:
            self._write_atomically(data)
        except OSError as exc:
            raise StorageError(
                f"Your settings could not be saved to {self.path} ({_reason(exc)}). "
                "The settings file on disk was left as it was."
            ) from exc
        return tuple(notices)

    # --- helpers ------------------------------------------------------------------------

    def _inspect(self) -> _Existing:
        path = self.path
        name = str(path)
        try:
            with path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
        except (FileNotFoundError, NotADirectoryError):  # no file (or no folder) yet
            return _Existing(missing=True)
        except OSError as exc:
            return _Existing(io_error=_reason(exc))
        try:
            parsed = parse_settings(read_yaml_bytes(data, name), name)
        except YamlInputError as exc:
            return _Existing(data=data, unreadable=exc.problems[0])
        except UnreadableSettings as exc:
            return _Existing(data=data, unreadable=exc.problem, future_version=exc.future_version)
        return _Existing(data=data, parsed=parsed)

    def _why_unusable(self, existing: _Existing) -> str:
        if existing.future_version is not None:
            return (
                f"Your settings file {self.path} was written by a newer version of "
                f"StretchDesk (settings version {existing.future_version}; this version "
                f"reads up to {CURRENT_VERSION})."
            )
        problem = existing.unreadable
        assert problem is not None
        return (
            f"Your settings file {self.path} could not be read (line {problem.line}, "
            f"column {problem.column}: {problem.message})."
        )

    def _kept_notice(self, existing: _Existing, kept: Path, *, loading: bool = True) -> str:
        what = "StretchDesk is using the default settings. " if loading else ""
        return (
            f"{self._why_unusable(existing)} {what}Nothing was deleted: the old file "
            f"was kept as {kept}."
        )

    def _keep_aside(self) -> Path:
        """Rename the settings file to a ``.broken-<time>`` name that is not taken yet."""
        path = self.path
        stamp = self._now().strftime("%Y%m%d-%H%M%S")
        base = f"{path.name}.broken-{stamp}"
        for n in range(1, _MAX_KEPT_COPIES + 1):
            target = path.with_name(base if n == 1 else f"{base}-{n}")
            try:
                _rename_no_replace(path, target)
            except FileExistsError:
                continue
            _sync_folder(path.parent)
            return target
        raise OSError(f"no free name like {base} in {path.parent}")

    def _write_atomically(self, data: bytes) -> None:
        atomic.write_atomically(self.path, data)


# The shared helpers (storage/atomic.py), under the names this module has always used.
_rename_no_replace = atomic.rename_no_replace
_sync_folder = atomic.sync_folder
_reason = atomic.reason
