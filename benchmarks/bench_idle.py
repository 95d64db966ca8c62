"""The CPU cost of asking the X server for the idle time (X11 adapter, under Xvfb).

Starts a private Xvfb, then calls ``X11IdleMonitor.idle_seconds`` in a tight
loop and reports calls per second, wall and CPU microseconds per call, and
what that costs at the rate the scheduler asks (at most once per idle
threshold while the user is active, every ``idle_poll`` seconds while away).

    .venv/bin/python benchmarks/bench_idle.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time

from stretchdesk.platform.idle import X11IdleMonitor


def start_xvfb() -> tuple[subprocess.Popen, str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        sys.exit("Xvfb did not start")
    return server, f":{number}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to measure")
    args = parser.parse_args()
    server, display = start_xvfb()
    try:
        monitor = X11IdleMonitor(display)
        try:
            for _ in range(100):  # warm up
                monitor.idle_seconds()
            calls = 0
            wall0, cpu0 = time.perf_counter(), time.process_time()
            while time.perf_counter() - wall0 < args.seconds:
                for _ in range(100):
                    monitor.idle_seconds()
                calls += 100
            wall = time.perf_counter() - wall0
            cpu = time.process_time() - cpu0
        finally:
            monitor.close()
    finally:
        server.terminate()
        server.wait()
    per_call_cpu = cpu / calls
    print(f"X11 idle time on {display}: {calls} calls in {wall:.2f} s")
    print(f"  {calls / wall:10.0f} calls/s")
    print(f"  {wall / calls * 1e6:10.1f} µs per call (wall, a round trip to the X server)")
    print(f"  {per_call_cpu * 1e6:10.1f} µs per call (CPU of this process)")
    for label, interval in (("every 60 s (active user)", 60.0), ("every 5 s (while away)", 5.0)):
        share = per_call_cpu / interval * 100
        print(f"  asking {label}: {share:.6f}% of a core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
