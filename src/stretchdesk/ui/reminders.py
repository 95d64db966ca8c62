"""The reminder controller: drives the break scheduler from Qt and shows what it says.

:class:`ReminderController` owns the :class:`~stretchdesk.core.scheduler.Scheduler`
and one single-shot timer set to the scheduler's next deadline, so between
deadlines the app does not wake up at all. Each wake-up reads the clocks (and
the idle time, when the platform can tell) into an
:class:`~stretchdesk.core.scheduler.Instant`, and handles the events:

* ``ReminderDue``: pick the stretch (or routine) to suggest, show the prompt
  window and the desktop notification — unless it is a bad moment (see below);
* ``ReminderWithdrawn``: hide them (or drop the one held back);
* ``BreakRecord``: store it in the history, with the suggested stretch.

The user's answers (from the prompt, the notification or the tray menu) go
back to the scheduler through :meth:`start`, :meth:`postpone`, :meth:`skip`,
:meth:`take_break_now`, :meth:`pause`, :meth:`pause_until_tomorrow` and
:meth:`resume`; :meth:`finish_break` ends a break when the player is done.

Do not disturb: when a reminder is due, the controller asks the quiet probe
(``platform/dnd.py``) whether do-not-disturb is on or a full-screen window has
the focus. If so, a :class:`~stretchdesk.core.reminder_gate.ReminderGate`
holds the reminder quietly (nothing on screen) and a second single-shot timer
asks again every :data:`~stretchdesk.core.reminder_gate.RECHECK_SECONDS`,
only while one is held; when the quiet time ends, exactly one reminder is
shown. A reminder the scheduler withdraws meanwhile (a natural break, the end
of the working day) is dropped.

Fixed reminders that fired today are remembered in the history
(:meth:`~stretchdesk.storage.history.History.save_fixed_fired`) and handed
back to the scheduler at start-up, so a restart never fires one twice.

The clocks, the idle time, the timer and the tray's status line are the
:class:`~stretchdesk.ui.break_clock.BreakClock` this controller extends (which
also describes the sleep detection and the developer switches
``STRETCHDESK_TIME_SCALE`` and ``STRETCHDESK_WAKEUP_LOG``).

A controller made with ``restore`` (a scheduler handed over by the tray-only
resident process, ``ui/resident.py``) shows at once the reminder that was
due when the hand-over happened.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from stretchdesk.core.model import Catalogue, Routine, RoutineItem, Stretch
from stretchdesk.core.reminder_gate import RECHECK_SECONDS, Quiet, ReminderGate
from stretchdesk.core.scheduler import (
    BreakRecord,
    Event,
    Instant,
    Outcome,
    Refused,
    Reminder,
    ReminderDue,
    ReminderKind,
    ReminderWithdrawn,
    SchedulerConfig,
    State,
)
from stretchdesk.core.settings import Reminders
from stretchdesk.core.timeline import routine_duration
from stretchdesk.library import Library
from stretchdesk.platform.notifications import Notifier
from stretchdesk.storage.history import History
from stretchdesk.ui.break_clock import (  # noqa: F401 - also part of this module's interface
    MAX_TIMER_MS,
    TIME_SCALE_ENV,
    WAKEUP_LOG_ENV,
    BreakClock,
    Clock,
    IdleSource,
    SystemClock,
    local_zone,
    time_scale,
)

DESK_ROUTINE = "desk-break"
"""The routine a long break offers, when the library has it."""

LATELY = _dt.timedelta(days=14)
"""How far back "what the user did least lately" looks."""

_BREAK_GRACE_SECONDS = 15 * 60.0  # a break nobody finishes ends this long after its routine


class QuietSource(Protocol):
    """Why now is a bad moment for a reminder, or ``None`` (``platform/dnd.QuietProbe``)."""

    def quiet(self) -> Quiet | None: ...


@dataclass(frozen=True, slots=True)
class IdleTuning:
    """How idle time is read; the scheduler's own defaults when a field is ``None``.

    ``threshold``: seconds without input before the user counts as away;
    ``poll``: how often to ask, while they are away, whether they are back (where the
    platform has no idle watches to say so).
    Real-desktop tests shorten both to see a natural break in seconds.
    """

    threshold: float | None = None
    poll: float | None = None


def scheduler_config(
    reminders: Reminders,
    tz: _dt.tzinfo | None,
    scale: float = 1.0,
    idle: IdleTuning | None = None,
) -> SchedulerConfig:
    """The scheduler configuration for the settings, with the developer time scale applied."""
    config = SchedulerConfig.from_settings(reminders, tz)
    if idle is not None:
        config = dataclasses.replace(
            config,
            idle_threshold=config.idle_threshold if idle.threshold is None else idle.threshold,
            idle_poll=config.idle_poll if idle.poll is None else idle.poll,
        )
    if scale == 1.0:
        return config
    long_interval = config.long_interval
    return dataclasses.replace(
        config,
        short_interval=config.short_interval / scale,
        short_length=config.short_length / scale,
        long_interval=long_interval / scale if long_interval is not None else None,
        long_length=config.long_length / scale,
        merge_window=config.merge_window / scale,
        postpone_length=config.postpone_length / scale,
        quiet_after=config.quiet_after / scale,
    )


# --- what to suggest ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What a reminder offers: a stretch (short break) or a routine, ready for the player."""

    reminder: Reminder
    routine: Routine
    seconds: float
    stretch: Stretch | None = None
    postpone_refusal: str | None = None
    postpone_minutes: int = 5

    @property
    def title(self) -> str:
        if self.reminder.kind is ReminderKind.FIXED:
            return self.reminder.label or self.routine.name
        if self.reminder.kind is ReminderKind.LONG:
            return "Time for a longer break"
        return "Time for a stretch"

    @property
    def name(self) -> str:
        return self.stretch.name if self.stretch is not None else self.routine.name

    @property
    def duration_text(self) -> str:
        return duration_text(self.seconds)


