"""Test-wide set-up: Qt runs offscreen unless a test starts its own X session."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# Qt Multimedia looks for PipeWire and VA-API when it loads; machines without them are fine.
os.environ["QT_LOGGING_RULES"] += ";qt.multimedia.symbolsresolver=false"
