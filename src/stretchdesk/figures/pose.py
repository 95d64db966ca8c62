"""The articulated figure: joint angles in, a 2D skeleton out. No Qt here.

Units are centimetres with ``y`` pointing up and the floor at ``y = 0``. The
figure is 170 cm tall; segment lengths follow the standard anthropometric
proportions of body height (Drillis and Contini, as tabulated by Winter).

Two views share one model:

* **side** — the figure faces +x. Limbs come in pairs, ``near`` (towards the
  viewer, drawn on top and darker) and ``far``. Facing +x, the near side is the
  figure's right; a mirrored figure faces -x and its near side is its left.
* **front** — the figure faces the viewer; limbs are ``left`` and ``right`` (the
  figure's own, so its left side is on the viewer's right, at +x).

Angles are in degrees. Directions are measured anticlockwise from +x (0 is
forwards in the side view, 90 is up). The trunk is the chord from the hip joint
to the shoulder joint; the spine bends as an even curve about that chord, so
flexing it (cat) rounds the back and extending it (cow) hollows it without
moving the hands or knees. Limb angles are measured from the trunk chord.

Side-view joints (positive first):

``trunk``     direction of the trunk chord (90 upright, 0 lying face down
              with the head forwards, 180 lying face up with the head back)
``spine``     flexion (rounds the back) / extension (hollows it)
``lumbar``    more flexion / extension of the lower back alone, the pelvis
              tipping with it (a lower back arching over a foam roller)
``neck``      flexion (chin down) / extension; follows the top of the spine
``head``      nod of the head on the neck, flexion / extension
``shoulder``  flexion (arm forwards and up; 180 overhead) / extension (behind)
``elbow``     flexion
``wrist``     the hand turned the same way as elbow flexion turns the forearm
              (90 puts a hanging hand flat on the floor, fingers forwards)
``hip``       flexion (thigh forwards) / extension (thigh behind)
``knee``      flexion
``ankle``     plantar flexion (toes pointed) / dorsiflexion; the upper limit
              includes the give of the midfoot when kneeling on the feet
``clavicle``  the shoulder girdle drawn forwards (protraction) / back
              (retraction, shoulder blades squeezed)
``shoulder-out``, ``hip-out``, ``knee-out``
              how far the upper arm, thigh or shin leaves the picture plane
              (out to the side in the side view, towards the viewer in the
              front view); it foreshortens that segment by its cosine (a shin
              crossed in front of the body, as in a figure four)

The hip is measured from the trunk line, so its range includes the pelvis's
tilt: a body folded flat over its thighs (child's pose) or a leg stretched
far behind an upright trunk (pigeon) stays within it.

Front-view joints: ``trunk`` (lean, 90 upright), ``spine`` (side bend, positive
towards the figure's left), ``neck`` and ``head`` (tilt, positive to the
left), ``shoulder`` (abduction; 90 out to the side, 180 overhead), ``elbow``
(bend in the picture plane, positive lifts the forearm when the arm is out),
``wrist``, ``hip`` (abduction), ``knee`` (bend in the picture plane; its range
is the projected one, so a shin folded back across the body under a thigh
turned out to the side fits), ``ankle``, ``clavicle`` (shoulder shrug,
elevation) and ``twist`` (the chest turned towards the figure's left,
foreshortening the shoulders; the arm on the side turned away is drawn behind
the body).

Limb joints are written per side (``near-hip``, ``far-knee``, ``left-shoulder``)
or once for both sides (``hip``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum, StrEnum

Point = tuple[float, float]

# --- proportions ---------------------------------------------------------------

HEIGHT = 170.0
UPPER_ARM = 0.186 * HEIGHT
FOREARM = 0.146 * HEIGHT
HAND = 0.108 * HEIGHT  # wrist to fingertip
THIGH = 0.245 * HEIGHT
SHIN = 0.246 * HEIGHT
ANKLE_HEIGHT = 0.039 * HEIGHT
FOOT = 0.152 * HEIGHT  # heel to toe
TORSO = 0.288 * HEIGHT  # hip joint to shoulder joint, along the spine
NECK = 0.060 * HEIGHT  # shoulder joint level to the base of the skull
HEAD_RADIUS = 0.065 * HEIGHT
SHOULDER_HALF_WIDTH = 0.100 * HEIGHT  # front view: centre line to shoulder joint
HIP_HALF_WIDTH = 0.052 * HEIGHT  # front view: centre line to hip joint

SPINE_SEGMENTS = 6
#: Front view: past this twist (degrees) the arm on the side turned away is drawn behind.
TWIST_BEHIND = 15.0
#: Front view: past this hip-out (degrees) the thigh comes towards the viewer and the
#: leg is drawn in front of the body.
LEG_IN_FRONT = 45.0
#: Side view: the far limbs hang this far (cm, along x) behind the near ones, a
#: hint of depth that keeps a far limb visible when it mirrors the near one.
FAR_OFFSET = -2.5

#: Side view: the near thigh is drawn from this far (cm) below the hip joint, so it
#: does not hide the buttock.
THIGH_INSET = 6.0

#: Stroke widths (cm) of the drawn limbs: roughly the limb's thickness.
WIDTHS: dict[str, float] = {
    "neck": 9.0,
    "upper-arm": 8.6,
    "forearm": 7.0,
    "hand": 5.6,
    "thigh": 14.0,
    "shin": 9.6,
    "foot": 2.4,
}

#: Side view torso half-depths along the spine (fraction, back, front).
_SIDE_PROFILE: tuple[tuple[float, float, float], ...] = (
    (0.00, 10.5, 8.5),
    (0.20, 9.5, 9.0),
    (0.45, 8.5, 9.5),
    (0.70, 10.0, 11.0),
    (0.88, 9.5, 10.0),
    (1.00, 8.0, 6.5),
)
#: Front view torso half-widths along the spine (fraction, half-width).
_FRONT_PROFILE: tuple[tuple[float, float], ...] = (
    (0.00, 16.5),
    (0.25, 15.0),
    (0.50, 13.5),
    (0.75, 15.5),
    (0.92, 17.5),
    (1.00, 16.0),
)


class View(StrEnum):
    SIDE = "side"
    FRONT = "front"


class Layer(IntEnum):
    """Drawing order: far limbs behind the body, near limbs on top."""

    FAR = 0
    BODY = 1
    NEAR = 2


class Shape(StrEnum):
    STROKE = "stroke"  # a polyline drawn with round caps and joins, ``width`` wide
    POLYGON = "polygon"  # a filled outline (softened by a ``width`` wide edge)
    CIRCLE = "circle"  # ``points[0]`` is the centre, ``width`` the diameter


@dataclass(frozen=True, slots=True)
class JointSpec:
    """A joint's neutral value and human range of motion, in degrees."""

    neutral: float
    low: float
    high: float


