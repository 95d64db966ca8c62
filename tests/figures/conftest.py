"""Qt runs offscreen for the figure tests; the pose model itself needs no Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
