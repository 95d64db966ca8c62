"""Forward kinematics, mirroring, interpolation and ranges of the pure pose model."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchdesk.figures.pose import (
    HEIGHT,
    THIGH_INSET,
    Layer,
    Pose,
    View,
    breathe,
    ease_in_out,
    forward_kinematics,
    interpolate,
    joint_specs,
    reach,
)


def _lengths_hold(pose: Pose) -> None:
    fig = forward_kinematics(pose)
    for name, start, end, length in fig.segments:
        got = math.dist(fig.joints[start], fig.joints[end])
        assert got == pytest.approx(length, abs=1e-6), name


def test_standing_figure_is_about_the_model_height() -> None:
    fig = forward_kinematics(Pose.of("side"))
    _, bottom, _, top = fig.bounds()
    assert top - bottom == pytest.approx(HEIGHT, rel=0.03)


@pytest.mark.parametrize("view", [View.SIDE, View.FRONT])
def test_fk_preserves_segment_lengths_in_a_bent_pose(view: View) -> None:
    _lengths_hold(Pose.of(view, trunk=30, spine=25, shoulder=120, elbow=60, hip=70, knee=90))


def test_spine_keeps_its_length_when_bent() -> None:
    for bend in (-40, 0, 60):
        spine = forward_kinematics(Pose.of("side", spine=bend)).lines["spine"]
        length = sum(math.dist(a, b) for a, b in itertools.pairwise(spine))
        assert length == pytest.approx(0.288 * HEIGHT)


def test_flexing_the_spine_rounds_the_back_extending_it_hollows_it() -> None:
    """On all fours, cat lifts the middle of the back and cow drops it."""

    def middle_height(spine: float) -> float:
        pose = Pose.of("side", trunk=0, spine=spine, shoulder=90, hip=90, knee=90)
        line = forward_kinematics(pose).lines["spine"]
        ends = (line[0][1] + line[-1][1]) / 2
        return line[len(line) // 2][1] - ends

    assert middle_height(50) > 5.0  # cat: a hump
    assert middle_height(-40) < -4.0  # cow: a sag
    assert abs(middle_height(0)) < 1e-9


def test_mirroring_flips_every_point() -> None:
    fig = forward_kinematics(Pose.of("side", hip=40, knee=30, shoulder=70))
    mirrored = fig.transformed(0.0, 0.0, mirror=True)
    for name, (x, y) in fig.joints.items():
        assert mirrored.joints[name] == pytest.approx((-x, y))
    assert mirrored.facing == -fig.facing


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_random_poses_in_range_keep_segment_lengths(data: st.DataObject) -> None:
    view = data.draw(st.sampled_from(list(View)))
    angles = {
        name: data.draw(st.floats(spec.low, spec.high, allow_nan=False), label=name)
        for name, spec in joint_specs(view).items()
    }
    pose = Pose(view, angles)
    assert pose.out_of_range() == []
    _lengths_hold(pose)


def test_interpolation_endpoints_and_midpoint() -> None:
    a = Pose.of("side", trunk=0, spine=-40, shoulder=90, hip=90, knee=90)
    b = Pose.of("side", trunk=0, spine=60, shoulder=90, hip=90, knee=90)
    assert interpolate(a, b, 0.0) == a
    assert interpolate(a, b, 1.0) == b
    assert interpolate(a, b, 0.5).angles["spine"] == pytest.approx(10.0)
    assert (
        interpolate(a, b, 0.25).angles["spine"]
        < interpolate(a, b, 0.25, easing=False).angles["spine"] + 1e-9
    )


def test_trunk_interpolates_the_short_way_round() -> None:
    a = Pose.of("side", trunk=170)
    b = Pose.of("side", trunk=-170)
    assert abs(interpolate(a, b, 0.5, easing=False).angles["trunk"]) == pytest.approx(180.0)


def test_easing_is_smooth_at_both_ends() -> None:
    assert ease_in_out(0.0) == 0.0
    assert ease_in_out(1.0) == 1.0
    assert ease_in_out(0.5) == pytest.approx(0.5)
    assert ease_in_out(0.05) < 0.05


def test_breathing_is_subtle_and_periodic() -> None:
    pose = Pose.of("side")
    assert breathe(pose, 0.0).angles == pose.angles
    full = breathe(pose, 0.5)
    assert full.breath == pytest.approx(1.0)
    assert abs(full.angles["spine"] - pose.angles["spine"]) <= 3.0
    assert breathe(pose, 1.0).angles["spine"] == pytest.approx(pose.angles["spine"])


def test_out_of_range_joints_are_listed() -> None:
    pose = Pose.of("side", knee=175, elbow=-30)
    names = {name for name, _, _ in pose.out_of_range()}
    assert {"near-knee", "far-knee", "near-elbow", "far-elbow"} <= names


@pytest.mark.parametrize(
    ("view", "effector"),
    [
        (View.SIDE, "near-hand"),
        (View.SIDE, "far-foot"),
        (View.FRONT, "right-hand"),
        (View.FRONT, "left-foot"),
    ],
)
def test_reach_puts_the_wrist_or_ankle_on_the_target(view: View, effector: str) -> None:
    pose = Pose.of(view, trunk=90)
    side, _, limb = effector.partition("-")
    target = (12.0, 20.0) if limb == "hand" else (15.0, -55.0)
    solved = reach(pose, effector, target)
    end = forward_kinematics(solved).joints[f"{side}-{'wrist' if limb == 'hand' else 'ankle'}"]
    assert end == pytest.approx(target, abs=0.05)


def test_knee_out_foreshortens_the_shin_and_reach_allows_for_it() -> None:
    pose = Pose.of("side", knee_out=60)
    fig = forward_kinematics(pose)
    shin = math.dist(fig.joints["near-knee"], fig.joints["near-ankle"])
    assert shin == pytest.approx(0.246 * HEIGHT * 0.5)
    solved = reach(pose, "near-foot", (20.0, -50.0))
    assert forward_kinematics(solved).joints["near-ankle"] == pytest.approx((20.0, -50.0), abs=0.05)


def test_reach_can_lay_the_hand_along_a_direction() -> None:
    solved = reach(Pose.of("side"), "near-hand", (25.0, 10.0), along=-30.0)
    joints = forward_kinematics(solved).joints
    (wx, wy), (fx, fy) = joints["near-wrist"], joints["near-fingertip"]
    assert math.degrees(math.atan2(fy - wy, fx - wx)) == pytest.approx(-30.0, abs=0.1)


def test_a_twisted_chest_puts_the_arm_turned_away_behind_the_body() -> None:
    fig = forward_kinematics(Pose.of("front", twist=-45))
    layers = {part.name: part.layer for part in fig.parts}
    assert layers["right-upper-arm"] is Layer.FAR
    assert layers["left-upper-arm"] is Layer.NEAR
    names = [part.name for part in fig.parts]
    assert names.index("right-upper-arm") < names.index("torso") < names.index("left-upper-arm")


def test_a_mirrored_pose_keeps_segment_lengths() -> None:
    fig = forward_kinematics(Pose.of("side", hip=70, knee=40, shoulder=100, elbow=30))
    mirrored = fig.transformed(5.0, 3.0, mirror=True)
    for _name, start, end, length in mirrored.segments:
        assert math.dist(mirrored.joints[start], mirrored.joints[end]) == pytest.approx(length)


def test_lumbar_arches_the_lower_back_and_keeps_the_trunk_chord() -> None:
    """The lower back bends on its own: the chord (hip to shoulder) keeps the trunk's
    direction, and arching tips the pelvis, so on the back the hips drop below the
    middle of the back (a lower back over a foam roller)."""
    for lumbar in (-30.0, 0.0, 25.0):
        pose = Pose.of("side", trunk=160, lumbar=lumbar)
        fig = forward_kinematics(pose)
        (hx, hy), (sx, sy) = fig.joints["hip"], fig.joints["shoulder"]
        assert math.degrees(math.atan2(sy - hy, sx - hx)) == pytest.approx(160.0, abs=1e-6)
        _lengths_hold(pose)

    def hip_below_lower_back(lumbar: float) -> float:
        line = forward_kinematics(Pose.of("side", trunk=180, lumbar=lumbar)).lines["spine"]
        return line[2][1] - line[0][1]

    assert hip_below_lower_back(-30.0) > 3.0  # arched: the lumbar spine lifts off
    assert hip_below_lower_back(25.0) < -2.0  # rounded: it sinks
    assert hip_below_lower_back(0.0) == pytest.approx(0.0, abs=1e-9)
    # and the upper back is untouched: only the lower half bends
    upright = forward_kinematics(Pose.of("side", lumbar=-30)).lines["spine"]
    top_dirs = [
        math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
        for a, b in itertools.pairwise(upright[3:])
    ]
    assert max(top_dirs) - min(top_dirs) == pytest.approx(0.0, abs=1e-9)


def test_lumbar_is_a_side_view_joint_only() -> None:
    assert "lumbar" in joint_specs(View.SIDE)
    assert "lumbar" not in joint_specs(View.FRONT)


def test_the_lower_back_site_starts_above_the_pelvis() -> None:
    fig = forward_kinematics(Pose.of("side"))
    hip_y = fig.joints["hip"][1]
    lowest = min(p[1] for p, _ in fig.sites["lower-back"])
    assert lowest > hip_y + 5.0  # the pelvis site covers the part below


def test_a_hand_on_the_hip_keeps_its_elbow_out_in_the_front_view() -> None:
    pose = Pose.of("front")
    fig = forward_kinematics(pose)
    waist = fig.sites["right-waist"][0][0]
    plain = forward_kinematics(reach(pose, "right-hand", waist)).joints
    out = forward_kinematics(reach(pose, "right-hand", waist, elbow_out=True)).joints
    assert out["right-wrist"] == pytest.approx(waist, abs=0.01)  # angles are rounded
    assert plain["right-wrist"] == pytest.approx(waist, abs=0.01)
    # the figure's right is at -x: the elbow goes out past the shoulder, not into the body
    assert out["right-elbow"][0] < out["right-shoulder"][0]
    assert out["right-elbow"][0] < plain["right-elbow"][0]
    assert pose.out_of_range() == []


def test_a_leg_crossed_over_the_other_is_drawn_on_top_as_a_near_limb() -> None:
    # seated, seen from the front: the right shin turned back across the lap
    crossed = Pose.of("front", hip_out=82, knee_out=30, right_hip=80, right_knee=170)
    fig = forward_kinematics(crossed)
    assert fig.joints["right-ankle"][0] > 0.0  # the right ankle is across on the left
    layers = {part.name: part.layer for part in fig.parts}
    assert layers["right-shin"] is Layer.NEAR
    assert layers["left-shin"] is Layer.BODY
    names = [part.name for part in fig.parts]
    assert names.index("right-shin") > names.index("left-shin")
    assert names.index("right-shin") > names.index("torso")
    plain = forward_kinematics(Pose.of("front"))
    assert {p.layer for p in plain.parts if p.name.endswith(("thigh", "shin"))} == {Layer.BODY}


def test_near_thigh_is_drawn_from_below_the_hip_but_touches_from_it() -> None:
    """The drawn near thigh leaves the buttock in view; its contact site is the whole thigh."""
    fig = forward_kinematics(Pose.of("side", trunk=90, hip=90, knee=90))
    part = next(p for p in fig.parts if p.name == "near-thigh")
    hip = fig.joints["near-hip"]
    assert math.dist(part.points[0], hip) == pytest.approx(THIGH_INSET)
    assert math.dist(fig.site("near-thigh")[0][0], hip) < 1e-9
    far = next(p for p in fig.parts if p.name == "far-thigh")
    assert far.points[0] == fig.joints["far-hip"]


def test_side_view_has_a_waist_site_on_the_spine_above_the_hip() -> None:
    fig = forward_kinematics(Pose.of("side"))
    ((waist, _),) = fig.site("waist")
    hip = fig.joints["hip"]
    assert waist[0] == pytest.approx(hip[0])
    assert hip[1] < waist[1] < fig.joints["shoulder"][1]
