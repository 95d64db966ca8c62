"""Catalogue commands: ``list``, ``show``, ``check`` and ``paths``."""

from __future__ import annotations

import argparse
import difflib
import json
import textwrap
from pathlib import Path

from stretchdesk.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, Context
from stretchdesk.core.export import format_duration, stretch_to_json
from stretchdesk.core.model import POSITIONS, Catalogue, Kind, Level, Sides, Stretch
from stretchdesk.core.query import StretchQuery


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "list",
        parents=[common],
        help="list the stretches, optionally filtered",
        description="List the stretches of the catalogue. Filters of different kinds combine; "
        "repeat a filter to allow several values.",
    )
    p.add_argument("--area", action="append", default=[], help="body area, e.g. lower-back")
    p.add_argument("--kind", action="append", default=[], choices=[k.value for k in Kind])
    p.add_argument("--level", action="append", default=[], choices=[lv.value for lv in Level])
    p.add_argument("--position", action="append", default=[], choices=list(POSITIONS))
    p.add_argument("--desk", action="store_true", help="only stretches you can do at a desk")
    p.add_argument("--flare-safe", action="store_true", help="only the gentlest stretches")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_list)

    p = commands.add_parser("show", parents=[common], help="show one stretch in full")
    p.add_argument("id", metavar="ID", help="the stretch's id (see `stretchdesk list`)")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=cmd_show)

    p = commands.add_parser(
        "check",
        parents=[common],
        help="check stretch or routine files for mistakes",
        description="Check YAML files. Exit status 0 when all are valid, 1 when any has a "
        "problem; each problem is printed as FILE:LINE:COLUMN: field: message.",
    )
    p.add_argument("files", metavar="FILE", nargs="+", type=Path)
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("paths", parents=[common], help="show where StretchDesk keeps files")
    p.set_defaults(func=cmd_paths)


def _report_library_problems(ctx: Context, library) -> None:
    for problem in library.problems:
        print(f"warning: {problem}", file=ctx.err)
    for notice in library.notices:
        print(f"note: {notice}", file=ctx.err)


def _unknown_areas(catalogue: Catalogue, areas: list[str]) -> list[str]:
    known = [a.id for a in catalogue.areas]
    messages = []
    for area in areas:
        if area not in known:
            close = difflib.get_close_matches(area, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            messages.append(f"unknown body area '{area}'{hint} Known: {', '.join(known)}")
    return messages


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    library = ctx.library()
    _report_library_problems(ctx, library)
    catalogue = library.catalogue
    bad = _unknown_areas(catalogue, args.area)
    if bad:
        for message in bad:
            print(f"stretchdesk list: {message}", file=ctx.err)
        return EXIT_USAGE
    query = StretchQuery(
        areas=frozenset(args.area),
        kinds=frozenset(Kind(k) for k in args.kind),
        levels=frozenset(Level(lv) for lv in args.level),
        positions=frozenset(args.position),
        desk_friendly=args.desk,
        flare_safe=args.flare_safe,
    )
    found = query.filter(catalogue.stretches)
    if args.json:
        json.dump([stretch_to_json(s) for s in found], ctx.out, indent=2, ensure_ascii=False)
        ctx.out.write("\n")
        return EXIT_OK
    if not found:
        print("No stretch matches those filters.", file=ctx.out)
        return EXIT_OK
    id_width = max(len(s.id) for s in found)
    name_width = max(len(s.name) for s in found)
    for s in found:
        flags = ("desk " if s.desk_friendly else "") + ("gentle" if s.flare_safe else "")
        print(
            f"{s.id:<{id_width}}  {s.name:<{name_width}}  {format_duration(s.duration_seconds):>10}"
            f"  {s.kind.value:<9}  {', '.join(s.areas)}"
            + (f"  [{flags.strip()}]" if flags else ""),
            file=ctx.out,
        )
    print(f"\n{len(found)} of {len(catalogue)} stretches", file=ctx.out)
    return EXIT_OK


def _dose(stretch: Stretch) -> str:
    if stretch.hold_seconds is not None:
        work = f"hold {format_duration(stretch.hold_seconds)}"
    else:
        work = f"{stretch.reps} reps of {format_duration(stretch.rep_seconds)}"
    sides = {
        Sides.NONE: "",
        Sides.EACH: ", each side",
        Sides.ALTERNATING: " on each side, alternating",
    }[stretch.sides]
    sets = f", {stretch.sets} sets" if stretch.sets > 1 else ""
    return f"{work}{sides}{sets}"


def describe(stretch: Stretch, catalogue: Catalogue) -> str:
    """The plain-text page for ``stretchdesk show``."""
    area_names = [(catalogue.area(a).name if catalogue.area(a) else a) for a in stretch.areas]
    lines = [stretch.name, "=" * len(stretch.name), stretch.summary, ""]
    lines.append(f"Works:      {', '.join(area_names)}")
    lines.append(
        f"Kind:       {stretch.kind.value}, {stretch.level.value}; {', '.join(stretch.positions)}"
    )
    lines.append(f"Dose:       {_dose(stretch)}  ({format_duration(stretch.duration_seconds)})")
    if stretch.equipment or stretch.optional_equipment:
        need = ", ".join(stretch.equipment) or "nothing"
        extra = f" (helpful: {', '.join(stretch.optional_equipment)})"
        lines.append(f"You need:   {need}" + (extra if stretch.optional_equipment else ""))
    good_for = [
        label
        for flag, label in (
            (stretch.desk_friendly, "at a desk"),
            (stretch.flare_safe, "on a flare-up day"),
        )
        if flag
    ]
    if good_for:
        lines.append(f"Good for:   {', '.join(good_for)}")
    lines += ["", "Steps:"]
    for number, step in enumerate(stretch.steps, 1):
        marker = "*" if number - 1 == stretch.hold_step and stretch.hold_seconds else " "
        body = textwrap.fill(step.text, 74, initial_indent="", subsequent_indent=" " * 6)
        lines.append(f" {marker}{number:>2}. {body}")
    for title, items in (("Tips", stretch.tips), ("Take care", stretch.cautions)):
        if items:
            lines += ["", f"{title}:"]
            lines += [
                textwrap.fill(t, 78, initial_indent="  - ", subsequent_indent="    ") for t in items
            ]
    for advice_id in stretch.advice:
        advice = catalogue.advice_by_id(advice_id)
        if advice:
            lines += ["", textwrap.fill(f"{advice.title}: {advice.text}", 78)]
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    library = ctx.library()
    _report_library_problems(ctx, library)
    catalogue = library.catalogue
    stretch = catalogue.get(args.id)
    if stretch is None:
        ids = [s.id for s in catalogue.stretches]
        close = difflib.get_close_matches(args.id, ids, n=3)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        print(f"stretchdesk show: no stretch with the id '{args.id}'.{hint}", file=ctx.err)
        return EXIT_INVALID
    if args.json:
        json.dump(stretch_to_json(stretch), ctx.out, indent=2, ensure_ascii=False)
        ctx.out.write("\n")
    else:
        print(describe(stretch, catalogue), file=ctx.out)
    return EXIT_OK


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk.core.loader import check_files
    from stretchdesk.library import builtin_catalogue_file

    builtin = builtin_catalogue_file()
    documents = _read_documents(args.files)
    pose_files = [path for path in args.files if _is_pose_file(documents.get(path))]
    problems = check_files(
        [path for path in args.files if path not in pose_files],
        builtin,
        ctx.paths.user_stretches_dir,
    )
    pose_problems, hints = _pose_problems(documents, pose_files, builtin)
    order = {str(name): k for k, name in enumerate(args.files)}
    problems = sorted(
        [*problems, *pose_problems], key=lambda p: (order.get(p.file, len(order)), p.line)
    )
    for problem in problems:
        print(problem, file=ctx.err)
    for hint in hints:
        print(f"note: {hint}", file=ctx.err)
    if problems:
        files = len({p.file for p in problems})
        print(
            f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} "
            f"file{'s' * (files != 1)}",
            file=ctx.err,
        )
        return EXIT_INVALID
    count = len(args.files)
    print(f"{count} file{'s' * (count != 1)} OK", file=ctx.out)
    return EXIT_OK


