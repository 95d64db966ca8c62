"""Screenshots of the routine player at several moments, in light and dark.

Starts its own X server (Xvfb) unless ``--display`` names one, runs
``stretchdesk start ROUTINE`` once per moment and theme, and saves a
full-screen PNG with ImageMagick's ``import``. Needs ``Xvfb`` and ``import``
(Debian: ``xvfb imagemagick``), and ``xdotool`` for the moments reached by a
key (the "It hurts" page). Rerun it after changing the player, at the
smallest and the largest screens it must hold on:

    .venv/bin/python tools/screenshots.py [--out DIR] [--size 1280x800] [--display :5]
    .venv/bin/python tools/screenshots.py --size 800x600
    .venv/bin/python tools/screenshots.py --size 3840x2160 --scale 2

Xvfb runs without a window manager, so the window keeps the size it opens
with; it is moved to the top left corner and sized to the screen.

Each moment is reached with ``STRETCHDESK_PLAYER_SKIP`` (see ``ui/app.py``):
the app starts the session at once and moves its clock the given seconds on,
so a shot shows that moment of a real, running session. The moments are for
the built-in "desk-break" routine (``stretchdesk plan desk-break``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTINE = "desk-break"
#: name -> (seconds into the routine to skip to, keys pressed then); the shot follows.
MOMENTS: dict[str, tuple[float, tuple[str, ...]]] = {
    "preparing": (0.0, ()),
    "dynamic-move": (8.0, ()),
    "mid-hold": (55.0, ()),
    "switching-sides": (64.5, ()),
    "it-hurts": (20.0, ("h",)),
    "full-screen": (55.0, ("f",)),
    "finished": (130.0, ()),
}
THEMES = ("light", "dark")
SHOT_AFTER_SECONDS = 4.5


def _free_display() -> str:
    for number in range(40, 100):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return f":{number}"
    raise RuntimeError("no free X display number between :40 and :99")


def _start_xvfb(size: str) -> tuple[subprocess.Popen[bytes], str]:
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb is needed (Debian: apt-get install xvfb), or pass --display")
    display = _free_display()
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    number = display[1:]
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            return proc, display
        time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("Xvfb did not start")


def _xdotool(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True)
    return done.stdout


def _fit_window(env: dict[str, str], size: str, keys: tuple[str, ...]) -> None:
    """Move the app's window to the corner, size it to the screen, and press ``keys``."""
    if shutil.which("xdotool") is None:
        return
    width, height = size.split("x")
    windows = _xdotool(env, "search", "--onlyvisible", "--name", "^StretchDesk$").split()
    for window in windows:
        _xdotool(env, "windowmove", window, "0", "0", "windowsize", window, width, height)
    time.sleep(0.5)
    for key in keys:
        for window in windows:
            _xdotool(env, "key", "--window", window, key)
        time.sleep(0.8)


def _shot(display: str, theme: str, moment: str, size: str, scale: float, out: Path) -> Path:
    skip, keys = MOMENTS[moment]
    with tempfile.TemporaryDirectory(prefix="stretchdesk-shot-") as tmp:
        config = Path(tmp, "config")
        config.mkdir()
        (config / "settings.yaml").write_text(
            f"version: 2\nappearance:\n  theme: {theme}\n"
            # straight to the player: no welcome, no check-in before the routine
            "safety:\n  welcome_shown: true\n  check_in: false\n"
            # "Get into position" waits for the user here, so the shot cannot miss it
            + ("player:\n  prepare_seconds: 0\n" if moment == "preparing" else "")
        )
        (config / "window-state.ini").write_text("")
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env["STRETCHDESK_PLAYER_SKIP"] = str(skip)
        if scale != 1:
            env["QT_SCALE_FACTOR"] = f"{scale:g}"
        env.pop("WAYLAND_DISPLAY", None)
        cmd = [
            sys.executable,
            "-m",
            "stretchdesk",
            "start",
            ROUTINE,
            "--config-dir",
            str(config),
            "--data-dir",
            str(Path(tmp, "data")),
        ]
        app = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            time.sleep(SHOT_AFTER_SECONDS / 2)
            _fit_window(env, size, keys)
            time.sleep(SHOT_AFTER_SECONDS / 2)
            path = out / f"{moment}-{theme}-{size}{'' if scale == 1 else f'@{scale:g}x'}.png"
            subprocess.run(
                ["import", "-display", display, "-window", "root", str(path)],
                check=True,
                env=env,
            )
        finally:
            app.terminate()
            app.wait(timeout=10)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument("--size", default="1280x800", help="screen size, WxH")
    parser.add_argument("--scale", type=float, default=1.0, help="QT_SCALE_FACTOR, e.g. 2")
    parser.add_argument("--display", help="use this X display instead of starting Xvfb")
    parser.add_argument("--only", choices=sorted(MOMENTS), action="append", help="one moment")
    args = parser.parse_args()
    if shutil.which("import") is None:
        sys.exit("ImageMagick's `import` is needed (Debian: apt-get install imagemagick)")
    args.out.mkdir(parents=True, exist_ok=True)
    xvfb = None
    display = args.display
    if display is None:
        xvfb, display = _start_xvfb(args.size)
    try:
        for theme in THEMES:
            for moment in MOMENTS:
                if args.only and moment not in args.only:
                    continue
                print(_shot(display, theme, moment, args.size, args.scale, args.out))
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
