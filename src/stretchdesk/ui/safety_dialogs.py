"""The welcome on first run, and the warning signs (always reachable from the Help menu).

All words come from ``data/safety.yaml`` through :mod:`stretchdesk.core.safety`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from stretchdesk.core.safety import LearnMore, SafetyContent, SignGroup, WarningSignGroup

EMERGENCY_ACCENT = "#b3261e"
PROFESSIONAL_ACCENT = "#a15c00"


def _label(text: str, parent: QWidget, *, rich: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def heading(text: str, parent: QWidget, scale: float = 1.35) -> QLabel:
    label = _label(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def open_link(url: str) -> None:
    """Open a reputable source in the user's browser."""
    QDesktopServices.openUrl(QUrl(url))


class WarningGroupBox(QFrame):
    """One group of warning signs: its title, the signs, and what to do."""

    def __init__(self, group: WarningSignGroup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent = EMERGENCY_ACCENT if group.group is SignGroup.EMERGENCY else PROFESSIONAL_ACCENT
        self.setObjectName(f"warning-{group.group.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ border: 1px solid {accent};"
            f" border-left: 5px solid {accent}; border-radius: 6px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        title = heading(group.title, self, 1.1)
        title.setStyleSheet(f"color: {accent};")
        layout.addWidget(title)
        layout.addWidget(_label(group.intro, self))
        items = "".join(f"<li>{html.escape(sign.text)}</li>" for sign in group.signs)
        layout.addWidget(_label(f"<ul style='margin-left:-18px'>{items}</ul>", self, rich=True))
        action = _label(group.action, self)
        bold = QFont(action.font())
        bold.setBold(True)
        action.setFont(bold)
        layout.addWidget(action)


class LearnMoreLinks(QLabel):
    """ "Learn more" sources as links that open in the browser."""

    def __init__(self, learn_more: LearnMore, parent: QWidget | None = None) -> None:
        links = "".join(
            f"<p><a href='{html.escape(s.url, quote=True)}'>{html.escape(s.title)}</a><br>"
            f"<span>{html.escape(s.description)}</span></p>"
            for s in learn_more.sources
        )
        super().__init__(f"<p>{html.escape(learn_more.intro)}</p>{links}", parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.linkActivated.connect(open_link)


class SafetyDialog(QDialog):
    """The welcome (first run) or the warning signs alone (Help menu).

    With ``welcome=True`` the dialog opens with the welcome paragraphs and its
    button says the user has read it; the caller records that on ``accepted``.
    """

    def __init__(
        self, content: SafetyContent, *, welcome: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.content = content
        signs = content.warning_signs
        self.setWindowTitle(content.welcome.title if welcome else signs.title)
        self.setMinimumSize(560, 520)
        self.resize(640, 720)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        if welcome:
            layout.addWidget(heading(content.welcome.title, body, 1.6))
            for paragraph in content.welcome.paragraphs:
                layout.addWidget(_label(paragraph, body))
            layout.addWidget(_label(content.welcome.warning_signs_lead, body))
        layout.addWidget(heading(signs.title, body))
        layout.addWidget(_label(signs.intro, body))
        self.group_boxes = [WarningGroupBox(group, body) for group in signs.groups]
        for box in self.group_boxes:
            layout.addWidget(box)
        self.learn_more = LearnMoreLinks(content.learn_more, body)
        layout.addWidget(self.learn_more)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        buttons = QDialogButtonBox(self)
        label = content.welcome.continue_label if welcome else "Close"
        self.ok_button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
