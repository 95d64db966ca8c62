"""Routine file commands: ``quick``, ``import`` and ``export``.

``quick`` builds a routine for a time budget and the areas that hurt
(:mod:`stretchdesk.core.quick`); ``import`` and ``export --yaml`` move routine
files in and out of the user's folder (:mod:`stretchdesk.storage.routines_store`);
``export --pdf`` prints a routine's sheet (:mod:`stretchdesk.ui.print_sheet`,
the only one that starts Qt).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from stretchdesk.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, Context
from stretchdesk.core.model import Level, Routine, TimeOfDay


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "quick",
        parents=[common],
        help="build a routine for the time you have and where it hurts",
        description="Build a routine from body areas and a time budget. Each stretch says why "
        "it was picked. The same question always gives the same routine.",
    )
    p.add_argument(
        "--minutes", metavar="N", type=_minutes, required=True, help="how long (1 to 120)"
    )
    p.add_argument(
        "--area",
        metavar="AREA",
        action="append",
        default=[],
        help="a body area, e.g. lower-back; repeat for several (none: any area)",
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument("--morning", action="store_true", help="mobility and dynamic moves first")
    when.add_argument("--evening", action="store_true", help="longer, deeper holds")
    p.add_argument(
        "--level", choices=[lv.value for lv in Level], default="basic", help="basic (default)"
    )
    p.add_argument("--flare", action="store_true", help="a flare-up day: flare-safe stretches only")
    p.add_argument(
        "--equipment",
        metavar="ID",
        action="append",
        default=[],
        help="equipment you have besides household things, e.g. foam-roller; repeatable",
    )
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.add_argument(
        "--save", action="store_true", help="also keep it among your routines (under a free id)"
    )
    p.set_defaults(func=cmd_quick)

    p = commands.add_parser(
        "import",
        parents=[common],
        help="add the routines of a routine file to yours",
        description="Check a routine file and, when it is valid, save each of its routines "
        "among yours. An invalid file is reported line by line and nothing is changed; a "
        "routine whose id is taken gets a new one.",
    )
    p.add_argument("file", metavar="FILE", type=Path)
    p.set_defaults(func=cmd_import)

    p = commands.add_parser(
        "export",
        parents=[common],
        help="write a routine as a printable PDF sheet or as a routine file",
        description="Write ROUTINE to FILE: --pdf for a printable sheet with pictures, steps "
        "and holds; --yaml for a routine file to share. An existing FILE is kept unless "
        "--force is given.",
    )
    p.add_argument("routine", metavar="ROUTINE", help="a routine's id or name")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--pdf", metavar="FILE", type=Path, help="write a printable sheet")
    what.add_argument("--yaml", metavar="FILE", type=Path, help="write a routine file")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_export)


def _minutes(text: str) -> float:
    from stretchdesk.core.quick import MAX_MINUTES, MIN_MINUTES

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of minutes, found {text!r}") from None
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        raise argparse.ArgumentTypeError(
            f"the time must be between {MIN_MINUTES:g} and {MAX_MINUTES:g} minutes"
        )
    return value


def _report(ctx: Context, library) -> None:
    for problem in library.problems:
        print(f"warning: {problem}", file=ctx.err)
    for notice in library.notices:
        print(f"note: {notice}", file=ctx.err)


def _store(ctx: Context, library):
    from stretchdesk.library import builtin_routines_file
    from stretchdesk.storage.routines_store import RoutineStore

    builtin_file = builtin_routines_file().resolve()
    builtin = [r for r in library.routines if r.source and Path(r.source).resolve() == builtin_file]
    return RoutineStore(ctx.paths, library.catalogue, builtin), builtin


def _all_routines(store, builtin: list[Routine]) -> list[Routine]:
    """The built-in routines with the user's, read from disk now (a user routine wins)."""
    merged = {r.id: r for r in builtin}
    merged.update((r.id, r) for r in store.load().routines)
    return list(merged.values())


# --- quick ---------------------------------------------------------------------------------


