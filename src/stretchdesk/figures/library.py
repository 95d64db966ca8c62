"""The pose library (``data/poses.yaml``): reading and checking it. No Qt here.

A file looks like this::

    version: 1
    poses:
      - id: tabletop
        view: side                 # side (default) or front
        props: [mat]
        joints: {trunk: 0, shoulder: 90, wrist: 90, hip: 90, knee: 90, ankle: 95}
        contacts: [hands, knees]   # body sites that must touch the floor or a prop
        fit: trunk                 # solve this joint so every contact touches
        highlight: [lower-back]
      - id: cat
        base: tabletop             # start from another pose; joints are merged
        joints: {spine: 55, neck: 30}
        arrow: {at: upper-back, direction: 90, length: 22}

Every problem is reported, not just the first, with file, line and column
(:class:`~stretchdesk.core.yamlsafe.Problem`): unknown joints, props, sites
and areas; angles outside the human range of motion; a figure that sinks
through the floor; a contact that floats above what it should touch.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stretchdesk.core.yamlsafe import (
    Mark,
    Problem,
    YamlInputError,
    key_mark_of,
    mark_of,
    read_yaml,
    read_yaml_text,
)
from stretchdesk.figures.pose import (
    SIDES,
    Figure,
    Pose,
    View,
    accepted_joint_names,
    expand_joints,
    expand_joints_partial,
    forward_kinematics,
    joint_specs,
    reach,
)
from stretchdesk.figures.props import NEEDS_ANCHOR, PROPS, PropPlacement
from stretchdesk.figures.scene import (
    AREAS,
    CONTACT_TOLERANCE,
    Arrow,
    Scene,
    Staging,
    anchor_point,
    build_scene,
    contact_gaps,
    fit_cost,
    fit_joint,
    known_sites,
    sinking,
)

_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_POSE_KEYS = (
    "id",
    "name",
    "view",
    "base",
    "joints",
    "props",
    "support",
    "rest_on",
    "contacts",
    "fit",
    "reach",
    "highlight",
    "arrow",
)
_ARROW_KEYS = ("at", "direction", "length", "bend", "offset")
_PROP_KEYS = ("prop", "at", "to", "side", "size")


FitStep = tuple[str, float | None, float | None, bool]  # joint, low, high, hold_limbs

#: Rounds of fitting one joint after another (the first FULL_ROUNDS search each
#: joint's whole range), and how far (degrees) the later
#: rounds search round the angle the first one found.
SOLVE_ROUNDS = 4
FULL_ROUNDS = 2
LOCAL_ROUNDS = 3
REFINE_SPAN = 6.0
#: How many built scenes (animation frames) each pose keeps.
SCENE_CACHE = 256
#: A pose whose contact gaps add up to less than this (cm) is solved.
SOLVED = 0.3
#: Written angles that already touch down this closely (cm, each contact) are kept:
#: the file carries its solved angles as the first guess, so loading stays quick.
GOOD_GUESS = 1.0
#: The last resort moves all fitted joints together: first step and most steps.
POLISH_STEP = 4.0
POLISH_STEPS = 120


@dataclass(frozen=True, slots=True)
class Recipe:
    """How a pose is made: the written angles, then the joints solved by computation."""

    start: Pose
    staging: Staging
    fits: tuple[FitStep, ...] = ()
    reaches: tuple[tuple[str, str], ...] = ()  # (hand or foot, body site)

    def solve(self) -> Pose:
        """Fit the joints so the contacts touch, with the limbs reaching their targets.

        One joint at a time, a few rounds: the first searches each joint's
        whole range, later ones refine near the angle found. The reaching
        limbs follow after every round, so a hand resting on a knee moves with
        the leg and never props the body up.
        """
        start = self._reached(self.start)
        if not self.fits or self._touches(start, GOOD_GUESS):
            return start
        # the written angles are the first guess: look near them first ...
        pose, cost = self._rounds(start, LOCAL_ROUNDS, local_rounds=LOCAL_ROUNDS)
        if cost < SOLVED or self._touches(pose, GOOD_GUESS):
            return pose
        # ... and search each joint's whole range only when that is not enough
        best, best_cost = self._rounds(start, SOLVE_ROUNDS, local_rounds=SOLVE_ROUNDS - FULL_ROUNDS)
        if cost < best_cost:
            best, best_cost = pose, cost
        if best_cost >= SOLVED:  # one joint at a time got stuck: move them together
            best, best_cost = self._polish(best, best_cost)
        return best

    def _polish(self, pose: Pose, cost: float) -> tuple[Pose, float]:
        """Nelder-Mead over all the fitted joints at once, from ``pose``.

        Joint-by-joint fitting stops where moving any one joint alone makes
        things worse (a knee that floats until the hip and knee move
        together); a simplex moves several at once.
        """
        specs = joint_specs(pose.view)
        keys, bounds, holds = [], [], []
        for joint, low, high, hold in self.fits:
            key = joint if joint in specs else f"{SIDES[pose.view][0]}-{joint}"
            spec = specs[key]
            keys.append((joint, key))
            bounds.append((spec.low if low is None else low, spec.high if high is None else high))
            holds.append(hold)
        origin = [pose.angles[key] for _, key in keys]

        def posed(values: list[float]) -> Pose:
            angles = dict(pose.angles)
            for (joint, _key), value, hold, start in zip(keys, values, holds, origin, strict=True):
                angles.update(expand_joints_partial(pose.view, {joint: value}))
                if hold:
                    for side in SIDES[pose.view]:
                        for limb in ("shoulder", "hip"):
                            angles[f"{side}-{limb}"] -= value - start
            return self._reached(Pose(pose.view, angles, pose.breath))

        def clamp(values: list[float]) -> list[float]:
            return [min(hi, max(lo, v)) for v, (lo, hi) in zip(values, bounds, strict=True)]

        def f(values: list[float]) -> float:
            return fit_cost(posed(values), self.staging)

        simplex = [origin] + [
            clamp([v + (POLISH_STEP if i == k else 0.0) for i, v in enumerate(origin)])
            for k in range(len(origin))
        ]
        scores = [cost] + [f(v) for v in simplex[1:]]
        for _ in range(POLISH_STEPS):
            order = sorted(range(len(simplex)), key=scores.__getitem__)
            simplex = [simplex[i] for i in order]
            scores = [scores[i] for i in order]
            if scores[0] < SOLVED:
                break
            centre = [sum(c) / (len(simplex) - 1) for c in zip(*simplex[:-1], strict=True)]
            worst = simplex[-1]
            trial = clamp([c + (c - w) for c, w in zip(centre, worst, strict=True)])
            t_score = f(trial)
            if t_score < scores[0]:
                far = clamp([c + 2 * (c - w) for c, w in zip(centre, worst, strict=True)])
                f_score = f(far)
                simplex[-1], scores[-1] = (far, f_score) if f_score < t_score else (trial, t_score)
            elif t_score < scores[-2]:
                simplex[-1], scores[-1] = trial, t_score
            else:
                inner = [(c + w) / 2 for c, w in zip(centre, worst, strict=True)]
                i_score = f(inner)
                if i_score < scores[-1]:
                    simplex[-1], scores[-1] = inner, i_score
                else:  # shrink towards the best
                    best = simplex[0]
                    simplex = [best] + [
                        [(b + v) / 2 for b, v in zip(best, vs, strict=True)] for vs in simplex[1:]
                    ]
                    scores = [scores[0]] + [f(v) for v in simplex[1:]]
        best = min(range(len(simplex)), key=scores.__getitem__)
        values = [round(v, 2) for v in simplex[best]]
        return posed(values), scores[best]

    def _touches(self, pose: Pose, slack: float) -> bool:
        """True when every contact of ``pose`` is within ``slack`` cm and nothing sinks."""
        scene = build_scene(pose, self.staging, decorate=False)
        if scene.support_missed or sinking(scene) is not None:
            return False
        return all(abs(g) <= slack for g in contact_gaps(scene, self.staging.contacts).values())

    def _rounds(self, pose: Pose, rounds: int, local_rounds: int) -> tuple[Pose, float]:
        """Fit each joint in turn, ``rounds`` times; the last ``local_rounds`` search locally."""
        follow = self._reached if self.reaches else None
        cost = math.inf
        for round_ in range(rounds if len(self.fits) > 1 else 1):
            span = REFINE_SPAN if round_ >= rounds - local_rounds else None
            for joint, low, high, hold in self.fits:
                pose, cost = fit_joint(pose, self.staging, joint, low, high, hold, span, follow)
            if cost < SOLVED:
                break
        return pose, cost

    def _reached(self, pose: Pose) -> Pose:
        for effector, target in self.reaches:
            fig = forward_kinematics(pose)
            pose = reach(
                pose,
                effector,
                anchor_point(fig, target),
                _segment_direction(fig, target),
                elbow_out=target in _ON_THE_TRUNK,
            )
        return pose


#: Sites on the trunk itself: a hand resting there (on the hip, on the lower back)
#: keeps its elbow out to the side, away from the body.
_ON_THE_TRUNK = frozenset({"waist", "left-waist", "right-waist", "pelvis", "lower-back", "torso"})


#: Body sites a hand can rest along, and the joints their segment runs between.
_SEGMENTS = {
    "thigh": ("hip", "knee"),
    "shin": ("knee", "ankle"),
    "knee": ("hip", "knee"),
    "forearm": ("elbow", "wrist"),
    "upper-arm": ("shoulder", "elbow"),
}


def _segment_direction(fig: Figure, site: str) -> float | None:
    """The direction of the limb segment a hand rests on (``near-thigh``: hip to knee)."""
    side, _, name = site.partition("-")
    ends = _SEGMENTS.get(name)
    if ends is None or f"{side}-{ends[0]}" not in fig.joints:
        return None
    (x0, y0), (x1, y1) = fig.joints[f"{side}-{ends[0]}"], fig.joints[f"{side}-{ends[1]}"]
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


@dataclass(frozen=True, slots=True)
class PoseDef:
    """One pose of the library: its recipe and staging; its angles are solved on first use."""

    id: str
    name: str
    recipe: Recipe
    source: str = ""
    line: int = 0
    _solved: list[Pose] = field(default_factory=list, compare=False, repr=False)
    _scenes: dict[tuple[object, ...], Scene] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def pose(self) -> Pose:
        """The finished angles (solved once, then kept)."""
        if not self._solved:
            self._solved.append(self.recipe.solve())
        return self._solved[0]

    @property
    def staging(self) -> Staging:
        return self.recipe.staging

    @property
    def view(self) -> View:
        return self.recipe.start.view

    def scene(self, mirror: bool = False, pose: Pose | None = None) -> Scene:
        """The scene of this pose, or of ``pose`` (an animation frame) with this staging.

        Scenes are kept (the last :data:`SCENE_CACHE` of them), so an animation
        that loops through the same frames builds each one once.
        """
        pose = pose or self.pose
        key = (mirror, pose.breath, *pose.angles.values())
        cached = self._scenes.get(key)
        if cached is None:
            cached = build_scene(pose, self.staging, mirror)
            if len(self._scenes) >= SCENE_CACHE:
                del self._scenes[next(iter(self._scenes))]
            self._scenes[key] = cached
        return cached


@dataclass(frozen=True, slots=True)
class PoseLibrary:
    """All poses by id, in file order."""

    poses: tuple[PoseDef, ...]
    _by_id: dict[str, PoseDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self._by_id:
            self._by_id.update((p.id, p) for p in self.poses)

    def __getitem__(self, pose_id: str) -> PoseDef:
        return self._by_id[pose_id]

    def __contains__(self, pose_id: object) -> bool:
        return pose_id in self._by_id

    def __iter__(self) -> Iterator[PoseDef]:
        return iter(self.poses)

    def __len__(self) -> int:
        return len(self.poses)

    def get(self, pose_id: str) -> PoseDef | None:
        return self._by_id.get(pose_id)


class PoseLibraryError(Exception):
    """The pose file has problems; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def default_poses_path() -> Path:
    from stretchdesk.resources import data_file

    return data_file("poses.yaml")


