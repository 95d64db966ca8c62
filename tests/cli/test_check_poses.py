"""`stretchdesk check` on pose files and on the poses that stretch steps name."""

from __future__ import annotations

from pathlib import Path

USER_STRETCHES = """\
stretches:
  - id: neck-glide
    name: Neck Glide
    summary: Glide the head back over the shoulders.
    areas: [neck]
    kind: static
    position: seated
    hold_seconds: 10
    steps:
      - {text: Sit tall., pose: seated-uprite}
      - Glide your head straight back and hold.
"""

POSES = """\
poses:
  - id: wave
    joints: {nek: 10}
  - id: kneel
    joints: {knee: 200}
  - id: hover
    joints: {trunk: 0, shoulder: 90, wrist: 90, hip: 90, knee: 90}
    contacts: [hands, knees]
"""


def test_unknown_step_pose_is_an_error_with_a_suggestion(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER_STRETCHES)
    result = run_cli("check", str(path))
    assert result.status == 1
    assert (
        f"{path}:10:33: stretches[0].steps[0].pose: unknown pose 'seated-uprite'; "
        "did you mean 'seated-upright'?"
    ) in result.err


def test_step_without_a_pose_is_noted_in_a_user_file(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER_STRETCHES.replace("pose: seated-uprite", "pose: seated-upright"))
    result = run_cli("check", str(path))
    assert result.status == 0, result.err
    assert f"note: {path}:11:9: stretches[0].steps[1]: step 2 of 'neck-glide' has no pose" in (
        result.err
    )


def test_builtin_catalogue_has_a_known_pose_for_every_step(run_cli) -> None:
    from stretchdesk.library import builtin_catalogue_file

    result = run_cli("check", str(builtin_catalogue_file()))
    assert result.status == 0, result.err
    assert "pose" not in result.err


def test_pose_file_problems_have_locations(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "poses.yaml"
    path.write_text(POSES)
    result = run_cli("check", str(path))
    assert result.status == 1
    lines = result.err.splitlines()
    assert f"{path}:3:14: poses[0].joints.nek: unknown joint 'nek'; did you mean 'neck'?" in lines
    assert any(
        line.startswith(f"{path}:5:14: poses[1].joints.knee: 200° is outside the human range")
        for line in lines
    ), lines
    assert any(line.startswith(f"{path}:8:") and "knees floats" in line for line in lines), lines


def test_builtin_pose_file_is_valid(run_cli) -> None:
    from stretchdesk.figures.library import default_poses_path

    result = run_cli("check", str(default_poses_path()))
    assert result.status == 0, result.err
