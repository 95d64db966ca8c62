"""Commands for the running app: ``break-now``, ``pause``, ``resume``; and ``install-desktop``.

``break-now``, ``pause`` and ``resume`` go to the running app over its local
socket and return at once; when none runs, they start it and it carries the
command out. (``stretchdesk start ROUTINE`` and a plain ``stretchdesk`` reach a
running app the same way, from :func:`stretchdesk.ui.app.run_app`.)
"""

from __future__ import annotations

import argparse

from stretchdesk.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, Context
from stretchdesk.core.app_commands import AppCommand, BreakNow, CommandError, Resume, parse_pause


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "break-now",
        parents=[common],
        help="take a break now (tells the running app, or starts it)",
    )
    p.set_defaults(func=cmd_break_now)

    p = commands.add_parser(
        "pause",
        parents=[common],
        help="pause break reminders for a while",
        description="Pause break reminders for DURATION: e.g. 30m, 1h, 2h, 1h30m, or tomorrow "
        "(until your next working day starts, or midnight).",
    )
    p.add_argument("duration", metavar="DURATION", help="30m, 1h, 2h, 1h30m or tomorrow")
    p.set_defaults(func=cmd_pause)

    p = commands.add_parser("resume", parents=[common], help="resume paused break reminders")
    p.set_defaults(func=cmd_resume)

    p = commands.add_parser(
        "install-desktop",
        parents=[common],
        help="add StretchDesk to your desktop's app menu (or remove it)",
        description="Install the desktop entry and the icon for the current user, under "
        "$XDG_DATA_HOME (usually ~/.local/share), starting this installation of StretchDesk.",
    )
    p.add_argument("--uninstall", action="store_true", help="remove the files an install put there")
    p.set_defaults(func=cmd_install_desktop)


def deliver(ctx: Context, command: AppCommand, name: str) -> int:
    """Hand ``command`` to the running app; start the app with it when none runs."""
    from stretchdesk.platform.single_instance import InstanceError, instance_address, send_command

    try:
        reply = send_command(instance_address(ctx.paths), command)
    except InstanceError as exc:
        print(f"stretchdesk {name}: {exc}", file=ctx.err)
        return EXIT_INVALID
    if reply is None:
        from stretchdesk.ui.app import run_app

        return run_app(ctx.paths, command=command)
    if not reply.ok:
        print(f"stretchdesk {name}: {reply.error}", file=ctx.err)
        return EXIT_INVALID
    return EXIT_OK


def cmd_break_now(args: argparse.Namespace, ctx: Context) -> int:
    return deliver(ctx, BreakNow(), "break-now")


def cmd_pause(args: argparse.Namespace, ctx: Context) -> int:
    try:
        command = parse_pause(args.duration)
    except CommandError as exc:
        print(f"stretchdesk pause: {exc}", file=ctx.err)
        return EXIT_USAGE
    return deliver(ctx, command, "pause")


def cmd_resume(args: argparse.Namespace, ctx: Context) -> int:
    return deliver(ctx, Resume(), "resume")


def cmd_install_desktop(args: argparse.Namespace, ctx: Context) -> int:
    from stretchdesk.platform.desktop_entry import (
        DesktopFiles,
        data_home,
        install_desktop_files,
        launcher_command,
        uninstall_desktop_files,
    )

    files = DesktopFiles.under(data_home())
    try:
        if args.uninstall:
            outcome = uninstall_desktop_files(files)
            verb = "removed"
        else:
            outcome = install_desktop_files(files, launcher_command())
            verb = "installed"
    except OSError as exc:
        print(f"stretchdesk install-desktop: {exc}", file=ctx.err)
        return EXIT_INVALID
    for path in outcome.done:
        print(f"{verb} {path}", file=ctx.out)
    for note in outcome.left:
        print(f"stretchdesk install-desktop: {note}", file=ctx.err)
    if not outcome.done and not outcome.left:
        print("nothing to remove" if args.uninstall else "nothing installed", file=ctx.out)
    return EXIT_INVALID if outcome.left else EXIT_OK