@functools.cache
def app_poses() -> PoseLibrary | None:
    """The built-in poses for the app to draw, read once per process; ``None`` if unreadable.

    The solved geometry of every pose is checked by the tests and by
    ``stretchdesk check``; the app reads the file's structure and solves each
    pose the first time it is drawn, so showing a picture never waits for all
    of them.
    """
    try:
        return load_poses(check_geometry=False)
    except (OSError, PoseLibraryError):
        return None


def load_poses(path: Path | None = None, check_geometry: bool = True) -> PoseLibrary:
    """Read a pose file (the built-in one by default); raise on any problem.

    The file's structure is always checked, and so, unless ``check_geometry``
    is false, is every solved pose: angles in range, nothing sinking through
    the floor, every contact touching. The file carries its solved angles as
    the solver's first guess, so this takes a fraction of a second for the
    whole library.
    """
    library, problems = read_poses(path or default_poses_path(), check_geometry=check_geometry)
    if problems:
        raise PoseLibraryError(problems)
    return library


def read_poses(
    path: Path, filename: str | None = None, check_geometry: bool = True
) -> tuple[PoseLibrary, list[Problem]]:
    """Read a pose file; return the poses that can be drawn and every problem found.

    Poses with structural problems (unknown joints or props, angles out of
    range) are left out; poses that only float or sink are kept, so they can
    be looked at.
    """
    name = filename or str(path)
    try:
        doc = read_yaml(path, name)
    except YamlInputError as exc:
        return PoseLibrary(()), list(exc.problems)
    return parse_poses(doc, name, check_geometry)