def cmd_quick(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk.core.quick import HOUSEHOLD_EQUIPMENT, QuickRequest, QuickRoutineError
    from stretchdesk.core.quick import quick_routine as build

    library = ctx.library()
    _report(ctx, library)
    catalogue = library.catalogue
    known_equipment = [e.id for e in catalogue.equipment]
    for item in args.equipment:
        if item not in known_equipment:
            from stretchdesk.core.validate import unknown_message

            print(
                f"stretchdesk quick: {unknown_message('equipment', item, known_equipment)}",
                file=ctx.err,
            )
            return EXIT_USAGE
    known_areas = {a.id for a in catalogue.areas}
    time = TimeOfDay.MORNING if args.morning else TimeOfDay.EVENING if args.evening else None
    request = QuickRequest(
        minutes=args.minutes,
        areas=tuple(args.area),
        time_of_day=time,
        level=Level(args.level),
        flare=args.flare,
        equipment=HOUSEHOLD_EQUIPMENT | frozenset(args.equipment),
    )
    try:
        result = build(catalogue, request)
    except QuickRoutineError as exc:
        print(f"stretchdesk quick: {exc}", file=ctx.err)
        unknown_area = any(a not in known_areas for a in args.area)
        if unknown_area:
            print(f"Known areas: {', '.join(a.id for a in catalogue.areas)}", file=ctx.err)
        return EXIT_USAGE if unknown_area else EXIT_INVALID
    routine = result.routine
    saved_to: Path | None = None
    if args.save:
        from stretchdesk.storage.routines_store import StoreError

        store, _ = _store(ctx, library)
        routine = dataclasses.replace(routine, id=store.free_id(routine.id))
        try:
            saved_to = store.save(routine)
        except StoreError as exc:
            print(f"stretchdesk quick: {exc}", file=ctx.err)
            return EXIT_INVALID
    if args.json:
        data = quick_to_json(result, catalogue, routine)
        data["saved_to"] = str(saved_to) if saved_to is not None else None
        json.dump(data, ctx.out, indent=2, ensure_ascii=False)
        ctx.out.write("\n")
    else:
        for line in quick_lines(result, catalogue, routine):
            print(line, file=ctx.out)
        if saved_to is not None:
            print(f"Saved as {routine.id!r} in {saved_to}", file=ctx.out)
    return EXIT_OK


def quick_to_json(result, catalogue, routine: Routine | None = None) -> dict[str, Any]:
    """``quick --json``: the ``routines --json`` shape, plus a reason and the dose per item."""
    from stretchdesk.core.timeline import expand
    from stretchdesk.core.timeline_text import routine_to_json

    routine = routine or result.routine
    data = routine_to_json(routine, catalogue)
    plan = expand(routine, catalogue)
    data["reasons"] = list(result.reasons)
    data["choices"] = [
        {
            "stretch": choice.stretch_id,
            "name": stretch.name,
            "role": str(choice.role),
            "reason": choice.reason,
            "areas": list(choice.areas),
            "position": choice.position,
            "round": choice.round,
            "hold_seconds": _number(stretch.hold_seconds),
            "reps": stretch.reps,
            "sets": stretch.sets,
            "sides": str(stretch.sides),
        }
        for choice, stretch in zip(result.choices, plan.stretches, strict=True)
    ]
    data["budget_seconds"] = _number(result.budget)
    data["fits"] = result.fits
    data["notes"] = list(result.notes)
    return data


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def quick_lines(result, catalogue, routine: Routine | None = None) -> list[str]:
    """``quick``: the plan as readable lines, one per stretch with its dose and reason."""
    from stretchdesk.core.describe import dose_text
    from stretchdesk.core.timeline import expand
    from stretchdesk.core.timeline_text import format_clock

    routine = routine or result.routine
    plan = expand(routine, catalogue)
    lines = [
        f"{routine.name} ({routine.id}): {format_clock(plan.duration)} "
        f"for the {format_clock(result.budget)} you have",
        routine.description,
        "",
    ]
    width = max(len(s.name) for s in plan.stretches)
    for number, (choice, stretch) in enumerate(
        zip(result.choices, plan.stretches, strict=True), start=1
    ):
        lines.append(f"{number:>2}. {stretch.name:<{width}}  {dose_text(stretch)}")
        lines.append(f"    {'':<{width}}  why: {choice.reason}")
    for note in result.notes:
        lines.append("")
        lines.append(f"Note: {note}")
    return lines


# --- import / export -----------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk.storage.routines_store import InvalidFileError, StoreError

    library = ctx.library()
    store, _ = _store(ctx, library)
    try:
        result = store.import_file(args.file)
    except InvalidFileError as exc:
        print(f"stretchdesk import: {exc}", file=ctx.err)
        return EXIT_INVALID
    except StoreError as exc:
        print(f"stretchdesk import: {exc}", file=ctx.err)
        return EXIT_INVALID
    originals = {new: old for old, new in result.renamed.items()}
    for routine, path in zip(result.routines, result.paths, strict=True):
        line = f"Imported {routine.name!r} as {routine.id}"
        if routine.id in originals:
            line += f" (the id {originals[routine.id]!r} was already taken)"
        print(f"{line}: {path}", file=ctx.out)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk.core.routine import UnknownRoutineError, find_routine
    from stretchdesk.storage.routines_store import StoreError

    library = ctx.library()
    _report(ctx, library)
    store, builtin = _store(ctx, library)
    try:
        routine = find_routine(_all_routines(store, builtin), args.routine)
    except UnknownRoutineError as exc:
        print(f"stretchdesk export: {exc}", file=ctx.err)
        print("See `stretchdesk routines` for the list.", file=ctx.err)
        return EXIT_INVALID
    if args.yaml is not None:
        try:
            path = store.export(routine, args.yaml, overwrite=args.force)
        except StoreError as exc:
            hint = " Use --force to replace it." if args.yaml.exists() else ""
            print(f"stretchdesk export: {exc}{hint}", file=ctx.err)
            return EXIT_INVALID
        print(f"Wrote {routine.id} to {path}", file=ctx.out)
        return EXIT_OK
    return _export_pdf(args.pdf, routine, library.catalogue, args.force, ctx)


def _export_pdf(target: Path, routine: Routine, catalogue, force: bool, ctx: Context) -> int:
    from stretchdesk.cli.figures_cmds import gui_app, poses_or_report

    if target.exists() and not force:
        print(
            f"stretchdesk export: {target} already exists; it was left as it is. "
            "Use --force to replace it.",
            file=ctx.err,
        )
        return EXIT_INVALID
    poses = poses_or_report(ctx)
    if poses is None:
        return EXIT_INVALID
    app = gui_app()
    from stretchdesk.ui.print_sheet import write_routine_pdf

    try:
        pages = write_routine_pdf(target, routine, catalogue, poses, overwrite=force)
    except FileExistsError:
        print(f"stretchdesk export: {target} already exists; it was left as it is.", file=ctx.err)
        return EXIT_INVALID
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"stretchdesk export: {target} could not be written ({reason}).", file=ctx.err)
        return EXIT_INVALID
    del app
    noun = "page" if pages == 1 else "pages"
    print(f"Wrote {routine.id} to {target} ({pages} {noun})", file=ctx.out)
    return EXIT_OK