def duration_text(seconds: float) -> str:
    """``45 s``, ``2 min``, ``3 min 30 s``."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"


def pick_stretch(
    catalogue: Catalogue,
    done: Mapping[str, int],
    last: str | None = None,
    areas: Sequence[str] = (),
) -> Stretch | None:
    """The desk-friendly stretch to suggest next.

    Candidates are the desk-friendly stretches, those for ``areas`` when any
    match (all of them otherwise). The one done least (``done`` counts by id)
    wins; ties go to the first after ``last`` in catalogue order, so the
    suggestions rotate.
    """
    desk = [s for s in catalogue.stretches if s.desk_friendly]
    wanted = set(areas)
    candidates = [s for s in desk if wanted & set(s.areas)] or desk
    if not candidates:
        return None
    ids = [s.id for s in candidates]
    start = ids.index(last) + 1 if last in ids else 0
    rotated = candidates[start:] + candidates[:start]
    return min(rotated, key=lambda s: done.get(s.id, 0))


def stretch_routine(stretch: Stretch) -> Routine:
    """A one-stretch routine, so the player can run a single stretch."""
    return Routine(
        id=stretch.id,
        name=stretch.name,
        description=stretch.summary,
        items=(RoutineItem(stretch.id),),
        prepare_seconds=3.0,
        rest_seconds=3.0,
        switch_seconds=3.0,
    )


def short_routine(library: Library) -> Routine | None:
    """The routine for a long break: the desk-break routine, or the shortest all-desk one."""
    found = library.routine(DESK_ROUTINE)
    if found is not None:
        return found
    catalogue = library.catalogue
    desk = [
        r
        for r in library.routines
        if r.items
        and all((s := catalogue.get(i.stretch_id)) is not None and s.desk_friendly for i in r.items)
    ]
    return min(desk, key=lambda r: routine_duration(r, catalogue), default=None)


# --- the controller -----------------------------------------------------------------------


class ReminderController(BreakClock):
    """Runs the break scheduler; see the module docstring.

    Signals (besides :class:`BreakClock`'s ``status_changed`` and ``notice_posted``):
        reminder_shown(object): a :class:`Suggestion` is on screen.
        reminder_held(str): a reminder is due but held back quietly; why
            (a :class:`~stretchdesk.core.reminder_gate.Quiet` value).
        reminder_hidden(): the reminder was answered or withdrawn.
        start_requested(object): open this :class:`~stretchdesk.core.model.Routine`
            in the player (the user chose Start, or "Take a break now").
    """

    reminder_shown = Signal(object)
    reminder_held = Signal(str)
    reminder_hidden = Signal()
    start_requested = Signal(object)

    def __init__(
        self,
        library: Library,
        reminders: Reminders,
        history: History,
        notifier: Notifier,
        *,
        clock: Clock | None = None,
        idle: IdleSource | None = None,
        quiet: QuietSource | None = None,
        tz: _dt.tzinfo | None = None,
        scale: float | None = None,
        idle_tuning: IdleTuning | None = None,
        prompt_factory: Callable[[], PromptLike] | None = None,
        restore: object = None,
        parent: QObject | None = None,
    ) -> None:
        self._gate: ReminderGate[ReminderDue] = ReminderGate()
        self._scale = time_scale() if scale is None else scale
        self._fixed_saved = history.fixed_fired()
        super().__init__(
            scheduler_config(reminders, tz, self._scale, idle_tuning),
            clock=clock,
            idle=idle,
            fixed_fired=self._fixed_saved,
            restore=restore,
            parent=parent,
        )
        self.library = library
        self.history = history
        self.notifier = notifier
        self._quiet = quiet
        self._tz = tz
        self._idle_tuning = idle_tuning
        self._reminders = reminders
        self._prompt_factory = prompt_factory
        self._prompt: PromptLike | None = None
        self._suggestion: Suggestion | None = None
        self._last_stretch = self._last_suggested_stretch()
        self._break_guard = QTimer(self)
        self._break_guard.setSingleShot(True)
        self._break_guard.timeout.connect(self.finish_break)
        # Asks whether the quiet time is over; runs only while a reminder is held.
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.timeout.connect(self._recheck_quiet)
        notifier.action_invoked.connect(self._notification_answered)
        if restore is None:
            now = self._now()
            self.handle_events(self.scheduler.update(now), now)
        else:  # the app around it is still being built: carry on once it is
            QTimer.singleShot(0, self, self._carry_on)

    def _carry_on(self) -> None:
        """After a hand-over: catch up, and show the reminder that was due when it happened."""
        now = self._now()
        events = self.scheduler.update(now)
        status = self.scheduler.status(now)
        if (
            status.state is State.PROMPTING
            and status.reminder is not None
            and not any(isinstance(e, ReminderDue) for e in events)
        ):
            events.append(ReminderDue(status.reminder, status.postpone_refusal))
        self.handle_events(events, now)

    # --- reading --------------------------------------------------------------------------

    @property
    def suggestion(self) -> Suggestion | None:
        """The reminder showing (or postponed), with what it suggests."""
        return self._suggestion

    @property
    def prompt(self) -> PromptLike | None:
        return self._prompt

    @property
    def areas(self) -> tuple[str, ...]:
        """The body areas the suggested stretches favour (``reminders.areas``)."""
        return self._reminders.areas

    @property
    def held(self) -> Quiet | None:
        """Why the reminder due is held back, or ``None`` when none is."""
        held = self._gate.held
        return held.reason if held is not None else None

    @property
    def scale(self) -> float:
        return self._scale

    # --- commands -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the break offered: open its stretch or routine in the player."""
        suggestion = self._suggestion
        now = self._now()
        events = self.scheduler.start(now)
        self.handle_events(events, now)
        if suggestion is not None and not any(isinstance(e, Refused) for e in events):
            self._open(suggestion)

    def postpone(self) -> None:
        now = self._now()
        self.handle_events(self.scheduler.postpone(now), now)

    def skip(self) -> None:
        now = self._now()
        self.handle_events(self.scheduler.skip(now), now)

    def take_break_now(self) -> None:
        """A break from the menu: the waiting reminder's, or a short one with a stretch."""
        now = self._now()
        waiting = self._suggestion
        events = self.scheduler.take_break(now, ReminderKind.SHORT)
        self.handle_events(events, now)
        if any(isinstance(e, Refused) for e in events):
            return
        reminder = self.scheduler.status(now).reminder
        if waiting is None and reminder is not None:
            waiting = self._suggest(reminder, None)
        if waiting is not None:
            self._open(waiting)

    def finish_break(self) -> None:
        """The break is over (the player's session ended); the timers restart."""
        self._break_guard.stop()
        if self.scheduler.status(self._now(idle=False)).state is not State.IN_BREAK:
            return
        now = self._now()
        self.handle_events(self.scheduler.finish_break(now), now)

    def apply_settings(self, reminders: Reminders) -> None:
        """Use changed reminder settings from now on."""
        if reminders == self._reminders:
            return
        self._reminders = reminders
        now = self._now()
        config = scheduler_config(reminders, self._tz, self._scale, self._idle_tuning)
        self.handle_events(self.scheduler.set_config(config, now), now)

    def set_notifier(self, notifier: Notifier) -> None:
        """Send notifications through ``notifier`` from now on."""
        self.notifier.action_invoked.disconnect(self._notification_answered)
        self.notifier = notifier
        notifier.action_invoked.connect(self._notification_answered)

    def shutdown(self) -> None:
        """Stop the timers (and idle watches) and take any reminder off the screen."""
        self.stop()
        self._break_guard.stop()
        self._recheck.stop()
        self._gate.withdraw()
        self._hide()
        self.notifier.close()

    # --- internals ------------------------------------------------------------------------

    def handle_events(self, events: list[Event], now: Instant) -> None:
        for event in events:
            if isinstance(event, ReminderDue):
                self._offer(event, now)
            elif isinstance(event, ReminderWithdrawn):
                self._suggestion = None
                self._gate.withdraw()
                self._hide()
            elif isinstance(event, BreakRecord):
                self._record(event)
        status = self.scheduler.status(now)
        if status.reminder is None:
            self._suggestion = None
        if status.state is not State.PROMPTING:
            self._gate.withdraw()  # answered from the tray, postponed, ...: nothing to deliver
            self._hide()
        if not self._gate.needs_recheck:
            self._recheck.stop()
        self._save_fixed_fired()
        super().handle_events(events, now)  # refusals said, the timer re-armed

    def _offer(self, due: ReminderDue, now: Instant) -> None:
        """Show a reminder that is due, or hold it while the user must not be disturbed."""
        if self._gate.offer(due, self._quiet_now()) is not None:
            self._show(due, now)
            return
        self._suggestion = None
        self._hide()
        self._arm_recheck()
        held = self._gate.held
        if held is not None:
            self.reminder_held.emit(str(held.reason))

    def _quiet_now(self) -> Quiet | None:
        if self._quiet is None:
            return None
        try:
            return self._quiet.quiet()
        except Exception:  # a failing platform probe must never keep reminders back
            return None

    def _arm_recheck(self) -> None:
        seconds = RECHECK_SECONDS / self._scale
        self._recheck.start(max(1, math.ceil(seconds * 1000)))

    def _recheck_quiet(self) -> None:
        """While a reminder is held: deliver it if the quiet time is over, else ask later."""
        due = self._gate.check(self._quiet_now())
        if due is None:
            if self._gate.needs_recheck:
                self._arm_recheck()
            return
        now = self._now()
        self.handle_events(self.scheduler.update(now), now)
        status = self.scheduler.status(now)
        showing = self._suggestion is not None and self._suggestion.reminder == due.reminder
        if status.state is State.PROMPTING and status.reminder == due.reminder and not showing:
            self._show(due, now)
            self.status_changed.emit()

    def _save_fixed_fired(self) -> None:
        fired = self.scheduler.fixed_fired
        if fired != self._fixed_saved:
            self._fixed_saved = fired
            self.history.save_fixed_fired(fired)

    def _record(self, record: BreakRecord) -> None:
        stretch = None
        suggestion = self._suggestion
        if (
            suggestion is not None
            and suggestion.stretch is not None
            and record.outcome is not Outcome.NATURAL_BREAK
        ):
            stretch = suggestion.stretch.id
        self.history.add_reminder(record, stretch)

    def _show(self, due: ReminderDue, now: Instant) -> None:
        previous = self._suggestion
        keep = (
            previous.stretch
            if previous is not None and previous.reminder.due == due.reminder.due
            else None
        )
        suggestion = self._suggest(due.reminder, keep, due.postpone_refusal)
        self._suggestion = suggestion
        if suggestion.stretch is not None:
            self._last_stretch = suggestion.stretch.id
        actions = [("default", "Open"), ("start", "Start")]
        if suggestion.postpone_refusal is None:
            actions.append(("later", f"{self._reminders.postpone_minutes} min later"))
        actions.append(("skip", "Skip"))
        self.notifier.show_notification(
            suggestion.title, f"{suggestion.name} · {suggestion.duration_text}", actions
        )
        prompt = self._ensure_prompt()
        if prompt is not None:
            prompt.show_suggestion(suggestion)
        self.reminder_shown.emit(suggestion)

    def _hide(self) -> None:
        self.notifier.withdraw()
        if self._prompt is not None and self._prompt.isVisible():
            self._prompt.hide()
            self.reminder_hidden.emit()

    def _ensure_prompt(self) -> PromptLike | None:
        if self._prompt is None and self._prompt_factory is not None:
            prompt = self._prompt_factory()
            prompt.start_clicked.connect(self.start)
            prompt.later_clicked.connect(self.postpone)
            prompt.skip_clicked.connect(self.skip)
            self._prompt = prompt
        return self._prompt

    def _notification_answered(self, key: str) -> None:
        if key == "start":
            self.start()
        elif key == "later":
            self.postpone()
        elif key == "skip":
            self.skip()
        elif key == "default" and self._suggestion is not None:
            prompt = self._ensure_prompt()
            if prompt is not None:
                prompt.show_suggestion(self._suggestion)

    def _open(self, suggestion: Suggestion) -> None:
        self.start_requested.emit(suggestion.routine)
        guard = (suggestion.seconds + _BREAK_GRACE_SECONDS) / self._scale
        self._break_guard.start(min(math.ceil(guard * 1000), MAX_TIMER_MS))

    def _suggest(
        self, reminder: Reminder, keep: Stretch | None, refusal: str | None = None
    ) -> Suggestion:
        library = self.library
        catalogue = library.catalogue
        routine: Routine | None = None
        if reminder.kind is ReminderKind.FIXED and reminder.routine:
            routine = library.routine(reminder.routine)
        elif reminder.kind is ReminderKind.LONG:
            routine = short_routine(library)
        stretch = None
        if routine is None:
            stretch = keep or pick_stretch(
                catalogue, self._done_lately(), self._last_stretch, self.areas
            )
            if stretch is not None:
                routine = stretch_routine(stretch)
        if routine is None:  # an empty catalogue: offer the first routine there is
            routine = library.routines[0] if library.routines else Routine("rest", "Rest", "", ())
        try:
            seconds = routine_duration(routine, catalogue)
        except KeyError:
            seconds = reminder.break_seconds or 60.0
        return Suggestion(
            reminder, routine, seconds, stretch, refusal, self._reminders.postpone_minutes
        )

    def _done_lately(self) -> dict[str, int]:
        today = self._clock.wall().date()
        return self.history.stretch_counts(today - LATELY)

    def _last_suggested_stretch(self) -> str | None:
        for entry in self.history.recent_reminders(20):
            if entry.stretch:
                return entry.stretch
        return None


class PromptLike(Protocol):
    """What the controller needs from the prompt window (see ``ui/reminder_prompt.py``)."""

    start_clicked: Signal
    later_clicked: Signal
    skip_clicked: Signal

    def show_suggestion(self, suggestion: Suggestion) -> None: ...

    def isVisible(self) -> bool: ...

    def hide(self) -> None: ...