def read_poses_text(
    text: str, filename: str = "<poses>", check_geometry: bool = True
) -> tuple[PoseLibrary, list[Problem]]:
    try:
        doc = read_yaml_text(text, filename)
    except YamlInputError as exc:
        return PoseLibrary(()), list(exc.problems)
    return parse_poses(doc, filename, check_geometry)


class _Report:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []

    def add(self, mark: Mark | None, path: str, message: str) -> None:
        line, column = (mark.line, mark.column) if mark else (1, 1)
        self.problems.append(Problem(self.filename, line, column, path, message))


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_poses(
    doc: Any, filename: str, check_geometry: bool = True
) -> tuple[PoseLibrary, list[Problem]]:
    """Check a parsed pose document (from :mod:`stretchdesk.core.yamlsafe`)."""
    report = _Report(filename)
    if not isinstance(doc, dict):
        report.add(mark_of(doc), "", "a pose file must be a mapping with a 'poses' list")
        return PoseLibrary(()), report.problems
    for key in doc:
        if key not in ("version", "poses"):
            report.add(
                key_mark_of(doc, key),
                str(key),
                f"unknown field{_suggest(str(key), ('version', 'poses'))}",
            )
    if doc.get("version", 1) != 1:
        report.add(mark_of(doc, "version"), "version", "the only pose file version is 1")
    entries = doc.get("poses")
    if not isinstance(entries, list):
        report.add(mark_of(doc, "poses") or mark_of(doc), "poses", "'poses' must be a list")
        return PoseLibrary(()), report.problems

    raw: dict[str, tuple[int, Any]] = {}
    for i, entry in enumerate(entries):
        path = f"poses[{i}]"
        if not isinstance(entry, dict):
            report.add(mark_of(entries, i), path, "a pose must be a mapping")
            continue
        pid = entry.get("id")
        if not isinstance(pid, str) or not _ID.match(pid):
            report.add(
                mark_of(entry, "id") or mark_of(entry),
                f"{path}.id",
                "a pose id is lowercase letters, digits and hyphens, starting with a letter",
            )
            continue
        if pid in raw:
            first = mark_of(entries, raw[pid][0])
            report.add(
                mark_of(entry, "id"),
                f"{path}.id",
                f"the pose id {pid!r} is used twice (first on line {first.line if first else '?'})",
            )
            continue
        raw[pid] = (i, entry)

    poses: list[PoseDef] = []
    resolved: dict[str, dict[str, Any] | None] = {}
    for pid, (i, entry) in raw.items():
        merged = _resolve(pid, raw, resolved, report, set())
        if merged is None:
            continue
        pose_def = _build(pid, i, entry, merged, report, check_geometry)
        if pose_def is not None:
            poses.append(pose_def)
    return PoseLibrary(tuple(poses)), report.problems


