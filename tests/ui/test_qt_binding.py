"""The Qt binding itself: a known PySide6 defect must not be installed."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QPen


def test_void_qt_calls_do_not_eat_references_to_none():
    """PySide6 6.12.0 drops a reference to None per call of a method returning nothing.

    On Python 3.11 that aborts the process ("deallocating None") after a few
    thousand calls, which a painting loop makes in seconds.
    """
    pen, obj = QPen(), QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        pen.setWidth(3)
        obj.setObjectName("probe")
    assert sys.getrefcount(None) - before >= 0
