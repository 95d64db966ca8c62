"""Pictures of stretches, rendered once and kept: the cards' thumbnails and the steps' pictures.

The figure modules are imported, and the pose library read, only when the
first picture is asked for, so opening the browser does not wait for them.
A picture that is not ready yet is queued and rendered a few at a time from
the event loop; :attr:`ThumbnailCache.ready` says when one arrives, and views
repaint. Only pictures that somebody painted are ever asked for, so only the
cards that become visible get rendered.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPalette, QPixmap

from stretchdesk.core.model import Stretch

if TYPE_CHECKING:
    from stretchdesk.figures.library import PoseLibrary

#: How long one batch of rendering may take before the event loop gets a turn (seconds).
BATCH_SECONDS = 0.004


@functools.cache
def shared_poses() -> PoseLibrary | None:
    """The built-in poses (``None`` if unreadable: the app still runs, without pictures)."""
    from stretchdesk.figures.library import app_poses

    return app_poses()


def pose_id_for_step(stretch: Stretch, index: int, poses: PoseLibrary | None) -> str | None:
    """The pose that shows step ``index``: its own, or the nearest step's that exists."""
    order = sorted(range(len(stretch.steps)), key=lambda i: (abs(i - index), i))
    for i in order:
        pose_id = stretch.steps[i].pose
        if pose_id is not None and (poses is None or pose_id in poses):
            return pose_id
    return None


@dataclass(frozen=True, slots=True)
class PictureKey:
    """What one picture shows: a pose, mirrored or not, at a size, in a palette."""

    pose_id: str
    mirror: bool
    size: int
    palette: tuple[int, ...]


def palette_key(palette: QPalette) -> tuple[int, ...]:
    """The colours a picture depends on, as a hashable key."""
    roles = (
        QPalette.ColorRole.Window,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Highlight,
        QPalette.ColorRole.Base,
    )
    return tuple(palette.color(role).rgba() for role in roles)


class ThumbnailCache(QObject):
    """Figure pictures by pose, size and palette, rendered lazily.

    Signals: ``ready()`` — one or more pictures asked for have been rendered.
    """

    ready = Signal()

    def __init__(self, parent: QObject | None = None, poses=shared_poses) -> None:
        super().__init__(parent)
        self._poses_loader = poses
        self._pixmaps: dict[PictureKey, QPixmap | None] = {}
        self._palettes: dict[tuple[int, ...], QPalette] = {}
        self._queue: dict[PictureKey, None] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._render_batch)

    @property
    def poses(self) -> PoseLibrary | None:
        return self._poses_loader()

    @property
    def pending(self) -> int:
        return len(self._queue)

    def stretch_picture(
        self, stretch: Stretch, step: int, size: int, palette: QPalette, mirror: bool = False
    ) -> QPixmap | None:
        """The picture of ``stretch``'s step ``step``; ``None`` until it is rendered.

        A stretch whose steps name no known pose never gets a picture.
        """
        pose_id = pose_id_for_step(stretch, step, None)
        if pose_id is None:
            return None
        return self.pose_picture(pose_id, size, palette, mirror)

    def thumbnail(self, stretch: Stretch, size: int, palette: QPalette) -> QPixmap | None:
        """The card picture of a stretch: its held step (``hold_step``)."""
        return self.stretch_picture(stretch, stretch.hold_step, size, palette)

    def pose_picture(
        self, pose_id: str, size: int, palette: QPalette, mirror: bool = False
    ) -> QPixmap | None:
        key = PictureKey(pose_id, mirror, size, palette_key(palette))
        if key in self._pixmaps:
            return self._pixmaps[key]
        self._palettes.setdefault(key.palette, QPalette(palette))
        if key not in self._queue:
            self._queue[key] = None
            if not self._timer.isActive():
                self._timer.start()
        return None

    def render_now(self) -> None:
        """Render everything queued at once (tests and benchmarks)."""
        while self._queue:
            self._render(next(iter(self._queue)))
        self._timer.stop()

    def stop(self) -> None:
        """Stop rendering; what is queued stays queued until asked for again."""
        self._timer.stop()

    def resume(self) -> None:
        if self._queue and not self._timer.isActive():
            self._timer.start()

    def _render_batch(self) -> None:
        deadline = time.perf_counter() + BATCH_SECONDS
        done = 0
        while self._queue and (done == 0 or time.perf_counter() < deadline):
            self._render(next(iter(self._queue)))
            done += 1
        if self._queue:
            self._timer.start()
        if done:
            self.ready.emit()

    def _render(self, key: PictureKey) -> None:
        del self._queue[key]
        poses = self.poses
        pose = poses.get(key.pose_id) if poses is not None else None
        if pose is None:
            self._pixmaps[key] = None
            return
        from stretchdesk.figures.render import Palette, render_image

        palette = Palette.from_qpalette(self._palettes[key.palette])
        image = render_image(pose.scene(key.mirror), key.size, palette)
        self._pixmaps[key] = QPixmap.fromImage(_rounded(image, key.size / 9))


def _rounded(image: QImage, radius: float) -> QImage:
    """``image`` with its corners rounded off (made transparent)."""
    out = QImage(image.size(), QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    path = QPainterPath()
    path.addRoundedRect(QRectF(image.rect()), radius, radius)
    painter.setClipPath(path)
    painter.drawImage(0, 0, image)
    painter.end()
    return out
