"""A small looping animation of one stretch, for the browser's detail pane.

It plays the stretch the way the player would, in brief: each set-up step
for a moment, then the held step breathing for a few seconds (mirrored for
the other side), or a couple of repetitions moving in time with the breath.
The figure is the player's :class:`~stretchdesk.ui.figure_widget.FigureWidget`;
this widget only chooses the moments. It animates only while it is visible.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QSize, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from stretchdesk.core.model import Sides, Stretch
from stretchdesk.core.timeline import Segment, SegmentKind, Side, rep_segments
from stretchdesk.ui.figure_widget import FigureWidget
from stretchdesk.ui.thumbnails import shared_poses

SETUP_SECONDS = 1.4
HOLD_SECONDS = 5.0
SWITCH_SECONDS = 0.8
PREVIEW_REPS = 2
FRAME_MS = 33


def preview_segments(stretch: Stretch) -> list[Segment]:
    """The moments the preview loops through (a short version of the stretch's timeline)."""
    segments: list[Segment] = []
    common = {"stretch": stretch, "item": 0}
    if stretch.hold_seconds is not None:
        sides: tuple[Side | None, ...] = (
            (Side.LEFT, Side.RIGHT) if stretch.sides is Sides.EACH else (None,)
        )
        for number, side in enumerate(sides):
            if number:
                segments.append(
                    Segment(SegmentKind.SWITCH, SWITCH_SECONDS, side=side, step=0, **common)
                )
            for step in range(stretch.hold_step):
                segments.append(
                    Segment(SegmentKind.PREPARE, SETUP_SECONDS, side=side, step=step, **common)
                )
            segments.append(
                Segment(SegmentKind.HOLD, HOLD_SECONDS, side=side, step=stretch.hold_step, **common)
            )
        return segments
    rep_sides: tuple[Side | None, ...] = (
        (Side.LEFT, Side.RIGHT) if stretch.sides is not Sides.NONE else (None,)
    )
    segments.append(Segment(SegmentKind.PREPARE, SETUP_SECONDS, step=0, **common))
    segments += rep_segments(stretch, PREVIEW_REPS, rep_sides, **common)
    return segments


class StretchPreview(FigureWidget):
    """The figure of one stretch, moving through a short loop of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(120, 120)
        self.setAccessibleName("Animated preview of the stretch")
        self._segments: list[Segment] = []
        self._loop_seconds = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self._poses_set = False

    def sizeHint(self) -> QSize:
        return QSize(220, 220)

    def heightForWidth(self, width: int) -> int:
        return width

    def hasHeightForWidth(self) -> bool:
        return True

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def set_stretch(self, stretch: Stretch | None) -> None:
        """Loop ``stretch`` (or show nothing)."""
        if not self._poses_set:
            self.set_poses(shared_poses())
            self._poses_set = True
        self._segments = preview_segments(stretch) if stretch is not None else []
        self._loop_seconds = sum(s.duration for s in self._segments)
        self._clock.start()
        if not self._segments:
            self._timer.stop()
            self.clear()
            return
        self.show_at(0.0)
        if self.isVisible():
            self._timer.start()

    def show_at(self, seconds: float) -> None:
        """Show the loop ``seconds`` in (wrapping round)."""
        if not self._segments or self._loop_seconds <= 0:
            return
        t = seconds % self._loop_seconds
        previous: Segment | None = None
        for segment in self._segments:
            if t < segment.duration or segment is self._segments[-1]:
                self.show_moment(segment, min(t, segment.duration), previous)
                return
            t -= segment.duration
            previous = segment

    def _tick(self) -> None:
        self.show_at(self._clock.elapsed() / 1000.0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._segments:
            self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def stop(self) -> None:
        self._timer.stop()
