"""The user's own routines and stretches on disk, and routine files to share.

Routines live in ``<data dir>/routines.d/`` and custom stretches in
``<data dir>/stretches.d/``, as YAML the app's loaders read at start-up
(``docs/routines.md``, ``docs/catalogue.md``). The user may also keep
hand-written files there. The rules, which keep user data safe:

* **One file per thing, named from its id.** A new routine ``my-morning`` is
  written to ``my-morning.yaml`` (``my-morning-2.yaml`` if that name is taken
  by a file of the user's). Files StretchDesk writes start with
  :data:`MARKER`; that first line is how it knows a file is its own.
* **Only our own files are ever changed.** A routine or stretch defined in a
  file without the marker (one the user wrote, or copied in) is read but never
  rewritten, renamed or deleted: saving over it raises :class:`StoreError`
  with a free id to save a copy under instead. Ids of built-in routines and
  stretches are refused the same way (built-ins are read-only; save a copy).
* **Every write is checked and atomic.** The text is read back through the
  same loader the app uses before anything touches the disk; a file that
  would not load exactly as saved is never written. Files are replaced in one
  rename (:mod:`stretchdesk.storage.atomic`), and new files never replace a
  file that appeared in the meantime.
* **Delete moves to a ``deleted`` folder** inside the same folder (the loader
  does not read sub-folders), so a deleted routine or stretch can be restored
  with :meth:`restore`, or by moving the file back by hand.
* **Import checks everything first.** An invalid file raises
  :class:`InvalidFileError` naming each problem's line and column, and nothing
  on disk is touched. Imported routines whose id is already used get a new id
  (``my-routine-2``) rather than replacing anything.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stretchdesk.core.loader import check_stretch_document, user_files
from stretchdesk.core.model import Catalogue, Routine, Stretch
from stretchdesk.core.routine import RoutineLoadResult, load_routines, parse_routines
from stretchdesk.core.serialize import routine_file_data, stretch_file_data
from stretchdesk.core.validate import ID_PATTERN
from stretchdesk.core.yamlsafe import Problem, YamlInputError, YMap, YSeq, read_yaml, read_yaml_text
from stretchdesk.storage.atomic import reason, rename_no_replace, write_atomically
from stretchdesk.storage.paths import AppPaths

try:  # the C emitter is faster; both write the same YAML for our plain values
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

#: The first line of every file StretchDesk writes into the user's folders.
MARKER = "# Written by StretchDesk."
DELETED_FOLDER = "deleted"
_MAX_NAME_TRIES = 10_000
_SUFFIX = re.compile(r"^(?P<base>.*?)-(?P<n>\d+)$")


class StoreError(Exception):
    """Something could not be saved, imported or deleted; ``str(error)`` is a plain sentence.

    ``suggested_id`` is a free id to save a copy under, when that would help.
    """

    def __init__(self, message: str, suggested_id: str | None = None) -> None:
        super().__init__(message)
        self.suggested_id = suggested_id


class InvalidFileError(StoreError):
    """A file to import is not valid; ``problems`` lists each with its line and column."""

    def __init__(self, path: Path, problems: Sequence[Problem]) -> None:
        self.path = Path(path)
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        noun = "a problem" if count == 1 else f"{count} problems"
        super().__init__(
            f"{self.path.name} was not imported because it has {noun}; nothing was changed:\n"
            + lines
        )


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A YAML file of the user's folder: the ids it defines and whether StretchDesk wrote it."""

    path: Path
    ids: tuple[str, ...]
    ours: bool


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import saved: the routines (with their final ids), their files, and id changes."""

    routines: tuple[Routine, ...]
    paths: tuple[Path, ...]
    renamed: dict[str, str]  # the file's id -> the id it was saved under


def dump_yaml(data: Any, header: str) -> str:
    """YAML text for plain data, block style, under a comment ``header``."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return header + body


def next_free_id(base: str, taken: Callable[[str], bool]) -> str:
    """``base`` if it is free, else ``base-2``, ``base-3``, ... (``x-2`` continues as ``x-3``)."""
    if not taken(base):
        return base
    match = _SUFFIX.match(base)
    stem, start = (match["base"], int(match["n"]) + 1) if match else (base, 2)
    for n in range(start, start + _MAX_NAME_TRIES):
        candidate = f"{stem}-{n}"
        if not taken(candidate):
            return candidate
    raise StoreError(f"no free id like {base!r} was found")


