"""Ground contact and props: the figure rests on the floor or its support by computation."""

from __future__ import annotations

import pytest

from stretchdesk.figures.pose import Pose
from stretchdesk.figures.props import CHAIR_BACK, CHAIR_SEAT, ROLLER_DIAMETER, PropPlacement
from stretchdesk.figures.scene import Staging, build_scene, contact_gaps, fit_joint, sinking

EPS = 1e-6


@pytest.mark.parametrize(
    "pose",
    [
        Pose.of("side"),
        Pose.of("side", trunk=180),
        Pose.of("side", trunk=0, shoulder=90, wrist=90, hip=90, knee=90),
        Pose.of("side", trunk=45, hip=120, knee=40),
        Pose.of("front", shoulder=90, elbow=90),
    ],
)
def test_lowest_point_rests_on_the_floor(pose: Pose) -> None:
    scene = build_scene(pose, Staging())
    assert scene.figure.bottom() == pytest.approx(0.0, abs=EPS)
    assert sinking(scene) is None


def test_seated_figure_rests_on_the_chair_seat() -> None:
    staging = Staging(
        props=(PropPlacement("chair", at="pelvis"),),
        support="chair",
        rest_on=("pelvis", "thighs"),
        contacts=("feet",),
    )
    scene = build_scene(Pose.of("side", hip=90, knee=90), staging)
    resting = min(p[1] - r for name in ("pelvis", "thighs") for p, r in scene.figure.site(name))
    assert resting == pytest.approx(CHAIR_SEAT, abs=EPS)


def test_fit_puts_the_feet_on_the_floor_from_the_chair() -> None:
    staging = Staging(
        props=(PropPlacement("chair", at="pelvis"),),
        support="chair",
        rest_on=("pelvis", "thighs"),
        contacts=("feet",),
    )
    fitted, cost = fit_joint(Pose.of("side", hip=90, knee=90), staging, "hip", 70, 110)
    assert cost < 0.2
    gaps = contact_gaps(build_scene(fitted, staging), ["feet"])
    assert abs(gaps["feet"]) < 0.2


def test_back_rests_on_top_of_a_foam_roller() -> None:
    staging = Staging(
        props=(PropPlacement("foam-roller", at="upper-back"),),
        support="foam-roller",
        rest_on=("upper-back",),
    )
    scene = build_scene(Pose.of("side", trunk=180), staging)
    assert scene.figure.bottom("upper-back") > ROLLER_DIAMETER - 1.0
    gaps = contact_gaps(scene, ["upper-back@foam-roller"])
    assert gaps["upper-back@foam-roller"] == pytest.approx(0.0, abs=0.5)


def test_a_floating_contact_is_measured() -> None:
    # on all fours with arms much longer than the thighs: the knees cannot touch
    pose = Pose.of("side", trunk=0, shoulder=90, wrist=90, hip=90, knee=90)
    gaps = contact_gaps(build_scene(pose, Staging()), ["hands", "knees"])
    assert gaps["knees"] > 5.0
    assert gaps["hands"] < gaps["knees"]


def test_missing_support_is_flagged() -> None:
    staging = Staging(
        props=(PropPlacement("chair", at="near-toes"),), support="chair", rest_on=("head",)
    )
    assert build_scene(Pose.of("side", trunk=180), staging).support_missed


def test_mirrored_scene_is_symmetric() -> None:
    staging = Staging(
        props=(PropPlacement("mat"), PropPlacement("wall", at="back")),
        highlight=("hamstrings",),
    )
    pose = Pose.of("side", hip=40, knee=20)
    scene = build_scene(pose, staging)
    mirrored = build_scene(pose, staging, mirror=True)
    for name, (x, y) in scene.figure.joints.items():
        assert mirrored.figure.joints[name] == pytest.approx((-x, y))
    left, bottom, right, top = scene.bounds
    assert mirrored.bounds == pytest.approx((-right, bottom, -left, top))
    assert mirrored.props[1].surfaces[0].x0 == pytest.approx(-scene.props[1].surfaces[0].x0)


def test_a_hand_rests_on_the_backrest_of_a_chair_in_front() -> None:
    """Standing behind a chair (side: front), the backrest is under the hand and its top
    is something the hand touches; a seated figure's chair has no such surface."""
    staging = Staging(
        props=(PropPlacement("chair", at="far-hand", side="front"),),
        contacts=("feet", "far-hand@chair"),
    )
    pose = Pose.of("side", far_shoulder=40, far_elbow=10, far_wrist=50)
    fitted, cost = fit_joint(pose, staging, "far-shoulder", 0.0, 60.0)
    assert cost < 0.3
    scene = build_scene(fitted, staging)
    (chair,) = scene.props
    backrest = max(chair.surfaces, key=lambda s: s.y)
    assert backrest.y == pytest.approx(CHAIR_BACK)
    hand_x = sum(p[0] for p, _ in scene.figure.site("far-hand")) / len(
        scene.figure.site("far-hand")
    )
    assert backrest.x0 <= hand_x + 3.0 and hand_x - 3.0 <= backrest.x1
    seated = build_scene(
        Pose.of("side", hip=90, knee=90), Staging(props=(PropPlacement("chair", at="pelvis"),))
    )
    assert [s.y for s in seated.props[0].surfaces] == [CHAIR_SEAT]
