"""`stretchdesk quick`, `import` and `export`: outputs and exit statuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROUTINE_KEYS = {"id", "name", "duration_seconds", "items"}


def test_quick_json_is_shaped_like_routines_json(run_cli) -> None:
    result = run_cli(
        "quick", "--minutes", "10", "--area", "lower-back", "--area", "hips", "--evening", "--json"
    )
    assert result.status == 0, result.err
    data = json.loads(result.out)
    listed = json.loads(run_cli("routines", "--json").out)
    assert data.keys() >= set(listed[0].keys()) >= ROUTINE_KEYS
    assert data["id"] == "quick-lower-back-hips"
    assert len(data["reasons"]) == len(data["items"]) == len(data["choices"])
    assert all(isinstance(r, str) and r for r in data["reasons"])
    assert [c["stretch"] for c in data["choices"]] == data["items"]
    assert abs(data["duration_seconds"] - 600) <= 60
    assert data["fits"] is True and data["budget_seconds"] == 600
    assert data["choices"][0]["role"] == "warm-up"
    again = run_cli(
        "quick", "--minutes", "10", "--area", "lower-back", "--area", "hips", "--evening", "--json"
    )
    assert json.loads(again.out) == data


def test_quick_text_lists_each_stretch_with_why(run_cli) -> None:
    result = run_cli("quick", "--minutes", "5", "--area", "neck", "--flare", "--morning")
    assert result.status == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("Quick 5 minutes: neck (quick-neck): ")
    whys = [line for line in lines if line.strip().startswith("why:")]
    assert whys and all("gentle enough for a flare-up day" in w for w in whys)
    assert re.search(r"^ 1\. ", result.out, re.MULTILINE)


def test_quick_errors(run_cli) -> None:
    unknown = run_cli("quick", "--minutes", "5", "--area", "nek")
    assert unknown.status == 2
    assert "did you mean 'neck'" in unknown.err
    nothing = run_cli("quick", "--minutes", "5", "--area", "quads", "--flare")
    assert nothing.status == 1
    assert "No flare-safe stretch works the quads" in nothing.err
    too_long = run_cli("quick", "--minutes", "500", "--area", "neck")
    assert too_long.status == 2
    both = run_cli("quick", "--minutes", "5", "--morning", "--evening")
    assert both.status == 2
    gear = run_cli("quick", "--minutes", "5", "--equipment", "foam-rolr")
    assert gear.status == 2 and "foam-roller" in gear.err


def test_quick_save_keeps_it_among_your_routines(run_cli) -> None:
    first = run_cli("quick", "--minutes", "6", "--area", "hips", "--save")
    assert first.status == 0, first.err
    second = run_cli("quick", "--minutes", "6", "--area", "hips", "--save", "--json")
    assert json.loads(second.out)["id"] == "quick-hips-2"
    folder = run_cli.data_dir / "routines.d"
    assert sorted(p.name for p in folder.iterdir()) == ["quick-hips-2.yaml", "quick-hips.yaml"]
    exported = run_cli("export", "quick-hips-2", "--yaml", str(folder.parent / "out.yaml"))
    assert exported.status == 0, exported.err


def test_export_yaml_then_import(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "share.yaml"
    result = run_cli("export", "Desk break", "--yaml", str(target))
    assert result.status == 0, result.err
    assert target.read_text(encoding="utf-8").startswith("# A StretchDesk routine: Desk break.")
    again = run_cli("export", "desk-break", "--yaml", str(target))
    assert again.status == 1 and "--force" in again.err
    assert run_cli("export", "desk-break", "--yaml", str(target), "--force").status == 0
    imported = run_cli("import", str(target))
    assert imported.status == 0, imported.err
    assert "as desk-break-2 (the id 'desk-break' was already taken)" in imported.out
    assert (run_cli.data_dir / "routines.d" / "desk-break-2.yaml").is_file()


def test_a_broken_import_names_the_line_and_changes_nothing(run_cli, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("routines:\n  - {id: mine, name: Mine, items: [cat-cow]}\n", encoding="utf-8")
    assert run_cli("import", str(good)).status == 0
    folder = run_cli.data_dir / "routines.d"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "routines:\n  - id: other\n    name: Other\n    items:\n      - cat-cow\n      - nope\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(bad))
    assert result.status == 1
    assert "bad.yaml:6:9: routines[0].items[1]: unknown stretch 'nope'" in result.err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    missing = run_cli("import", str(tmp_path / "nowhere.yaml"))
    assert missing.status == 1


def test_export_pdf(run_cli, qapp, tmp_path: Path) -> None:
    target = tmp_path / "sheet.pdf"
    result = run_cli("export", "desk-break", "--pdf", str(target))
    assert result.status == 0, result.err
    assert re.search(r"\(\d+ pages?\)", result.out)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and b"/Type /Page" in data
    kept = run_cli("export", "desk-break", "--pdf", str(target))
    assert kept.status == 1 and "already exists" in kept.err
    assert target.read_bytes() == data
    unknown = run_cli("export", "desk-brake", "--pdf", str(tmp_path / "x.pdf"))
    assert unknown.status == 1 and "did you mean 'desk-break'" in unknown.err
    assert not (tmp_path / "x.pdf").exists()
    neither = run_cli("export", "desk-break")
    assert neither.status == 2
