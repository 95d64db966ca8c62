"""A check shared by the browser and builder tests: nothing is left running after a test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication


@pytest.fixture
def no_leftovers(qapp) -> Iterator[None]:
    """After the test (and pytest-qt's clean-up): no window shown, no timer of ours running."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not shown, f"windows left open: {shown}"
    running = [
        t for w in QApplication.topLevelWidgets() for t in w.findChildren(QTimer) if t.isActive()
    ]
    running += [t for t in qapp.findChildren(QTimer) if t.isActive()]
    assert not running, f"timers left running: {running}"