SIDE_JOINTS: dict[str, JointSpec] = {
    "trunk": JointSpec(90, -180, 180),
    "spine": JointSpec(0, -45, 75),
    "lumbar": JointSpec(0, -35, 35),
    "neck": JointSpec(0, -60, 65),
    "head": JointSpec(0, -35, 35),
    "shoulder": JointSpec(0, -70, 185),
    "elbow": JointSpec(0, -5, 155),
    "wrist": JointSpec(0, -80, 95),
    "hip": JointSpec(0, -85, 178),
    "knee": JointSpec(0, -5, 160),
    "ankle": JointSpec(0, -35, 110),
    "clavicle": JointSpec(0, -25, 25),
    "shoulder-out": JointSpec(0, 0, 90),
    "hip-out": JointSpec(0, 0, 90),
    "knee-out": JointSpec(0, 0, 90),
}

FRONT_JOINTS: dict[str, JointSpec] = {
    "trunk": JointSpec(90, -180, 180),
    "spine": JointSpec(0, -50, 50),
    "neck": JointSpec(0, -45, 45),
    "head": JointSpec(0, -30, 30),
    "shoulder": JointSpec(0, -45, 185),
    "elbow": JointSpec(0, -155, 155),
    "wrist": JointSpec(0, -80, 80),
    "hip": JointSpec(0, -30, 120),  # projected: includes the thigh's turn towards the viewer
    "knee": JointSpec(0, -30, 175),  # projected: includes the thigh's turn out
    "ankle": JointSpec(0, -40, 40),
    "clavicle": JointSpec(0, -10, 35),
    "shoulder-out": JointSpec(0, 0, 90),
    "hip-out": JointSpec(0, 0, 90),
    "knee-out": JointSpec(0, 0, 90),
    "twist": JointSpec(0, -60, 60),
}

LIMB_JOINTS = (
    "clavicle",
    "shoulder",
    "shoulder-out",
    "elbow",
    "wrist",
    "hip",
    "hip-out",
    "knee",
    "knee-out",
    "ankle",
)
CENTRAL_JOINTS = ("trunk", "spine", "neck", "head")
SIDE_ONLY = ("lumbar",)
FRONT_ONLY = ("twist",)
SIDES: dict[View, tuple[str, str]] = {View.SIDE: ("near", "far"), View.FRONT: ("left", "right")}
#: Sites naming both sides at once, and the per-side site they join.
PLURAL_SITES: dict[str, str] = {
    "hands": "hand",
    "feet": "foot",
    "knees": "knee",
    "elbows": "elbow",
    "forearms": "forearm",
    "shins": "shin",
    "thighs": "thigh",
    "heels": "heel",
    "toes": "toes",
}


def joint_specs(view: View) -> dict[str, JointSpec]:
    """Every joint name of ``view`` with per-side names (``near-hip``) expanded."""
    base = SIDE_JOINTS if view is View.SIDE else FRONT_JOINTS
    specs = {
        name: base[name] for name in (*CENTRAL_JOINTS, *SIDE_ONLY, *FRONT_ONLY) if name in base
    }
    for side in SIDES[view]:
        for name in LIMB_JOINTS:
            specs[f"{side}-{name}"] = base[name]
    return specs


def accepted_joint_names(view: View) -> tuple[str, ...]:
    """Names a pose may set: every per-side joint plus the both-sides shorthands."""
    return (*joint_specs(view), *LIMB_JOINTS)


def expand_joints(view: View, given: Mapping[str, float]) -> dict[str, float]:
    """Full per-side angles: neutral defaults, then shorthands, then per-side values.

    Unknown names are ignored here; :mod:`stretchdesk.figures.library` reports them.
    """
    specs = joint_specs(view)
    angles = {name: spec.neutral for name, spec in specs.items()}
    for name in LIMB_JOINTS:
        if name in given:
            for side in SIDES[view]:
                angles[f"{side}-{name}"] = float(given[name])
    for name, value in given.items():
        if name in specs:
            angles[name] = float(value)
    return angles


