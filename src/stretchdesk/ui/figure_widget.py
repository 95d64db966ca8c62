"""The large animated figure of the player.

Dynamic moves glide from the previous breath phase's pose to the current one
over the phase's seconds, so the figure moves in time with the engine's
breath cues; holds show a slow breathing motion; the right side is drawn
mirrored. The pictures come from :mod:`stretchdesk.figures` (pose library,
scene building and the painter); this widget only chooses the frame.

Drawing a figure is the costliest thing the player does, so the widget
repaints only when the picture changes: a still pose (getting into position,
resting, waiting) is drawn once into a pixmap for the widget's size and then
copied, and moving poses are quantised so a frame that would look the same
is not drawn again. :meth:`FigureWidget.frame_interval_ms` says how often
the player should ask for a new frame.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from stretchdesk.core.model import Stretch
from stretchdesk.core.player_text import hold_breath
from stretchdesk.core.timeline import Segment, SegmentKind, Side
from stretchdesk.figures.library import PoseDef, PoseLibrary
from stretchdesk.figures.pose import Pose, breathe, interpolate
from stretchdesk.figures.render import (
    Framing,
    Palette,
    framing_for,
    paint_scene,
    world_transform,
)
from stretchdesk.figures.scene import Scene


def step_pose(stretch: Stretch, index: int, poses: PoseLibrary) -> PoseDef | None:
    """The pose of step ``index``, or of the nearest step that has one."""
    order = sorted(range(len(stretch.steps)), key=lambda i: (abs(i - index), i))
    for i in order:
        pose_id = stretch.steps[i].pose
        if pose_id is not None and pose_id in poses:
            return poses[pose_id]
    return None


#: Frames a second of a moving figure: breath-paced moves glide, a hold breathes slowly.
MOVE_FPS = 30
BREATH_FPS = 10
#: Steps a hold's breathing motion is quantised into (per full breath in or out).
_BREATH_STEPS = 60
#: A moving figure gets a new frame when its parts have moved about this many pixels.
_PIXELS_PER_FRAME = 1.0
#: Scenes kept for reuse: the reps of a set and the breaths of a hold repeat the same frames.
_SCENE_CACHE_SIZE = 600


def _breath_phase(fill: float) -> float:
    """The phase of :func:`~stretchdesk.figures.pose.breathe` whose fullness is ``fill``."""
    return math.acos(max(-1.0, min(1.0, 1.0 - 2.0 * fill))) / (2.0 * math.pi)


class FigureWidget(QWidget):
    """Draws the current stretch's figure at the current moment.

    Signals: ``clicked()`` — the user clicked the picture (the player treats it
    as "ready" while a stretch waits).
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._poses: PoseLibrary | None = None
        self._scene: Scene | None = None
        self._framing: Framing | None = None
        self._framings: dict[tuple[str, bool], Framing] = {}
        self._key: tuple[object, ...] | None = None  # what the picture shows now
        self._still = False  # the picture does not move; paint it from the pixmap
        self._pixmap: QPixmap | None = None
        self._pixmap_key: tuple[object, ...] | None = None
        self._scenes: OrderedDict[tuple[object, ...], Scene] = OrderedDict()
        self._move_steps: dict[tuple[object, ...], int] = {}
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)  # paints every pixel
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)
        self.setAccessibleName("Stretch illustration")

    def sizeHint(self) -> QSize:
        return QSize(420, 420)

    def set_poses(self, poses: PoseLibrary | None) -> None:
        self._poses = poses
        self._framings.clear()
        self._scenes.clear()
        self._move_steps.clear()
        self._show(None, None, None, still=True)

    def clear(self) -> None:
        self._show(None, None, None, still=True)

    @property
    def still(self) -> bool:
        """The picture shown now stands still (it is drawn from a cached pixmap)."""
        return self._still

    def frame_interval_ms(self) -> int | None:
        """How often the picture shown now changes (ms); ``None`` while it stands still."""
        if self._still or self._key is None:
            return None
        fps = MOVE_FPS if "move" in self._key else BREATH_FPS
        return round(1000 / fps)

    def _show(
        self,
        key: tuple[object, ...] | None,
        scene: Scene | None,
        framing: Framing | None,
        *,
        still: bool,
    ) -> None:
        """Show ``scene``, unless the picture for ``key`` is already on screen.

        Between two moving frames of the same framing only the part of the
        widget where either figure stands is repainted.
        """
        if key is not None and key == self._key:
            return
        before = self._scene_rect() if not self._still and framing == self._framing else None
        self._key, self._scene, self._framing, self._still = key, scene, framing, still
        after = self._scene_rect() if not still else None
        if before is not None and after is not None:
            self.update(before.united(after))
        else:
            self.update()

    def _scene_rect(self) -> QRect | None:
        """Where the scene shown now is drawn, in widget pixels (with a margin)."""
        if self._scene is None or self._framing is None:
            return None
        left, bottom, right, top = self._scene.bounds
        transform = world_transform(self._framing, QRectF(self.rect()))
        rect = transform.mapRect(QRectF(left, bottom, right - left, top - bottom))
        margin = 0.06 * min(self.width(), self.height())  # pens, highlights and the arrow
        return rect.adjusted(-margin, -margin, margin, margin).toAlignedRect()

    def show_moment(self, segment: Segment, elapsed: float, previous: Segment | None) -> None:
        """Show ``segment`` ``elapsed`` seconds in; ``previous`` is the segment before it."""
        stretch = segment.stretch
        if self._poses is None or stretch is None or segment.step is None:
            self.clear()
            return
        target = step_pose(stretch, segment.step, self._poses)
        if target is None:
            self.clear()
            return
        mirror = segment.side is Side.RIGHT
        key: tuple[object, ...] = (stretch.id, target.id, mirror)  # the still pose
        framing = self._framing_for(stretch, mirror)
        blend: tuple[PoseDef, float] | None = None  # a move: from this pose, this far
        breath: float | None = None  # a hold: this phase of the breathing motion
        if segment.kind is SegmentKind.REP and segment.duration > 0:
            start = self._rep_start(segment, previous)
            # two views of the body (side, front) cannot blend: the target stands still
            if start is not None and start is not target and start.view is target.view:
                steps = self._steps_between(start, target, mirror, framing, segment.duration)
                t = round(min(max(elapsed / segment.duration, 0.0), 1.0) * steps) / steps
                if t < 1.0:  # the end of a move is the still target pose
                    blend = (start, t)
                    key = (*key, "move", start.id, t)
        elif segment.kind is SegmentKind.HOLD:
            _, fill = hold_breath(elapsed)
            step = round(fill * _BREATH_STEPS)
            if step > 0:  # empty lungs: the pose as drawn
                breath = _breath_phase(step / _BREATH_STEPS)
                key = (*key, "breath", step)
        if key == self._key:
            return  # the same picture is on screen
        scene = self._scenes.get(key)
        if scene is None:
            pose: Pose | None = None
            if blend is not None:
                pose = interpolate(blend[0].pose, target.pose, blend[1])
            elif breath is not None:
                pose = breathe(target.pose, breath, depth=0.8)
            scene = self._remember(key, target.scene(mirror, pose))
        else:
            self._scenes.move_to_end(key)
        self._show(key, scene, framing, still=blend is None and breath is None)

    def _remember(self, key: tuple[object, ...], scene: Scene) -> Scene:
        """Keep ``scene`` among the recent ones (the reps of a set repeat the same frames)."""
        self._scenes[key] = scene
        if len(self._scenes) > _SCENE_CACHE_SIZE:
            self._scenes.popitem(last=False)
        return scene

    def _steps_between(
        self, start: PoseDef, target: PoseDef, mirror: bool, framing: Framing, seconds: float
    ) -> int:
        """Frames for a move: one per pixel or so of movement, at most :data:`MOVE_FPS`."""
        most = max(1, math.ceil(seconds * MOVE_FPS))
        key = (start.id, target.id, mirror, self.width(), self.height(), most)
        steps = self._move_steps.get(key)
        if steps is None:
            a, b = start.scene(mirror).figure.parts, target.scene(mirror).figure.parts
            pairs = [
                (p, q)
                for pa, pb in zip(a, b, strict=False)
                if len(pa.points) == len(pb.points)
                for p, q in zip(pa.points, pb.points, strict=True)
            ]
            if len(a) != len(b) or not pairs:
                steps = most
            else:
                cm = max(math.hypot(p[0] - q[0], p[1] - q[1]) for p, q in pairs)
                scale = world_transform(framing, QRectF(self.rect())).m11()
                steps = min(most, max(1, math.ceil(cm * abs(scale) / _PIXELS_PER_FRAME)))
            self._move_steps[key] = steps
        return steps

    def _rep_start(self, segment: Segment, previous: Segment | None) -> PoseDef | None:
        """Where a breath phase moves from: the previous phase's pose (or the set-up pose)."""
        stretch = segment.stretch
        assert stretch is not None and self._poses is not None
        if previous is not None and previous.kind is SegmentKind.REP and previous.step is not None:
            return step_pose(stretch, previous.step, self._poses)
        tempo = stretch.tempo
        if segment.phase is not None and tempo:
            before = tempo[(segment.phase - 2) % len(tempo)]
            if segment.phase > 1 or segment.rep != 1:
                return step_pose(stretch, before.step, self._poses)
        return step_pose(stretch, 0, self._poses)

    def _framing_for(self, stretch: Stretch, mirror: bool) -> Framing:
        """One frame for every picture of a stretch, so the figure does not jump about."""
        key = (stretch.id, mirror)
        framing = self._framings.get(key)
        if framing is None:
            assert self._poses is not None
            defs = {}
            for i in range(len(stretch.steps)):
                pose_def = step_pose(stretch, i, self._poses)
                if pose_def is not None:
                    defs[pose_def.id] = pose_def
            scenes = [d.scene(mirror) for d in defs.values()]
            framing = framing_for(scenes)
            self._framings[key] = framing
        return framing

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._still:
            painter.drawPixmap(0, 0, self._still_pixmap())
        else:
            self._paint(painter)
        painter.end()

    def _paint(self, painter: QPainter) -> None:
        palette = Palette.from_qpalette(self.palette())
        rect = QRectF(self.rect())
        painter.fillRect(rect, palette.background)
        if self._scene is not None:
            paint_scene(painter, self._scene, rect, palette, self._framing, background=False)

    def _still_pixmap(self) -> QPixmap:
        """The still picture, drawn once for this size, scale and palette."""
        ratio = self.devicePixelRatioF()
        key = (self._key, self.width(), self.height(), ratio, self.palette().cacheKey())
        if self._pixmap is None or key != self._pixmap_key:
            pixmap = QPixmap(QSize(round(self.width() * ratio), round(self.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            painter = QPainter(pixmap)
            self._paint(painter)
            painter.end()
            self._pixmap, self._pixmap_key = pixmap, key
        return self._pixmap

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._pixmap = None  # drawn again at the new size

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange:
            self._pixmap = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)
