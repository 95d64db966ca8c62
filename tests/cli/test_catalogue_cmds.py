"""`stretchdesk list`, `show`, `check` and `paths`: outputs and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

REQUIRED = {
    "id",
    "name",
    "areas",
    "kind",
    "level",
    "position",
    "equipment",
    "desk_friendly",
    "flare_safe",
    "sides",
    "hold_seconds",
    "reps",
    "sets",
    "steps",
    "duration_seconds",
    "tips",
    "cautions",
}

GOOD_USER_FILE = """\
stretches:
  - id: neck-glide
    name: Neck Glide
    summary: Glide the head back over the shoulders.
    areas: [neck]
    kind: static
    position: seated
    desk_friendly: true
    hold_seconds: 10
    steps:
      - Sit tall.
      - Glide your head straight back and hold.
"""

BAD_USER_FILE = """\
stretches:
  - id: neck-glide
    name: Neck Glide
    summary: Glide the head back.
    areas: [nek]
    kind: static
    position: seated
    hold_seconds: -5
    steps: []
"""


def test_list_shows_every_stretch(run_cli):
    result = run_cli("list")
    assert result.status == 0
    assert "childs-pose" in result.out and "Child's Pose" in result.out
    assert "cat-cow" in result.out
    assert result.err == ""


def test_list_json_has_the_documented_shape(run_cli):
    result = run_cli("list", "--json")
    assert result.status == 0
    data = json.loads(result.out)
    assert isinstance(data, list) and len(data) >= 30
    for item in data:
        assert item.keys() >= REQUIRED
        assert isinstance(item["steps"], list) and all(isinstance(s, str) for s in item["steps"])
        assert item["duration_seconds"] > 0
        assert (item["hold_seconds"] is None) != (item["reps"] is None)
    by_id = {item["id"]: item for item in data}
    assert by_id["cat-cow"]["duration_seconds"] == 60
    assert by_id["childs-pose"]["hold_seconds"] >= 30
    assert by_id["knee-to-chest"]["hold_seconds"] == 20
    assert by_id["knee-to-chest"]["sides"] == "each"
    assert by_id["seated-forward-fold"]["sets"] == 2
    assert by_id["wall-angels"]["reps"] == 10


def test_list_filters_combine(run_cli):
    data = json.loads(run_cli("list", "--json", "--area", "lower-back", "--desk").out)
    assert data, "there should be desk stretches for the lower back"
    assert all("lower-back" in s["areas"] and s["desk_friendly"] for s in data)
    deeper = json.loads(run_cli("list", "--json", "--level", "deeper").out)
    assert {"pigeon-pose", "lizard-pose"} <= {s["id"] for s in deeper}
    assert all(s["level"] == "deeper" for s in deeper)
    seated = json.loads(run_cli("list", "--json", "--position", "seated").out)
    assert all("seated" in s["positions"] for s in seated)
    dynamic = json.loads(run_cli("list", "--json", "--kind", "dynamic").out)
    assert "cat-cow" in {s["id"] for s in dynamic}


def test_at_least_ten_desk_stretches(run_cli):
    data = json.loads(run_cli("list", "--json", "--desk").out)
    assert len(data) >= 10


def test_list_unknown_area_is_a_usage_error_with_a_suggestion(run_cli):
    result = run_cli("list", "--area", "lowerback")
    assert result.status == 2
    assert "did you mean 'lower-back'?" in result.err


def test_list_bad_choice_is_a_usage_error(run_cli):
    result = run_cli("list", "--kind", "yoga")
    assert result.status == 2
    assert "invalid choice" in result.err


def test_show_text_and_json(run_cli):
    result = run_cli("show", "cat-cow")
    assert result.status == 0
    assert result.out.startswith("Cat-Cow\n")
    assert "Steps:" in result.out
    data = json.loads(run_cli("show", "cat-cow", "--json").out)
    assert data["id"] == "cat-cow" and data.keys() >= REQUIRED


def test_show_unknown_id_suggests(run_cli):
    result = run_cli("show", "cat-cows")
    assert result.status == 1
    assert "'cat-cow'" in result.err


def test_check_valid_and_invalid_files(run_cli, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD_USER_FILE)
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_USER_FILE)
    ok = run_cli("check", str(good))
    assert ok.status == 0, ok.err
    assert "1 file OK" in ok.out
    failed = run_cli("check", str(good), str(bad))
    assert failed.status == 1
    lines = [line for line in failed.err.splitlines() if line.startswith(str(bad))]
    assert any(":5:" in line and "nek" in line and "neck" in line for line in lines), lines
    assert any("hold_seconds" in line for line in lines), lines
    assert any("steps" in line for line in lines), lines
    assert "Traceback" not in failed.err


def test_check_missing_file_and_garbage_never_trace(run_cli, tmp_path):
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(b"\x00\xff\xfe{{{[[[")
    result = run_cli("check", str(tmp_path / "nope.yaml"), str(garbage))
    assert result.status == 1
    assert "Traceback" not in result.err
    assert "nope.yaml" in result.err and "garbage.yaml" in result.err


def test_check_without_files_is_a_usage_error(run_cli):
    assert run_cli("check").status == 2


def test_user_stretches_are_merged(run_cli):
    user_dir = run_cli.data_dir / "stretches.d"
    user_dir.mkdir(parents=True)
    (user_dir / "mine.yaml").write_text(GOOD_USER_FILE)
    data = json.loads(run_cli("list", "--json", "--area", "neck").out)
    assert "neck-glide" in {s["id"] for s in data}


def test_broken_user_file_is_reported_and_untouched(run_cli):
    user_dir = run_cli.data_dir / "stretches.d"
    user_dir.mkdir(parents=True)
    broken = user_dir / "broken.yaml"
    broken.write_text(BAD_USER_FILE)
    before = broken.read_bytes()
    result = run_cli("list")
    assert result.status == 0
    assert "broken.yaml" in result.err
    assert "childs-pose" in result.out
    assert broken.read_bytes() == before


def test_paths_follow_the_options(run_cli):
    result = run_cli("paths")
    assert str(run_cli.config_dir) in result.out
    assert str(run_cli.data_dir / "stretches.d") in result.out


@pytest.mark.slow
def test_python_dash_m_works_and_usage_errors_exit_2(tmp_path):
    base = [
        sys.executable,
        "-m",
        "stretchdesk",
        "--config-dir",
        str(tmp_path),
        "--data-dir",
        str(tmp_path),
    ]
    done = subprocess.run(
        [*base, "show", "childs-pose", "--json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "childs-pose"
    bad = subprocess.run([*base, "frobnicate"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