# --- poses ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pose:
    """A figure's joint angles in one view, fully expanded (every joint present).

    ``breath`` (0 to 1) swells the chest a little; :func:`breathe` sets it.
    """

    view: View
    angles: Mapping[str, float]
    breath: float = 0.0

    @classmethod
    def of(cls, view: View | str, **angles: float) -> Pose:
        """A pose from a few angles; the rest are neutral. Names use ``_`` for ``-``."""
        v = View(view)
        return cls(v, expand_joints(v, {k.replace("_", "-"): a for k, a in angles.items()}))

    def with_angles(self, **angles: float) -> Pose:
        merged = dict(self.angles)
        merged.update(
            expand_joints_partial(self.view, {k.replace("_", "-"): a for k, a in angles.items()})
        )
        return replace(self, angles=merged)

    def out_of_range(self) -> list[tuple[str, float, JointSpec]]:
        """Joints outside the human range of motion: (name, angle, spec)."""
        specs = joint_specs(self.view)
        return [
            (name, value, specs[name])
            for name, value in self.angles.items()
            if name in specs and not specs[name].low <= value <= specs[name].high
        ]


def expand_joints_partial(view: View, given: Mapping[str, float]) -> dict[str, float]:
    """Like :func:`expand_joints` but only the joints ``given`` touches."""
    out: dict[str, float] = {}
    for name, value in given.items():
        if name in LIMB_JOINTS:
            for side in SIDES[view]:
                out[f"{side}-{name}"] = float(value)
    for name, value in given.items():
        if name not in LIMB_JOINTS:
            out[name] = float(value)
    return out


def ease_in_out(t: float) -> float:
    """Smooth start and stop (cubic), 0 -> 0 and 1 -> 1."""
    t = min(1.0, max(0.0, t))
    return t * t * (3.0 - 2.0 * t)


def _lerp_angle(a: float, b: float, t: float, wrap: bool) -> float:
    if wrap:  # the trunk turns the short way round
        diff = (b - a + 180.0) % 360.0 - 180.0
        value = a + diff * t
        return (value + 180.0) % 360.0 - 180.0 if abs(value) > 180.0 else value
    return a + (b - a) * t


def interpolate(a: Pose, b: Pose, t: float, easing: bool = True) -> Pose:
    """The pose a fraction ``t`` of the way from ``a`` to ``b`` (joint-angle lerp).

    With ``easing`` the motion starts and stops gently. ``t`` is clamped to
    [0, 1]; the endpoints return poses equal to ``a`` and ``b``.
    """
    if a.view is not b.view:
        raise ValueError(f"cannot interpolate a {a.view} pose with a {b.view} pose")
    t = min(1.0, max(0.0, t))
    if t == 0.0:
        return a
    if t == 1.0:
        return b
    k = ease_in_out(t) if easing else t
    angles = {
        name: _lerp_angle(value, b.angles.get(name, value), k, name == "trunk")
        for name, value in a.angles.items()
    }
    return Pose(a.view, angles, a.breath + (b.breath - a.breath) * k)


def breathe(pose: Pose, phase: float, depth: float = 1.0) -> Pose:
    """``pose`` at ``phase`` of a breath (0 empty, 0.5 full, 1 empty again).

    A subtle motion for holds: the chest swells and the spine lengthens by a
    degree or two. ``depth`` scales it.
    """
    fill = 0.5 - 0.5 * math.cos(2.0 * math.pi * phase)
    angles = dict(pose.angles)
    angles["spine"] = angles["spine"] - 2.0 * fill * depth
    return Pose(pose.view, angles, fill * depth)


# --- forward kinematics -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """One drawn piece of the figure, in world centimetres."""

    name: str
    layer: Layer
    shape: Shape
    points: tuple[Point, ...]
    width: float


@dataclass(frozen=True, slots=True)
class Figure:
    """A posed figure: drawn parts, named joint positions and contact sites.

    ``lines`` holds the spine and the torso's edges (``back``/``front`` in the
    side view, ``left``/``right`` in the front view), bottom to top.
    ``sites`` maps a site name (``head``, ``pelvis``, ``near-hand``, ...) to the
    sample points of its outline, each with the radius of the body there; a
    site's lowest point is ``min(y - r)``. ``segments`` lists the rigid
    segments as (name, start joint, end joint, length) for checking.
    """

    view: View
    parts: tuple[Part, ...]
    joints: Mapping[str, Point]
    sites: Mapping[str, tuple[tuple[Point, float], ...]]
    segments: tuple[tuple[str, str, str, float], ...] = field(default=())
    lines: Mapping[str, tuple[Point, ...]] = field(default_factory=dict)
    facing: int = 1

    def transformed(
        self, dx: float, dy: float, mirror: bool = False, drawing: bool = True
    ) -> Figure:
        """The figure moved by (dx, dy); with ``mirror`` first flipped about x = 0.

        With ``drawing`` false the drawn parts are dropped (for contact checks,
        which only need the sites, joints and lines).
        """
        sx = -1.0 if mirror else 1.0

        def tp(p: Point) -> Point:
            return (sx * p[0] + dx, p[1] + dy)

        parts = (
            tuple(replace(part, points=tuple(tp(p) for p in part.points)) for part in self.parts)
            if drawing
            else ()
        )
        return Figure(
            self.view,
            parts,
            {name: tp(p) for name, p in self.joints.items()},
            {name: tuple((tp(p), r) for p, r in pts) for name, pts in self.sites.items()},
            self.segments,
            {name: tuple(tp(p) for p in pts) for name, pts in self.lines.items()},
            -self.facing if mirror else self.facing,
        )

    def bottom(self, site: str | None = None) -> float:
        """The lowest y of the whole outline or of one site."""
        sites = [self.sites[site]] if site else self.sites.values()
        return min(p[1] - r for pts in sites for p, r in pts)

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of the drawn outline (zeros if nothing is drawn)."""
        if not self.parts:
            return (0.0, 0.0, 0.0, 0.0)
        left = bottom = math.inf
        right = top = -math.inf
        for part in self.parts:
            r = part.width / 2
            for x, y in part.points:
                left = min(left, x - r)
                right = max(right, x + r)
                bottom = min(bottom, y - r)
                top = max(top, y + r)
        return left, bottom, right, top

    def site(self, name: str) -> tuple[tuple[Point, float], ...]:
        """The samples of a body site; plurals (``hands``) join both sides' samples."""
        found = self.sites.get(name)
        if found is not None:
            return found
        if name == "back":
            return self.sites["torso"]
        single = PLURAL_SITES.get(name)
        if single is None:
            raise KeyError(name)
        a, b = SIDES[self.view]
        return self.sites[f"{a}-{single}"] + self.sites[f"{b}-{single}"]


