"""The form for a stretch of the user's own.

Name, summary, areas, kind, level, position, hold or reps (with a breathing
tempo), sides and sets; the steps in order, each with a pose chosen from the
library and drawn as it is chosen. Saving goes through
:class:`~stretchdesk.storage.routines_store.StretchStore`, which writes the
file to ``<data dir>/stretches.d/`` only if the catalogue loader accepts it.
The last step is the one held (or the end of each move).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
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
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.model import (
    POSITIONS,
    Breath,
    Catalogue,
    Kind,
    Level,
    Phase,
    Sides,
    Step,
    Stretch,
)
from stretchdesk.core.routine_edit import slug
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.filter_bar import KIND_LABELS, POSITION_LABELS
from stretchdesk.ui.thumbnails import shared_poses

PREVIEW_SIZE = 220
#: Breathing tempos for moves: (label, seconds breathing in, seconds breathing out).
TEMPO_PRESETS: tuple[tuple[str, float, float], ...] = (
    ("Slow: in 3 s, out 3 s", 3.0, 3.0),
    ("Calm: in 4 s, out 4 s", 4.0, 4.0),
    ("Steady: in 2 s, out 2 s", 2.0, 2.0),
    ("Long out-breath: in 3 s, out 5 s", 3.0, 5.0),
)
SIDES_TEXT = {
    Sides.NONE: "Both sides at once",
    Sides.EACH: "One side, then the other",
    Sides.ALTERNATING: "Alternating sides (moves only)",
}


def tempo_for(preset: int, step_count: int) -> tuple[Phase, ...]:
    """The two breath phases of a move: in towards the last but one step, out into the last."""
    _, breathe_in, breathe_out = TEMPO_PRESETS[preset]
    last = max(0, step_count - 1)
    first = max(0, step_count - 2)
    return (
        Phase(Breath.IN, breathe_in, first, "breathe in"),
        Phase(Breath.OUT, breathe_out, last, "breathe out"),
    )


class StretchForm(QDialog):
    """Signals: ``stretch_saved(str)`` — the new stretch's id, after its file was written."""

    stretch_saved = Signal(str)

    def __init__(
        self,
        catalogue: Catalogue,
        paths: AppPaths | None,
        parent: QWidget | None = None,
        poses: Callable = shared_poses,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("A stretch of my own")
        self.catalogue = catalogue
        self.paths = paths
        self.poses = poses()
        self.saved_path = None
        self._steps: list[Step] = []
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. Doorway chest opener")
        self.name.setAccessibleName("Name")
        self.summary = QLineEdit(self)
        self.summary.setPlaceholderText("One sentence: what it does and how it feels")
        self.summary.setAccessibleName("Summary")
        self.area_boxes: dict[str, QCheckBox] = {}
        self.kind = QComboBox(self)
        for kind in Kind:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.level = QComboBox(self)
        self.level.addItem("Basic", Level.BASIC)
        self.level.addItem("Deeper", Level.DEEPER)
        self.position = QComboBox(self)
        for position in POSITIONS:
            self.position.addItem(POSITION_LABELS.get(position, position), position)
        self.desk_friendly = QCheckBox("Can be done at the desk", self)
        self.flare_safe = QCheckBox("Gentle enough for a flare-up", self)
        self.hold_radio = QRadioButton("Hold for", self)
        self.reps_radio = QRadioButton("Repeat", self)
        self.dose_group = QButtonGroup(self)
        self.dose_group.addButton(self.hold_radio)
        self.dose_group.addButton(self.reps_radio)
        self.hold_radio.setChecked(True)
        self.hold = QSpinBox(self)
        self.hold.setRange(5, 600)
        self.hold.setSingleStep(5)
        self.hold.setValue(30)
        self.hold.setSuffix(" s")
        self.hold.setAccessibleName("Hold, in seconds")
        self.reps = QSpinBox(self)
        self.reps.setRange(1, 50)
        self.reps.setValue(8)
        self.reps.setSuffix(" times")
        self.reps.setAccessibleName("Repetitions")
        self.tempo = QComboBox(self)
        self.tempo.setAccessibleName("Breathing tempo")
        for label, _, _ in TEMPO_PRESETS:
            self.tempo.addItem(label)
        self.sides = QComboBox(self)
        self.sets = QSpinBox(self)
        self.sets.setRange(1, 10)
        self.sets.setAccessibleName("Sets")
        self.steps = QListWidget(self)
        self.steps.setAccessibleName("Steps")
        self.steps.setWordWrap(True)
        self.step_text = QPlainTextEdit(self)
        self.step_text.setPlaceholderText("Say what to do, in one or two short sentences.")
        self.step_text.setAccessibleName("Step text")
        self.step_text.setFixedHeight(64)
        self.pose = QComboBox(self)
        self.pose.setAccessibleName("Pose for this step")
        self.pose_preview = QLabel(self)
        self.pose_preview.setFixedSize(PREVIEW_SIZE, PREVIEW_SIZE)
        self.pose_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pose_preview.setAccessibleName("Picture of the chosen pose")
        self.pose_preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.add_step = QPushButton("Add step", self)
        self.remove_step = QPushButton("Remove", self)
        self.step_up = QPushButton("Up", self)
        self.step_down = QPushButton("Down", self)
        self.tips = QPlainTextEdit(self)
        self.tips.setPlaceholderText("Tips, one per line (optional)")
        self.tips.setFixedHeight(52)
        self.cautions = QPlainTextEdit(self)
        self.cautions.setPlaceholderText("Take care: one per line (optional)")
        self.cautions.setFixedHeight(52)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._fill_poses()
        self._layout()
        self._connect_signals()
        self._dose_changed()
        self.add_new_step()
        self.resize(980, 700)

    # --- layout ------------------------------------------------------------------------

    def _layout(self) -> None:
        details = QFormLayout()
        details.addRow("Name", self.name)
        details.addRow("Summary", self.summary)
        areas = QGridLayout()
        areas.setContentsMargins(0, 0, 0, 0)
        for n, area in enumerate(self.catalogue.areas):
            box = QCheckBox(area.name, self)
            self.area_boxes[area.id] = box
            areas.addWidget(box, n // 3, n % 3)
        area_widget = QWidget(self)
        area_widget.setLayout(areas)
        details.addRow("Works", area_widget)
        details.addRow("Kind", self.kind)
        details.addRow("Level", self.level)
        details.addRow("Position", self.position)
        details.addRow("", self.desk_friendly)
        details.addRow("", self.flare_safe)
        dose = QGridLayout()
        dose.addWidget(self.hold_radio, 0, 0)
        dose.addWidget(self.hold, 0, 1)
        dose.addWidget(self.reps_radio, 1, 0)
        dose.addWidget(self.reps, 1, 1)
        dose.addWidget(self.tempo, 1, 2)
        dose.setColumnStretch(3, 1)
        details.addRow("Dose", dose)
        details.addRow("Sides", self.sides)
        details.addRow("Sets", self.sets)
        details.addRow("Tips", self.tips)
        details.addRow("Take care", self.cautions)
        left = QWidget(self)
        left.setLayout(details)

        steps_box = QGroupBox("Steps (the last one is held, or is the end of each move)", self)
        steps = QGridLayout(steps_box)
        steps.addWidget(self.steps, 0, 0, 1, 4)
        steps.addWidget(self.add_step, 1, 0)
        steps.addWidget(self.remove_step, 1, 1)
        steps.addWidget(self.step_up, 1, 2)
        steps.addWidget(self.step_down, 1, 3)
        edit = QVBoxLayout()
        edit.addWidget(QLabel("What to do", self))
        edit.addWidget(self.step_text)
        edit.addWidget(QLabel("Picture", self))
        edit.addWidget(self.pose)
        edit.addWidget(self.pose_preview, 0, Qt.AlignmentFlag.AlignHCenter)
        edit.addStretch(1)
        steps.addLayout(edit, 0, 4, 2, 1)
        steps.setColumnStretch(0, 1)

        columns = QHBoxLayout()
        columns.addWidget(left, 5)
        columns.addWidget(steps_box, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _fill_poses(self) -> None:
        self.pose.addItem("(no picture)", None)
        if self.poses is None:
            return
        for pose in sorted(self.poses, key=lambda p: p.name.casefold()):
            self.pose.addItem(pose.name, pose.id)

    def _connect_signals(self) -> None:
        self.hold_radio.toggled.connect(self._dose_changed)
        self.steps.currentRowChanged.connect(self._show_step)
        self.step_text.textChanged.connect(self._step_edited)
        self.pose.currentIndexChanged.connect(self._step_edited)
        self.add_step.clicked.connect(self.add_new_step)
        self.remove_step.clicked.connect(self._remove_step)
        self.step_up.clicked.connect(lambda: self._move_step(-1))
        self.step_down.clicked.connect(lambda: self._move_step(1))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    # --- steps -------------------------------------------------------------------------

    def add_new_step(self, text: str = "", pose: str | None = None) -> None:
        """Add a step at the end and edit it."""
        if pose is None and self._steps:
            pose = self._steps[-1].pose
        self._steps.append(Step(text, pose))
        self._fill_steps(len(self._steps) - 1)
        self.step_text.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_steps(self, row: int) -> None:
        self.steps.blockSignals(True)
        self.steps.clear()
        for n, step in enumerate(self._steps, start=1):
            label = step.text or "(say what to do)"
            QListWidgetItem(f"{n}. {label}", self.steps)
        self.steps.blockSignals(False)
        self.steps.setCurrentRow(row)
        self._show_step(row)
        self.remove_step.setEnabled(len(self._steps) > 1)

    def _show_step(self, row: int) -> None:
        if not 0 <= row < len(self._steps):
            return
        step = self._steps[row]
        for widget in (self.step_text, self.pose):
            widget.blockSignals(True)
        if self.step_text.toPlainText() != step.text:
            self.step_text.setPlainText(step.text)
        self.pose.setCurrentIndex(max(0, self.pose.findData(step.pose)))
        for widget in (self.step_text, self.pose):
            widget.blockSignals(False)
        self._render_pose(step.pose)
        self.step_up.setEnabled(row > 0)
        self.step_down.setEnabled(row < len(self._steps) - 1)

    def _step_edited(self) -> None:
        row = self.steps.currentRow()
        if not 0 <= row < len(self._steps):
            return
        text = " ".join(self.step_text.toPlainText().split())
        pose = self.pose.currentData()
        self._steps[row] = Step(text, pose)
        item = self.steps.item(row)
        item.setText(f"{row + 1}. {text or '(say what to do)'}")
        self._render_pose(pose)

    def set_step(self, row: int, text: str, pose: str | None) -> None:
        """Fill in step ``row`` (as if typed and chosen)."""
        self.steps.setCurrentRow(row)
        self.step_text.setPlainText(text)
        self.pose.setCurrentIndex(max(0, self.pose.findData(pose)))
        self._step_edited()

    def _remove_step(self) -> None:
        row = self.steps.currentRow()
        if len(self._steps) > 1 and 0 <= row < len(self._steps):
            del self._steps[row]
            self._fill_steps(min(row, len(self._steps) - 1))

    def _move_step(self, by: int) -> None:
        row = self.steps.currentRow()
        target = row + by
        if 0 <= row < len(self._steps) and 0 <= target < len(self._steps):
            self._steps[row], self._steps[target] = self._steps[target], self._steps[row]
            self._fill_steps(target)

    def _render_pose(self, pose_id: str | None) -> None:
        pose = self.poses.get(pose_id) if self.poses is not None and pose_id else None
        if pose is None:
            self.pose_preview.setPixmap(QPixmap())
            self.pose_preview.setText("No picture")
            return
        from stretchdesk.figures.render import Palette, render_image

        palette = Palette.from_qpalette(self.palette())
        image = render_image(pose.scene(), PREVIEW_SIZE - 4, palette)
        self.pose_preview.setPixmap(QPixmap.fromImage(image))

    @property
    def preview_pose(self) -> str | None:
        """The pose the preview shows (the current step's)."""
        return self.pose.currentData()

    # --- dose --------------------------------------------------------------------------

    def _dose_changed(self) -> None:
        hold = self.hold_radio.isChecked()
        self.hold.setEnabled(hold)
        self.reps.setEnabled(not hold)
        self.tempo.setEnabled(not hold)
        current = self.sides.currentData()
        self.sides.clear()
        for sides in (Sides.NONE, Sides.EACH) if hold else tuple(Sides):
            self.sides.addItem(SIDES_TEXT[sides], sides)
        self.sides.setCurrentIndex(max(0, self.sides.findData(current)))

    # --- saving ------------------------------------------------------------------------

    def stretch(self, stretch_id: str) -> Stretch:
        """The form as a stretch with this id (not yet checked)."""
        steps = tuple(self._steps)
        hold = self.hold_radio.isChecked()
        lines = lambda edit: tuple(  # noqa: E731
            line.strip() for line in edit.toPlainText().splitlines() if line.strip()
        )
        return Stretch(
            id=stretch_id,
            name=self.name.text().strip(),
            summary=self.summary.text().strip(),
            areas=tuple(a for a, box in self.area_boxes.items() if box.isChecked()),
            kind=Kind(self.kind.currentData()),
            level=Level(self.level.currentData()),
            positions=(str(self.position.currentData()),),
            steps=steps,
            desk_friendly=self.desk_friendly.isChecked(),
            flare_safe=self.flare_safe.isChecked(),
            sides=Sides(self.sides.currentData()),
            hold_seconds=float(self.hold.value()) if hold else None,
            reps=None if hold else self.reps.value(),
            sets=self.sets.value(),
            tempo=() if hold else tempo_for(self.tempo.currentIndex(), len(steps)),
            hold_step=len(steps) - 1,
            tips=lines(self.tips),
            cautions=lines(self.cautions),
        )

    def _missing(self) -> str:
        if not self.name.text().strip():
            return "Give the stretch a name."
        if not self.summary.text().strip():
            return "Add a one-sentence summary."
        if not any(box.isChecked() for box in self.area_boxes.values()):
            return "Tick at least one body area it works."
        if any(not step.text for step in self._steps):
            return "Every step needs a sentence saying what to do."
        return ""

    def save(self) -> bool:
        """Check the form and save the stretch; ``False`` (with the reason shown) if not."""
        missing = self._missing()
        if missing:
            self.error.setText(missing)
            return False
        if self.paths is None:
            self.error.setText("There is no folder to save stretches in.")
            return False
        from stretchdesk.storage.routines_store import StoreError, StretchStore

        store = StretchStore(self.paths, self.catalogue)
        try:
            stretch_id = store.free_id(slug(self.name.text(), "my-stretch"))
            self.saved_path = store.save(self.stretch(stretch_id))
        except StoreError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.stretch_saved.emit(stretch_id)
        self.accept()
        return True
