"""Settings: breaks, working hours, fixed reminders, the areas to favour, routines and sound,
the look, and starting at login.

The dialog edits a copy of :class:`~stretchdesk.core.settings.Reminders` and
saves the whole settings through :class:`~stretchdesk.storage.settings_store.SettingsStore`
when the user presses Save; a save that fails says why and keeps the dialog open.

"Start StretchDesk when I log in" (``desktop.start_at_login``) acts at once:
ticking it calls :func:`~stretchdesk.platform.autostart.set_autostart` and the
line under it says what happened (or why it could not be done); Cancel puts
the system back as it was. When no source of idle time works, the Breaks
section says once, in plain words, that breaks are timed by the clock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
from collections.abc import Sequence

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from stretchdesk import APP_NAME
from stretchdesk.core.model import Area, Routine
from stretchdesk.core.settings import FixedReminder, Reminders, Settings, TimeSpan, WorkingHours
from stretchdesk.platform.autostart import Autostart, AutostartError, set_autostart
from stretchdesk.storage.settings_store import SettingsStore, StorageError

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

CLOCK_NOTE = (
    "StretchDesk cannot see when you step away from the keyboard on this desktop, so "
    "breaks are counted by the clock instead of by your activity."
)
"""What the Breaks section says when no idle source works (the details are in its tooltip)."""


def _qtime(value: _dt.time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(value: QTime) -> _dt.time:
    return _dt.time(value.hour(), value.minute())


class _DayRow:
    """One weekday's working hours: on/off, from, to."""

    def __init__(self, day: str, span: TimeSpan | None, parent: QWidget) -> None:
        self.day = day
        self.on = QCheckBox(day.capitalize(), parent)
        self.start = QTimeEdit(parent)
        self.end = QTimeEdit(parent)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        shown = span or TimeSpan(_dt.time(9, 0), _dt.time(17, 0))
        self.start.setTime(_qtime(shown.start))
        self.end.setTime(_qtime(shown.end))
        self.on.setChecked(span is not None)
        self.on.toggled.connect(self._follow)
        self._follow(span is not None)

    def _follow(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)

    def span(self) -> TimeSpan | None:
        if not self.on.isChecked():
            return None
        start, end = _time(self.start.time()), _time(self.end.time())
        if start == end:
            raise ValueError(f"{self.day.capitalize()}: the hours start and end at the same time.")
        return TimeSpan(start, end)