def _is_ours(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            first = f.readline(len(MARKER) + 2)
    except OSError:
        return False
    return first.decode("utf-8", "replace").startswith(MARKER)


def _ids_in(path: Path, key: str) -> tuple[str, ...]:
    """The ids a file defines under ``key`` (an unreadable file defines none)."""
    try:
        document = read_yaml(path)
    except YamlInputError:
        return ()
    if not isinstance(document, YMap) or not isinstance(document.get(key), YSeq):
        return ()
    ids = []
    for entry in document[key]:
        if isinstance(entry, YMap) and isinstance(entry.get("id"), str):
            ids.append(entry["id"])
    return tuple(ids)


class _FolderStore:
    """What routines and stretches share: a folder of YAML files, ours marked by :data:`MARKER`."""

    key = ""  # the top-level key of the files: "routines" or "stretches"
    what = ""  # "routine" or "stretch", for messages

    def __init__(self, folder: Path, builtin_ids: Iterable[str]) -> None:
        self.folder = Path(folder)
        self._builtin_ids = frozenset(builtin_ids)

    @property
    def deleted_folder(self) -> Path:
        return self.folder / DELETED_FOLDER

    def files(self) -> list[StoredFile]:
        """The folder's YAML files in the order the loader reads them."""
        paths, problems = user_files(self.folder)
        if problems:
            raise StoreError(f"The folder {self.folder} cannot be read: {problems[0].message}.")
        return [StoredFile(p, _ids_in(p, self.key), _is_ours(p)) for p in paths]

    def file_of(self, item_id: str) -> StoredFile | None:
        """The last file that defines ``item_id`` (the one whose version the loader keeps)."""
        found = None
        for stored in self.files():
            if item_id in stored.ids:
                found = stored
        return found

    def taken(self, item_id: str) -> bool:
        """Whether a built-in or any file of the folder already uses ``item_id``."""
        return item_id in self._builtin_ids or self.file_of(item_id) is not None

    def free_id(self, base: str) -> str:
        """A free id made from ``base`` (``my-routine``, ``my-routine-2``, ...)."""
        ids = set(self._builtin_ids)
        for stored in self.files():
            ids.update(stored.ids)
        return next_free_id(base, ids.__contains__)

    def _header(self, name: str) -> str:
        return (
            f"{MARKER} This file holds your {self.what} {name!r}.\n"
            f"# StretchDesk rewrites it when you change the {self.what} in the app. Files without\n"
            "# that first line are yours: StretchDesk reads them and never changes them.\n"
        )

    def _write(self, item_id: str, text: str) -> Path:
        """Write ``text`` for ``item_id``: replace our file of that id, or create a new one."""
        data = text.encode("utf-8")
        existing = self.file_of(item_id)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if existing is not None:
                if not existing.ours or len(existing.ids) != 1 or not _is_ours(existing.path):
                    raise self._not_ours(item_id, existing.path)
                write_atomically(existing.path, data)
                return existing.path
            for n in range(1, _MAX_NAME_TRIES):
                path = self.folder / (f"{item_id}.yaml" if n == 1 else f"{item_id}-{n}.yaml")
                try:
                    write_atomically(path, data, replace=False)
                except FileExistsError:
                    continue
                return path
        except OSError as exc:
            raise StoreError(
                f"Your {self.what} {item_id!r} could not be saved in {self.folder} "
                f"({reason(exc)}). Nothing was changed."
            ) from exc
        raise StoreError(f"No free file name for {item_id!r} in {self.folder}.")

    def _not_ours(self, item_id: str, path: Path) -> StoreError:
        suggestion = self.free_id(item_id)
        return StoreError(
            f"The {self.what} {item_id!r} is defined in {path.name}, a file StretchDesk did not "
            f"write, so it was left as it is. Save your changes under a new id such as "
            f"{suggestion!r}, or edit that file by hand.",
            suggestion,
        )

    def _refuse_builtin(self, item_id: str) -> None:
        if item_id in self._builtin_ids and self.file_of(item_id) is None:
            suggestion = self.free_id(item_id)
            raise StoreError(
                f"{item_id!r} is a built-in {self.what}, which cannot be changed. "
                f"Save your version under a new id such as {suggestion!r}.",
                suggestion,
            )

    def delete(self, item_id: str) -> Path:
        """Move our file of ``item_id`` into the ``deleted`` folder; return where it went."""
        existing = self.file_of(item_id)
        if existing is None:
            raise StoreError(f"There is no {self.what} of yours with the id {item_id!r}.")
        if not existing.ours or len(existing.ids) != 1:
            raise StoreError(
                f"The {self.what} {item_id!r} is in {existing.path.name}, a file StretchDesk did "
                "not write; remove it from that file by hand if you want it gone."
            )
        return self._move(existing.path, self.deleted_folder, f"delete {item_id!r}")

    def deleted(self) -> list[Path]:
        """The files in the ``deleted`` folder, by name."""
        if not self.deleted_folder.is_dir():
            return []
        return sorted(p for p in self.deleted_folder.iterdir() if p.suffix == ".yaml")

    def restore(self, deleted_file: Path) -> Path:
        """Move a file of the ``deleted`` folder back; its ids must still be free."""
        source = self.deleted_folder / Path(deleted_file).name
        if not source.is_file():
            raise StoreError(f"{source.name} is not among your deleted {self.what} files.")
        clash = [i for i in _ids_in(source, self.key) if self.taken(i)]
        if clash:
            raise StoreError(
                f"{source.name} was not restored: the id {clash[0]!r} is in use again."
            )
        return self._move(source, self.folder, f"restore {source.name}")

    def _move(self, source: Path, folder: Path, action: str) -> Path:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            stem, suffix = source.stem, source.suffix
            for n in range(1, _MAX_NAME_TRIES):
                target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
                try:
                    rename_no_replace(source, target)
                except FileExistsError:
                    continue
                return target
        except OSError as exc:
            raise StoreError(f"Could not {action} ({reason(exc)}); nothing was changed.") from exc
        raise StoreError(f"Could not {action}: no free file name in {folder}.")


class RoutineStore(_FolderStore):
    """The user's routines in ``paths.user_routines_dir``, checked against ``catalogue``.

    ``catalogue`` should be the merged one (built-in plus the user's stretches);
    ``builtin`` are the built-in routines, whose ids are read-only.
    """

    key = "routines"
    what = "routine"

    def __init__(
        self, paths: AppPaths, catalogue: Catalogue, builtin: Iterable[Routine] = ()
    ) -> None:
        super().__init__(paths.user_routines_dir, (r.id for r in builtin))
        self.catalogue = catalogue

    def load(self) -> RoutineLoadResult:
        """The user's routines as the app loads them, with problems and notices."""
        return load_routines(None, self.folder, self.catalogue)

    def text(self, routine: Routine, header: str | None = None) -> str:
        """The file text for ``routine``, checked by reading it back; :class:`StoreError` if not.

        The check is the loader's own: the text must parse without a problem
        and give back exactly ``routine``.
        """
        text = dump_yaml(routine_file_data([routine]), header or self._header(routine.name))
        try:
            parsed, problems = parse_routines(
                read_yaml_text(text, f"{routine.id}.yaml"), f"{routine.id}.yaml", self.catalogue
            )
        except YamlInputError as exc:
            problems, parsed = list(exc.problems), []
        if problems or len(parsed) != 1:
            details = "; ".join(f"{p.path}: {p.message}" for p in problems)
            raise StoreError(f"The routine {routine.id!r} is not valid: {details}")
        if dataclasses.replace(parsed[0], source="") != dataclasses.replace(routine, source=""):
            raise StoreError(f"The routine {routine.id!r} would not load back as it was saved.")
        return text

    def save(self, routine: Routine) -> Path:
        """Save ``routine``: replace our file of its id, or write a new file; return it."""
        self._refuse_builtin(routine.id)
        return self._write(routine.id, self.text(routine))

    def rename(self, routine_id: str, name: str) -> Path:
        """Give one of the user's routines a new name (its id and file stay)."""
        routine = next((r for r in self.load().routines if r.id == routine_id), None)
        if routine is None:
            raise StoreError(f"There is no routine of yours with the id {routine_id!r}.")
        if not name.strip():
            raise StoreError("A routine needs a name.")
        return self.save(dataclasses.replace(routine, name=name.strip()))

    def read_file(self, path: Path) -> list[Routine]:
        """Every routine of a routine file, or :class:`InvalidFileError` if any part is wrong."""
        path = Path(path)
        try:
            document = read_yaml(path, path.name)
        except YamlInputError as exc:
            raise InvalidFileError(path, exc.problems) from None
        routines, problems = parse_routines(document, path.name, self.catalogue)
        if problems:
            raise InvalidFileError(path, problems)
        if not routines:
            raise InvalidFileError(path, [Problem(path.name, 1, 1, "", "no routine to import")])
        return routines

    def import_file(self, path: Path) -> ImportResult:
        """Check a routine file fully, then save each of its routines as a new file of ours.

        Nothing is written unless the whole file is valid. A routine whose id
        is already used (built-in, or one of the user's) is saved under a new
        id (``my-routine-2``). If a write fails part-way, the files already
        written by this import are removed again.
        """
        routines = self.read_file(path)
        ids = set(self._builtin_ids)
        for stored in self.files():
            ids.update(stored.ids)
        planned: list[tuple[Routine, str]] = []
        renamed: dict[str, str] = {}
        for routine in routines:
            new_id = next_free_id(routine.id, ids.__contains__)
            ids.add(new_id)
            if new_id != routine.id:
                renamed[routine.id] = new_id
            final = dataclasses.replace(routine, id=new_id, source="")
            planned.append((final, self.text(final)))
        written: list[Path] = []
        try:
            for routine, text in planned:
                written.append(self._write(routine.id, text))
        except StoreError:
            for done in written:
                done.unlink(missing_ok=True)
            raise
        saved = tuple(
            dataclasses.replace(r, source=str(p))
            for (r, _), p in zip(planned, written, strict=True)
        )
        return ImportResult(saved, tuple(written), renamed)

    def export(self, routine: Routine, target: Path, *, overwrite: bool = False) -> Path:
        """Write ``routine`` to ``target`` as a routine file to share; checked, atomic.

        An existing ``target`` is replaced only with ``overwrite``.
        """
        target = Path(target)
        header = (
            f"# A StretchDesk routine: {routine.name}.\n"
            "# Import it with `stretchdesk import FILE` or from the Routines window.\n"
        )
        data = self.text(dataclasses.replace(routine, source=""), header).encode("utf-8")
        try:
            write_atomically(target, data, replace=overwrite)
        except FileExistsError:
            raise StoreError(f"{target} already exists; it was left as it is.") from None
        except OSError as exc:
            raise StoreError(
                f"The routine could not be written to {target} ({reason(exc)})."
            ) from exc
        return target


class StretchStore(_FolderStore):
    """The user's own stretches in ``paths.user_stretches_dir``.

    ``catalogue`` gives the taxonomy (areas, equipment, advice) a stretch is
    checked against, and its stretches that do not come from the user's
    folder are the read-only built-ins.
    """

    key = "stretches"
    what = "stretch"

    def __init__(self, paths: AppPaths, catalogue: Catalogue) -> None:
        folder = paths.user_stretches_dir
        builtin = (s.id for s in catalogue.stretches if not _inside(Path(s.source), folder))
        super().__init__(folder, builtin)
        self.catalogue = catalogue

    def text(self, stretch: Stretch) -> str:
        """The file text for ``stretch``, checked by the catalogue loader."""
        if not ID_PATTERN.fullmatch(stretch.id):
            raise StoreError(f"{stretch.id!r} is not a valid stretch id.")
        text = dump_yaml(stretch_file_data([stretch]), self._header(stretch.name))
        filename = f"{stretch.id}.yaml"
        try:
            problems = check_stretch_document(
                read_yaml_text(text, filename), filename, self.catalogue
            )
        except YamlInputError as exc:
            problems = list(exc.problems)
        if problems:
            details = "; ".join(f"{p.path}: {p.message}" for p in problems)
            raise StoreError(f"The stretch {stretch.id!r} is not valid: {details}")
        return text

    def save(self, stretch: Stretch) -> Path:
        """Save ``stretch``: replace our file of its id, or write a new file; return it."""
        self._refuse_builtin(stretch.id)
        return self._write(stretch.id, self.text(stretch))


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().parent == folder.resolve()
    except OSError:
        return False
