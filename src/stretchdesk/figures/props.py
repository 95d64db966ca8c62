"""Props drawn to scale beside the figure: mat, wall, chair, roller, ... No Qt here.

A prop is placed against the figure by a :class:`PropPlacement` (``at`` names a
body site of :class:`~stretchdesk.figures.pose.Figure`) and stands on the floor.
Placing one gives the shapes to draw (in centimetres, like the figure) and the
surfaces the body can rest on or lean against, which the scene uses for ground
contact and its checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from stretchdesk.figures.pose import Figure, Point, View

#: Real sizes in centimetres.
CHAIR_SEAT = 44.0
CHAIR_DEPTH = 44.0
CHAIR_BACK = 88.0
DESK_HEIGHT = 74.0
DESK_DEPTH = 70.0
BED_HEIGHT = 52.0
BED_LENGTH = 200.0
ROLLER_DIAMETER = 15.0
BLOCK_SIZES = {"flat": (23.0, 10.0), "side": (23.0, 15.0), "tall": (15.0, 23.0)}
BALL_DIAMETER = 7.0
ROLLED_TOWEL_DIAMETER = 10.0
WALL_THICKNESS = 12.0
WALL_HEIGHT = 250.0
DOOR_HEIGHT = 205.0
DOOR_WIDTH = 80.0
DOOR_FRAME_DEPTH = 11.0  # the door post from face to face: the wall and its casings
MAT_THICKNESS = 1.5

PROPS = (
    "mat",
    "wall",
    "foam-roller",
    "yoga-block",
    "bed",
    "chair",
    "desk",
    "ball",
    "towel",
    "doorway",
    "heat-pack",
    "ice-pack",
)
#: Props that need a body site to stand against.
NEEDS_ANCHOR = frozenset(
    {
        "wall",
        "foam-roller",
        "yoga-block",
        "chair",
        "desk",
        "ball",
        "towel",
        "doorway",
    }
)


class Tone(StrEnum):
    """Which palette colour a prop shape takes."""

    PROP = "prop"  # wood, plastic: chair, desk, block
    PROP_DARK = "prop-dark"  # edges, legs, the end of a roller
    SOFT = "soft"  # mat, bed, roller, towel
    WALL = "wall"
    STRAP = "strap"  # a towel held as a strap, drawn over the figure
    WARM = "warm"  # a heat pack
    COOL = "cool"  # an ice pack


@dataclass(frozen=True, slots=True)
class Primitive:
    """A rect (``points`` = two corners, ``size`` = corner radius), a circle
    (``points[0]`` centre, ``size`` radius), a polyline (``size`` = width) or a
    filled polygon (``size`` = the width of its softened edge)."""

    kind: str
    points: tuple[Point, ...]
    size: float
    tone: Tone
    front: bool = False  # drawn over the figure


@dataclass(frozen=True, slots=True)
class Surface:
    """Something the body can touch.

    ``flat``: a horizontal top at ``y`` from ``x0`` to ``x1``. ``round``: a
    circle at (``x0``, ``y``) with radius ``x1``. ``wall``: a vertical face at
    ``x0`` facing +x (``y`` = 1) or -x (``y`` = -1).
    """

    kind: str
    x0: float
    x1: float
    y: float

    def top_at(self, x: float) -> float | None:
        """Height of the surface's top above ``x``, or None beyond it."""
        if self.kind == "flat":
            return self.y if self.x0 <= x <= self.x1 else None
        if self.kind == "round":
            dx = x - self.x0
            return self.y + math.sqrt(self.x1 * self.x1 - dx * dx) if abs(dx) < self.x1 else None
        return None

    def gap(self, p: Point, r: float) -> float | None:
        """How far a body sample (centre ``p``, radius ``r``) is from touching it.

        None when the sample is beside the surface rather than over it.
        """
        if self.kind == "wall":
            return (p[0] - r - self.x0) if self.y > 0 else (self.x0 - p[0] - r)
        if self.kind == "round":
            if p[1] < self.y:
                return None
            return math.dist(p, (self.x0, self.y)) - self.x1 - r
        top = self.top_at(p[0])
        return None if top is None else p[1] - r - top


@dataclass(frozen=True, slots=True)
class PropPlacement:
    """Where a pose puts a prop: against body site ``at`` (``to`` for a towel strap).

    ``side`` is ``behind`` or ``front`` for walls and desks, and ``front`` puts a
    chair in front of a standing figure with a hand on its backrest; ``size`` picks a
    variant (``flat``/``side``/``tall`` for a yoga block, ``rolled`` for a towel).
    """

    prop: str
    at: str | None = None
    to: str | None = None
    side: str = "behind"
    size: str = ""


