"""`stretchdesk illustrate`: step pictures and the contact sheet, as valid PNG or SVG files."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _offscreen(monkeypatch, qapp):
    """One Qt application for the session (pytest-qt's); no display needed."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


def test_one_stretch_writes_a_png_per_step_and_the_contact_sheet(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    result = run_cli("illustrate", "cat-cow", "--out", str(out), "--size", "120")
    assert result.status == 0, result.err
    steps = sorted((out / "cat-cow").glob("step-*.png"))
    assert [p.name for p in steps] == ["step-1.png", "step-2.png", "step-3.png"]
    for path in steps:
        assert path.read_bytes()[:8] == PNG_SIGNATURE
    sheet = out / "contact-sheet.png"
    assert sheet.read_bytes()[:8] == PNG_SIGNATURE
    assert "3 step pictures" in result.out


def test_one_sided_stretch_also_gets_the_other_side(run_cli, tmp_path: Path) -> None:
    result = run_cli("illustrate", "pigeon-pose", "--out", str(tmp_path), "--size", "64")
    assert result.status == 0, result.err
    names = {p.name for p in (tmp_path / "pigeon-pose").iterdir()}
    assert {"step-2.png", "step-2-other-side.png"} <= names


def test_svg_format_writes_valid_svg(run_cli, tmp_path: Path) -> None:
    result = run_cli("illustrate", "childs-pose", "--out", str(tmp_path), "--format", "svg")
    assert result.status == 0, result.err
    files = sorted((tmp_path / "childs-pose").iterdir())
    assert files and all(p.suffix == ".svg" for p in files)
    root = ElementTree.fromstring(files[0].read_bytes())
    assert root.tag.endswith("svg")
    assert (tmp_path / "contact-sheet.png").exists()


def test_dark_pictures_differ_from_light_ones(run_cli, tmp_path: Path) -> None:
    assert (
        run_cli("illustrate", "cat-cow", "--out", str(tmp_path / "l"), "--size", "48").status == 0
    )
    dark = run_cli("illustrate", "cat-cow", "--out", str(tmp_path / "d"), "--size", "48", "--dark")
    assert dark.status == 0
    light_png = (tmp_path / "l" / "cat-cow" / "step-1.png").read_bytes()
    assert (tmp_path / "d" / "cat-cow" / "step-1.png").read_bytes() != light_png


def test_unknown_id_exits_1_with_a_suggestion(run_cli, tmp_path: Path) -> None:
    result = run_cli("illustrate", "cat-cw", "--out", str(tmp_path / "pictures"))
    assert result.status == 1
    assert "no stretch with the id 'cat-cw'" in result.err
    assert "Did you mean 'cat-cow'" in result.err
    assert not (tmp_path / "pictures").exists()


def test_out_is_required_and_size_is_checked(run_cli, tmp_path: Path) -> None:
    assert run_cli("illustrate", "cat-cow").status == 2
    assert run_cli("illustrate", "--out", str(tmp_path), "--size", "0").status == 2
