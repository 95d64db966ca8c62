"""Routine commands: ``routines``, ``plan``, ``run --text`` and ``start``."""

from __future__ import annotations

import argparse
import json
import sys

from stretchdesk.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, Context
from stretchdesk.core.routine import UnknownRoutineError, find_routine


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "routines", parents=[common], help="list the routines with how long each takes"
    )
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_routines)

    p = commands.add_parser(
        "plan",
        parents=[common],
        help="show exactly what a routine will do, second by second",
        description="Print the timeline a routine expands into: each segment with its start "
        "time and length.",
    )
    p.add_argument("routine", metavar="ROUTINE", help="a routine's id or name")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.add_argument("--every-rep", action="store_true", help="one line per breath of every rep")
    p.set_defaults(func=cmd_plan)

    p = commands.add_parser(
        "run",
        parents=[common],
        help="follow a routine in this terminal",
        description="Run a routine with a live countdown. Keys: space pause or resume, "
        "n or right arrow next, s skip the stretch, b or left arrow back, + ten more seconds, "
        "Enter ready, h it hurts, q quit.",
    )
    p.add_argument("routine", metavar="ROUTINE", help="a routine's id or name")
    p.add_argument(
        "--text",
        action="store_true",
        required=True,
        help="run in the terminal (the window's player is `stretchdesk start`)",
    )
    p.set_defaults(func=cmd_run)

    p = commands.add_parser(
        "start",
        parents=[common],
        help="open the window with a routine ready in the player",
        description="Open the window with ROUTINE in the player; press Space to begin.",
    )
    p.add_argument("routine", metavar="ROUTINE", help="a routine's id or name")
    p.set_defaults(func=cmd_start)


def _report(ctx: Context, library) -> None:
    for problem in library.problems:
        print(f"warning: {problem}", file=ctx.err)
    for notice in library.notices:
        print(f"note: {notice}", file=ctx.err)


def _find(ctx: Context, library, query: str, command: str):
    try:
        return find_routine(library.routines, query)
    except UnknownRoutineError as exc:
        print(f"stretchdesk {command}: {exc}", file=ctx.err)
        print("See `stretchdesk routines` for the list.", file=ctx.err)
        return None


def cmd_routines(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk.core.timeline_text import routine_lines, routines_to_json

    library = ctx.library()
    _report(ctx, library)
    if args.json:
        data = routines_to_json(library.routines, library.catalogue)
        json.dump(data, ctx.out, indent=2, ensure_ascii=False)
        ctx.out.write("\n")
        return EXIT_OK
    for line in routine_lines(library.routines, library.catalogue):
        print(line, file=ctx.out)
    return EXIT_OK


def cmd_plan(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk.core.timeline import expand
    from stretchdesk.core.timeline_text import plan_lines, plan_to_json

    library = ctx.library()
    _report(ctx, library)
    routine = _find(ctx, library, args.routine, "plan")
    if routine is None:
        return EXIT_INVALID
    plan = expand(routine, library.catalogue)
    if args.json:
        json.dump(plan_to_json(plan), ctx.out, indent=2, ensure_ascii=False)
        ctx.out.write("\n")
        return EXIT_OK
    for line in plan_lines(plan, every_rep=args.every_rep):
        print(line, file=ctx.out)
    return EXIT_OK


def cmd_run(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk.cli.run_text import run_text

    library = ctx.library()
    _report(ctx, library)
    routine = _find(ctx, library, args.routine, "run")
    if routine is None:
        return EXIT_INVALID
    if not args.text:  # pragma: no cover - argparse requires --text
        return EXIT_USAGE
    summary = run_text(routine, library.catalogue, stdin=sys.stdin, stdout=ctx.out)
    return EXIT_OK if summary is not None else EXIT_INVALID


def cmd_start(args: argparse.Namespace, ctx: Context) -> int:
    library = ctx.library()
    _report(ctx, library)
    routine = _find(ctx, library, args.routine, "start")
    if routine is None:
        return EXIT_INVALID
    from stretchdesk.ui.app import run_app

    return run_app(ctx.paths, args, routine)
