"""``python -m stretchdesk`` and the ``stretchdesk`` command."""

from __future__ import annotations

import sys

_DIR_OPTIONS = ("--config-dir", "--data-dir", "--handover")


def _window_only(argv: list[str]) -> dict[str, str] | None:
    """The folders when the arguments only open the window; None for anything else.

    A plain ``stretchdesk`` is the start that must be quickest, so it skips
    building the command-line parser (and importing every command). The app
    also restarts itself this way with ``--handover FILE`` (see
    ``platform/handover.py``).
    """
    folders: dict[str, str] = {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--tray":
            folders["tray"] = "yes"
            continue
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

        paths = AppPaths.resolve(folders.get("config_dir"), folders.get("data_dir"))
        if "handover" in folders:
            return _resume(paths, folders["handover"])
        from stretchdesk.ui.app import run_app

        return run_app(paths, show_window="tray" not in folders)
    from stretchdesk.cli import main as cli_main

    return cli_main(args)


def _resume(paths, handover_file: str) -> int:
    """Carry on as the process that handed over: the tray-only resident, or the full app."""
    from pathlib import Path

    from stretchdesk.platform.handover import (
        RESIDENT,
        HandoverError,
        listen_fd_from_environment,
        read_handover,
    )

    kept = listen_fd_from_environment()
    try:
        data = read_handover(Path(handover_file))
    except HandoverError as exc:
        print(f"stretchdesk: {exc}; starting afresh", file=sys.stderr)
        data = {"mode": "full", "action": "open", "listen_fd": kept}
    if data.get("mode") == RESIDENT:
        from stretchdesk.ui.resident import run_resident

        return run_resident(paths, data)
    from stretchdesk.ui.app import run_app

    return run_app(paths, handover=data)


if __name__ == "__main__":
    sys.exit(main())