def _dir(deg: float) -> Point:
    rad = math.radians(deg)
    return (math.cos(rad), math.sin(rad))


def _add(p: Point, d: Point, length: float) -> Point:
    return (p[0] + d[0] * length, p[1] + d[1] * length)


def _spine(
    root: Point, trunk: float, bend: float, lumbar: float = 0.0
) -> tuple[list[Point], list[float]]:
    """Points and tangent directions of a spine bent by ``bend`` (+ ``lumbar``) degrees.

    The tangent turns clockwise by ``bend`` evenly from bottom to top, and by
    ``lumbar`` more along the lower half only (the lower back arching or
    rounding on its own, the pelvis tipping with it). The curve is turned so
    its chord keeps the ``trunk`` direction. Returns SPINE_SEGMENTS + 1 points
    and the tangent at each point.
    """
    n = SPINE_SEGMENTS
    seg = TORSO / n
    low = n // 2
    turns = [bend / n + (lumbar / low if k < low else 0.0) for k in range(n)]
    start = trunk + bend / 2.0
    if lumbar:
        # the chord of the curve drawn from direction 0, turned onto the trunk
        x = y = heading = 0.0
        for turn in turns:
            d = _dir(heading - turn / 2.0)
            x, y = x + d[0] * seg, y + d[1] * seg
            heading -= turn
        start = trunk - math.degrees(math.atan2(y, x))
    points = [root]
    tangents = [start]
    for turn in turns:
        heading = tangents[-1]
        points.append(_add(points[-1], _dir(heading - turn / 2.0), seg))
        tangents.append(heading - turn)
    return points, tangents


def _interp_profile(profile: tuple[tuple[float, ...], ...], s: float) -> tuple[float, ...]:
    for (s0, *a), (s1, *b) in itertools.pairwise(profile):
        if s <= s1:
            k = 0.0 if s1 == s0 else (s - s0) / (s1 - s0)
            return tuple(x + (y - x) * k for x, y in zip(a, b, strict=True))
    return tuple(profile[-1][1:])


def _arc(centre: Point, radius: float, a0: float, a1: float, steps: int = 10) -> list[Point]:
    return [_add(centre, _dir(a0 + (a1 - a0) * i / steps), radius) for i in range(steps + 1)]


def _foot(ankle: Point, direction: float, layer: Layer, name: str, view: View) -> Part:
    """The foot as a small outline: ankle, heel, sole and toe."""
    u = _dir(direction)
    n = (u[1], -u[0])  # the sole's side
    r = WIDTHS["foot"] / 2.0
    if view is View.SIDE:
        local = (
            (2.5, -1.5),
            (-4.0, 1.0),
            (-4.2, ANKLE_HEIGHT - r),
            (FOOT - 5.5, ANKLE_HEIGHT - r),
            (FOOT - 5.0, ANKLE_HEIGHT - 3.5),
        )
    else:  # seen from the front: a short rounded wedge below the ankle
        local = ((-3.0, -4.0), (-4.5, ANKLE_HEIGHT - r), (4.5, ANKLE_HEIGHT - r), (3.0, -4.0))
    pts = tuple((ankle[0] + u[0] * a + n[0] * b, ankle[1] + u[1] * a + n[1] * b) for a, b in local)
    return Part(name, layer, Shape.POLYGON, pts, WIDTHS["foot"])


def forward_kinematics(pose: Pose) -> Figure:
    """Place every joint of ``pose`` with the hip joint (pelvis centre) at the origin.

    The result faces +x; :meth:`Figure.transformed` moves and mirrors it.
    """
    if pose.view is View.SIDE:
        return _side(pose)
    return _front(pose)


def _limb_chain(
    start: Point,
    dirs: tuple[float, float, float],
    lengths: tuple[float, float, float],
) -> tuple[Point, Point, Point]:
    p1 = _add(start, _dir(dirs[0]), lengths[0])
    p2 = _add(p1, _dir(dirs[1]), lengths[1])
    p3 = _add(p2, _dir(dirs[2]), lengths[2])
    return p1, p2, p3