def _resolve(
    pid: str,
    raw: Mapping[str, tuple[int, Any]],
    resolved: dict[str, dict[str, Any] | None],
    report: _Report,
    visiting: set[str],
) -> dict[str, Any] | None:
    """The pose's fields with its ``base`` chain merged in (joints merged key by key)."""
    if pid in resolved:
        return resolved[pid]
    i, entry = raw[pid]
    path = f"poses[{i}]"
    fields = {k: v for k, v in entry.items() if k not in ("id", "name", "base")}
    base = entry.get("base")
    if base is not None:
        if base in visiting or base == pid:
            report.add(mark_of(entry, "base"), f"{path}.base", f"the base chain of {pid!r} loops")
            resolved[pid] = None
            return None
        if base not in raw:
            report.add(
                mark_of(entry, "base"),
                f"{path}.base",
                f"unknown base pose {base!r}{_suggest(str(base), raw)}",
            )
            resolved[pid] = None
            return None
        parent = _resolve(base, raw, resolved, report, visiting | {pid})
        if parent is None:
            resolved[pid] = None
            return None
        merged = dict(parent)
        joints = dict(parent.get("joints") or {})
        if isinstance(fields.get("joints"), dict):
            joints.update(fields["joints"])
        merged.update(fields)
        merged["joints"] = joints
        if "fit" not in fields and _refits(fields.get("joints"), parent.get("fit")):
            del merged["fit"]  # the child sets the joint its base solved
        resolved[pid] = merged
        return merged
    resolved[pid] = fields
    return fields


