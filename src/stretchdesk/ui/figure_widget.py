"""The large animated figure of the player.

Dynamic moves glide from the previous breath phase's pose to the current one
over the phase's seconds, so the figure moves in time with the engine's
breath cues; holds show a slow breathing motion; the right side is drawn
mirrored. The pictures come from :mod:`stretchdesk.figures` (pose library,
scene building and the painter); this widget only chooses the frame.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from stretchdesk.core.model import Stretch
from stretchdesk.core.player_text import hold_breath
from stretchdesk.core.timeline import Segment, SegmentKind, Side
from stretchdesk.figures.library import PoseDef, PoseLibrary
from stretchdesk.figures.pose import Pose, breathe, interpolate
from stretchdesk.figures.render import Framing, Palette, framing_for, paint_scene
from stretchdesk.figures.scene import Scene


def step_pose(stretch: Stretch, index: int, poses: PoseLibrary) -> PoseDef | None:
    """The pose of step ``index``, or of the nearest step that has one."""
    order = sorted(range(len(stretch.steps)), key=lambda i: (abs(i - index), i))
    for i in order:
        pose_id = stretch.steps[i].pose
        if pose_id is not None and pose_id in poses:
            return poses[pose_id]
    return None


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
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)
        self.setAccessibleName("Stretch illustration")

    def sizeHint(self) -> QSize:
        return QSize(420, 420)

    def set_poses(self, poses: PoseLibrary | None) -> None:
        self._poses = poses
        self._framings.clear()

    def clear(self) -> None:
        self._scene = None
        self.update()

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
        pose: Pose | None = None
        if segment.kind is SegmentKind.REP and segment.duration > 0:
            start = self._rep_start(segment, previous)
            if start is not None and start is not target:
                t = min(max(elapsed / segment.duration, 0.0), 1.0)
                try:
                    pose = interpolate(start.pose, target.pose, t)
                except ValueError:  # two views of the body cannot blend
                    pose = None
        elif segment.kind is SegmentKind.HOLD:
            _, fill = hold_breath(elapsed)
            pose = breathe(target.pose, _breath_phase(fill), depth=0.8)
        self._scene = target.scene(mirror, pose)
        self._framing = self._framing_for(stretch, mirror)
        self.update()

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
        palette = Palette.from_qpalette(self.palette())
        rect = QRectF(self.rect())
        if self._scene is None:
            painter.fillRect(rect, palette.background)
        else:
            painter.fillRect(rect, palette.background)
            paint_scene(painter, self._scene, rect, palette, self._framing, background=False)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)