def _limb_segments(
    side: str, upper: float, thigh_len: float, shin_len: float
) -> list[tuple[str, str, str, float]]:
    """The arm and leg segments of one side: name, from joint, to joint, length."""
    return [
        (f"{side}-upper-arm", f"{side}-shoulder", f"{side}-elbow", upper),
        (f"{side}-forearm", f"{side}-elbow", f"{side}-wrist", FOREARM),
        (f"{side}-hand", f"{side}-wrist", f"{side}-fingertip", HAND),
        (f"{side}-thigh", f"{side}-hip", f"{side}-knee", thigh_len),
        (f"{side}-shin", f"{side}-knee", f"{side}-ankle", shin_len),
    ]


def _side(pose: Pose) -> Figure:
    a = pose.angles
    trunk = a["trunk"]
    spine_pts, tangents = _spine((0.0, 0.0), trunk, a["spine"], a["lumbar"])
    hip = spine_pts[0]
    shoulder = spine_pts[-1]
    top = tangents[-1]
    neck_dir = top - a["neck"]
    neck_end = _add(shoulder, _dir(neck_dir), NECK)
    head_dir = neck_dir - a["head"]
    head = _add(neck_end, _dir(head_dir), 0.75 * HEAD_RADIUS)

    parts: list[Part] = []
    joints: dict[str, Point] = {"hip": hip, "shoulder": shoulder, "neck": neck_end, "head": head}
    sites: dict[str, tuple[tuple[Point, float], ...]] = {}
    segments: list[tuple[str, str, str, float]] = [
        ("neck", "shoulder", "neck", NECK),
    ]

    # torso outline from the spine and its depth profile
    swell = 1.0 + 0.05 * pose.breath
    back_side: list[Point] = []
    front_side: list[Point] = []
    for i, (p, t) in enumerate(zip(spine_pts, tangents, strict=True)):
        s = i / SPINE_SEGMENTS
        rb, rf = _interp_profile(_SIDE_PROFILE, s)
        if 0.5 < s < 0.95:
            rf *= swell
        front = _dir(t - 90.0)
        back_side.append(_add(p, front, -rb))
        front_side.append(_add(p, front, rf))
    bottom_cap = _arc(hip, _SIDE_PROFILE[0][1], tangents[0] + 90.0, tangents[0] + 270.0, 10)
    top_cap = _arc(shoulder, 9.0, tangents[-1] - 80.0, tangents[-1] + 90.0, 8)
    outline = tuple(front_side[:-1] + top_cap + back_side[::-1][1:] + bottom_cap)
    torso = Part("torso", Layer.BODY, Shape.POLYGON, outline, 2.0)
    # contact sites sample the outline itself (a thin edge), densely enough for a small ball
    edge = 0.5
    sites["torso"] = tuple((p, edge) for p in _densify((*outline, outline[0]), 3.0))
    half = SPINE_SEGMENTS // 2
    sites["pelvis"] = tuple((p, edge) for p in _densify((*back_side[1::-1], *bottom_cap), 2.0))
    # the lower back proper: above the pelvis, up to the middle of the back
    sites["lower-back"] = tuple((p, edge) for p in _densify(back_side[1 : half + 1], 2.0))
    sites["upper-back"] = tuple(
        (p, edge) for p in _densify((*back_side[half:], *top_cap[::-1][:4]), 2.0)
    )
    sites["chest"] = tuple((p, edge) for p in _densify(front_side[half:], 2.0))
    # the side of the waist just above the hip bone, on the spine's line: where a hand
    # rests on the hip
    sites["waist"] = ((spine_pts[1], edge),)
    neck = Part("neck", Layer.BODY, Shape.STROKE, (shoulder, neck_end), WIDTHS["neck"])
    head_part = Part("head", Layer.BODY, Shape.CIRCLE, (head,), 2 * HEAD_RADIUS)
    hair = Part(
        "hair",
        Layer.BODY,
        Shape.POLYGON,
        tuple(_arc(head, HEAD_RADIUS, head_dir - 5.0, head_dir + 140.0, 12)),
        1.0,
    )
    sites["head"] = ((head, HEAD_RADIUS),)
    sites["neck"] = ((shoulder, WIDTHS["neck"] / 2), (neck_end, WIDTHS["neck"] / 2))

    limb_parts: dict[str, list[Part]] = {}
    for side in ("near", "far"):
        layer = Layer.NEAR if side == "near" else Layer.FAR
        s_ang = a[f"{side}-shoulder"]
        arm = trunk + 180.0 + s_ang
        fore = arm + a[f"{side}-elbow"]
        hand_dir = fore + a[f"{side}-wrist"]
        root_dx = FAR_OFFSET if side == "far" else 0.0
        hip_s = (hip[0] + root_dx, hip[1])
        girdle = _add(
            (shoulder[0] + root_dx, shoulder[1]),
            _dir(top - 90.0),
            SHOULDER_HALF_WIDTH * math.sin(math.radians(a[f"{side}-clavicle"])),
        )
        joints[f"{side}-shoulder"] = girdle
        upper = UPPER_ARM * math.cos(math.radians(a[f"{side}-shoulder-out"]))
        thigh_len = THIGH * math.cos(math.radians(a[f"{side}-hip-out"]))
        elbow, wrist, finger = _limb_chain(girdle, (arm, fore, hand_dir), (upper, FOREARM, HAND))
        thigh = trunk + 180.0 + a[f"{side}-hip"]
        shin = thigh - a[f"{side}-knee"]
        foot_dir = shin + 90.0 - a[f"{side}-ankle"]
        knee = _add(hip_s, _dir(thigh), thigh_len)
        shin_len = SHIN * math.cos(math.radians(a[f"{side}-knee-out"]))
        ankle = _add(knee, _dir(shin), shin_len)
        toe = _add(ankle, _dir(foot_dir), FOOT - 5.0)
        joints.update(
            {
                f"{side}-elbow": elbow,
                f"{side}-wrist": wrist,
                f"{side}-fingertip": finger,
                f"{side}-knee": knee,
                f"{side}-ankle": ankle,
                f"{side}-toe": toe,
            }
        )
        segments += _limb_segments(side, upper, thigh_len, shin_len)
        joints[f"{side}-hip"] = hip_s
        hand_r = WIDTHS["hand"] / 2
        hand_end = _add(wrist, _dir(hand_dir), HAND - hand_r)
        foot = _foot(ankle, foot_dir, layer, f"{side}-foot", View.SIDE)
        leg = [
            Part(f"{side}-thigh", layer, Shape.STROKE, (hip_s, knee), WIDTHS["thigh"]),
            Part(f"{side}-shin", layer, Shape.STROKE, (knee, ankle), WIDTHS["shin"]),
            foot,
        ]
        arm_parts = [
            Part(f"{side}-upper-arm", layer, Shape.STROKE, (girdle, elbow), WIDTHS["upper-arm"]),
            Part(f"{side}-forearm", layer, Shape.STROKE, (elbow, wrist), WIDTHS["forearm"]),
            Part(f"{side}-hand", layer, Shape.STROKE, (wrist, hand_end), WIDTHS["hand"]),
        ]
        _limb_sites(sites, side, arm_parts, leg, foot)
        if side == "near":
            # the near thigh is drawn from a little below the hip joint, so the
            # buttock (the torso's rounded end) shows behind it where the body sits
            # or hangs; contacts still use the whole thigh
            inset = min(THIGH_INSET, 0.5 * thigh_len)
            leg[0] = replace(leg[0], points=(_add(hip_s, _dir(thigh), inset), knee))
        limb_parts[f"{side}-leg"] = leg
        limb_parts[f"{side}-arm"] = arm_parts

    parts = [
        *limb_parts["far-arm"],
        *limb_parts["far-leg"],
        torso,
        neck,
        head_part,
        hair,
        *limb_parts["near-leg"],
        *limb_parts["near-arm"],
    ]
    lines = {"spine": tuple(spine_pts), "back": tuple(back_side), "front": tuple(front_side)}
    return Figure(View.SIDE, tuple(parts), joints, sites, tuple(segments), lines)