def _refits(joints: Any, fit: Any) -> bool:
    """True when a child pose sets the joint its base solves (then it is not solved again)."""
    name = fit.get("joint") if isinstance(fit, dict) else fit
    return isinstance(joints, dict) and isinstance(name, str) and name in joints


def _build(
    pid: str,
    index: int,
    entry: Any,
    fields: Mapping[str, Any],
    report: _Report,
    check_geometry: bool = True,
) -> PoseDef | None:
    path = f"poses[{index}]"
    before = len(report.problems)
    for key in entry:
        if key not in _POSE_KEYS:
            report.add(
                key_mark_of(entry, key),
                f"{path}.{key}",
                f"unknown field{_suggest(str(key), _POSE_KEYS)}",
            )

    def where(key: str) -> Mark | None:
        return mark_of(entry, key) or mark_of(entry)

    view_name = fields.get("view", "side")
    try:
        view = View(view_name)
    except ValueError:
        report.add(where("view"), f"{path}.view", "the view is 'side' or 'front'")
        return None
    specs = joint_specs(view)
    accepted = accepted_joint_names(view)
    sites = known_sites(view)

    joints = fields.get("joints") or {}
    given: dict[str, float] = {}
    if not isinstance(joints, dict):
        report.add(where("joints"), f"{path}.joints", "joints must be a mapping of name: degrees")
        joints = {}
    joint_marks = entry.get("joints") if isinstance(entry.get("joints"), dict) else None
    for name, value in joints.items():
        jmark = (key_mark_of(joint_marks, name) if joint_marks is not None else None) or where(
            "joints"
        )
        jpath = f"{path}.joints.{name}"
        if name not in accepted:
            side_hint = ""
            if isinstance(name, str) and name.split("-", 1)[0] in ("near", "far", "left", "right"):
                side_hint = f" (a {view} view names sides {' and '.join(SIDES[view])})"
            report.add(
                jmark, jpath, f"unknown joint {name!r}{side_hint}{_suggest(str(name), accepted)}"
            )
            continue
        if not _number(value):
            report.add(jmark, jpath, "an angle must be a number of degrees")
            continue
        given[name] = float(value)
    angles = expand_joints(view, given)
    for name, value in angles.items():
        spec = specs[name]
        if not spec.low <= value <= spec.high:
            source = name if name in given else name.split("-", 1)[1]
            jmark = (
                key_mark_of(joint_marks, source) if joint_marks is not None else None
            ) or where("joints")
            report.add(
                jmark,
                f"{path}.joints.{source}",
                f"{value:g}° is outside the human range of the {name.replace('-', ' ')} "
                f"({spec.low:g}° to {spec.high:g}°)",
            )

    props: list[PropPlacement] = []
    raw_props = fields.get("props") or []
    if not isinstance(raw_props, list):
        report.add(where("props"), f"{path}.props", "props must be a list")
        raw_props = []
    for k, item in enumerate(raw_props):
        ppath = f"{path}.props[{k}]"
        pmark = mark_of(raw_props, k) or where("props")
        if isinstance(item, str):
            item = {"prop": item}
        if not isinstance(item, dict) or not isinstance(item.get("prop"), str):
            report.add(pmark, ppath, "a prop is a name or a mapping with 'prop'")
            continue
        for key in item:
            if key not in _PROP_KEYS:
                report.add(
                    pmark, f"{ppath}.{key}", f"unknown field{_suggest(str(key), _PROP_KEYS)}"
                )
        kind = item["prop"]
        if kind not in PROPS:
            report.add(pmark, f"{ppath}.prop", f"unknown prop {kind!r}{_suggest(kind, PROPS)}")
            continue
        ok = True
        for key in ("at", "to"):
            site = item.get(key)
            if site is not None and site not in sites:
                report.add(
                    pmark,
                    f"{ppath}.{key}",
                    f"unknown body site {site!r}{_suggest(str(site), sites)}",
                )
                ok = False
        anchored = kind in NEEDS_ANCHOR and not (view is View.FRONT and kind == "doorway")
        if anchored and kind != "wall" and item.get("at") is None:
            report.add(pmark, ppath, f"say where the {kind} goes with 'at: <body site>'")
            ok = False
        if item.get("side", "behind") not in ("behind", "front"):
            report.add(pmark, f"{ppath}.side", "side is 'behind' or 'front'")
            ok = False
        if ok:
            props.append(
                PropPlacement(
                    kind,
                    item.get("at"),
                    item.get("to"),
                    item.get("side", "behind"),
                    str(item.get("size", "")),
                )
            )
    prop_names = {p.prop for p in props}

    support = fields.get("support", "floor")
    if support != "floor" and support not in prop_names:
        report.add(
            where("support"),
            f"{path}.support",
            f"the support {support!r} is not one of this pose's props",
        )
        support = "floor"
    rest_on = _site_list(fields, "rest_on", sites, entry, path, report)
    contacts: list[str] = []
    raw_contacts = fields.get("contacts") or []
    if not isinstance(raw_contacts, list):
        report.add(where("contacts"), f"{path}.contacts", "contacts must be a list of body sites")
        raw_contacts = []
    plural = {"hands", "feet", "knees", "elbows", "forearms", "shins", "thighs", "heels", "toes"}
    for k, item in enumerate(raw_contacts):
        cmark = mark_of(raw_contacts, k) or where("contacts")
        site, _, prop = str(item).partition("@")
        if site not in sites and site not in plural:
            report.add(
                cmark, f"{path}.contacts[{k}]", f"unknown body site {site!r}{_suggest(site, sites)}"
            )
            continue
        if prop and prop != "floor" and prop not in prop_names:
            report.add(cmark, f"{path}.contacts[{k}]", f"{prop!r} is not one of this pose's props")
            continue
        contacts.append(str(item))

    highlight: list[str] = []
    raw_high = fields.get("highlight") or []
    if not isinstance(raw_high, list):
        report.add(where("highlight"), f"{path}.highlight", "highlight must be a list of areas")
        raw_high = []
    for k, item in enumerate(raw_high):
        area = str(item)
        for s in SIDES[view]:
            if area.startswith(s + "-") and area[len(s) + 1 :] in AREAS:
                area = area[len(s) + 1 :]
        if area not in AREAS:
            report.add(
                mark_of(raw_high, k) or where("highlight"),
                f"{path}.highlight[{k}]",
                f"unknown body area {item!r}{_suggest(area, AREAS)}",
            )
            continue
        highlight.append(str(item))

    arrow = _arrow(fields.get("arrow"), sites, where("arrow"), f"{path}.arrow", report)

    if len(report.problems) > before:
        return None
    staging = Staging(
        tuple(props), str(support), tuple(rest_on), tuple(contacts), tuple(highlight), arrow
    )
    pose = Pose(view, angles)

    fit = fields.get("fit")
    plan: list[FitStep] = []
    if fit is not None:
        fits = fit if isinstance(fit, list) else [fit]
        for item in fits:
            fit_name = item.get("joint") if isinstance(item, dict) else item
            fit_range = item.get("range") if isinstance(item, dict) else None
            if not isinstance(fit_name, str) or fit_name not in accepted:
                report.add(
                    where("fit"),
                    f"{path}.fit",
                    f"fit names the joint to solve{_suggest(str(fit_name), accepted)}",
                )
                return None
            low = high = None
            if isinstance(fit_range, list) and len(fit_range) == 2 and all(map(_number, fit_range)):
                low, high = float(fit_range[0]), float(fit_range[1])
            elif fit_range is not None:
                report.add(where("fit"), f"{path}.fit.range", "range is [low, high] in degrees")
                return None
            hold = bool(item.get("hold_limbs", False)) if isinstance(item, dict) else False
            plan.append((fit_name, low, high, hold))
        if not contacts:
            report.add(where("fit"), f"{path}.fit", "fit needs contacts to solve for")
            return None

    reaches: list[tuple[str, str]] = []
    raw_reach = fields.get("reach") or {}
    if not isinstance(raw_reach, dict):
        report.add(where("reach"), f"{path}.reach", "reach maps a hand or foot to a body site")
        raw_reach = {}
    for effector, target in raw_reach.items():
        rpath = f"{path}.reach.{effector}"
        rmark = mark_of(raw_reach, effector) or where("reach")
        side, _, limb = str(effector).partition("-")
        if side not in SIDES[view] or limb not in ("hand", "foot"):
            report.add(
                rmark,
                rpath,
                f"reach with a hand or foot: {', '.join(f'{s}-hand' for s in SIDES[view])}, ...",
            )
            return None
        if target not in sites:
            report.add(rmark, rpath, f"unknown body site {target!r}{_suggest(str(target), sites)}")
            return None
        reaches.append((str(effector), str(target)))
    if len(report.problems) > before:
        return None
    recipe = Recipe(pose, staging, tuple(plan), tuple(reaches))
    name = (
        entry.get("name")
        if isinstance(entry.get("name"), str)
        else pid.replace("-", " ").capitalize()
    )
    mark = mark_of(entry)
    pose_def = PoseDef(pid, name, recipe, report.filename, mark.line if mark else 0)
    if check_geometry:
        _check_geometry(pose_def, where, path, report, bool(raw_reach), fit is not None)
    return pose_def


