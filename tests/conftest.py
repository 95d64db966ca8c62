"""Test-wide set-up: Qt runs offscreen unless a test starts its own X session."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# Qt Multimedia looks for PipeWire and VA-API when it loads; machines without them are fine.
os.environ["QT_LOGGING_RULES"] += ";qt.multimedia.symbolsresolver=false"

# In CI, hypothesis draws the same examples on every run, so a red build is reproducible and
# never depends on luck; on a developer's machine it explores new examples each run.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, deadline=None)
    settings.load_profile("ci")
