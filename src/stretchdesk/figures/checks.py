"""``stretchdesk check`` for figures: pose files, and the poses stretch steps name. No Qt here.

Two checks plug into the command's file checking:

* :func:`check_pose_document` checks a pose file (top-level ``poses:``): its
  structure, then every solved pose (unknown joints, angles outside the human
  range, a figure sinking through the floor or floating above it), each
  problem with its file, line and column. It has the signature of a
  :data:`stretchdesk.core.loader.DocumentCheck`, so it can also be handed to
  :func:`stretchdesk.core.loader.register_document_kind`.
* :func:`step_pose_problems` finds the steps of a stretch file whose pose is
  not in the pose library (with a did-you-mean) or that name no pose at all.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from typing import Any

from stretchdesk.core.model import Catalogue
from stretchdesk.core.yamlsafe import Mark, Problem, YMap, YSeq, mark_of
from stretchdesk.figures.library import parse_poses


def check_pose_document(
    document: Any, filename: str, catalogue: Catalogue | None = None
) -> list[Problem]:
    """Every problem in a pose file, geometry included; ``catalogue`` is not needed."""
    del catalogue
    _library, problems = parse_poses(document, filename, check_geometry=True)
    return sorted(problems, key=lambda p: (p.line, p.column))


def step_pose_problems(
    document: Any, filename: str, pose_ids: Collection[str]
) -> tuple[list[Problem], list[Problem]]:
    """The steps of a stretch document naming an unknown pose, and those naming none.

    Returns ``(unknown, unposed)``: a step naming a pose that is not in
    ``pose_ids`` is always a mistake; a step with no pose is one in the
    built-in catalogue (every step has a picture) and a hint in a user's file
    (the player shows the nearest step's picture instead).
    """
    unknown: list[Problem] = []
    unposed: list[Problem] = []
    stretches = document.get("stretches") if isinstance(document, YMap) else None
    if not isinstance(stretches, YSeq):
        return unknown, unposed
    for i, stretch in enumerate(stretches):
        steps = stretch.get("steps") if isinstance(stretch, YMap) else None
        if not isinstance(steps, YSeq):
            continue
        sid = stretch.get("id")
        label = f"{sid!r}" if isinstance(sid, str) else f"stretches[{i}]"
        for j, step in enumerate(steps):
            path = f"stretches[{i}].steps[{j}]"
            pose = step.get("pose") if isinstance(step, YMap) else None
            if pose is None:
                if isinstance(step, str | YMap):
                    unposed.append(
                        _problem(
                            filename,
                            mark_of(steps, j),
                            path,
                            f"step {j + 1} of {label} has no pose, so no picture of its own",
                        )
                    )
                continue
            if isinstance(pose, str) and pose not in pose_ids:
                close = difflib.get_close_matches(pose, list(pose_ids), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                unknown.append(
                    _problem(
                        filename,
                        mark_of(step, "pose"),
                        f"{path}.pose",
                        f"unknown pose {pose!r}{hint}",
                    )
                )
    return unknown, unposed


def _problem(filename: str, mark: Mark | None, path: str, message: str) -> Problem:
    line, column = (mark.line, mark.column) if mark else (1, 1)
    return Problem(filename, line, column, path, message)