def _check_geometry(
    pose_def: PoseDef,
    where: Callable[[str], Mark | None],
    path: str,
    report: _Report,
    has_reach: bool,
    has_fit: bool,
) -> None:
    """Solve the pose and report angles out of range, sinking and floating contacts.

    A pose whose only problems are these is still drawn (so the contact sheet
    shows what is wrong); :func:`load_poses` refuses the file.
    """
    pose = pose_def.pose
    staging = pose_def.staging
    support = staging.support
    contacts = staging.contacts
    fit = has_fit or None
    for name, value, spec in pose.out_of_range():
        report.add(
            where("reach" if has_reach else "fit"),
            f"{path}.joints.{name}",
            f"solving gives {value:g}° for the {name.replace('-', ' ')}, outside its "
            f"human range ({spec.low:g}° to {spec.high:g}°)",
        )

    scene = build_scene(pose, staging)
    if scene.support_missed:
        report.add(
            where("support"),
            f"{path}.support",
            f"the figure does not rest on the {support}: nothing is above it",
        )
    sunk = sinking(scene)
    if sunk is not None:
        report.add(
            where("joints"),
            f"{path}.joints",
            f"the figure sinks {sunk[1]:.1f} cm through the floor at the {sunk[0]}",
        )
    for contact, gap in contact_gaps(scene, contacts).items():
        what = contact.partition("@")[2] or "the floor or its prop"
        if gap > CONTACT_TOLERANCE:
            report.add(
                where("contacts"),
                f"{path}.contacts",
                f"the {contact.partition('@')[0]} floats {gap:.1f} cm above {what}"
                + (" (is 'fit' set?)" if fit is None else ""),
            )
        elif gap < -CONTACT_TOLERANCE:
            report.add(
                where("contacts"),
                f"{path}.contacts",
                f"the {contact.partition('@')[0]} sinks {-gap:.1f} cm into {what}",
            )


