"""Everything the app reads at start-up, loaded once: the catalogue and the user's additions.

Both the command line and the window go through :func:`load_library`, so they
see the same stretches and report the same problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from stretchdesk import resources
from stretchdesk.core.loader import LoadResult, load_catalogue
from stretchdesk.core.model import Catalogue
from stretchdesk.core.yamlsafe import Problem
from stretchdesk.storage.paths import AppPaths


@dataclass(frozen=True, slots=True)
class Library:
    catalogue: Catalogue
    problems: tuple[Problem, ...]
    notices: tuple[str, ...]


def builtin_catalogue_file():
    return resources.data_file("stretches.yaml")


def load_library(paths: AppPaths) -> Library:
    result: LoadResult = load_catalogue(builtin_catalogue_file(), paths.user_stretches_dir)
    return Library(result.catalogue, tuple(result.problems), tuple(result.notices))
