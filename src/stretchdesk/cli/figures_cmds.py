"""Figure commands: ``illustrate`` writes the step pictures and a contact sheet."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

from stretchdesk.cli import EXIT_INVALID, EXIT_OK, Context

CONTACT_SHEET = "contact-sheet.png"


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "illustrate",
        parents=[common],
        help="draw the figure of every step as image files",
        description="Write one picture per step (of one stretch, or of the whole catalogue) "
        f"into DIR/<stretch-id>/, and a contact sheet of the whole catalogue ({CONTACT_SHEET}). "
        "Stretches done on each side also get the other side's picture.",
    )
    p.add_argument("id", metavar="ID", nargs="?", help="only this stretch (see `stretchdesk list`)")
    p.add_argument("--out", metavar="DIR", type=Path, required=True, help="folder to write into")
    p.add_argument(
        "--format", choices=("png", "svg"), default="png", help="step picture format (png)"
    )
    p.add_argument(
        "--size", metavar="N", type=_size, default=400, help="picture side in pixels (400)"
    )
    p.add_argument("--dark", action="store_true", help="use the dark colours")
    p.set_defaults(func=cmd_illustrate)


def _size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of pixels, found {text!r}") from None
    if not 16 <= value <= 4096:
        raise argparse.ArgumentTypeError("the size must be between 16 and 4096 pixels")
    return value


def gui_app() -> object:
    """The running Qt application, or a new QGuiApplication (offscreen without a display)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])


def poses_or_report(ctx: Context):
    """The pose library, or ``None`` after printing why it cannot be loaded."""
    from stretchdesk.figures.library import PoseLibraryError, load_poses

    try:
        return load_poses()
    except PoseLibraryError as exc:
        for problem in exc.problems:
            print(problem, file=ctx.err)
        return None


def cmd_illustrate(args: argparse.Namespace, ctx: Context) -> int:
    library = ctx.library()
    catalogue = library.catalogue
    if args.id is not None and catalogue.get(args.id) is None:
        ids = [s.id for s in catalogue.stretches]
        close = difflib.get_close_matches(args.id, ids, n=3)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        print(f"stretchdesk illustrate: no stretch with the id '{args.id}'.{hint}", file=ctx.err)
        return EXIT_INVALID

    poses = poses_or_report(ctx)
    if poses is None:
        return EXIT_INVALID
    app = gui_app()
    from stretchdesk.figures.render import Palette
    from stretchdesk.figures.sheet import write_contact_sheet, write_step_images

    palette = Palette.dark_default() if args.dark else Palette.light()
    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = write_step_images(
            catalogue,
            poses,
            out,
            args.id,
            size=args.size,
            palette=palette,
            svg=args.format == "svg",
            png=args.format == "png",
        )
        sheet = write_contact_sheet(poses, out / CONTACT_SHEET, catalogue, palette=palette)
    except OSError as exc:
        print(f"stretchdesk illustrate: {exc}", file=ctx.err)
        return EXIT_INVALID
    del app
    unposed = [
        f"{s.id} step {n}"
        for s in catalogue.stretches
        if args.id in (None, s.id)
        for n, step in enumerate(s.steps, 1)
        if step.pose is None or step.pose not in poses
    ]
    for where in unposed:
        print(f"note: {where} has no pose of its own; it shows its neighbour's", file=ctx.err)
    print(f"{len(written)} step pictures and {sheet.name} written to {out}", file=ctx.out)
    return EXIT_OK
