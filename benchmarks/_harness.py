"""Shared helpers for the whole-process benchmarks: run commands, time them, print ratios."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def env(**extra: str) -> dict[str, str]:
    """The environment for a measured process: offscreen unless a display is asked for."""
    result = dict(os.environ)
    result.setdefault("QT_QPA_PLATFORM", "offscreen")
    result.update(extra)
    return result


def time_until_lines(
    cmd: list[str], lines: list[str], environ: dict[str, str], timeout: float = 60.0
) -> list[float]:
    """Seconds from spawning ``cmd`` until it prints each of ``lines`` (in order) on stdout."""
    start = time.perf_counter()
    times: list[float] = []
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environ, text=True
    ) as proc:
        assert proc.stdout is not None
        for out in proc.stdout:
            if len(times) < len(lines) and out.strip() == lines[len(times)]:
                times.append(time.perf_counter() - start)
                if len(times) == len(lines):
                    break
        if len(times) < len(lines):
            raise RuntimeError(f"{cmd} ended without printing {lines[len(times)]!r}")
        proc.wait(timeout=timeout)
    return times


def summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"median {statistics.median(ms):7.1f} ms  min {min(ms):7.1f} ms  max {max(ms):7.1f} ms"


def temp_dirs() -> tuple[str, str]:
    base = tempfile.mkdtemp(prefix="stretchdesk-bench-")
    return str(Path(base, "config")), str(Path(base, "data"))
