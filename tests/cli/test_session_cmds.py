"""`stretchdesk routines`, `plan` and `run --text`, and `check` on routine files."""

from __future__ import annotations

import json

ROUTINE_KEYS = {"id", "name", "duration_seconds", "items"}
SEGMENT_KEYS = {
    "start_seconds",
    "duration_seconds",
    "kind",
    "stretch_id",
    "side",
    "set",
    "rep",
    "phase",
}
BUILT_IN = {
    "morning-mobility",
    "evening-deep-stretch",
    "desk-break",
    "core-support",
    "upper-back-posture",
    "flare-up-gentle",
    "daily-ten",
}


def test_routines_text_and_json(run_cli):
    text = run_cli("routines")
    assert text.status == 0
    assert "desk-break" in text.out and "Desk break" in text.out
    data = json.loads(run_cli("routines", "--json").out)
    assert {r["id"] for r in data} >= BUILT_IN
    for routine in data:
        assert routine.keys() >= ROUTINE_KEYS
        assert routine["items"] and all(isinstance(i, str) for i in routine["items"])


def test_plan_json_segments_add_up(run_cli):
    data = json.loads(run_cli("plan", "desk-break", "--json").out)
    assert data["routine"] == "desk-break"
    segments = data["segments"]
    for segment in segments:
        assert segment.keys() >= SEGMENT_KEYS
    clock = 0
    for segment in segments:
        assert segment["start_seconds"] == clock
        clock += segment["duration_seconds"]
    assert clock == data["duration_seconds"]
    kinds = {s["kind"] for s in segments}
    assert {"prepare", "hold", "switch", "rep", "rest"} <= kinds
    routines = {r["id"]: r for r in json.loads(run_cli("routines", "--json").out)}
    assert routines["desk-break"]["duration_seconds"] == data["duration_seconds"]


def test_plan_by_name_and_unknown(run_cli):
    assert json.loads(run_cli("plan", "desk BREAK", "--json").out)["routine"] == "desk-break"
    missing = run_cli("plan", "desk-brake")
    assert missing.status == 1
    assert "desk-break" in missing.err


def test_plan_text_has_start_times(run_cli):
    out = run_cli("plan", "desk-break").out
    assert out.splitlines()[0].startswith("Desk break")
    assert "0:00" in out and "finished" in out


def test_run_requires_text_for_now(run_cli):
    assert run_cli("run", "desk-break").status == 2


def test_run_text_quits_on_q(run_cli, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    result = run_cli("run", "desk-break", "--text")
    assert result.status == 0
    assert "Shoulder Rolls" in result.out


def test_check_accepts_routine_files(run_cli, tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text(
        "routines:\n"
        "  - id: my-mini\n"
        "    name: My mini\n"
        "    items: [chin-tucks, {stretch: shoulder-rolls, reps: 4}]\n"
    )
    assert run_cli("check", str(good)).status == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("routines:\n  - id: my-mini\n    name: My mini\n    items: [chin-tuck]\n")
    result = run_cli("check", str(bad))
    assert result.status == 1
    assert "bad.yaml:4:13" in result.err and "chin-tucks" in result.err
