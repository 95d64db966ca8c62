"""Reading data/poses.yaml: every problem reported with its file and line."""

from __future__ import annotations

import math
import textwrap
import time

import pytest

from stretchdesk.figures.library import (
    PoseLibraryError,
    default_poses_path,
    load_poses,
    missing_poses,
    read_poses,
    read_poses_text,
)
from stretchdesk.figures.scene import contact_gaps


def _read(text: str):
    return read_poses_text(textwrap.dedent(text), "poses.yaml")


def test_a_good_pose_loads_and_is_fitted() -> None:
    library, problems = _read(
        """
        version: 1
        poses:
          - id: tabletop
            props: [mat]
            joints: {trunk: 0, shoulder: 90, wrist: 90, hip: 90, knee: 90, ankle: 88}
            contacts: [hands, knees]
            fit: {joint: trunk, range: [-10, 25], hold_limbs: true}
          - id: cat
            base: tabletop
            joints: {spine: 55}
            highlight: [upper-back]
            arrow: {at: upper-back, direction: 90}
        """
    )
    assert problems == []
    assert "cat" in library
    assert library["cat"].pose.angles["spine"] == 55
    assert library["cat"].pose.angles["trunk"] != 0  # solved so hands and knees touch


def test_unknown_joint_is_reported_with_its_line() -> None:
    _, problems = _read(
        """
        poses:
          - id: odd
            joints: {nek: 10}
        """
    )
    (problem,) = problems
    assert (problem.file, problem.line) == ("poses.yaml", 4)
    assert "unknown joint 'nek'" in problem.message
    assert "did you mean 'neck'" in problem.message


def test_angle_outside_human_range_is_reported() -> None:
    _, problems = _read(
        """
        poses:
          - id: bent
            joints:
              trunk: 90
              knee: 200
        """
    )
    assert [p.line for p in problems] == [6, 6]  # both knees, at the 'knee' key
    assert "outside the human range of the near knee" in problems[0].message


def test_floating_figure_is_reported() -> None:
    _, problems = _read(
        """
        poses:
          - id: hover
            joints: {trunk: 0, shoulder: 90, wrist: 90, hip: 90, knee: 90}
            contacts: [hands, knees]
        """
    )
    floating = [p for p in problems if "knees floats" in p.message]
    assert floating and floating[0].line == 5


def test_figure_sinking_through_the_floor_is_reported() -> None:
    _, problems = _read(
        """
        poses:
          - id: sunk
            props: [{prop: chair, at: pelvis}]
            support: chair
            rest_on: [pelvis]
            joints: {hip: 0}
        """
    )
    assert any("sinks" in p.message and "through the floor" in p.message for p in problems)
    assert all(p.line > 1 for p in problems)


def test_structural_problems_are_all_listed() -> None:
    _, problems = _read(
        """
        poses:
          - id: a
            view: sideways
          - id: b
            props: [trampoline]
            highlight: [lowerback]
          - id: b
          - id: c
            base: nowhere
        """
    )
    messages = "\n".join(str(p) for p in problems)
    assert "poses.yaml:4:" in messages and "the view is" in messages
    assert "unknown prop 'trampoline'" in messages
    assert "did you mean 'lower-back'" in messages
    assert "used twice" in messages
    assert "unknown base pose 'nowhere'" in messages


def test_unsafe_yaml_is_refused() -> None:
    _, problems = _read("poses: !!python/object:os.system [ls]\n")
    assert problems and "not allowed" in problems[0].message


def test_missing_poses_are_named() -> None:
    library, _ = _read("poses:\n  - id: stand\n")
    assert missing_poses([("s.yaml:3", "stand"), ("s.yaml:4", "stnd")], library) == [
        "s.yaml:4: unknown pose 'stnd'; did you mean 'stand'?"
    ]


@pytest.fixture(scope="session")
def builtin():
    return load_poses(check_geometry=True)


def test_builtin_library_structure_is_valid() -> None:
    library = load_poses(check_geometry=False)  # structure only; solved when first drawn
    assert len(library) > 40


def test_builtin_library_touches_down_everywhere(builtin) -> None:
    """Every pose solves with no angle out of range, nothing sunk and nothing floating."""
    assert len(builtin) > 40


def test_whole_library_is_solved_and_checked_quickly() -> None:
    start = time.perf_counter()
    library, problems = read_poses(default_poses_path(), check_geometry=True)
    elapsed = time.perf_counter() - start
    assert problems == []
    assert len(library) > 40
    assert elapsed < 2.0  # about 0.2 s; generous for slow test machines


def test_every_catalogue_step_names_a_known_pose(builtin) -> None:
    from stretchdesk.core.loader import load_catalogue
    from stretchdesk.library import builtin_catalogue_file

    catalogue = load_catalogue(builtin_catalogue_file()).catalogue
    steps = [
        (f"{s.id} step {n}", step.pose)
        for s in catalogue.stretches
        for n, step in enumerate(s.steps, 1)
    ]
    assert all(pose is not None for _, pose in steps)
    assert missing_poses(steps, builtin) == []


def test_solver_finds_the_contacts_from_a_poor_guess() -> None:
    """The written angles are only a first guess: a far-off one is still solved."""
    library, problems = _read(
        """
        poses:
          - id: kneel
            props: [mat]
            joints: {trunk: 90, knee: 160, hip: 100, ankle: 100}
            contacts: [knees, toes]
            fit: [{joint: hip, range: [55, 110]}, {joint: ankle, range: [0, 110]}]
        """
    )
    assert problems == []
    assert 55 <= library["kneel"].pose.angles["near-hip"] < 90


