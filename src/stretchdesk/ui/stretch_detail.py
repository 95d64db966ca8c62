"""The browser's detail pane: one stretch in full, with its pictures and what to do next.

Every step has its picture (the pose the step names); the held step says how
long, the moving steps say which breath. The animated preview loops the
stretch; "Try now" plays this one stretch in the player and "Add to routine"
puts it into one of the user's routines or a new one.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.export import format_duration
from stretchdesk.core.model import Catalogue, Kind, Sides, Stretch
from stretchdesk.ui.filter_bar import KIND_LABELS, POSITION_LABELS
from stretchdesk.ui.style import set_muted, warning_colour
from stretchdesk.ui.thumbnails import ThumbnailCache

STEP_PICTURE = 96
PREVIEW_SIZE = 210
#: Lines longer than this are hard to read: the pane's content stops growing here.
MAX_WIDTH = 860
#: Below this width the preview goes above the dose and buttons.
NARROW = 500


def dose_text(stretch: Stretch) -> str:
    """How much of the stretch, in words: "Hold 30 s on each side, 2 times"."""
    if stretch.hold_seconds is not None:
        text = f"Hold {format_duration(stretch.hold_seconds)}"
    else:
        text = f"{stretch.reps} slow reps"
    if stretch.sides is Sides.EACH:
        text += " on each side"
    elif stretch.sides is Sides.ALTERNATING:
        text += " on each side, alternating"
    if stretch.sets > 1:
        text += f", {stretch.sets} times"
    return text


def step_note(stretch: Stretch, index: int) -> str:
    """What happens at step ``index``: the hold, the breath of a move, or nothing."""
    if stretch.hold_seconds is not None:
        if index == stretch.hold_step:
            return f"Hold here for {format_duration(stretch.hold_seconds)}"
        return "Get into position" if index < stretch.hold_step else ""
    phases = [p for p in stretch.tempo if p.step == index]
    if not phases:
        return "Get into position" if index == 0 else ""
    return " · ".join(f"Breathe {p.breath}, {p.seconds:g} s" for p in phases)


class StretchDetail(QScrollArea):
    """One stretch in full.

    Signals: ``try_requested(str)`` — play this stretch (its id) now;
    ``add_requested(str, str)`` — add the stretch (first id) to the routine
    with the second id, or to a new routine when that is empty.
    """

    try_requested = Signal(str)
    add_requested = Signal(str, str)

    def __init__(
        self, catalogue: Catalogue, thumbnails: ThumbnailCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.thumbnails = thumbnails
        self.stretch: Stretch | None = None
        #: The routines a stretch can be added to, as (id, name); set by the window.
        self.routine_choices: Callable[[], list[tuple[str, str]]] = list
        self.preview = None  # the animated figure, built with the first stretch shown
        self._step_pictures: list[tuple[QLabel, int]] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Stretch details")
        self.content = QWidget(self)
        self.content.setAutoFillBackground(False)
        self.content.setMaximumWidth(MAX_WIDTH)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self.content)
        self.title = QLabel(self.content)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.summary = QLabel(self.content)
        self.summary.setWordWrap(True)
        self.facts = QLabel(self.content)
        self.facts.setWordWrap(True)
        set_muted(self.facts, 0.75)
        self.dose = QLabel(self.content)
        self.dose.setWordWrap(True)
        dose_font = self.dose.font()
        dose_font.setBold(True)
        self.dose.setFont(dose_font)
        self.try_button = QPushButton("Try now", self.content)
        self.try_button.setToolTip("Play this one stretch in the player")
        self.try_button.setDefault(True)
        self.add_button = QToolButton(self.content)
        self.add_button.setText("Add to routine")
        self.add_button.setToolTip("Put this stretch into one of your routines, or a new one")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_menu = QMenu(self.add_button)
        self.add_button.setMenu(self.add_menu)
        self.preview_holder = QFrame(self.content)
        self.preview_holder.setFixedSize(PREVIEW_SIZE, PREVIEW_SIZE)
        self.preview_holder.setFrameShape(QFrame.Shape.StyledPanel)
        QVBoxLayout(self.preview_holder).setContentsMargins(0, 0, 0, 0)
        self.steps_box = QWidget(self.content)
        self.steps_layout = QVBoxLayout(self.steps_box)
        self.steps_layout.setContentsMargins(0, 0, 0, 0)
        self.steps_layout.setSpacing(10)
        self.extra = QLabel(self.content)
        self.extra.setWordWrap(True)
        self.extra.setTextFormat(Qt.TextFormat.RichText)
        self.cautions = QLabel(self.content)
        self.cautions.setWordWrap(True)
        self.cautions.setTextFormat(Qt.TextFormat.RichText)
        self.cautions.setObjectName("cautions")
        self.empty = QLabel("Choose a stretch to see how it is done.", self.content)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setContentsMargins(0, 120, 0, 0)
        set_muted(self.empty)
        self._layout()
        self._connect_signals()
        self.show_stretch(None)

    def _layout(self) -> None:
        outer = QVBoxLayout(self.content)
        outer.setContentsMargins(18, 14, 18, 18)
        outer.setSpacing(10)
        outer.addWidget(self.empty)
        outer.addWidget(self.title)
        outer.addWidget(self.facts)
        outer.addWidget(self.summary)
        top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._top = top
        top.setSpacing(16)
        top.addWidget(self.preview_holder, 0, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        side.setSpacing(10)
        side.addWidget(self.dose)
        buttons = QHBoxLayout()
        buttons.addWidget(self.try_button)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        side.addLayout(buttons)
        side.addWidget(self.cautions)
        side.addStretch(1)
        top.addLayout(side, 1)
        outer.addLayout(top)
        self.steps_heading = QLabel("<b>How to do it</b>", self.content)
        outer.addSpacing(4)
        outer.addWidget(self.steps_heading)
        outer.addWidget(self.steps_box)
        outer.addWidget(self.extra)
        outer.addStretch(1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side when there is room; the picture above the dose when narrow."""
        narrow = event.size().width() < NARROW
        self._top.setDirection(
            QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        )
        super().resizeEvent(event)

    def _connect_signals(self) -> None:
        self.try_button.clicked.connect(self._try)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.thumbnails.ready.connect(self._refresh_pictures)

    # --- content -----------------------------------------------------------------------

    def show_stretch(self, stretch: Stretch | None) -> None:
        """Show ``stretch`` in full, or the empty state."""
        self.stretch = stretch
        has = stretch is not None
        self.empty.setVisible(not has)
        for widget in (
            self.title,
            self.facts,
            self.summary,
            self.preview_holder,
            self.dose,
            self.try_button,
            self.add_button,
            self.steps_heading,
            self.steps_box,
            self.extra,
        ):
            widget.setVisible(has)
        self._clear_steps()
        if stretch is None:
            self.cautions.setVisible(False)
            if self.preview is not None:
                self.preview.set_stretch(None)
            return
        self.title.setText(stretch.name)
        self.summary.setText(stretch.summary)
        self.facts.setText(self._facts(stretch))
        self.dose.setText(
            f"{dose_text(stretch)}<br><span style='font-weight:normal'>"
            f"About {format_duration(stretch.duration_seconds)} in all</span>"
        )
        self._ensure_preview()
        assert self.preview is not None
        self.preview.set_stretch(stretch)
        for index, step in enumerate(stretch.steps):
            self._add_step(stretch, index, step.text)
        self.extra.setText(self._extra_html(stretch))
        self.cautions.setVisible(bool(stretch.cautions))
        self.cautions.setText(self._cautions_html(stretch))
        self.verticalScrollBar().setValue(0)
        self._refresh_pictures()

    def _ensure_preview(self) -> None:
        if self.preview is None:
            from stretchdesk.ui.stretch_preview import StretchPreview

            self.preview = StretchPreview(self.preview_holder)
            self.preview_holder.layout().addWidget(self.preview)

    def _facts(self, stretch: Stretch) -> str:
        areas = ", ".join(a.name for a in self.catalogue.areas if a.id in stretch.areas)
        bits = [
            areas,
            KIND_LABELS.get(stretch.kind, str(stretch.kind)).rstrip("s")
            if stretch.kind is not Kind.SELF_CARE
            else "Self-care",
            str(stretch.level).capitalize(),
            " or ".join(POSITION_LABELS.get(p, p).lower() for p in stretch.positions).capitalize(),
        ]
        if stretch.desk_friendly:
            bits.append("At the desk")
        if stretch.flare_safe:
            bits.append("Flare-up safe")
        return "  ·  ".join(html.escape(b) for b in bits if b)

    def _add_step(self, stretch: Stretch, index: int, text: str) -> None:
        row = QWidget(self.steps_box)
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        picture = QLabel(row)
        picture.setFixedSize(STEP_PICTURE, STEP_PICTURE)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setAccessibleName(f"Picture of step {index + 1}")
        self._step_pictures.append((picture, index))
        number = QLabel(f"<b>{index + 1}.</b> {html.escape(text)}", row)
        number.setWordWrap(True)
        number.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addSpacing(8)
        words.addWidget(number)
        note_text = step_note(stretch, index)
        if note_text:
            note = QLabel(note_text, row)
            set_muted(note)
            words.addWidget(note)
        words.addStretch(1)
        grid.addWidget(picture, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(words, 0, 1)
        self.steps_layout.addWidget(row)

    def _clear_steps(self) -> None:
        self._step_pictures.clear()
        while self.steps_layout.count():
            item = self.steps_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _refresh_pictures(self) -> None:
        stretch = self.stretch
        if stretch is None:
            return
        palette = self.palette()
        for label, index in self._step_pictures:
            if label.pixmap() is not None and not label.pixmap().isNull():
                continue
            pixmap = self.thumbnails.stretch_picture(stretch, index, STEP_PICTURE, palette)
            if pixmap is not None:
                label.setPixmap(pixmap)

    def _extra_html(self, stretch: Stretch) -> str:
        esc = html.escape
        parts = []
        if stretch.equipment or stretch.optional_equipment:
            names = {e.id: e.name for e in self.catalogue.equipment}
            needed = ", ".join(names.get(e, e) for e in stretch.equipment)
            optional = ", ".join(names.get(e, e) for e in stretch.optional_equipment)
            line = []
            if needed:
                line.append(f"<b>You need:</b> {esc(needed)}")
            if optional:
                line.append(f"<b>Helpful:</b> {esc(optional)}")
            parts.append("<p>" + "<br>".join(line) + "</p>")
        if stretch.tips:
            parts.append("<p><b>Tips</b></p><ul style='margin-left:-20px'>")
            parts += [f"<li>{esc(t)}</li>" for t in stretch.tips]
            parts.append("</ul>")
        return "".join(parts)

    def _cautions_html(self, stretch: Stretch) -> str:
        if not stretch.cautions:
            return ""
        colour = warning_colour(self.palette()).name()
        items = "".join(f"<li>{html.escape(c)}</li>" for c in stretch.cautions)
        return (
            f"<p style='margin:0'><b style='color:{colour}'>Take care</b></p>"
            f"<ul style='margin-left:-20px; margin-top:2px'>{items}</ul>"
        )

    def text(self) -> str:
        """Everything the pane says, as plain text (for tests and screen readers)."""
        parts = [self.title.text(), self.summary.text(), self.dose.text()]
        for label in self.steps_box.findChildren(QLabel):
            parts.append(label.text())
        parts += [self.extra.text(), self.cautions.text()]
        return "\n".join(p for p in parts if p)

    # --- actions -----------------------------------------------------------------------

    def _try(self) -> None:
        if self.stretch is not None:
            self.try_requested.emit(self.stretch.id)

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        stretch = self.stretch
        if stretch is None:
            return
        choices = self.routine_choices()
        for routine_id, name in choices:
            action = self.add_menu.addAction(name)
            action.triggered.connect(
                lambda _=False, r=routine_id, s=stretch.id: self.add_requested.emit(s, r)
            )
        if choices:
            self.add_menu.addSeparator()
        new = self.add_menu.addAction("New routine…")
        new.triggered.connect(lambda _=False, s=stretch.id: self.add_requested.emit(s, ""))

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        if self.stretch is not None:
            self.show_stretch(catalogue.get(self.stretch.id))

    def stop(self) -> None:
        """Stop the animation (the window is closing)."""
        if self.preview is not None:
            self.preview.stop()
