"""The QPainter renderer: exports, scaling, palettes and the contact sheet."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette

from stretchdesk.figures.library import read_poses_text
from stretchdesk.figures.pose import Pose, interpolate
from stretchdesk.figures.props import PropPlacement, Tone
from stretchdesk.figures.render import Palette, render_image, svg_bytes, write_png, write_svg
from stretchdesk.figures.scene import Arrow, Staging, build_scene
from stretchdesk.figures.sheet import pose_cells, render_sheet, write_contact_sheet

SCENE_STAGING = Staging(
    props=(PropPlacement("mat"),),
    highlight=("lower-back",),
    arrow=Arrow("upper-back", 90.0, offset=(0.0, 20.0)),
)


@pytest.fixture
def scene(qapp):
    pose = Pose.of(
        "side", trunk=8, spine=50, neck=30, shoulder=82, wrist=90, hip=82, knee=90, ankle=88
    )
    return build_scene(pose, SCENE_STAGING)


def test_png_export_is_a_valid_image(scene, tmp_path: Path) -> None:
    path = tmp_path / "cat.png"
    write_png(scene, path, size=200)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert (image.width(), image.height()) == (200, 200)


def test_svg_export_is_valid_xml_with_drawing(scene, tmp_path: Path) -> None:
    data = svg_bytes(scene, 300, title="Cat")
    root = ElementTree.fromstring(data)
    assert root.tag.endswith("svg")
    assert len(list(root.iter())) > 20
    path = tmp_path / "cat.svg"
    write_svg(scene, path)
    assert path.stat().st_size > 1000


def _downscaled(image: QImage, size: int) -> QImage:
    return image.scaled(
        size,
        size,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_ARGB32)


def test_two_sizes_give_the_same_picture_scaled(scene) -> None:
    small = _downscaled(render_image(scene, 200), 50)
    large = _downscaled(render_image(scene, 800), 50)
    total = 0
    for y in range(50):
        for x in range(50):
            a, b = QColor(small.pixel(x, y)), QColor(large.pixel(x, y))
            total += abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())
    assert total / (50 * 50 * 3) < 6.0  # mean difference per channel, out of 255


def test_figure_is_drawn_in_the_palette_colours(scene) -> None:
    palette = Palette.dark_default()
    image = render_image(scene, 120, palette)
    corner = QColor(image.pixel(2, 2))
    assert corner.name() == palette.background.name()
    colours = {QColor(image.pixel(x, y)).name() for x in range(0, 120, 3) for y in range(0, 120, 3)}
    assert palette.near.name() in colours or palette.body.name() in colours


def test_palette_follows_a_qpalette(qapp) -> None:
    qpalette = QPalette()
    qpalette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    qpalette.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    qpalette.setColor(QPalette.ColorRole.Highlight, QColor("#3daee9"))
    palette = Palette.from_qpalette(qpalette)
    assert palette.dark
    assert palette.background.name() == "#202020"
    assert palette.near.lightness() > palette.far.lightness()


def test_contact_sheet_has_a_cell_per_pose(qapp, tmp_path: Path) -> None:
    library, problems = read_poses_text(
        "poses:\n  - id: stand\n  - id: wave\n    joints: {near-shoulder: 170}\n"
    )
    assert problems == []
    image = render_sheet(pose_cells(library), columns=2, cell_size=100)
    assert image.width() == 2 * 108 + 8
    out = write_contact_sheet(library, tmp_path / "sheet.png", columns=2, cell_size=100)
    assert QImage(str(out)).height() == image.height()


def test_animation_frames_are_built_once_and_reused(qapp) -> None:
    library, problems = read_poses_text(
        "poses:\n  - id: stand\n    contacts: [feet]\n  - id: wave\n    base: stand\n"
        "    joints: {near-shoulder: 170}\n"
    )
    assert problems == []
    stand, wave = library["stand"], library["wave"]
    frame = interpolate(stand.pose, wave.pose, 0.5)
    assert stand.scene(pose=frame) is stand.scene(pose=interpolate(stand.pose, wave.pose, 0.5))
    assert stand.scene(mirror=True) is not stand.scene()


def test_a_pack_on_the_body_shows_over_the_highlight(qapp) -> None:
    """A prop laid over the body (an ice pack) is drawn after the glow of the area it
    rests on, so its own colour shows."""
    library, problems = read_poses_text(
        "poses:\n"
        "  - id: prone\n"
        "    props: [mat, {prop: ice-pack, at: lower-back}]\n"
        "    joints: {trunk: 0, ankle: 90}\n"
        "    highlight: [lower-back]\n"
    )
    assert problems == []
    palette = Palette.light()
    image = render_image(library["prone"].scene(), 400, palette)
    cool = palette.tone(Tone.COOL)
    colours = {QColor(image.pixel(x, y)).name() for x in range(400) for y in range(250, 400)}
    assert cool.name() in colours


@pytest.mark.parametrize("palette", [Palette.light(), Palette.dark_default()])
def test_far_limbs_stand_out_from_the_background(qapp, palette: Palette) -> None:
    """The far leg of a lunge or pigeon must stay visible, in the dark colours too."""

    def luminance(c: QColor) -> float:
        def lin(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())

    a, b = sorted((luminance(palette.far), luminance(palette.background)))
    assert (b + 0.05) / (a + 0.05) >= 2.0