class SettingsDialog(QDialog):
    """Reminder settings. Signals: ``settings_saved(object)`` — the new :class:`Settings`.

    ``areas`` are the body areas offered for the suggested stretches;
    ``idle_note`` is set when idle time cannot be read (the technical reason,
    shown as a tooltip under :data:`CLOCK_NOTE`); ``autostart`` is the system's
    start-at-login mechanism (chosen for this system when not given).
    """

    settings_saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        store: SettingsStore,
        routines: tuple[Routine, ...],
        parent: QWidget | None = None,
        *,
        areas: Sequence[Area] = (),
        idle_note: str | None = None,
        autostart: Autostart | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        self._store = store
        self._routines = routines
        self._autostart = autostart
        self._login_changed = False
        r = settings.reminders
        self.clock_note: QLabel | None = None
        if idle_note is not None:
            self.clock_note = QLabel(CLOCK_NOTE, self)
            self.clock_note.setWordWrap(True)
            self.clock_note.setToolTip(idle_note)
        self.area_boxes: dict[str, QCheckBox] = {}
        for area in areas:
            box = QCheckBox(area.name, self)
            box.setChecked(area.id in r.areas)
            self.area_boxes[area.id] = box
        self.start_at_login = QCheckBox(f"Start {APP_NAME} when I log in", self)
        self.start_at_login.setChecked(settings.desktop.start_at_login)
        self.login_result = QLabel("", self)
        self.login_result.setWordWrap(True)
        self.enabled = QCheckBox("Remind me to take breaks", self)
        self.enabled.setChecked(r.enabled)
        self.short_every = self._spin(r.short_every_minutes, 5, 240, " min")
        self.short_length = self._spin(r.short_length_seconds, 15, 600, " s")
        self.long_breaks = QCheckBox("Longer breaks with a short routine", self)
        self.long_breaks.setChecked(r.long_breaks)
        self.long_every = self._spin(r.long_every_minutes, 15, 480, " min")
        self.long_length = self._spin(r.long_length_minutes, 1, 30, " min")
        self.postpone = QComboBox(self)
        self.postpone.addItems(["5 minutes", "10 minutes"])
        self.postpone.setCurrentIndex(0 if r.postpone_minutes == 5 else 1)
        self.max_postpones = self._spin(r.max_postpones, 0, 10, " times")
        self.natural = QCheckBox("Time away from the keyboard counts as a break", self)
        self.natural.setChecked(r.natural_breaks)
        self.hours_only = QCheckBox("Only remind me during my working hours", self)
        self.hours_only.setChecked(r.working_hours_only)
        self.days = [_DayRow(day, getattr(r.working_hours, day), self) for day in _DAYS]
        self.fixed = QTableWidget(0, 3, self)
        self.fixed.setHorizontalHeaderLabels(["Time", "Label", "Routine"])
        self.fixed.horizontalHeader().setStretchLastSection(True)
        self.fixed.verticalHeader().setVisible(False)
        for reminder in r.fixed:
            self._add_fixed(reminder)
        self.add_fixed = QPushButton("Add", self)
        self.remove_fixed = QPushButton("Remove", self)
        p = settings.player
        self.theme = QComboBox(self)
        self.theme.addItem("Follow the desktop", "system")
        self.theme.addItem("Light", "light")
        self.theme.addItem("Dark", "dark")
        self.theme.setCurrentIndex(max(0, self.theme.findData(str(settings.appearance.theme))))
        self.prepare = self._spin(p.prepare_seconds, 0, 60, " s")
        self.prepare.setSpecialValueText("Wait until I'm ready")
        self.prepare.setToolTip("Time to get into position before each stretch")
        self.chimes = QCheckBox("Chimes for start, the last 3 seconds and switching sides", self)
        self.chimes.setChecked(p.chimes)
        self.chime_volume = self._spin(p.chime_volume, 0, 100, " %")
        self.voice = QCheckBox("Speak the cues aloud", self)
        self.voice.setChecked(p.voice)
        self.voice_volume = self._spin(p.voice_volume, 0, 100, " %")
        self.voice_rate = QComboBox(self)
        for label, rate in (("Slow", -0.4), ("Normal", 0.0), ("Quick", 0.3)):
            self.voice_rate.addItem(label, rate)
        self.voice_rate.setCurrentIndex(
            min(range(3), key=lambda i: abs(self.voice_rate.itemData(i) - p.voice_rate))
        )
        self.check_in = QCheckBox("Ask how my back is before the first routine of the day", self)
        self.check_in.setChecked(settings.safety.check_in)
        self.pain_score = QCheckBox("Ask for a pain score before and after", self)
        self.pain_score.setChecked(settings.safety.ask_pain_score)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._build()
        self._connect_signals()
        self._follow()

    def _spin(self, value: int, low: int, high: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setValue(value)
        return spin

    def _build(self) -> None:
        breaks = QGroupBox("Breaks", self)
        form = QFormLayout(breaks)
        form.addRow(self.enabled)
        form.addRow("Short break after", self.short_every)
        form.addRow("Short break length", self.short_length)
        form.addRow(self.long_breaks)
        form.addRow("Long break after", self.long_every)
        form.addRow("Long break length", self.long_length)
        form.addRow("“Later” waits", self.postpone)
        form.addRow("Put off at most", self.max_postpones)
        form.addRow(self.natural)
        hours = QGroupBox("Working hours", self)
        grid = QGridLayout(hours)
        grid.addWidget(self.hours_only, 0, 0, 1, 4)
        for row, day in enumerate(self.days, start=1):
            grid.addWidget(day.on, row, 0)
            grid.addWidget(day.start, row, 1)
            grid.addWidget(QLabel("to", hours), row, 2)
            grid.addWidget(day.end, row, 3)
        fixed = QGroupBox("Every day at a fixed time", self)
        box = QVBoxLayout(fixed)
        box.addWidget(self.fixed)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_fixed)
        row_buttons.addWidget(self.remove_fixed)
        row_buttons.addStretch(1)
        box.addLayout(row_buttons)
        routines = QGroupBox("Routines", self)
        routine_form = QFormLayout(routines)
        routine_form.addRow("Get into position", self.prepare)
        routine_form.addRow(self.chimes)
        routine_form.addRow("Chime volume", self.chime_volume)
        routine_form.addRow(self.voice)
        routine_form.addRow("Voice volume", self.voice_volume)
        routine_form.addRow("Speaking pace", self.voice_rate)
        routine_form.addRow(self.check_in)
        routine_form.addRow(self.pain_score)
        routine_form.addRow("Look", self.theme)
        columns = QHBoxLayout()
        columns.addWidget(breaks)
        columns.addWidget(hours)
        columns.addWidget(routines)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        if self.clock_note is not None:  # full width, so the sentence is never cut short
            layout.addWidget(self.clock_note)
        if self.area_boxes:
            areas = QGroupBox("Suggest stretches for", self)
            area_grid = QGridLayout(areas)
            for index, box in enumerate(self.area_boxes.values()):
                area_grid.addWidget(box, index // 6, index % 6)
            hint = QLabel("None ticked: every area, in turn.", areas)
            hint.setEnabled(False)
            area_grid.addWidget(hint, area_grid.rowCount(), 0, 1, 6)
            layout.addWidget(areas)
        layout.addWidget(fixed)
        login = QGroupBox("Desktop", self)
        login_box = QVBoxLayout(login)
        login_box.addWidget(self.start_at_login)
        login_box.addWidget(self.login_result)
        self.login_result.hide()
        layout.addWidget(login)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.enabled.toggled.connect(self._follow)
        self.long_breaks.toggled.connect(self._follow)
        self.hours_only.toggled.connect(self._follow)
        self.add_fixed.clicked.connect(lambda: self._add_fixed(None))
        self.remove_fixed.clicked.connect(self._remove_fixed)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.start_at_login.toggled.connect(self.set_start_at_login)

    def _follow(self) -> None:
        on = self.enabled.isChecked()
        for widget in (
            self.short_every,
            self.short_length,
            self.long_breaks,
            self.postpone,
            self.max_postpones,
            self.natural,
        ):
            widget.setEnabled(on)
        long_on = on and self.long_breaks.isChecked()
        self.long_every.setEnabled(long_on)
        self.long_length.setEnabled(long_on)
        hours_on = self.hours_only.isChecked()
        for day in self.days:
            day.on.setEnabled(hours_on)
            day.start.setEnabled(hours_on and day.on.isChecked())
            day.end.setEnabled(hours_on and day.on.isChecked())

    def _add_fixed(self, reminder: FixedReminder | None) -> None:
        row = self.fixed.rowCount()
        self.fixed.insertRow(row)
        edit = QTimeEdit(self.fixed)
        edit.setDisplayFormat("HH:mm")
        edit.setTime(_qtime(reminder.time) if reminder else QTime(8, 30))
        self.fixed.setCellWidget(row, 0, edit)
        label = QLineEdit(reminder.label if reminder else "", self.fixed)
        label.setMaxLength(120)
        label.setPlaceholderText("e.g. after coffee")
        self.fixed.setCellWidget(row, 1, label)
        combo = QComboBox(self.fixed)
        for routine in self._routines:
            combo.addItem(routine.name, routine.id)
        if reminder is not None:
            index = combo.findData(reminder.routine)
            if index < 0:  # a routine that is gone: keep it rather than lose the reminder
                combo.addItem(reminder.routine, reminder.routine)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        self.fixed.setCellWidget(row, 2, combo)
        self.fixed.setItem(row, 0, QTableWidgetItem())

    def _remove_fixed(self) -> None:
        row = self.fixed.currentRow()
        if row < 0:
            row = self.fixed.rowCount() - 1
        if row >= 0:
            self.fixed.removeRow(row)

    def reminders(self) -> Reminders:
        """The reminder settings as the dialog shows them; ``ValueError`` when they do not fit."""
        hours = WorkingHours(**{day.day: day.span() for day in self.days})
        fixed = []
        for row in range(self.fixed.rowCount()):
            edit = self.fixed.cellWidget(row, 0)
            label = self.fixed.cellWidget(row, 1)
            combo = self.fixed.cellWidget(row, 2)
            assert isinstance(edit, QTimeEdit)
            assert isinstance(label, QLineEdit) and isinstance(combo, QComboBox)
            routine = combo.currentData()
            if not routine:
                raise ValueError("Choose a routine for each fixed reminder.")
            fixed.append(FixedReminder(_time(edit.time()), routine, label.text().strip()))
        return dataclasses.replace(
            self._settings.reminders,
            enabled=self.enabled.isChecked(),
            short_every_minutes=self.short_every.value(),
            short_length_seconds=self.short_length.value(),
            long_breaks=self.long_breaks.isChecked(),
            long_every_minutes=self.long_every.value(),
            long_length_minutes=self.long_length.value(),
            postpone_minutes=5 if self.postpone.currentIndex() == 0 else 10,
            max_postpones=self.max_postpones.value(),
            natural_breaks=self.natural.isChecked(),
            working_hours_only=self.hours_only.isChecked(),
            working_hours=hours,
            fixed=tuple(fixed),
            areas=self._areas(),
        )

    def _areas(self) -> tuple[str, ...]:
        """The ticked areas, and ids the dialog cannot show (kept as they were)."""
        kept = tuple(a for a in self._settings.reminders.areas if a not in self.area_boxes)
        return kept + tuple(a for a, box in self.area_boxes.items() if box.isChecked())

    # --- start at login ----------------------------------------------------------------

    def _system_autostart(self) -> Autostart:
        if self._autostart is None:
            from stretchdesk.platform.autostart import choose_autostart

            self._autostart = choose_autostart()
        return self._autostart

    def set_start_at_login(self, on: bool) -> bool:
        """Add or remove the login entry now, and say what happened. ``True`` when done."""
        try:
            autostart = self._system_autostart()
            set_autostart(autostart, on)
        except (AutostartError, OSError, ImportError) as exc:
            self.login_result.setText(f"Could not change this: {exc}")
            self.login_result.show()
            self.start_at_login.blockSignals(True)
            self.start_at_login.setChecked(not on)
            self.start_at_login.blockSignals(False)
            return False
        self._login_changed = True
        if on:
            text = f"{APP_NAME} will start when you log in ({autostart.location()})."
        else:
            text = f"{APP_NAME} will no longer start when you log in."
        self.login_result.setText(text)
        self.login_result.show()
        return True

    def reject(self) -> None:
        """Cancel: the login entry goes back to what the settings say."""
        if self._login_changed:
            on = self._settings.desktop.start_at_login
            # If it cannot be undone, the user sees the entry as it is next time.
            with contextlib.suppress(AutostartError, OSError):
                set_autostart(self._system_autostart(), on)
        super().reject()

    def save(self) -> bool:
        """Save and close; on a problem, say it and stay open. ``True`` when saved."""
        try:
            settings = self._settings.replace(reminders=self.reminders()).evolve(
                {
                    "desktop.start_at_login": self.start_at_login.isChecked(),
                    "appearance.theme": self.theme.currentData(),
                    "player.prepare_seconds": self.prepare.value(),
                    "player.chimes": self.chimes.isChecked(),
                    "player.chime_volume": self.chime_volume.value(),
                    "player.voice": self.voice.isChecked(),
                    "player.voice_volume": self.voice_volume.value(),
                    "player.voice_rate": self.voice_rate.currentData(),
                    "safety.check_in": self.check_in.isChecked(),
                    "safety.ask_pain_score": self.pain_score.isChecked(),
                }
            )
        except ValueError as exc:
            QMessageBox.warning(self, "Settings", str(exc))
            return False
        try:
            notices = self._store.save(settings)
        except StorageError as exc:
            QMessageBox.warning(self, "Settings", str(exc))
            return False
        for notice in notices:
            QMessageBox.information(self, "Settings", notice)
        self._settings = settings
        self._login_changed = False
        self.settings_saved.emit(settings)
        self.accept()
        return True