def _limb_sites(
    sites: dict[str, tuple[tuple[Point, float], ...]],
    side: str,
    arm: list[Part],
    leg: list[Part],
    foot: Part,
) -> None:
    for part in (*arm, *leg):
        if part.shape is Shape.STROKE:
            sites[part.name] = tuple((p, part.width / 2) for p in _densify(part.points, 4.0))
    fr = foot.width / 2
    sites[f"{side}-foot"] = tuple((p, fr) for p in foot.points)
    sites[f"{side}-heel"] = tuple((p, fr) for p in foot.points[1:3])
    sites[f"{side}-toes"] = tuple((p, fr) for p in foot.points[3:])
    shin = leg[1]
    forearm = arm[1]
    sites[f"{side}-knee"] = ((shin.points[0], leg[0].width / 2),)
    sites[f"{side}-elbow"] = ((forearm.points[0], forearm.width / 2),)
    # the heel of the hand is the wrist end of the forearm
    sites[f"{side}-hand"] = ((forearm.points[-1], forearm.width / 2), *sites[f"{side}-hand"])


def _densify(points: Iterable[Point], step: float) -> list[Point]:
    pts = list(points)
    if len(pts) == 2:  # a limb: one straight segment
        (x0, y0), (x1, y1) = pts
        n = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
        dx, dy = (x1 - x0) / n, (y1 - y0) / n
        return [(x0 + dx * i, y0 + dy * i) for i in range(n + 1)]
    out = [pts[0]]
    for p, q in itertools.pairwise(pts):
        n = max(1, math.ceil(math.dist(p, q) / step))
        out += [
            (p[0] + (q[0] - p[0]) * i / n, p[1] + (q[1] - p[1]) * i / n) for i in range(1, n + 1)
        ]
    return out


