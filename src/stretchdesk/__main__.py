"""``python -m stretchdesk`` and the ``stretchdesk`` command."""

from __future__ import annotations

import sys

_DIR_OPTIONS = ("--config-dir", "--data-dir")


def _window_only(argv: list[str]) -> dict[str, str] | None:
    """The folders when the arguments only open the window; None for anything else.

    A plain ``stretchdesk`` is the start that must be quickest, so it skips
    building the command-line parser (and importing every command).
    """
    folders: dict[str, str] = {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, eq, value = arg.partition("=")
        if name not in _DIR_OPTIONS:
            return None
        if not eq:
            if not args or args[0].startswith("-"):
                return None
            value = args.pop(0)
        if not value:
            return None
        folders[name[2:].replace("-", "_")] = value
    return folders


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folders = _window_only(args)
    if folders is not None:
        from stretchdesk.storage.paths import AppPaths
        from stretchdesk.ui.app import run_app

        return run_app(AppPaths.resolve(folders.get("config_dir"), folders.get("data_dir")))
    from stretchdesk.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