def _site_list(
    fields: Mapping[str, Any],
    key: str,
    sites: frozenset[str],
    entry: Any,
    path: str,
    report: _Report,
) -> list[str]:
    raw = fields.get(key) or []
    if not isinstance(raw, list):
        report.add(mark_of(entry, key) or mark_of(entry), f"{path}.{key}", f"{key} must be a list")
        return []
    out = []
    for k, item in enumerate(raw):
        if item not in sites:
            report.add(
                mark_of(raw, k) or mark_of(entry),
                f"{path}.{key}[{k}]",
                f"unknown body site {item!r}{_suggest(str(item), sites)}",
            )
            continue
        out.append(str(item))
    return out


def _arrow(
    raw: Any, sites: frozenset[str], mark: Mark | None, path: str, report: _Report
) -> Arrow | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        report.add(mark, path, "an arrow is a mapping with 'at' and 'direction'")
        return None
    for key in raw:
        if key not in _ARROW_KEYS:
            report.add(
                key_mark_of(raw, key) or mark,
                f"{path}.{key}",
                f"unknown field{_suggest(str(key), _ARROW_KEYS)}",
            )
            return None
    at = raw.get("at")
    if at not in sites:
        report.add(
            mark_of(raw, "at") or mark,
            f"{path}.at",
            f"unknown body site {at!r}{_suggest(str(at), sites)}",
        )
        return None
    numbers = {k: raw.get(k) for k in ("direction", "length", "bend") if k in raw}
    if "direction" not in numbers or not all(map(_number, numbers.values())):
        report.add(mark, path, "direction, length and bend are numbers (degrees, cm, degrees)")
        return None
    offset = raw.get("offset", [0, 0])
    if not (isinstance(offset, list) and len(offset) == 2 and all(map(_number, offset))):
        report.add(mark_of(raw, "offset") or mark, f"{path}.offset", "offset is [x, y] in cm")
        return None
    return Arrow(
        str(at),
        float(numbers["direction"]),
        float(numbers.get("length", 24.0)),
        float(numbers.get("bend", 0.0)),
        (float(offset[0]), float(offset[1])),
    )


def missing_poses(step_poses: Iterable[tuple[str, str | None]], library: PoseLibrary) -> list[str]:
    """Messages for steps whose pose is not in ``library``: ``(where, pose id)`` pairs in."""
    return [
        f"{where}: unknown pose {pose!r}{_suggest(pose, library._by_id)}"
        for where, pose in step_poses
        if pose is not None and pose not in library
    ]