def _front(pose: Pose) -> Figure:
    a = pose.angles
    trunk = a["trunk"]
    spine_pts, tangents = _spine((0.0, 0.0), trunk, a["spine"])
    pelvis = spine_pts[0]
    top = spine_pts[-1]
    top_t = tangents[-1]
    base_t = tangents[0]
    neck_dir = top_t - a["neck"]
    neck_end = _add(top, _dir(neck_dir), NECK)
    head_dir = neck_dir - a["head"]
    head = _add(neck_end, _dir(head_dir), 0.75 * HEAD_RADIUS)

    joints: dict[str, Point] = {"pelvis": pelvis, "neck-base": top, "neck": neck_end, "head": head}
    sites: dict[str, tuple[tuple[Point, float], ...]] = {}
    segments: list[tuple[str, str, str, float]] = [("neck", "neck-base", "neck", NECK)]

    swell = 1.0 + 0.04 * pose.breath
    left_side: list[Point] = []
    right_side: list[Point] = []
    for i, (p, t) in enumerate(zip(spine_pts, tangents, strict=True)):
        s = i / SPINE_SEGMENTS
        (w,) = _interp_profile(_FRONT_PROFILE, s)
        if 0.5 < s < 0.95:
            w *= swell
        w *= 1.0 - (1.0 - math.cos(math.radians(a["twist"]))) * s * 0.8
        left = _dir(t - 90.0)
        left_side.append(_add(p, left, w))
        right_side.append(_add(p, left, -w))
    outline = tuple(left_side + right_side[::-1])
    torso = Part("torso", Layer.BODY, Shape.POLYGON, outline, 6.0)
    sites["torso"] = tuple((p, 3.0) for p in outline)
    sites["pelvis"] = ((left_side[0], 3.0), (right_side[0], 3.0), (pelvis, 3.0))
    sites["upper-back"] = tuple((p, 3.0) for p in left_side[3:] + right_side[3:])
    sites["lower-back"] = tuple((p, 3.0) for p in left_side[:4] + right_side[:4])
    # the sides of the waist, just above the hip bones: where a hand rests on the hip
    sites["left-waist"] = ((left_side[1], 3.0),)
    sites["right-waist"] = ((right_side[1], 3.0),)
    sites["head"] = ((head, HEAD_RADIUS),)
    sites["neck"] = ((top, WIDTHS["neck"] / 2), (neck_end, WIDTHS["neck"] / 2))

    parts: list[Part] = []
    arms: list[Part] = []
    legs: list[Part] = []
    # with the chest turned, the shoulder turned away goes behind the body
    turned_away = (
        "left" if a["twist"] > TWIST_BEHIND else "right" if a["twist"] < -TWIST_BEHIND else ""
    )
    behind: list[Part] = []
    front_legs: list[Part] = []
    crossed_legs: list[Part] = []
    for side, sign in (("left", 1.0), ("right", -1.0)):
        out = _dir(top_t - 90.0 * sign)
        half = SHOULDER_HALF_WIDTH * math.cos(math.radians(a["twist"]))
        shrug = math.radians(a[f"{side}-clavicle"])
        up = _dir(top_t)
        shoulder = _add(
            _add(top, out, half * math.cos(shrug)), up, SHOULDER_HALF_WIDTH * math.sin(shrug)
        )
        hip = _add(pelvis, _dir(base_t - 90.0 * sign), HIP_HALF_WIDTH)
        arm = top_t + 180.0 + sign * a[f"{side}-shoulder"]
        fore = arm + sign * a[f"{side}-elbow"]
        hand_dir = fore + sign * a[f"{side}-wrist"]
        upper = UPPER_ARM * math.cos(math.radians(a[f"{side}-shoulder-out"]))
        thigh_len = THIGH * math.cos(math.radians(a[f"{side}-hip-out"]))
        elbow, wrist, finger = _limb_chain(shoulder, (arm, fore, hand_dir), (upper, FOREARM, HAND))
        thigh = base_t + 180.0 + sign * a[f"{side}-hip"]
        shin = thigh - sign * a[f"{side}-knee"]
        knee = _add(hip, _dir(thigh), thigh_len)
        shin_len = SHIN * math.cos(math.radians(a[f"{side}-knee-out"]))
        ankle = _add(knee, _dir(shin), shin_len)
        joints.update(
            {
                f"{side}-shoulder": shoulder,
                f"{side}-hip": hip,
                f"{side}-elbow": elbow,
                f"{side}-wrist": wrist,
                f"{side}-fingertip": finger,
                f"{side}-knee": knee,
                f"{side}-ankle": ankle,
            }
        )
        segments += _limb_segments(side, upper, thigh_len, shin_len)
        hand_end = _add(wrist, _dir(hand_dir), HAND * 0.75 - WIDTHS["hand"] / 2)
        foot_dir = shin + 90.0 + sign * a[f"{side}-ankle"]
        foot = _foot(ankle, foot_dir, Layer.NEAR, f"{side}-foot", View.FRONT)
        arm_parts = [
            Part(
                f"{side}-upper-arm",
                Layer.NEAR,
                Shape.STROKE,
                (shoulder, elbow),
                WIDTHS["upper-arm"],
            ),
            Part(f"{side}-forearm", Layer.NEAR, Shape.STROKE, (elbow, wrist), WIDTHS["forearm"]),
            Part(f"{side}-hand", Layer.NEAR, Shape.STROKE, (wrist, hand_end), WIDTHS["hand"] + 1),
        ]
        # a leg crossed over the other (its ankle past the centre line, a figure four)
        # is drawn on top, edged like a near limb, so the crossing shin reads
        across = _dir(base_t - 90.0)
        crossed = sign * (ankle[0] * across[0] + ankle[1] * across[1]) < -HIP_HALF_WIDTH / 2
        leg_layer = Layer.NEAR if crossed else Layer.BODY
        leg = [
            Part(f"{side}-thigh", leg_layer, Shape.STROKE, (hip, knee), WIDTHS["thigh"]),
            Part(f"{side}-shin", leg_layer, Shape.STROKE, (knee, ankle), WIDTHS["shin"] + 1),
            replace(foot, layer=leg_layer),
        ]
        if side == turned_away:
            behind += [replace(part, layer=Layer.FAR) for part in arm_parts]
        else:
            arms += arm_parts
        # a thigh coming towards the viewer (sitting) puts the leg in front of the body
        if crossed:
            crossed_legs.extend(leg)
        elif a[f"{side}-hip-out"] > LEG_IN_FRONT:
            front_legs.extend(leg)
        else:
            legs.extend(leg)
        _limb_sites(sites, side, arm_parts, leg, foot)
    neck = Part("neck", Layer.BODY, Shape.STROKE, (top, neck_end), WIDTHS["neck"])
    head_part = Part("head", Layer.BODY, Shape.CIRCLE, (head,), 2 * HEAD_RADIUS)
    turn = 1.2 * a["twist"]
    hair = Part(
        "hair",
        Layer.BODY,
        Shape.POLYGON,
        # the hair shows which way the head is turned
        tuple(_arc(head, HEAD_RADIUS, head_dir - 75.0 + turn, head_dir + 75.0 + turn, 12)),
        1.0,
    )
    parts = [*behind, *legs, neck, torso, head_part, hair, *front_legs, *crossed_legs, *arms]
    lines = {"spine": tuple(spine_pts), "left": tuple(left_side), "right": tuple(right_side)}
    return Figure(View.FRONT, tuple(parts), joints, sites, tuple(segments), lines)


