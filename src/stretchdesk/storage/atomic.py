"""Writing user files safely: atomic replacement, no-clobber creation and renames.

Every file StretchDesk writes for the user goes through these helpers:

* :func:`write_atomically` puts the new bytes in a temporary file in the same
  folder, flushes them to disk and moves the file into place in one rename,
  so a crash leaves either the old file or the new one, never half of one,
  and no temporary file behind. With ``replace=False`` it never overwrites a
  file that appeared in the meantime.
* :func:`rename_no_replace` renames without ever replacing an existing file,
  even in a race.
* :func:`sync_folder` makes a rename durable where the system allows it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write ``data`` to ``path`` in one step; the folder must exist.

    With ``replace`` false, raise :class:`FileExistsError` (and write nothing)
    when ``path`` exists. Any other failure raises :class:`OSError` and leaves
    the old file, if any, unchanged.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            rename_no_replace(Path(tmp), path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_folder(path.parent)


def rename_no_replace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; :class:`FileExistsError` if ``target`` exists.

    A hard link followed by removing the old name never replaces an existing
    file, even in a race. Where hard links are not available (some file
    systems, or ``source`` is a folder), check first and rename.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(str(target)) from None
        os.rename(source, target)
        return
    try:
        os.unlink(source)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable, where the system supports syncing a folder."""
    if not hasattr(os, "O_DIRECTORY"):  # Windows: renames are journalled; nothing to open
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def reason(exc: OSError) -> str:
    """An error's reason in words, e.g. 'Permission denied'."""
    return exc.strerror or str(exc) or type(exc).__name__
