"""The routine player: the guided session inside the main window.

The page shows the animated figure large beside the current step's text,
the stretch's other steps with the current one highlighted, a countdown
ring, a breathing pacer on holds, "Left side · set 2 of 2 · rep 4 of 10",
a progress strip through the routine, "next up" during rests and the last
seconds of a stretch, and the tip that matters now. The controls work from
the keyboard alone (Space, arrows, +, Esc, F, Enter, H) and as buttons.
"It hurts" is always one click away. After the session, a finished page
(or, after "It hurts", what to do now) replaces the session page.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.engine import Cue, Ending, Feeling, State, Summary
from stretchdesk.core.model import Catalogue, Routine
from stretchdesk.core.player_text import (
    hold_breath,
    paced_routine,
    segment_heading,
    status_line,
    step_text,
    tip_for,
)
from stretchdesk.core.settings import Player
from stretchdesk.core.timeline import Plan, Segment, SegmentKind, expand
from stretchdesk.core.timeline_text import format_clock
from stretchdesk.figures.library import PoseLibrary
from stretchdesk.ui.audio import AudioCues
from stretchdesk.ui.breathing_pacer import BreathingPacer
from stretchdesk.ui.countdown_ring import CountdownRing
from stretchdesk.ui.figure_widget import FigureWidget
from stretchdesk.ui.finished_view import FinishedView
from stretchdesk.ui.hurt_view import HurtView, load_it_hurts
from stretchdesk.ui.progress_strip import ProgressStrip
from stretchdesk.ui.scaling import set_pixel_font, window_unit
from stretchdesk.ui.session_driver import Clock, SessionDriver

#: "Next up" shows during this many last seconds of a stretch.
NEXT_UP_SECONDS = 5.0
#: The ring, the pacer and the progress strip change at most this often (per second);
#: the display refreshes at this pace unless the figure moves faster.
READOUTS_PER_SECOND = 10
READOUT_INTERVAL_MS = 1000 // READOUTS_PER_SECOND
#: The largest the countdown ring and the pacer get at 800x600; they grow with the window.
RING_SIDE = 190

_KEYS = {
    Qt.Key.Key_Space: "primary",
    Qt.Key.Key_Left: "back",
    Qt.Key.Key_Right: "forward",
    Qt.Key.Key_Plus: "add_time",
    Qt.Key.Key_Equal: "add_time",
    Qt.Key.Key_Escape: "stop",
    Qt.Key.Key_F: "full_screen",
    Qt.Key.Key_Return: "ready",
    Qt.Key.Key_Enter: "ready",
    Qt.Key.Key_H: "hurt",
}


def _load_poses() -> PoseLibrary | None:
    """The built-in poses (``None`` if unreadable: the app still runs, without pictures)."""
    from stretchdesk.figures.library import app_poses

    return app_poses()


class PlayerView(QWidget):
    """The player page.

    Signals:

    * ``session_ended(object)`` — a session finished or stopped; its ``Summary``;
    * ``feeling_recorded(object)`` — the user said how they feel; the ``Summary``
      with its ``feeling`` set (for the history);
    * ``full_screen_requested(bool)`` — show the window full screen, or not;
    * ``close_requested()`` — the user left the player.
    """

    session_ended = Signal(object)
    feeling_recorded = Signal(object)
    full_screen_requested = Signal(bool)
    close_requested = Signal()

    def __init__(
        self,
        catalogue: Catalogue,
        settings: Player | None = None,
        *,
        clock: Clock = time.monotonic,
        audio: AudioCues | None = None,
        poses: Callable[[], PoseLibrary | None] = _load_poses,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.settings = settings or Player()
        self._clock = clock
        self._poses_loader = poses
        self.audio = audio or AudioCues(self.settings, parent=self)
        self.driver: SessionDriver | None = None
        self.plan: Plan | None = None
        self.summary: Summary | None = None
        self._routine: Routine | None = None
        self._shown_index = -1
        self._readout_tick: tuple[int, State, int] | None = None
        self._next_up = ""
        self._full_screen = False
        self._watched_window: QWidget | None = None  # for leaving full screen
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._create_actions()
        self._build()
        self._connect_signals()

    # --- building ----------------------------------------------------------------------

    def _create_actions(self) -> None:
        def action(text: str, tip: str, key: str) -> QAction:
            act = QAction(text, self)
            act.setToolTip(f"{tip} ({key})")
            return act

        self.start_action = action("Start", "Start the session, pause or go on", "Space")
        self.back_action = action("◀ Back", "Start this stretch again, or go back one", "←")
        self.forward_action = action("Next ▶", "Go on to the next part", "→")
        self.add_time_action = action("+10 s", "Ten more seconds in this hold", "+")
        self.ready_action = action("I'm ready", "Start the stretch now", "Enter")
        self.stop_action = action("Stop", "End the session here", "Esc")
        self.full_screen_action = action("Full screen", "Fill the screen, or stop doing so", "F")
        self.full_screen_action.setCheckable(True)
        self.hurt_action = action("It hurts", "Stop now, and see what to do for the pain", "H")

    def _build(self) -> None:
        self.pages = QStackedWidget(self)
        self.session_page = QWidget(self.pages)
        self.finished_view = FinishedView(self.pages)
        self.hurt_view = HurtView(self.pages)
        self.pages.addWidget(self.session_page)
        self.pages.addWidget(self.finished_view)
        self.pages.addWidget(self.hurt_view)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        self.routine_label = QLabel(self.session_page)
        self.routine_label.setAccessibleName("Routine")
        self.progress = ProgressStrip(self.session_page)
        self.sound_banner = QLabel(self.session_page)
        self.sound_banner.setWordWrap(True)
        self.sound_banner.setAccessibleName("Sound")
        self.sound_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.sound_banner.hide()

        self.figure = FigureWidget(self.session_page)
        self.stretch_label = QLabel(self.session_page)
        self.stretch_label.setWordWrap(True)
        self.heading_label = QLabel(self.session_page)
        self.heading_label.setAccessibleName("What to do now")
        self.step_label = QLabel(self.session_page)
        self.step_label.setWordWrap(True)
        self.step_label.setAccessibleName("Current step")
        self.step_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.status_label = QLabel(self.session_page)
        self.status_label.setAccessibleName("Side, set and repetition")
        self.ring = CountdownRing(self.session_page)
        self.pacer = BreathingPacer(self.session_page)
        self.steps_label = QLabel(self.session_page)
        self.steps_label.setWordWrap(True)
        self.steps_label.setAccessibleName("Steps of this stretch")
        self.next_label = QLabel(self.session_page)
        self.next_label.setWordWrap(True)
        self.next_label.setAccessibleName("Next up")
        self.tip_label = QLabel(self.session_page)
        self.tip_label.setWordWrap(True)
        self.tip_label.setAccessibleName("Tip")
        self.notice_label = QLabel(self.session_page)
        self.notice_label.setWordWrap(True)
        self.notice_label.setAccessibleName("Notice")

        header = QHBoxLayout()
        header.addWidget(self.routine_label)
        header.addWidget(self.progress, 1)

        timers = QHBoxLayout()
        timers.addWidget(self.ring, 1)
        timers.addWidget(self.pacer, 1)

        text = QVBoxLayout()
        text.setSpacing(6)
        text.addWidget(self.stretch_label)
        text.addWidget(self.heading_label)
        text.addWidget(self.step_label)
        text.addWidget(self.status_label)
        text.addSpacing(6)
        text.addLayout(timers, 3)
        text.addWidget(self.next_label)
        text.addWidget(self.tip_label)
        text.addWidget(self.steps_label)
        text.addWidget(self.notice_label)
        text.addStretch(1)

        body = QHBoxLayout()
        body.addWidget(self.figure, 3)
        body.addLayout(text, 2)

        controls = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for name, act in (
            ("back", self.back_action),
            ("start", self.start_action),
            ("ready", self.ready_action),
            ("forward", self.forward_action),
            ("add_time", self.add_time_action),
            (None, None),
            ("full_screen", self.full_screen_action),
            ("stop", self.stop_action),
            ("hurt", self.hurt_action),
        ):
            if name is None or act is None:
                controls.addStretch(1)
                continue
            button = QToolButton(self.session_page)
            button.setDefaultAction(act)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys always reach the player
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(36)
            self.buttons[name] = button
            controls.addWidget(button)
        self.buttons["hurt"].setObjectName("hurtButton")
        self.buttons["hurt"].setStyleSheet(
            "QToolButton#hurtButton { background: #c0392b; color: white; font-weight: bold;"
            " border-radius: 6px; padding: 4px 18px; }"
        )

        page = QVBoxLayout(self.session_page)
        page.setContentsMargins(16, 12, 16, 12)
        page.addLayout(header)
        page.addWidget(self.sound_banner)
        page.addLayout(body, 1)
        page.addLayout(controls)

    def _connect_signals(self) -> None:
        self.start_action.triggered.connect(self.primary)
        self.back_action.triggered.connect(self.back)
        self.forward_action.triggered.connect(self.forward)
        self.add_time_action.triggered.connect(self.add_time)
        self.ready_action.triggered.connect(self.ready)
        self.stop_action.triggered.connect(self.stop)
        self.full_screen_action.toggled.connect(self._full_screen_toggled)
        self.hurt_action.triggered.connect(self.hurt)
        self.figure.clicked.connect(self.ready)
        self.audio.sound_unavailable.connect(self._show_sound_problem)
        self.finished_view.feeling_chosen.connect(self._feeling_chosen)
        self.finished_view.again_requested.connect(self._again)
        self.finished_view.close_requested.connect(self._leave)
        self.hurt_view.close_requested.connect(self._leave)

    def _connect_driver(self, driver: SessionDriver) -> None:
        driver.cues_due.connect(self._cues_due)
        driver.segment_changed.connect(self._segment_changed)
        driver.state_changed.connect(self._state_changed)
        driver.frame_due.connect(self._frame_due)
        driver.control_refused.connect(self._show_notice)
        driver.session_ended.connect(self._ended)

    # --- the session -------------------------------------------------------------------

    def load_routine(self, routine: Routine) -> None:
        """Get ``routine`` ready in the player; it starts with Space or the Start button."""
        self.close_session()
        if self.figure is not None and self._poses_loader is not None:
            self.figure.set_poses(self._poses_loader())
            self._poses_loader = None  # loaded once
        self._routine = routine
        self.plan = expand(paced_routine(routine, self.settings), self.catalogue)
        self.summary = None
        self.driver = SessionDriver(self.plan, self._clock, self)
        self._connect_driver(self.driver)
        self.routine_label.setText(f"<b>{html.escape(routine.name)}</b>")
        seconds = [0.0] * len(self.plan.stretches)
        for segment in self.plan.segments:
            if segment.item is not None:
                seconds[segment.item] += segment.duration
        self.progress.set_items([s.name for s in self.plan.stretches], seconds)
        self.pages.setCurrentWidget(self.session_page)
        self._shown_index = -1
        self.notice_label.setText("Press <b>Space</b> or <b>Start</b> to begin.")
        self._readout_tick = None
        self._show_segment(0)
        self._update_actions()
        self._refresh()
        self.driver.set_display_active(self.isVisible())

    def close_session(self) -> None:
        """Stop the current session (if any) and every timer; the page stays as it is."""
        if self.driver is not None:
            if self.driver.running:
                self.driver.stop()
            self.driver.shutdown()
            self.driver.deleteLater()
            self.driver = None
        self.audio.close()

    def primary(self) -> None:
        """Space: start, pause, go on, or "ready" while a stretch waits."""
        if self.driver is None:
            return
        if self.driver.state is State.IDLE:
            self.audio.prepare()  # sound and speech load when the first session starts
        self.driver.primary()

    def back(self) -> None:
        if self.driver is not None:
            self.driver.back()

    def forward(self) -> None:
        if self.driver is not None:
            self.driver.skip()

    def add_time(self) -> None:
        if self.driver is not None:
            self.driver.add_time()

    def ready(self) -> None:
        if self.driver is not None and self.driver.state is State.WAITING:
            self.driver.ready()

    def stop(self) -> None:
        if self.driver is not None and self.driver.running:
            self.driver.stop()
        elif self._full_screen:
            self.full_screen_action.setChecked(False)

    def hurt(self) -> None:
        """Stop because it hurts; show what to do now. Works before the start, too."""
        if self.driver is not None and self.driver.state not in (State.FINISHED, State.STOPPED):
            self.driver.hurt()
        else:
            self._show_hurt()

    def demo_skip(self, seconds: float) -> None:
        """Start the session and move it ``seconds`` on, as if that much time had passed.

        Used by ``STRETCHDESK_PLAYER_SKIP`` to show a given moment (screenshots, demos).
        """
        if self.driver is None:
            return
        if self.driver.state is State.IDLE:
            self.primary()
        self.driver.skip_ahead(seconds)

    # --- reacting to the driver --------------------------------------------------------

    def _cues_due(self, cues: list[Cue]) -> None:
        self.audio.play(cues)
        self._refresh()  # a countdown cue and the number on the ring go together

    def _frame_due(self) -> None:
        self._refresh(force=False)

    def _segment_changed(self, index: int) -> None:
        self._show_segment(index)
        self._refresh()

    def _state_changed(self, _state: str) -> None:
        self._update_actions()
        if self.driver is not None and self.driver.state is not State.IDLE:
            self.notice_label.clear()
        self._refresh()

    def _ended(self, summary: Summary) -> None:
        self.summary = summary
        self._update_actions()
        if self.driver is not None:
            self.driver.shutdown()
        if self._full_screen and summary.ending is not Ending.FINISHED:
            self.full_screen_action.setChecked(False)
        if summary.ending is Ending.HURT:
            self.audio.close()
            self._show_hurt()
        elif self.plan is not None:
            self.finished_view.show_summary(summary, self.plan)
            self.pages.setCurrentWidget(self.finished_view)
        self.session_ended.emit(summary)

    def _show_hurt(self) -> None:
        self.hurt_view.show_guidance(load_it_hurts())
        self.pages.setCurrentWidget(self.hurt_view)

    def _feeling_chosen(self, value: str) -> None:
        if self.summary is None:
            return
        self.summary = self.summary.with_feeling(Feeling(value))
        self.finished_view.update_summary(self.summary)
        self.feeling_recorded.emit(self.summary)

    def _again(self) -> None:
        if self._routine is not None:
            self.load_routine(self._routine)

    def _leave(self) -> None:
        self.close_session()
        if self._full_screen:
            self.full_screen_action.setChecked(False)
        self.close_requested.emit()

    def _full_screen_toggled(self, on: bool) -> None:
        self._full_screen = on
        self.full_screen_requested.emit(on)

    def _show_sound_problem(self, text: str) -> None:
        self.sound_banner.setText(text)
        self.sound_banner.show()

    def _show_notice(self, reason: str) -> None:
        self.notice_label.setText(f"<i>{html.escape(reason[:1].upper() + reason[1:])}.</i>")

    # --- drawing -----------------------------------------------------------------------

    def _update_actions(self) -> None:
        state = self.driver.state if self.driver is not None else State.STOPPED
        live = state in (State.RUNNING, State.PAUSED, State.WAITING)
        self.start_action.setText(
            {State.IDLE: "Start", State.RUNNING: "Pause", State.PAUSED: "Go on"}.get(state, "Start")
        )
        self.start_action.setEnabled(state in (State.IDLE, State.RUNNING, State.PAUSED))
        self.ready_action.setEnabled(state is State.WAITING)
        self.buttons["ready"].setVisible(state is State.WAITING)
        self.buttons["start"].setVisible(state is not State.WAITING)  # "I'm ready" stands in
        for act in (self.back_action, self.forward_action, self.add_time_action):
            act.setEnabled(live)
        self.stop_action.setEnabled(live)

    def _show_segment(self, index: int) -> None:
        """The texts that change only when the segment does."""
        if self.plan is None or index == self._shown_index:
            return
        self._shown_index = index
        segment = self.plan.segments[index]
        stretch = segment.stretch
        if stretch is None:  # finished
            return
        esc = html.escape
        self.stretch_label.setText(esc(stretch.name))
        self.step_label.setText(esc(step_text(segment)))
        self.status_label.setText(esc(status_line(segment)))
        rows = []
        for i, step in enumerate(stretch.steps):
            mark = "▶ " if i == segment.step else ""
            text = f"{i + 1}. {esc(step.text)}"
            if i == segment.step:
                rows.append(f"<p style='margin:2px'><b>{mark}{text}</b></p>")
            else:
                rows.append(f"<p style='margin:2px; color:palette(mid)'>{text}</p>")
        self.steps_label.setText("".join(rows))
        tip = tip_for(segment, self.catalogue)
        if tip:
            caution = segment.kind is SegmentKind.PREPARE or segment.between_items
            label = "Take care" if caution else "Tip"
            self.tip_label.setText(f"<b>{label}:</b> {esc(tip)}")
        else:
            self.tip_label.clear()
        self.tip_label.setVisible(bool(tip))
        self.pacer.setVisible(segment.kind is SegmentKind.HOLD)

    def _next_stretch_name(self, index: int, seconds_left: float) -> str:
        """The next stretch's name while it should be previewed, else ""."""
        assert self.plan is not None
        segments = self.plan.segments
        segment = segments[index]
        if segment.between_items and segment.stretch is not None:
            return segment.stretch.name
        following = segments[index + 1] if index + 1 < len(segments) else None
        if (
            segment.is_work
            and following is not None
            and following.item != segment.item
            and seconds_left <= NEXT_UP_SECONDS
        ):
            nxt = next((s for s in segments[index + 1 :] if s.stretch is not None), None)
            if nxt is not None and nxt.stretch is not None:
                return nxt.stretch.name
        if (
            segment.is_work
            and following is not None
            and following.between_items
            and seconds_left <= NEXT_UP_SECONDS
            and following.stretch is not None
        ):
            return following.stretch.name
        return ""

    def _refresh(self, force: bool = True) -> None:
        """The moving parts: figure, ring, pacer, progress, next up.

        The figure is asked on every frame (it repaints only when its picture
        changes); the readouts at most :data:`READOUTS_PER_SECOND` times a
        second, unless ``force`` (a cue, a new segment or state).
        """
        driver, plan = self.driver, self.plan
        if driver is None or plan is None:
            return
        snap = driver.snapshot()
        index, segment, state = snap.index, snap.segment, snap.state
        self._show_segment(index)
        previous = plan.segments[index - 1] if index > 0 else None
        self.figure.show_moment(segment, snap.elapsed, previous)
        tick = (index, state, int(snap.elapsed * READOUTS_PER_SECOND))
        if tick == self._readout_tick and not force:
            return
        self._readout_tick = tick
        driver.set_frame_interval(self._frame_interval(state))
        if force or tick[2] % READOUTS_PER_SECOND == 0:  # the strip moves slowly: once a second
            item = segment.item if segment.item is not None else len(plan.stretches) - 1
            self.progress.set_progress(item, snap.routine_fraction)
        if state is State.IDLE:
            self.ring.set_value(1.0, format_clock(plan.duration), "in all")
        elif state is State.WAITING:
            self.ring.set_value(1.0, "Ready?", "Space or click")
        elif segment.kind is SegmentKind.REP:
            reps = segment.reps or 1
            done = ((segment.rep or 1) - 1 + snap.segment_fraction) / reps
            self.ring.set_value(1.0 - done, f"{segment.rep}/{reps}", "reps")
        else:
            left = snap.seconds_left
            caption = "paused" if state is State.PAUSED else "seconds"
            self.ring.set_value(
                1.0 - snap.segment_fraction,
                str(max(0, int(left + 0.999))),
                caption,
                urgent=0 < left <= 3.0,
            )
        if segment.kind is SegmentKind.HOLD:
            breathing_in, fill = hold_breath(snap.elapsed)
            self.pacer.set_breath(breathing_in, fill)
        self._show_next_up(self._next_stretch_name(index, snap.seconds_left))
        self._show_heading(segment, state)

    def _frame_interval(self, state: State) -> int:
        """How often to refresh: as fast as the figure moves, else for the readouts."""
        moving = self.figure.frame_interval_ms() if state is State.RUNNING else None
        return min(moving or READOUT_INTERVAL_MS, READOUT_INTERVAL_MS)

    def _show_next_up(self, name: str) -> None:
        if name == self._next_up:
            return
        self._next_up = name
        self.next_label.setText(f"<b>Next up:</b> {html.escape(name)}" if name else "")
        self.next_label.setVisible(bool(name))

    def _show_heading(self, segment: Segment, state: State) -> None:
        if state is State.IDLE:
            heading = "Ready when you are"
        elif state is State.PAUSED:
            heading = f"Paused · {html.escape(segment_heading(segment))}"
        else:
            heading = html.escape(segment_heading(segment))
        if heading != self.heading_label.text():
            self.heading_label.setText(heading)

    # --- Qt events ---------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        name = _KEYS.get(Qt.Key(event.key()))
        if name is None or self.pages.currentWidget() is not self.session_page:
            if name == "stop" and self._full_screen:
                self.full_screen_action.setChecked(False)
                return
            super().keyPressEvent(event)
            return
        if name == "full_screen":
            self.full_screen_action.toggle()
        else:
            getattr(self, name)()
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self and window is not self._watched_window:
            if self._watched_window is not None:
                self._watched_window.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched_window = window
        if self.driver is not None:
            self.driver.set_display_active(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Notice when the window leaves full screen some other way (window manager, F11)."""
        if (
            watched is self._watched_window
            and event.type() is QEvent.Type.WindowStateChange
            and self._full_screen
            and not self.window().isFullScreen()
        ):
            self.full_screen_action.setChecked(False)  # the window gets its bars back
        return False

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self.driver is not None:
            self.driver.set_display_active(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_fonts()

    def _scale_fonts(self) -> None:
        """Text grows with the window, so it reads from a mat as well as from a desk."""
        unit = window_unit(self)
        base = self.font()
        for widget, px, bold in (
            (self.stretch_label, 15, False),
            (self.heading_label, 26, True),
            (self.step_label, 20, False),
            (self.status_label, 15, False),
            (self.steps_label, 12, False),
            (self.next_label, 14, False),
            (self.tip_label, 13, False),
            (self.notice_label, 12, False),
            (self.sound_banner, 12, False),
            (self.routine_label, 13, False),
            (self.progress, 11, False),
            (self.ring, 13, False),
            (self.pacer, 13, False),
        ):
            set_pixel_font(widget, base, px, unit, bold)
        for button in self.buttons.values():
            set_pixel_font(button, base, 14, unit, bold=button is self.buttons["hurt"])
            button.setMinimumHeight(round(36 * unit))
        # The ring and the pacer are read at a glance; beyond this they only crowd the text.
        side = round(RING_SIDE * unit)
        for dial in (self.ring, self.pacer):
            dial.setMaximumSize(side, side)
