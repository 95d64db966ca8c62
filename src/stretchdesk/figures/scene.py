"""A posed figure with its props, resting on the floor or its support. No Qt here.

:func:`build_scene` runs forward kinematics, places the props, and then lowers
the figure by computation: its lowest point rests on the floor, or, when the
pose names a support (a chair, a bed, a foam roller), the lowest point of the
parts that rest on it (``rest_on``) touches that prop's top. No pose carries a
hand-tuned height. :func:`contact_gaps` then measures how far each body part
that should touch something is from it; :func:`fit_joint` solves one joint so
that they all touch (the knee angle that puts a seated figure's feet on the
floor, the trunk angle that puts both hands and knees down on all fours).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from stretchdesk.figures.pose import (
    PLURAL_SITES,
    SIDES,
    Figure,
    Point,
    Pose,
    View,
    expand_joints_partial,
    forward_kinematics,
    joint_specs,
)
from stretchdesk.figures.props import PlacedProp, PropPlacement, Surface, mirror_prop, place_prop

#: How far (cm) a contact may be off and still count as touching.
CONTACT_TOLERANCE = 1.5
#: The solver's first search samples a joint's range this often (degrees), then
#: narrows the best bracket by golden sections.
GRID_STEP = 8.0
GOLDEN_STEPS = 11

AREAS = (
    "neck",
    "shoulders",
    "upper-back",
    "lower-back",
    "chest",
    "core",
    "side-body",
    "hips",
    "hip-flexors",
    "glutes",
    "hamstrings",
    "quads",
)


@dataclass(frozen=True, slots=True)
class Arrow:
    """A movement arrow starting near body site or joint ``at``.

    ``direction`` is in the figure's frame (0 = the way it faces, 90 = up);
    ``bend`` curves the arrow by that many degrees along its ``length`` (cm);
    ``offset`` (cm, figure frame) moves its start away from the body.
    """

    at: str
    direction: float
    length: float = 24.0
    bend: float = 0.0
    offset: Point = (0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Staging:
    """Everything about a pose apart from its joint angles."""

    props: tuple[PropPlacement, ...] = ()
    support: str = "floor"  # "floor" or the prop the body rests on
    rest_on: tuple[str, ...] = ()  # sites resting on the support; empty: the whole body
    contacts: tuple[str, ...] = ()  # sites that must touch ("hands", "back@wall", ...)
    highlight: tuple[str, ...] = ()  # areas, optionally prefixed near-/far-/left-/right-
    arrow: Arrow | None = None


@dataclass(frozen=True, slots=True)
class Highlight:
    area: str
    points: tuple[Point, ...]
    width: float


@dataclass(frozen=True, slots=True)
class Scene:
    """A figure placed among its props, ready to draw (centimetres, floor at y = 0)."""

    figure: Figure
    props: tuple[PlacedProp, ...]
    highlights: tuple[Highlight, ...]
    arrow: tuple[Point, ...] | None  # the arrow's shaft; the head is at the last point
    bounds: tuple[float, float, float, float]  # left, bottom, right, top
    support_missed: bool = False  # the named support has nothing resting on it

    def mirrored(self) -> Scene:
        fig = self.figure.transformed(0.0, 0.0, mirror=True)
        left, bottom, right, top = self.bounds
        return Scene(
            fig,
            tuple(mirror_prop(p) for p in self.props),
            tuple(replace(h, points=tuple((-x, y) for x, y in h.points)) for h in self.highlights),
            tuple((-x, y) for x, y in self.arrow) if self.arrow else None,
            (-right, bottom, -left, top),
            self.support_missed,
        )


def _site_points(figure: Figure, names: Sequence[str]) -> list[tuple[Point, float]]:
    if not names:
        return [s for pts in figure.sites.values() for s in pts]
    return [s for name in names for s in figure.site(name)]


def _rest_offset(samples: list[tuple[Point, float]], surface: Surface) -> float | None:
    """How far to move the samples up so the lowest one over ``surface`` touches it."""
    need: float | None = None
    for (x, y), r in samples:
        if surface.kind == "round":
            reach = surface.x1 + r
            dx = x - surface.x0
            if abs(dx) >= reach:
                continue
            lift = surface.y + math.sqrt(reach * reach - dx * dx) - y
        else:
            top = surface.top_at(x)
            if top is None:
                continue
            lift = top - (y - r)
        need = lift if need is None else max(need, lift)
    return need


def build_scene(pose: Pose, staging: Staging, mirror: bool = False, decorate: bool = True) -> Scene:
    """Pose the figure, place the props and rest the figure on its support.

    With ``mirror`` the whole scene is flipped left to right: the figure faces
    the other way (the other side of the body, for one-sided stretches).
    """
    fig = forward_kinematics(pose)
    dy: float | None = None
    if staging.support != "floor":
        placement = next((p for p in staging.props if p.prop == staging.support), None)
        if placement is not None:
            support = place_prop(placement, fig)
            samples = _site_points(fig, staging.rest_on)
            for surface in support.surfaces:
                lift = _rest_offset(samples, surface)
                if lift is not None:
                    dy = lift if dy is None else max(dy, lift)
    missed = staging.support != "floor" and dy is None
    if dy is None:
        dy = -min(y - r for (_, y), r in _site_points(fig, staging.rest_on))
    fig = fig.transformed(0.0, dy, drawing=decorate)
    props = tuple(place_prop(p, fig) for p in staging.props)
    if not decorate:  # enough for contacts: no highlights, arrow or bounds
        return Scene(fig, props, (), None, (0.0, 0.0, 0.0, 0.0), missed)
    highlights = tuple(h for spec in staging.highlight for h in highlight_shapes(fig, spec))
    arrow = arrow_path(fig, staging.arrow) if staging.arrow else None
    left, bottom, right, top = fig.bounds()
    for prop in props:
        left, bottom = min(left, prop.bounds[0]), min(bottom, prop.bounds[1])
        right, top = max(right, prop.bounds[2]), max(top, prop.bounds[3])
    if arrow:
        xs = [p[0] for p in arrow]
        ys = [p[1] for p in arrow]
        left, right = min(left, *xs) - 4, max(right, *xs) + 4
        bottom, top = min(bottom, *ys) - 4, max(top, *ys) + 4
    scene = Scene(fig, props, highlights, arrow, (left, bottom, right, top), missed)
    return scene.mirrored() if mirror else scene


# --- contacts ----------------------------------------------------------------------


def contact_gaps(scene: Scene, contacts: Sequence[str]) -> dict[str, float]:
    """For each contact (``site`` or ``site@prop``), how far it is from touching (cm).

    Positive: floating above what it should touch; negative: sunk into it. A
    plain site touches whatever is beneath it: the floor or a prop's top.
    Plural sites (``hands``) need every member to touch; the worst one counts.
    """
    gaps: dict[str, float] = {}
    fig = scene.figure
    for contact in contacts:
        site, _, prop_name = contact.partition("@")
        members = _members(fig, site)
        worst = 0.0
        for member in members:
            gap = _gap(scene, fig.site(member), prop_name)
            if abs(gap) > abs(worst):
                worst = gap
        gaps[contact] = worst
    return gaps


def _members(fig: Figure, site: str) -> list[str]:
    if site in PLURAL_SITES:
        return [f"{s}-{PLURAL_SITES[site]}" for s in SIDES[fig.view]]
    return [site]


def _gap(scene: Scene, samples: tuple[tuple[Point, float], ...], prop_name: str) -> float:
    if prop_name:
        if prop_name == "floor":
            return min(p[1] - r for p, r in samples)
        best: float | None = None
        for prop in scene.props:
            if prop.placement.prop != prop_name:
                continue
            for surface in prop.surfaces:
                for p, r in samples:
                    g = surface.gap(p, r)
                    if g is not None and (best is None or g < best):
                        best = g
        return best if best is not None else math.inf
    surfaces = [s for prop in scene.props for s in prop.surfaces if s.kind != "wall"]
    best_gap = math.inf
    for (x, y), r in samples:
        bottom = y - r
        ground = 0.0
        for surface in surfaces:
            top = surface.top_at(x)
            if top is not None and top <= bottom + CONTACT_TOLERANCE and top > ground:
                ground = top
        round_gap = _round_gap(surfaces, (x, y), r)
        if round_gap is not None:
            best_gap = min(best_gap, round_gap)
        best_gap = min(best_gap, bottom - ground)
    return best_gap


def _round_gap(surfaces: list[Surface], p: Point, r: float) -> float | None:
    gaps = [g for s in surfaces if s.kind == "round" and (g := s.gap(p, r)) is not None]
    positive = [g for g in gaps if g > -CONTACT_TOLERANCE]
    return min(positive) if positive else None


def sinking(scene: Scene) -> tuple[str, float] | None:
    """The body part sunk deepest through the floor, and by how much, if any is."""
    worst: tuple[str, float] | None = None
    for name, samples in scene.figure.sites.items():
        depth = -min(p[1] - r for p, r in samples)
        if depth > CONTACT_TOLERANCE and (worst is None or depth > worst[1]):
            worst = (name, depth)
    return worst


def fit_cost(pose: Pose, staging: Staging) -> float:
    """How far ``pose`` is from touching down as ``staging`` asks (cm, 0 is perfect).

    The sum of the contact gaps, plus how deep the body sinks through the
    floor, plus a large penalty when the support has nothing resting on it.
    """
    scene = build_scene(pose, staging, decorate=False)
    gaps = contact_gaps(scene, staging.contacts)
    total = sum(abs(g) if math.isfinite(g) else 1000.0 for g in gaps.values())
    sunk = sinking(scene)
    return total + (sunk[1] if sunk else 0.0) + (100.0 if scene.support_missed else 0.0)


def fit_joint(
    pose: Pose,
    staging: Staging,
    joint: str,
    low: float | None = None,
    high: float | None = None,
    hold_limbs: bool = False,
    span: float | None = None,
    follow: Callable[[Pose], Pose] | None = None,
) -> tuple[Pose, float]:
    """Solve ``joint`` (a per-side name or a both-sides shorthand) so every contact touches.

    Searches the joint's range of motion (or ``low``..``high``) for the angle
    that makes the contact gaps smallest (their sum, so several fitted joints
    can share the work). Returns the fitted pose and that sum in cm.

    With ``hold_limbs`` (for the trunk) the arms and legs keep their directions
    in space while the trunk tilts: on all fours, the back levels between
    hands and knees without the arms and thighs leaning. With ``span`` only
    the angles within ``span`` degrees of the current one are searched (a
    refinement, once a first search has found the right neighbourhood).
    ``follow`` adjusts every trial pose before it is measured (the hands that
    reach for a knee follow the leg).
    """
    specs = joint_specs(pose.view)
    key = joint if joint in specs else f"{SIDES[pose.view][0]}-{joint}"
    spec = specs[key]
    lo = spec.low if low is None else max(spec.low, low)
    hi = spec.high if high is None else min(spec.high, high)

    start = pose.angles.get(key, 0.0)

    def posed(value: float) -> Pose:
        angles = dict(pose.angles)
        angles.update(expand_joints_partial(pose.view, {joint: value}))
        if hold_limbs:
            for side in SIDES[pose.view]:
                for limb in ("shoulder", "hip"):
                    angles[f"{side}-{limb}"] = pose.angles[f"{side}-{limb}"] - (value - start)
        trial = replace(pose, angles=angles)
        return follow(trial) if follow else trial

    def cost(value: float) -> float:
        return fit_cost(posed(value), staging)

    if span is not None:
        lo, hi = max(lo, start - span), min(hi, start + span)
        if hi <= lo:
            return pose, cost(start)
        grid = [lo, start, hi] if lo < start < hi else [lo, hi]
    else:
        steps = max(4, math.ceil((hi - lo) / GRID_STEP))
        grid = [lo + (hi - lo) * i / steps for i in range(steps + 1)]
    costs = [cost(v) for v in grid]
    best_i = min(range(len(grid)), key=costs.__getitem__)
    a = grid[max(0, best_i - 1)]
    b = grid[min(len(grid) - 1, best_i + 1)]
    golden = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = b - golden * (b - a), a + golden * (b - a)
    fc, fd = cost(c), cost(d)
    # narrow the bracket to a few hundredths of its width: well under a degree
    for _ in range(GOLDEN_STEPS):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - golden * (b - a)
            fc = cost(c)
        else:
            a, c, fc = c, d, fd
            d = a + golden * (b - a)
            fd = cost(d)
    value, worst = (c, fc) if fc < fd else (d, fd)
    if costs[best_i] < worst:
        value, worst = grid[best_i], costs[best_i]
    return posed(round(value, 2)), worst


# --- highlights and arrows -------------------------------------------------------------


def _sub(points: Sequence[Point], s0: float, s1: float) -> tuple[Point, ...]:
    """The part of a polyline from fraction s0 to s1 of its points."""
    n = len(points) - 1
    out = []
    for i in range(n + 1):
        s = i / n
        if s0 - 1e-9 <= s <= s1 + 1e-9:
            out.append(points[i])
    if len(out) == 1:
        out.append(out[0])
    return tuple(out)


def _offset_segment(
    a: Point, b: Point, towards: float, by: float, s0: float = 0.15, s1: float = 0.85
) -> tuple[Point, ...]:
    """Part of segment a-b shifted ``by`` cm to its side at angle ``towards`` from its direction."""
    ang = math.atan2(b[1] - a[1], b[0] - a[0]) + math.radians(towards)
    ox, oy = math.cos(ang) * by, math.sin(ang) * by
    return tuple((a[0] + (b[0] - a[0]) * s + ox, a[1] + (b[1] - a[1]) * s + oy) for s in (s0, s1))


def highlight_shapes(fig: Figure, spec: str) -> list[Highlight]:
    """Soft bands over the body area ``spec`` (``hamstrings``, ``far-quads``, ...)."""
    sides = SIDES[fig.view]
    side, area = None, spec
    for s in (*sides,):
        if spec.startswith(s + "-"):
            side, area = s, spec[len(s) + 1 :]
    j = fig.joints
    lines = fig.lines
    out: list[Highlight] = []
    limb_sides = [side] if side else ([sides[0]] if fig.view is View.SIDE else list(sides))

    def add(points: Sequence[Point], width: float) -> None:
        out.append(Highlight(area, tuple(points), width))

    if fig.view is View.SIDE:
        spine = lines["spine"]
        back = lines["back"]
        front = lines["front"]
        shoulder = j["shoulder"]
        if area == "neck":
            add((shoulder, j["neck"]), 14.0)
        elif area == "shoulders":
            for s in limb_sides:
                add((shoulder, _lerp(shoulder, j[f"{s}-elbow"], 0.3)), 17.0)
        elif area == "upper-back":
            add(_sub(back, 0.5, 0.9), 12.0)
        elif area == "lower-back":
            add(_sub(back, 0.1, 0.5), 12.0)
        elif area == "chest":
            add(_sub(front, 0.55, 0.85), 12.0)
        elif area == "core":
            add(_sub(front, 0.2, 0.55), 12.0)
        elif area == "side-body":
            add(_sub(spine, 0.2, 0.85), 18.0)
        elif area == "hips":
            add((j["hip"], j["hip"]), 24.0)
        elif area == "glutes":
            add(_sub(back, 0.0, 0.17), 16.0)
        elif area in ("hamstrings", "quads", "hip-flexors"):
            for s in limb_sides:
                hip, knee = j["hip"], j[f"{s}-knee"]
                # the back of the thigh is clockwise from the thigh's direction
                towards = -90.0 if area == "hamstrings" else 90.0
                if area == "hip-flexors":
                    add((*_offset_segment(hip, knee, towards, 4.0, 0.0, 0.3), front[1]), 12.0)
                else:
                    add(_offset_segment(hip, knee, towards, 4.5, 0.2, 0.85), 9.0)
        return out

    spine = lines["spine"]
    left, right = lines["left"], lines["right"]
    if area == "neck":
        add((j["neck-base"], j["neck"]), 14.0)
    elif area == "shoulders":
        for s in limb_sides:
            add((j[f"{s}-shoulder"], j[f"{s}-shoulder"]), 16.0)
    elif area in ("upper-back", "chest"):
        add(_sub(spine, 0.55, 0.9), 26.0)
    elif area in ("lower-back", "core"):
        add(_sub(spine, 0.15, 0.5), 24.0)
    elif area == "side-body":
        # the long (stretched) side of a side bend
        bend_left = spine[-1][0] > spine[0][0]
        edges = (
            [left]
            if side == "left"
            else [right]
            if side == "right"
            else ([right] if bend_left else [left])
        )
        for edge in edges:
            add(_sub(edge, 0.15, 0.9), 10.0)
    elif area in ("hips", "glutes", "hip-flexors"):
        for s in limb_sides:
            add((j[f"{s}-hip"], j[f"{s}-hip"]), 18.0)
    elif area in ("hamstrings", "quads"):
        for s in limb_sides:
            add(
                (
                    _lerp(j[f"{s}-hip"], j[f"{s}-knee"], 0.2),
                    _lerp(j[f"{s}-hip"], j[f"{s}-knee"], 0.85),
                ),
                16.0,
            )
    return out


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def anchor_point(fig: Figure, name: str) -> Point:
    """A joint's position, or the centre of a body site's samples."""
    if name in fig.joints:
        return fig.joints[name]
    pts = fig.site(name)
    return (sum(p[0] for p, _ in pts) / len(pts), sum(p[1] for p, _ in pts) / len(pts))


def arrow_path(fig: Figure, arrow: Arrow) -> tuple[Point, ...]:
    """The arrow's shaft as a polyline (figure frame, so it mirrors with the scene)."""
    start = anchor_point(fig, arrow.at)
    x, y = start[0] + arrow.offset[0], start[1] + arrow.offset[1]
    steps = 12 if arrow.bend else 1
    heading = arrow.direction - arrow.bend / 2.0
    step_len = arrow.length / steps
    pts = [(x, y)]
    for i in range(steps):
        h = math.radians(heading + arrow.bend * (i + 0.5) / steps)
        x += math.cos(h) * step_len
        y += math.sin(h) * step_len
        pts.append((x, y))
    return tuple(pts)


def known_sites(view: View) -> frozenset[str]:
    """Every site name a pose may use for contacts, props and arrows in ``view``."""
    fig = forward_kinematics(Pose(view, _neutral(view)))
    return frozenset((*fig.sites, *fig.joints, *PLURAL_SITES, "back"))


def _neutral(view: View) -> Mapping[str, float]:
    return {name: spec.neutral for name, spec in joint_specs(view).items()}
