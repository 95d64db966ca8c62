"""The quick routine form: "I have N minutes, and it hurts here".

The routine is built by :func:`stretchdesk.core.quick.quick_routine` as the
user changes the form, and each stretch says why it was picked.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Catalogue, Level, Routine, TimeOfDay
from stretchdesk.core.quick import (
    MAX_MINUTES,
    MIN_MINUTES,
    QuickRequest,
    QuickRoutine,
    QuickRoutineError,
    quick_routine,
)
from stretchdesk.core.routine import resolve_items
from stretchdesk.ui.stretch_detail import dose_text
from stretchdesk.ui.style import muted


class QuickRoutineDialog(QDialog):
    """Signals: ``start_requested(object)`` and ``save_requested(object)`` with the Routine."""

    start_requested = Signal(object)
    save_requested = Signal(object)

    def __init__(
        self, catalogue: Catalogue, areas: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Quick routine")
        self.catalogue = catalogue
        self.result: QuickRoutine | None = None
        self.minutes = QSpinBox(self)
        self.minutes.setRange(int(MIN_MINUTES), int(MAX_MINUTES))
        self.minutes.setValue(10)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Minutes")
        self.area_boxes: dict[str, QCheckBox] = {}
        area_grid = QGridLayout()
        area_grid.setHorizontalSpacing(14)
        for n, area in enumerate(catalogue.areas):
            box = QCheckBox(area.name, self)
            box.setChecked(area.id in areas)
            self.area_boxes[area.id] = box
            area_grid.addWidget(box, n // 3, n % 3)
        self.time_group = QButtonGroup(self)
        self.any_time = QRadioButton("Any time", self)
        self.morning = QRadioButton("Morning: wake up and move", self)
        self.evening = QRadioButton("Evening: deeper holds", self)
        for button in (self.any_time, self.morning, self.evening):
            self.time_group.addButton(button)
        self.any_time.setChecked(True)
        self.level = QComboBox(self)
        self.level.addItem("Basic", Level.BASIC)
        self.level.addItem("Deeper", Level.DEEPER)
        self.flare = QCheckBox("My back is flaring up (flare-safe stretches only)", self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        bold = self.summary.font()
        bold.setBold(True)
        self.summary.setFont(bold)
        self.items = QListWidget(self)
        self.items.setAccessibleName("The routine, and why each stretch is in it")
        self.items.setWordWrap(True)
        self.items.setSpacing(2)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.start_button = QPushButton("Start", self)
        self.start_button.setDefault(True)
        self.save_button = QPushButton("Save to my routines", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self._layout(area_grid)
        self._connect_signals()
        self.resize(720, 640)
        self.rebuild()

    def _layout(self, area_grid: QGridLayout) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("I have", self.minutes)
        areas = QWidget(self)
        areas.setLayout(area_grid)
        area_grid.setContentsMargins(0, 0, 0, 0)
        form.addRow("It feels tight in", areas)
        times = QHBoxLayout()
        for button in (self.any_time, self.morning, self.evening):
            times.addWidget(button)
        times.addStretch(1)
        form.addRow("Time of day", times)
        form.addRow("Level", self.level)
        form.addRow("", self.flare)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.minutes.valueChanged.connect(self.rebuild)
        for box in self.area_boxes.values():
            box.toggled.connect(self.rebuild)
        self.time_group.buttonToggled.connect(lambda _b, on: on and self.rebuild())
        self.level.currentIndexChanged.connect(self.rebuild)
        self.flare.toggled.connect(self.rebuild)
        self.buttons.rejected.connect(self.reject)
        self.start_button.clicked.connect(self._start)
        self.save_button.clicked.connect(self._save)

    def request(self) -> QuickRequest:
        """The form as a request to the generator."""
        time_of_day = None
        if self.morning.isChecked():
            time_of_day = TimeOfDay.MORNING
        elif self.evening.isChecked():
            time_of_day = TimeOfDay.EVENING
        return QuickRequest(
            minutes=float(self.minutes.value()),
            areas=tuple(a for a, box in self.area_boxes.items() if box.isChecked()),
            time_of_day=time_of_day,
            level=Level(self.level.currentData()),
            flare=self.flare.isChecked(),
        )

    def rebuild(self) -> None:
        """Build the routine again for the form as it is now."""
        self.items.clear()
        try:
            self.result = quick_routine(self.catalogue, self.request())
        except QuickRoutineError as exc:
            self.result = None
            self.summary.setText("No routine for this")
            self.notes.setText(str(exc))
            self._enable(False)
            return
        result = self.result
        count = len(result.routine.items)
        self.summary.setText(
            f"{count} stretch{'es' * (count != 1)}, {format_duration(result.duration)} in all"
        )
        stretches = resolve_items(result.routine, self.catalogue)
        for number, (choice, stretch) in enumerate(
            zip(result.choices, stretches, strict=True), start=1
        ):
            text = f"{number}. {stretch.name} — {dose_text(stretch)}\n{choice.reason}"
            item = QListWidgetItem(self.items)
            item.setData(Qt.ItemDataRole.UserRole, choice.stretch_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            label = QLabel(
                f"<b>{number}. {html.escape(stretch.name)}</b> &nbsp;·&nbsp; "
                f"{html.escape(dose_text(stretch))}<br>"
                f"<span style='color:{muted(self.palette()).name()}'>"
                f"{html.escape(choice.reason.capitalize())}</span>"
            )
            label.setContentsMargins(6, 4, 6, 4)
            item.setSizeHint(label.sizeHint())
            self.items.setItemWidget(item, label)
        self.notes.setText("\n".join(result.notes))
        self.notes.setVisible(bool(result.notes))
        self._enable(True)

    def _enable(self, on: bool) -> None:
        self.start_button.setEnabled(on)
        self.save_button.setEnabled(on)

    def _start(self) -> None:
        if self.result is not None:
            self.start_requested.emit(self.result.routine)
            self.accept()

    def _save(self) -> None:
        if self.result is not None:
            routine: Routine = self.result.routine
            self.save_requested.emit(routine)
            self.accept()