# --- reaching ------------------------------------------------------------------------


def _norm(deg: float, spec: JointSpec | None = None) -> float:
    """``deg`` turned by whole turns into (-180, 180], or into ``spec``'s range if it fits."""
    value = (deg + 180.0) % 360.0 - 180.0
    if spec is not None:
        for candidate in (value, value + 360.0, value - 360.0):
            if spec.low <= candidate <= spec.high:
                return candidate
    return value


def reach(
    pose: Pose,
    effector: str,
    target: Point,
    along: float | None = None,
    elbow_out: bool = False,
) -> Pose:
    """Bend a limb so its wrist (``near-hand``) or ankle (``far-foot``) reaches ``target``.

    Two-segment inverse kinematics in the picture plane; the elbow or knee
    bends the way it naturally flexes. A target out of reach straightens the
    limb towards it. Returns the pose with the limb's two joints set; with
    ``along`` (a direction in degrees) a hand is also turned at the wrist to
    lie that way, as far as the wrist allows (a hand resting along a thigh).
    With ``elbow_out`` a front view arm bends whichever way keeps the elbow
    further from the trunk (a hand on the hip, the elbow out to the side).
    """
    side, _, limb = effector.partition("-")
    if side not in SIDES[pose.view] or limb not in ("hand", "foot"):
        raise ValueError(f"cannot reach with {effector!r}")
    fig = forward_kinematics(pose)
    a = pose.angles
    arm = limb == "hand"
    root = fig.joints[f"{side}-shoulder" if arm else f"{side}-hip"]
    first = (
        UPPER_ARM * math.cos(math.radians(a[f"{side}-shoulder-out"]))
        if arm
        else THIGH * math.cos(math.radians(a[f"{side}-hip-out"]))
    )
    second = FOREARM if arm else SHIN * math.cos(math.radians(a[f"{side}-knee-out"]))
    dx, dy = target[0] - root[0], target[1] - root[1]
    d = min(max(math.hypot(dx, dy), abs(first - second) + 1e-6), first + second - 1e-6)
    phi = math.degrees(math.atan2(dy, dx))
    inner = math.degrees(
        math.acos((first * first + second * second - d * d) / (2 * first * second))
    )
    alpha = math.degrees(math.acos((first * first + d * d - second * second) / (2 * first * d)))
    bend = 180.0 - inner
    sign = 1.0 if side in ("near", "far", "left") else -1.0
    if pose.view is View.SIDE:
        base = a["trunk"] + 180.0
        sign = 1.0
    else:
        _spine_pts, tangents = _spine((0.0, 0.0), a["trunk"], a["spine"])
        base = (tangents[-1] if arm else tangents[0]) + 180.0
    specs = joint_specs(pose.view)
    angles = dict(pose.angles)
    if arm:  # the forearm turns anticlockwise from the upper arm (times sign)
        upper_dir = phi - sign * alpha
        if (
            elbow_out
            and pose.view is View.FRONT
            and _elbow_inwards(root, upper_dir, first, phi, a["trunk"])
        ):
            upper_dir, bend = phi + sign * alpha, -bend
        angles[f"{side}-shoulder"] = round(
            _norm(sign * (upper_dir - base), specs[f"{side}-shoulder"]), 2
        )
        angles[f"{side}-elbow"] = round(bend, 2)
    else:  # the shin turns clockwise from the thigh (times sign)
        thigh_dir = phi + sign * alpha
        angles[f"{side}-hip"] = round(_norm(sign * (thigh_dir - base), specs[f"{side}-hip"]), 2)
        angles[f"{side}-knee"] = round(bend, 2)
    reached = Pose(pose.view, angles, pose.breath)
    if arm and along is not None:
        joints = forward_kinematics(reached).joints
        (ex, ey), (wx, wy) = joints[f"{side}-elbow"], joints[f"{side}-wrist"]
        fore_dir = math.degrees(math.atan2(wy - ey, wx - ex))
        spec = specs[f"{side}-wrist"]
        wrist = _norm(sign * (along - fore_dir))
        angles[f"{side}-wrist"] = round(min(spec.high, max(spec.low, wrist)), 2)
        reached = Pose(pose.view, angles, pose.breath)
    return reached


def _elbow_inwards(
    shoulder: Point, upper_dir: float, upper: float, phi: float, trunk: float
) -> bool:
    """True when the elbow at ``upper_dir`` lies nearer the trunk's line (front view)
    than the other way of bending the arm to the same target (direction ``phi``) puts it."""
    across = _dir(trunk - 90.0)

    def off_centre(direction: float) -> float:
        elbow = _add(shoulder, _dir(direction), upper)
        return abs(elbow[0] * across[0] + elbow[1] * across[1])

    return off_centre(upper_dir) < off_centre(2.0 * phi - upper_dir) - 1e-6