def _read_documents(files: list[Path]) -> dict[Path, object]:
    """The files that read as YAML; the others are reported by ``check_files``."""
    from stretchdesk.core.yamlsafe import YamlInputError, read_yaml

    documents: dict[Path, object] = {}
    for path in files:
        try:
            documents[path] = read_yaml(path, str(path))
        except (YamlInputError, OSError):
            continue
    return documents


def _is_pose_file(document: object) -> bool:
    return isinstance(document, dict) and "poses" in document and "stretches" not in document


def _pose_problems(
    documents: dict[Path, object], pose_files: list[Path], builtin: Path
) -> tuple[list, list]:
    """Problems in pose files, and in the poses stretch steps name.

    A pose file gets the full pose validation (unknown joints, angles out of
    range, floating or sinking figures). A step naming an unknown pose is a
    problem; a step naming none is one in the built-in catalogue and a note
    (returned second) in a user's file.
    """
    from stretchdesk.figures.checks import check_pose_document, step_pose_problems
    from stretchdesk.figures.library import default_poses_path, read_poses

    pose_ids: list[str] | None = None
    problems, hints = [], []
    for path, document in documents.items():
        if path in pose_files:
            problems += check_pose_document(document, str(path), None)
            continue
        if not isinstance(document, dict) or "stretches" not in document:
            continue
        if pose_ids is None:
            library, _ = read_poses(default_poses_path(), check_geometry=False)
            pose_ids = [p.id for p in library]
        unknown, unposed = step_pose_problems(document, str(path), pose_ids)
        problems += unknown
        if _same_file(path, builtin):
            problems += unposed
        else:
            hints += unposed
    return problems, hints


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def cmd_paths(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk import resources

    rows = [
        ("settings", ctx.paths.settings_file),
        ("your stretches", ctx.paths.user_stretches_dir),
        ("your routines", ctx.paths.user_routines_dir),
        ("history", ctx.paths.history_db),
        ("built-in data", resources.data_dir()),
    ]
    for label, path in rows:
        print(f"{label + ':':<16}{path}", file=ctx.out)
    return EXIT_OK