def test_load_poses_raises_with_every_problem(tmp_path) -> None:
    path = tmp_path / "poses.yaml"
    path.write_text("poses:\n  - id: x\n    joints: {nek: 1, knee: 300}\n", encoding="utf-8")
    with pytest.raises(PoseLibraryError) as caught:
        load_poses(path)
    assert len(caught.value.problems) == 3


def test_lower_back_over_a_roller_drops_the_hips_below_its_top(builtin) -> None:
    """Rolling the lower back: shoulders and head down, the back arched over the roller
    and the buttocks below the roller's top, not perched on it."""
    scene = builtin["supine-roller-lower-back"].scene()
    fig = scene.figure
    roller = next(p for p in scene.props if p.placement.prop == "foam-roller")
    top = roller.bounds[3]
    assert fig.bottom("pelvis") < top - 2.0
    assert fig.bottom("upper-back") == pytest.approx(0.0, abs=1.5)
    assert fig.bottom("head") == pytest.approx(0.0, abs=1.5)
    # the roller is under the lower back, between the pelvis and the shoulders
    centre = (roller.bounds[0] + roller.bounds[2]) / 2
    assert fig.joints["shoulder"][0] < centre < fig.joints["hip"][0]


def test_pigeon_sits_low_with_the_back_leg_long_behind(builtin) -> None:
    fig = builtin["pigeon-upright"].scene().figure
    assert fig.bottom("pelvis") == pytest.approx(0.0, abs=1.5)
    hip_x = fig.joints["hip"][0]
    assert fig.joints["far-ankle"][0] < hip_x - 70.0  # the back leg stretched out behind
    assert fig.joints["near-knee"][0] > hip_x + 20.0  # the front knee ahead of the hips


def test_hands_rest_on_the_support_beside_a_standing_figure(builtin) -> None:
    for pose_id in ("stand-hand-on-support", "stand-quad-stretch", "stand-leg-swing-back"):
        pose = builtin[pose_id]
        gaps = contact_gaps(pose.scene(), ["far-hand@chair"])
        assert abs(gaps["far-hand@chair"]) <= 1.5, pose_id


def test_quad_stretch_brings_the_heel_to_the_buttock(builtin) -> None:
    fig = builtin["stand-quad-stretch"].scene().figure
    ankle, hip = fig.joints["near-ankle"], fig.joints["hip"]
    assert ankle[0] < hip[0]  # behind
    assert math.dist(ankle, hip) < 30.0
    assert math.dist(fig.joints["near-wrist"], ankle) < 1.0  # held by the hand


def test_crossed_arms_show_two_arms_folded_over_the_chest(builtin) -> None:
    """Seen from the side, arms crossed on the chest are two folded arms, not one."""
    for pose_id in ("supine-ball-arms-crossed", "supine-roller-lower-back"):
        joints = builtin[pose_id].scene().figure.joints
        assert math.dist(joints["near-elbow"], joints["far-elbow"]) > 8.0, pose_id
        for side in ("near", "far"):  # each hand comes back towards the shoulders
            assert math.dist(joints[f"{side}-wrist"], joints["shoulder"]) < 20.0, pose_id


def test_hands_on_hips_flare_the_elbows(builtin) -> None:
    """From the front the elbows stand out wide of the waist; from the side the elbow
    points back, behind the body, with the hand on the hip."""
    front = builtin["stand-hands-on-hips"].scene().figure
    assert front.view.value == "front"
    for side in ("left", "right"):
        elbow, wrist = front.joints[f"{side}-elbow"], front.joints[f"{side}-wrist"]
        centre = front.joints["pelvis"][0]
        assert abs(elbow[0] - centre) > abs(wrist[0] - centre) + 10.0, side
        assert math.dist(wrist, front.site(f"{side}-waist")[0][0]) < 1.0, side
    side_view = builtin["stand-hands-on-hips-side"].scene().figure
    back = min(p[0] for p, _ in side_view.site("upper-back"))
    assert side_view.joints["near-elbow"][0] < back
    assert math.dist(side_view.joints["near-wrist"], side_view.site("waist")[0][0]) < 1.0


def test_doorway_seen_from_the_side_holds_the_forearm_back(builtin) -> None:
    """The door post is ahead of the forearm resting on it (the body leans on through),
    and the open door shows beside it."""
    scene = builtin["stand-doorway-lean"].scene()
    door = next(p for p in scene.props if p.placement.prop == "doorway")
    (post,) = door.surfaces
    assert post.y < 0  # its face looks back at the figure
    forearm = scene.figure.site("near-forearm")
    assert max(p[0] + r for p, r in forearm) == pytest.approx(post.x0, abs=0.01)
    assert contact_gaps(scene, ["near-forearm@doorway"])["near-forearm@doorway"] <= 1.5
    assert any(shape.kind == "polygon" for shape in door.shapes)  # the open door


def test_childs_pose_keeps_the_folded_leg_apart_from_the_back(builtin) -> None:
    """The folded leg opens a little at the knee and the back rounds above the thigh,
    so the thigh and the back do not merge into one shape."""
    fig = builtin["childs-pose"].scene().figure
    assert fig.bottom("head") == pytest.approx(0.0, abs=1.5)
    assert fig.bottom("near-knee") == pytest.approx(0.0, abs=1.5)
    hip, knee, ankle = fig.joints["hip"], fig.joints["near-knee"], fig.joints["near-ankle"]
    assert hip[1] > ankle[1] + 15.0  # the hips just above the heels
    top_of_back = max(p[1] for p, _ in fig.site("upper-back"))
    assert top_of_back > max(hip[1], knee[1]) + 10.0
