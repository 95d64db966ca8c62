"""Everything the app reads at start-up, loaded once: the catalogue and the user's additions.

Both the command line and the window go through :func:`load_library`, so they
see the same stretches and report the same problems.

Reading and checking the YAML is the largest part of start-up after Qt itself,
so the checked result is kept in the cache folder and reused while none of
the files it came from (nor the code that reads them) has changed. The cache
holds only what the files already say; deleting it costs one slower start.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stretchdesk import __version__, resources
from stretchdesk.core.model import Catalogue, Routine
from stretchdesk.storage.paths import AppPaths

if TYPE_CHECKING:  # the YAML reader is imported only when the files must be read
    from stretchdesk.core.yamlsafe import Problem

_CACHE_NAME = "library.pickle"
_CODE_FILES = (
    "core/model.py",
    "core/loader.py",
    "core/validate.py",
    "core/yamlsafe.py",
    "core/routine.py",
)


@dataclass(frozen=True, slots=True)
class Library:
    catalogue: Catalogue
    problems: tuple[Problem, ...]
    notices: tuple[str, ...]
    routines: tuple[Routine, ...] = ()

    def routine(self, routine_id: str) -> Routine | None:
        return next((r for r in self.routines if r.id == routine_id), None)


def builtin_catalogue_file() -> Path:
    return resources.data_file("stretches.yaml")


def builtin_routines_file() -> Path:
    return resources.data_file("routines.yaml")


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns)


def _sources_key(paths: AppPaths) -> tuple:
    """What the loaded library depends on: every input file and the loader's own code."""
    package = Path(__file__).parent
    user_files = []
    for folder in (paths.user_stretches_dir, paths.user_routines_dir):
        user_files.append(_stamp(folder))
        if folder.is_dir():
            names = [*folder.glob("*.yaml"), *folder.glob("*.yml")]
            user_files.extend(_stamp(p) for p in sorted(names))
    return (
        __version__,
        sys.version_info[:2],
        tuple(_stamp(package / name) for name in _CODE_FILES),
        _stamp(builtin_catalogue_file()),
        _stamp(builtin_routines_file()),
        tuple(user_files),
    )


def _read_cache(cache_file: Path, key: tuple) -> Library | None:
    try:
        with cache_file.open("rb") as f:
            cached = pickle.load(f)
        if isinstance(cached, dict) and cached.get("key") == key:
            library = cached.get("library")
            if isinstance(library, Library):
                return library
    except Exception:  # a missing, stale or damaged cache only means a full load
        return None
    return None


def _write_cache(cache_file: Path, key: tuple, library: Library) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".library-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump({"key": key, "library": library}, f, pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache_file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        pass  # a read-only cache folder just means no cache


def load_library(paths: AppPaths, *, use_cache: bool = True) -> Library:
    """The catalogue and routines, the user's own merged in, and what went wrong reading them."""
    cache_file = paths.cache_dir / _CACHE_NAME
    key = _sources_key(paths)
    if use_cache:
        cached = _read_cache(cache_file, key)
        if cached is not None:
            return cached
    from stretchdesk.core.loader import load_catalogue  # only needed on a cache miss
    from stretchdesk.core.routine import load_routines

    result = load_catalogue(builtin_catalogue_file(), paths.user_stretches_dir)
    routines = load_routines(builtin_routines_file(), paths.user_routines_dir, result.catalogue)
    library = Library(
        result.catalogue,
        tuple(result.problems) + tuple(routines.problems),
        tuple(result.notices) + tuple(routines.notices),
        tuple(routines.routines),
    )
    if use_cache:
        _write_cache(cache_file, key, library)
    return library
