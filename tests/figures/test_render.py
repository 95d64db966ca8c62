"""The QPainter renderer: exports, scaling, palettes and the contact sheet."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette

from stretchdesk.figures.library import load_poses, read_poses_text
from stretchdesk.figures.pose import Pose, interpolate
from stretchdesk.figures.props import PropPlacement, Tone
from stretchdesk.figures.render import (
    FLOOR_BAND,
    FLOOR_BAND_MOST,
    MARGIN,
    MIN_WINDOW,
    Framing,
    Palette,
    content_bounds,
    framing_for,
    render_image,
    step_framings,
    svg_bytes,
    write_png,
    write_svg,
)
from stretchdesk.figures.scene import Arrow, Staging, build_scene
from stretchdesk.figures.sheet import pose_cells, render_sheet, step_cells, write_contact_sheet

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


@pytest.fixture(scope="module")
def builtin_poses():
    return load_poses(check_geometry=False)


def _inside(box, framing: Framing) -> bool:
    left, bottom, right, top = box
    edge = framing.size * MARGIN - 1e-6
    return (
        left >= framing.left + edge
        and right <= framing.left + framing.size - edge
        and bottom >= framing.bottom
        and top <= framing.bottom + framing.size - edge
    )


def test_every_pose_fills_its_picture_within_the_margins(builtin_poses) -> None:
    """Each picture shows all of its figure, props and arrow inside a thin margin, and
    is no larger than it needs to be: the content reaches across or up to the margin."""
    for pose in builtin_poses:
        scene = pose.scene()
        framing = framing_for(scene)
        box = content_bounds(scene)
        assert _inside(box, framing), pose.id
        width, height = box[2] - box[0], box[3] - box[1]
        fills = max(width / (1 - 2 * MARGIN), height / (1 - MARGIN - FLOOR_BAND))
        assert fills == pytest.approx(framing.size) or framing.size == MIN_WINDOW, pose.id
        band = box[1] - framing.bottom
        assert FLOOR_BAND * framing.size - 1e-6 <= band <= FLOOR_BAND_MOST * framing.size + 1e-6


def test_a_lying_figure_spans_the_thumbnail(qapp, builtin_poses) -> None:
    """At a card's size a figure lying down reaches nearly from edge to edge, and sits
    above the bottom edge rather than on it."""
    palette = Palette.light()
    size = 96
    image = render_image(builtin_poses["supine"].scene(), size, palette).convertToFormat(
        QImage.Format.Format_ARGB32
    )
    body = {palette.near.name(), palette.body.name(), palette.hair.name()}
    columns = [
        x for x in range(size) if any(QColor(image.pixel(x, y)).name() in body for y in range(size))
    ]
    rows = [
        y for y in range(size) if any(QColor(image.pixel(x, y)).name() in body for x in range(size))
    ]
    assert columns[-1] - columns[0] > 0.85 * size
    assert size - rows[-1] > 0.15 * size


def test_the_mat_does_not_widen_the_picture(builtin_poses) -> None:
    scene = builtin_poses["supine"].scene()
    mat = next(p for p in scene.props if p.placement.prop == "mat")
    left, _, right, _ = content_bounds(scene)
    assert mat.bounds[0] < left and mat.bounds[2] > right
    assert (left, right) == pytest.approx((scene.figure.bounds()[0], scene.figure.bounds()[2]))


def test_an_animation_has_one_framing_round_all_its_frames(builtin_poses) -> None:
    scenes = [builtin_poses[p].scene() for p in ("kneel-upright", "kneel-sit-back", "childs-pose")]
    framing = framing_for(scenes)
    for scene in scenes:
        assert _inside(content_bounds(scene), framing)


def test_a_stretchs_step_pictures_share_one_scale_and_floor(builtin_poses) -> None:
    """The steps of one stretch side by side: same scale and floor line, each centred on
    its own figure, each inside its picture."""
    from stretchdesk.core.loader import load_catalogue
    from stretchdesk.library import builtin_catalogue_file

    catalogue = load_catalogue(builtin_catalogue_file()).catalogue
    cells = step_cells(catalogue, builtin_poses)
    assert all(cell.framing is not None for cell in cells)
    for stretch in catalogue.stretches:
        mine = [c for c in cells if c.title.startswith(f"{stretch.name} ")]
        assert len(mine) == len(stretch.steps), stretch.id
        sizes = {round(c.framing.size, 6) for c in mine}
        bottoms = {round(c.framing.bottom, 6) for c in mine}
        assert len(sizes) == 1 and len(bottoms) == 1, stretch.id
        for cell in mine:
            box = content_bounds(cell.pose.scene())
            assert _inside(box, cell.framing), (stretch.id, cell.pose.id)
            centre = (box[0] + box[2]) / 2
            assert cell.framing.left + cell.framing.size / 2 == pytest.approx(centre)


def test_step_framings_use_the_scale_of_the_largest_step(builtin_poses) -> None:
    tall, wide = builtin_poses["kneel-upright"].scene(), builtin_poses["childs-pose"].scene()
    both = step_framings([tall, wide])
    assert both[0].size == both[1].size == max(framing_for(tall).size, framing_for(wide).size)
    assert step_framings([]) == []
