"""The command line: ``stretchdesk [COMMAND] ...``.

With no command the window opens. Each command module registers its
sub-commands; a command is a function ``(args, ctx) -> exit status``. The
command line never imports Qt unless a command needs a window or a picture,
so ``stretchdesk list`` stays quick.

Exit statuses: 0 success, 1 the input was invalid or not found, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from stretchdesk import APP_NAME, __version__
from stretchdesk.storage.paths import AppPaths

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


@dataclass
class Context:
    """What a command needs besides its arguments."""

    paths: AppPaths
    out: TextIO
    err: TextIO

    def library(self):
        from stretchdesk.library import load_library

        return load_library(self.paths)


Command = Callable[[argparse.Namespace, Context], int]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports usage errors with exit status 2 and no traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="keep settings in DIR instead of the usual place",
    )
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="keep your stretches, routines and history in DIR",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    from stretchdesk.cli import app_cmds, catalogue_cmds, figures_cmds, routine_cmds, session_cmds

    common = _common_options()
    parser = _Parser(
        prog="stretchdesk",
        description=f"{APP_NAME}: guided stretches and desk-break reminders for a kinder back. "
        "Run without a command to open the window, or with --tray to start in the "
        "system tray only (as it does at login).",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (catalogue_cmds, session_cmds, figures_cmds, app_cmds, routine_cmds):
        module.register(commands, common)
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    paths = AppPaths.resolve(getattr(args, "config_dir", None), getattr(args, "data_dir", None))
    ctx = Context(paths, sys.stdout, sys.stderr)
    func: Command | None = getattr(args, "func", None)
    if func is None:
        from stretchdesk.ui.app import run_app

        return run_app(paths, args)
    try:
        return func(args, ctx)
    except BrokenPipeError:  # e.g. `stretchdesk list | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("STRETCHDESK_DEBUG"):
            raise
        print(
            f"stretchdesk: unexpected error ({type(exc).__name__}: {exc}). "
            "Set STRETCHDESK_DEBUG=1 to see the details, and please report it.",
            file=ctx.err,
        )
        return EXIT_INTERNAL
