"""The tray-only resident process: the break clock and the tray icon, nothing more.

When the window has been closed into the tray for a while and nothing is on
screen, the full app hands itself over to this small process
(``platform/handover.py``): same process id, same tray menu, same command
socket, the break scheduler carried over exactly. It loads no catalogue, no
window, no figures and no sound, so it stays close to the size of a bare Qt
tray app while it waits.

Everything the user can do from the tray that needs more than the clock hands
back to the full app, which then does it at once: Open StretchDesk, Settings,
Start routine, Take a break now, and a reminder coming due (the full app shows
the prompt and the notification). Pausing and resuming stay here, and so do
natural breaks (time away from the desk), which go into the history; where
the desktop has idle watches, they tell the clock when the user leaves and
comes back (``ui/break_clock.py``). A second ``stretchdesk`` launch is served
the same way: ``pause``/``resume`` here, anything else by the full app.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from stretchdesk import APP_NAME
from stretchdesk.core.scheduler import (
    BreakRecord,
    Event,
    Instant,
    ReminderDue,
    SchedulerConfig,
    SnapshotError,
    config_data,
    config_from_data,
    scheduler_snapshot,
)
from stretchdesk.platform import handover
from stretchdesk.storage.paths import AppPaths
from stretchdesk.ui.break_clock import BreakClock, IdleSource, local_zone


@dataclass(frozen=True, slots=True)
class MenuRoutine:
    """A routine as the tray menu lists it."""

    id: str
    name: str
    users: bool = False


def resident_handover(
    config: SchedulerConfig,
    scheduler: object,
    routines: list[MenuRoutine],
    listen_fd: int | None,
    *,
    dark: bool = False,
    icon_sheet: str | None = None,
) -> dict[str, object]:
    """What the resident process needs (see :func:`run_resident`), ready for the file.

    ``icon_sheet`` is the PNG of every tray icon the full app drew for it
    (``ui/tray.py``), for a panel that is ``dark`` or not.
    """
    return {
        "mode": handover.RESIDENT,
        "config": config_data(config),
        "scheduler": scheduler,
        "routines": [[r.id, r.name, r.users] for r in routines],
        "listen_fd": listen_fd,
        "dark": dark,
        "icon_sheet": icon_sheet,
    }


def _sheet_icons(path: object):
    """The tray icons on the sheet at ``path``; ``None`` (draw them) when it will not do."""
    from PySide6.QtGui import QImage

    from stretchdesk.ui.tray import icons_from_sheet

    if not isinstance(path, str) or not path:
        return None
    return icons_from_sheet(QImage(path))


def _menu_routines(value: object) -> list[MenuRoutine]:
    routines = []
    for entry in value if isinstance(value, list) else ():
        if (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], str)
            and isinstance(entry[2], bool)
        ):
            routines.append(MenuRoutine(entry[0], entry[1][:200], entry[2]))
    return routines


class ResidentClock(BreakClock):
    """The break clock of the resident process: a reminder due hands over to the full app."""

    def __init__(
        self,
        config: SchedulerConfig,
        paths: AppPaths,
        restore: object,
        *,
        idle: IdleSource | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(config, idle=idle, restore=restore, parent=parent)
        self.paths = paths
        self.full_requested = None  # set by the app: called with the first thing to do

    def take_break_now(self) -> None:
        self._request("break-now")

    def handle_events(self, events: list[Event], now: Instant) -> None:
        records = [e for e in events if isinstance(e, BreakRecord)]
        if records:
            self._record(records)
        super().handle_events(events, now)
        if any(isinstance(e, ReminderDue) for e in events):
            self._request("reminder")

    def _request(self, action: object) -> None:
        if self.full_requested is not None:
            self.full_requested(action)

    def _record(self, records: list[BreakRecord]) -> None:
        """Natural breaks (and the like) go into the history, as the full app keeps it."""
        from stretchdesk.storage.history import History  # only when there is one to write

        try:
            history = History.open(self.paths.history_db)
        except Exception as exc:  # the history is a record, never a reason to stop
            print(f"stretchdesk: cannot write the history: {exc}", file=sys.stderr)
            return
        try:
            for record in records:
                history.add_reminder(record, None)
        finally:
            history.close()


class ResidentApp(QObject):
    """The tray icon, the clock and the command socket of the resident process."""

    def __init__(self, paths: AppPaths, data: dict[str, object], listen_fd: int | None) -> None:
        super().__init__()
        from stretchdesk.platform.instance_address import instance_address
        from stretchdesk.platform.single_instance import CommandServer, InstanceError
        from stretchdesk.ui.tray import Tray

        self.paths = paths
        self.address = instance_address(paths)
        config = config_from_data(data.get("config"), local_zone())
        self.clock = ResidentClock(config, paths, data.get("scheduler"), idle=_idle(), parent=self)
        self.clock.full_requested = self.hand_to_full
        routines = tuple(_menu_routines(data.get("routines")))
        dark = data.get("dark")
        self.tray = Tray(
            self.clock,
            routines,
            lambda r: getattr(r, "users", False),
            self,
            dark=dark if isinstance(dark, bool) else None,
            icons=_sheet_icons(data.get("icon_sheet")),
        )
        self.tray.open_requested.connect(lambda: self.hand_to_full("open"))
        self.tray.settings_requested.connect(lambda: self.hand_to_full("settings"))
        self.tray.routine_requested.connect(lambda rid: self.hand_to_full({"routine": rid}))
        self.tray.quit_requested.connect(self.quit)
        self.clock.notice_posted.connect(lambda text: self.tray.show_message(APP_NAME, text))
        self.server = CommandServer(self.address, self)
        server = self.server
        server.raise_requested.connect(lambda: self.hand_to_full("open"))
        server.start_routine_requested.connect(lambda q: self.hand_to_full({"start": q}))
        server.break_now_requested.connect(lambda: self.hand_to_full("break-now"))
        server.pause_requested.connect(self.clock.pause)
        server.pause_until_tomorrow_requested.connect(self.clock.pause_until_tomorrow)
        server.resume_requested.connect(self.clock.resume)
        try:
            if listen_fd is None or not server.adopt(listen_fd):
                server.listen()
        except InstanceError as exc:
            print(f"stretchdesk: {exc}", file=sys.stderr)
        self._switching = False

    def start(self) -> bool:
        """Show the icon and catch up; ``False`` when there is no tray (use the full app)."""
        if not self.tray.show():
            return False
        self.clock.wake()
        return True

    def hand_to_full(self, action: object) -> None:
        """Replace this process with the full app, which then does ``action``."""
        if self._switching:
            return
        self._switching = True
        # Let the click or the command's answer leave first.
        QTimer.singleShot(0, lambda: self._switch(action))

    def _switch(self, action: object) -> None:
        self.clock.stop()
        data = {
            "mode": handover.FULL,
            "action": action,
            "scheduler": scheduler_snapshot(self.clock.scheduler),
            "listen_fd": self.server.descriptor(),
        }
        try:
            argv = handover.prepare(self.address, self.paths, data)
            handover.switch(argv, self.server.descriptor())
        except OSError as exc:  # the full app cannot start: stay, and say so
            print(f"stretchdesk: cannot open the full app: {exc}", file=sys.stderr)
            self.tray.show_message(APP_NAME, f"{APP_NAME} could not open its window ({exc}).")
            self._switching = False
            self.clock.wake()

    def quit(self) -> None:
        self.clock.stop()
        self.tray.hide()
        self.server.close()
        QApplication.quit()


def _idle() -> IdleSource | None:
    try:
        from stretchdesk.platform.idle import choose_idle_monitor

        return choose_idle_monitor()
    except Exception:  # without idle time, breaks are timed by the clock
        return None


def run_resident(paths: AppPaths, data: dict[str, object]) -> int:
    """Run the resident process from a handover; falls back to the full app if it cannot."""
    from stretchdesk.ui.application import create_application

    listen_fd = handover.inherited_socket(data.get("listen_fd"))
    app = create_application()
    app.setQuitOnLastWindowClosed(False)
    try:
        resident = ResidentApp(paths, data, listen_fd)
    except SnapshotError as exc:
        print(f"stretchdesk: the handover could not be used ({exc})", file=sys.stderr)
        return _full_instead(paths, listen_fd)
    if not resident.start():
        resident.hand_to_full(None)
    return app.exec()


def _full_instead(paths: AppPaths, listen_fd: int | None) -> int:
    from stretchdesk.ui.app import run_app

    return run_app(paths, handover={"mode": handover.FULL, "listen_fd": listen_fd})