@dataclass(frozen=True, slots=True)
class PlacedProp:
    placement: PropPlacement
    shapes: tuple[Primitive, ...]
    surfaces: tuple[Surface, ...]
    bounds: tuple[float, float, float, float]  # left, bottom, right, top (walls clipped)


def _centre_x(figure: Figure, site: str) -> float:
    pts = figure.site(site)
    return sum(p[0] for p, _ in pts) / len(pts)


def _rect(
    x0: float, y0: float, x1: float, y1: float, tone: Tone, radius: float = 1.0, front: bool = False
) -> Primitive:
    return Primitive(
        "rect", ((min(x0, x1), min(y0, y1)), (max(x0, x1), max(y0, y1))), radius, tone, front
    )


def place_prop(placement: PropPlacement, figure: Figure) -> PlacedProp:
    """Shapes and surfaces of one prop placed against ``figure`` (which faces +x)."""
    kind = placement.prop
    at = placement.at
    left, _, right, top = figure.bounds() if kind in ("mat", "wall", "bed") else (0, 0, 0, 0)
    front_view = figure.view is View.FRONT
    shapes: list[Primitive] = []
    surfaces: list[Surface] = []
    if kind == "mat":
        x0, x1 = left - 10.0, right + 10.0
        shapes.append(_rect(x0, -MAT_THICKNESS, x1, 0.0, Tone.SOFT, 0.7))
        return PlacedProp(placement, tuple(shapes), (), (x0, -MAT_THICKNESS, x1, 0.0))
    if kind == "wall":
        if front_view:
            x0, x1 = left - 45.0, right + 45.0
            shapes.append(_rect(x0, 0.0, x1, WALL_HEIGHT, Tone.WALL, 0.0))
            return PlacedProp(placement, tuple(shapes), (), (x0, 0.0, x1, top + 15.0))
        pts = figure.site(at or "back")
        if placement.side == "front":
            face = max(p[0] + r for p, r in pts)
            shapes.append(_rect(face, 0.0, face + WALL_THICKNESS, WALL_HEIGHT, Tone.WALL, 0.0))
            surfaces.append(Surface("wall", face, 0.0, -1.0))
            return PlacedProp(
                placement,
                tuple(shapes),
                tuple(surfaces),
                (face, 0.0, face + WALL_THICKNESS, top + 15.0),
            )
        face = min(p[0] - r for p, r in pts)
        shapes.append(_rect(face - WALL_THICKNESS, 0.0, face, WALL_HEIGHT, Tone.WALL, 0.0))
        surfaces.append(Surface("wall", face, 0.0, 1.0))
        return PlacedProp(
            placement,
            tuple(shapes),
            tuple(surfaces),
            (face - WALL_THICKNESS, 0.0, face, top + 15.0),
        )
    if kind == "doorway":
        if front_view:
            lx = min(p[0] - r for p, r in figure.site("right-hand")) - 1.0
            rx = max(p[0] + r for p, r in figure.site("left-hand")) + 1.0
            for x0, x1 in ((lx - 60.0, lx), (rx, rx + 60.0)):
                shapes.append(_rect(x0, 0.0, x1, WALL_HEIGHT, Tone.WALL, 0.0))
            shapes.append(_rect(lx - 60.0, DOOR_HEIGHT, rx + 60.0, WALL_HEIGHT, Tone.WALL, 0.0))
            for x0, x1 in ((lx - 5.0, lx), (rx, rx + 5.0)):
                shapes.append(_rect(x0, 0.0, x1, DOOR_HEIGHT, Tone.PROP, 0.0))
            shapes.append(_rect(lx - 5.0, DOOR_HEIGHT, rx + 5.0, DOOR_HEIGHT + 5.0, Tone.PROP, 0.0))
            return PlacedProp(
                placement, tuple(shapes), (), (lx - 20.0, 0.0, rx + 20.0, DOOR_HEIGHT + 8.0)
            )
        # seen from the side: the far door post with the forearm against its face, and
        # the door standing open behind the figure (a post alone reads as a pole)
        pts = figure.site(at or "near-forearm")
        face = max(p[0] + r for p, r in pts)
        x1 = face + DOOR_FRAME_DEPTH
        # the door is turned away from the viewer: narrowed, its free edge shorter,
        # so it reads as a door swung open rather than a closed one
        leaf = x1 + DOOR_WIDTH * 0.7
        top = DOOR_HEIGHT - 2.0
        frame = ((x1, 0.0), (leaf, 6.0), (leaf, top - 12.0), (x1, top))
        panel = (
            (x1 + 2.0, 2.5),
            (leaf - 2.0, 8.0),
            (leaf - 2.0, top - 13.5),
            (x1 + 2.0, top - 2.5),
        )
        shapes += [
            Primitive("polygon", frame, 1.0, Tone.PROP_DARK),
            Primitive("polygon", panel, 1.0, Tone.WALL),
            Primitive("circle", ((leaf - 7.0, 100.0),), 2.6, Tone.PROP_DARK),
            _rect(face, 0.0, x1, DOOR_HEIGHT, Tone.PROP, 1.0),
            _rect(face - 2.0, DOOR_HEIGHT, x1 + 2.0, DOOR_HEIGHT + 6.0, Tone.PROP_DARK, 1.0),
        ]
        surfaces.append(Surface("wall", face, 0.0, -1.0))
        # the door may run off the picture: only its hinge side counts as content
        return PlacedProp(
            placement,
            tuple(shapes),
            tuple(surfaces),
            (face - 2.0, 0.0, x1 + DOOR_WIDTH * 0.3, DOOR_HEIGHT + 6.0),
        )
    if kind in ("heat-pack", "ice-pack"):
        # a thin pack lying along the back of the torso, over the lower back by default
        back = figure.lines.get("back") or figure.lines["spine"]
        spine = figure.lines["spine"]
        span = (1, 3) if (at or "lower-back") == "lower-back" else (3, 5)
        pts = []
        for i in range(span[0], span[1] + 1):
            (bx, by), (sx, sy) = back[i], spine[i]
            d = math.hypot(bx - sx, by - sy) or 1.0
            pts.append((bx + (bx - sx) / d * 1.6, by + (by - sy) / d * 1.6))
        tone = Tone.WARM if kind == "heat-pack" else Tone.COOL
        shapes.append(Primitive("polyline", tuple(pts), 3.2, tone, True))
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return PlacedProp(placement, tuple(shapes), (), (min(xs), min(ys), max(xs), max(ys)))
    if kind == "towel" and placement.to:
        a = figure.site(at or "near-hand")
        b = figure.site(placement.to)
        start = a[len(a) // 2][0]
        if placement.to.endswith("foot"):
            heel, sole = b[2][0], b[3][0]  # wrap round the sole, under the ball of the foot
            end = (heel[0] * 0.3 + sole[0] * 0.7, heel[1] * 0.3 + sole[1] * 0.7)
        else:
            end = b[len(b) // 2][0]
        shapes.append(Primitive("polyline", (start, end), 2.6, Tone.STRAP, True))
        xs, ys = (start[0], end[0]), (start[1], end[1])
        return PlacedProp(placement, tuple(shapes), (), (min(xs), min(ys), max(xs), max(ys)))

    cx = _centre_x(figure, at) if at else (left + right) / 2.0
    if kind in ("foam-roller", "ball") or (kind == "towel" and placement.size == "rolled"):
        diameter = {"foam-roller": ROLLER_DIAMETER, "ball": BALL_DIAMETER}.get(
            kind, ROLLED_TOWEL_DIAMETER
        )
        r = diameter / 2.0
        tone = Tone.PROP if kind == "ball" else Tone.SOFT
        shapes.append(Primitive("circle", ((cx, r),), r, tone))
        if kind == "foam-roller":
            shapes.append(Primitive("circle", ((cx, r),), r * 0.45, Tone.PROP_DARK))
        surfaces.append(Surface("round", cx, r, r))
        return PlacedProp(
            placement, tuple(shapes), tuple(surfaces), (cx - r, 0.0, cx + r, diameter)
        )
    if kind == "yoga-block":
        w, h = BLOCK_SIZES.get(placement.size or "flat", BLOCK_SIZES["flat"])
        shapes.append(_rect(cx - w / 2, 0.0, cx + w / 2, h, Tone.PROP, 1.5))
        surfaces.append(Surface("flat", cx - w / 2, cx + w / 2, h))
        return PlacedProp(
            placement, tuple(shapes), tuple(surfaces), (cx - w / 2, 0.0, cx + w / 2, h)
        )
    if kind == "chair":
        if front_view:
            x0, x1 = cx - 24.0, cx + 24.0
            shapes += [
                _rect(x0 + 3, CHAIR_SEAT, x1 - 3, CHAIR_BACK, Tone.PROP_DARK, 3.0),
                _rect(x0, CHAIR_SEAT - 4.0, x1, CHAIR_SEAT, Tone.PROP, 1.5),
                _rect(x0 + 1, 0.0, x0 + 4, CHAIR_SEAT - 4.0, Tone.PROP_DARK, 0.8),
                _rect(x1 - 4, 0.0, x1 - 1, CHAIR_SEAT - 4.0, Tone.PROP_DARK, 0.8),
            ]
        else:
            # sitting: the backrest a little behind the pelvis; standing behind the
            # chair (side: front), its backrest under the hand that rests on it
            x0 = cx if placement.side == "front" else cx - 16.0
            x1 = x0 + CHAIR_DEPTH
            if placement.side == "front":
                surfaces.append(Surface("flat", x0 - 2.0, x0 + 3.0, CHAIR_BACK))
            shapes += [
                _rect(x0 - 2.0, CHAIR_SEAT, x0 + 2.0, CHAIR_BACK, Tone.PROP_DARK, 1.5),
                _rect(x0 - 2.0, CHAIR_BACK - 22.0, x0 + 3.0, CHAIR_BACK, Tone.PROP, 2.0),
                _rect(x0, CHAIR_SEAT - 4.0, x1, CHAIR_SEAT, Tone.PROP, 1.5),
                _rect(x0 + 1, 0.0, x0 + 4, CHAIR_SEAT - 4.0, Tone.PROP_DARK, 0.8),
                _rect(x1 - 4, 0.0, x1 - 1, CHAIR_SEAT - 4.0, Tone.PROP_DARK, 0.8),
            ]
        surfaces.append(Surface("flat", x0, x1, CHAIR_SEAT))
        return PlacedProp(placement, tuple(shapes), tuple(surfaces), (x0 - 2, 0.0, x1, CHAIR_BACK))
    if kind == "desk":
        if placement.side == "behind":
            x1 = cx + 8.0
            x0 = x1 - DESK_DEPTH
        else:
            x0 = cx - 8.0
            x1 = x0 + DESK_DEPTH
        shapes += [
            _rect(x0, DESK_HEIGHT - 3.0, x1, DESK_HEIGHT, Tone.PROP, 1.0),
            _rect(x0 + 3, 0.0, x0 + 6, DESK_HEIGHT - 3.0, Tone.PROP_DARK, 0.8),
            _rect(x1 - 6, 0.0, x1 - 3, DESK_HEIGHT - 3.0, Tone.PROP_DARK, 0.8),
        ]
        surfaces.append(Surface("flat", x0, x1, DESK_HEIGHT))
        return PlacedProp(placement, tuple(shapes), tuple(surfaces), (x0, 0.0, x1, DESK_HEIGHT))
    if kind == "bed":
        length = max(BED_LENGTH, right - left + 20.0)
        mid = (left + right) / 2.0
        x0, x1 = mid - length / 2.0, mid + length / 2.0
        head_x = figure.joints["head"][0]
        head_end = x1 if head_x > mid else x0
        shapes += [
            _rect(head_end - 4.0, 0.0, head_end + 4.0, 92.0, Tone.PROP_DARK, 2.0),
            _rect(x0 + 2, 0.0, x0 + 6, 30.0, Tone.PROP_DARK, 0.8),
            _rect(x1 - 6, 0.0, x1 - 2, 30.0, Tone.PROP_DARK, 0.8),
            _rect(x0, 26.0, x1, 36.0, Tone.PROP, 1.5),
            _rect(x0, 36.0, x1, BED_HEIGHT, Tone.SOFT, 5.0),
        ]
        surfaces.append(Surface("flat", x0, x1, BED_HEIGHT))
        return PlacedProp(placement, tuple(shapes), tuple(surfaces), (x0, 0.0, x1, 92.0))
    raise ValueError(f"unknown prop {kind!r}")


def mirror_prop(prop: PlacedProp) -> PlacedProp:
    """The prop flipped about x = 0 (for a figure facing the other way)."""

    def fx(p: Point) -> Point:
        return (-p[0], p[1])

    shapes = []
    for s in prop.shapes:
        pts = tuple(fx(p) for p in s.points)
        if s.kind == "rect":
            (ax, ay), (bx, by) = pts
            pts = ((min(ax, bx), min(ay, by)), (max(ax, bx), max(ay, by)))
        shapes.append(Primitive(s.kind, pts, s.size, s.tone, s.front))
    surfaces = []
    for f in prop.surfaces:
        if f.kind == "flat":
            surfaces.append(Surface("flat", -f.x1, -f.x0, f.y))
        elif f.kind == "round":
            surfaces.append(Surface("round", -f.x0, f.x1, f.y))
        else:
            surfaces.append(Surface("wall", -f.x0, f.x1, -f.y))
    left, bottom, right, top = prop.bounds
    return PlacedProp(prop.placement, tuple(shapes), tuple(surfaces), (-right, bottom, -left, top))
