"""Desktop notifications with Start / Later / Skip buttons.

On Linux the reminder goes to the desktop's notification server over D-Bus
(``org.freedesktop.Notifications``: ``Notify`` with actions, the
``ActionInvoked`` and ``NotificationClosed`` signals, ``CloseNotification``
when the reminder was answered elsewhere). Elsewhere, or when no server
answers, the tray icon's own message balloon is used; it has no buttons, so
the reminder's prompt window (which always shows too) takes the answer.

Every notifier is a :class:`Notifier`; :class:`FakeNotifier` records what it
was asked to show, for tests.

Why not QtDBus for the call: PySide6 cannot pass an unsigned 32-bit number
(``Notify``'s ``replaces_id`` is ``u``) through ``QDBusMessage``, and servers
refuse the call with ``i`` in its place. So :class:`DBusNotifier` speaks to the
session bus through the system's ``libdbus-1`` (the library QtDBus itself
loads), on its own connection, read from Qt's event loop through a
:class:`~PySide6.QtCore.QSocketNotifier`: no threads, no polling.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSocketNotifier, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from stretchdesk import APP_ID, APP_NAME
from stretchdesk.platform.dbus import DBusError, _libdbus, _LibError, _LibIter

Action = tuple[str, str]
"""An action button: its key (``"start"``) and its label (``"Start"``)."""


class Notifier(QObject):
    """Shows one notification at a time.

    Signals: ``action_invoked(str)`` the user pressed an action button (its
    key); ``dismissed()`` the user closed the notification without an answer.
    """

    action_invoked = Signal(str)
    dismissed = Signal()

    name = "none"

    def show_notification(self, title: str, body: str, actions: Sequence[Action]) -> bool:
        """Show (or replace) the notification; ``False`` when it could not be shown."""
        return False

    def withdraw(self) -> None:
        """Take the notification away (the reminder was answered elsewhere)."""

    def close(self) -> None:
        """Release what the notifier holds; it shows nothing afterwards."""


@dataclass(frozen=True, slots=True)
class Shown:
    title: str
    body: str
    actions: tuple[Action, ...]


class FakeNotifier(Notifier):
    """A notifier for tests: ``shown`` lists what it showed, ``withdrawn`` counts withdrawals."""

    name = "fake"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shown: list[Shown] = []
        self.withdrawn = 0
        self.visible = False

    def show_notification(self, title: str, body: str, actions: Sequence[Action]) -> bool:
        self.shown.append(Shown(title, body, tuple(actions)))
        self.visible = True
        return True

    def withdraw(self) -> None:
        if self.visible:
            self.withdrawn += 1
        self.visible = False

    def press(self, key: str) -> None:
        """Act as if the user pressed the button ``key``."""
        self.visible = False
        self.action_invoked.emit(key)


class TrayNotifier(Notifier):
    """The tray icon's message balloon; no buttons (a click opens the prompt's choices)."""

    name = "tray"

    def __init__(self, tray: QSystemTrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray = tray

    def show_notification(self, title: str, body: str, actions: Sequence[Action]) -> bool:
        if not QSystemTrayIcon.isSystemTrayAvailable() or not self._tray.isVisible():
            return False
        self._tray.showMessage(title, body, QIcon(), 0)
        return True


# --- D-Bus through libdbus ----------------------------------------------------------------

_SERVICE = b"org.freedesktop.Notifications"
_PATH = b"/org/freedesktop/Notifications"
_INTERFACE = b"org.freedesktop.Notifications"
_BUS_SESSION = 0
_MESSAGE_ERROR = 3
_CALL_TIMEOUT_MS = 2000
_CLOSED_BY_USER = 2


def _load_libdbus() -> ctypes.CDLL | None:
    try:
        return _libdbus()
    except DBusError:
        return None


class _Message:
    """Builds a method call's arguments with libdbus's append iterators."""

    def __init__(self, lib: ctypes.CDLL, method: bytes) -> None:
        self._lib = lib
        self.handle = lib.dbus_message_new_method_call(_SERVICE, _PATH, _INTERFACE, method)
        if not self.handle:
            raise MemoryError("no memory for a D-Bus message")
        self._keep: list[object] = []  # values must live until appended
        self.root = _LibIter()
        lib.dbus_message_iter_init_append(self.handle, self.root)

    def basic(self, it: ctypes.Array, code: str, value: object) -> None:
        holder: ctypes._SimpleCData
        if code == "s":
            holder = ctypes.c_char_p(str(value).encode("utf-8"))
        elif code == "u":
            holder = ctypes.c_uint32(int(value))  # type: ignore[call-overload]
        elif code == "i":
            holder = ctypes.c_int32(int(value))  # type: ignore[call-overload]
        elif code == "y":
            holder = ctypes.c_uint8(int(value))  # type: ignore[call-overload]
        else:
            raise ValueError(code)
        self._keep.append(holder)
        self._lib.dbus_message_iter_append_basic(it, ord(code), ctypes.byref(holder))

    def open(self, it: ctypes.Array, code: str, signature: str | None) -> ctypes.Array:
        sub = _LibIter()
        self._keep.append(sub)
        sig = signature.encode() if signature is not None else None
        self._lib.dbus_message_iter_open_container(it, ord(code), sig, sub)
        return sub

    def close(self, it: ctypes.Array, sub: ctypes.Array) -> None:
        self._lib.dbus_message_iter_close_container(it, sub)


def _read_args(lib: ctypes.CDLL, message: int) -> list[object]:
    """The basic (``u``, ``s``, ``i``) arguments of a message."""
    it = _LibIter()
    values: list[object] = []
    if not lib.dbus_message_iter_init(message, it):
        return values
    while True:
        code = lib.dbus_message_iter_get_arg_type(it)
        if code == ord("u"):
            number = ctypes.c_uint32()
            lib.dbus_message_iter_get_basic(it, ctypes.byref(number))
            values.append(number.value)
        elif code == ord("i"):
            signed = ctypes.c_int32()
            lib.dbus_message_iter_get_basic(it, ctypes.byref(signed))
            values.append(signed.value)
        elif code == ord("s"):
            text = ctypes.c_char_p()
            lib.dbus_message_iter_get_basic(it, ctypes.byref(text))
            values.append((text.value or b"").decode("utf-8", "replace"))
        else:
            values.append(None)
        if not lib.dbus_message_iter_next(it):
            return values


class DBusNotifier(Notifier):
    """Notifications through ``org.freedesktop.Notifications``; see the module docstring.

    Make one with :meth:`connect`, which gives ``None`` when there is no
    session bus. ``fallback`` is used when the server does not answer.
    """

    name = "dbus"

    def __init__(
        self, lib: ctypes.CDLL, connection: int, fd: int, fallback: Notifier | None = None
    ) -> None:
        super().__init__()
        self._lib = lib
        self._connection: int | None = connection
        self._fallback = fallback
        self._current = 0  # the id the server gave our notification; 0 for none
        self._reader = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._reader.activated.connect(self._read)
        if fallback is not None:
            fallback.setParent(self)
            fallback.action_invoked.connect(self.action_invoked)
            fallback.dismissed.connect(self.dismissed)

    @classmethod
    def connect(cls, fallback: Notifier | None = None) -> DBusNotifier | None:
        """A notifier on the session bus, or ``None`` when there is none to talk to."""
        lib = _load_libdbus()
        if lib is None:
            return None
        error = _LibError()
        lib.dbus_error_init(ctypes.byref(error))
        connection = lib.dbus_bus_get_private(_BUS_SESSION, ctypes.byref(error))
        if lib.dbus_error_is_set(ctypes.byref(error)) or not connection:
            lib.dbus_error_free(ctypes.byref(error))
            return None
        lib.dbus_connection_set_exit_on_disconnect(connection, 0)
        for member in (b"ActionInvoked", b"NotificationClosed"):
            rule = b"type='signal',interface='%s',member='%s'" % (_INTERFACE, member)
            lib.dbus_bus_add_match(connection, rule, None)
        fd = ctypes.c_int(-1)
        if not lib.dbus_connection_get_unix_fd(connection, ctypes.byref(fd)):
            lib.dbus_connection_close(connection)
            lib.dbus_connection_unref(connection)
            return None
        return cls(lib, connection, fd.value, fallback)

    def show_notification(self, title: str, body: str, actions: Sequence[Action]) -> bool:
        shown = self._notify(title, body, actions)
        if shown:
            return True
        return self._fallback is not None and self._fallback.show_notification(title, body, actions)

    def withdraw(self) -> None:
        if self._current and self._connection is not None:
            message = _Message(self._lib, b"CloseNotification")
            message.basic(message.root, "u", self._current)
            self._lib.dbus_connection_send(self._connection, message.handle, None)
            self._lib.dbus_connection_flush(self._connection)
            self._lib.dbus_message_unref(message.handle)
        self._current = 0
        if self._fallback is not None:
            self._fallback.withdraw()

    def close(self) -> None:
        self.withdraw()
        self._reader.setEnabled(False)
        if self._connection is not None:
            self._lib.dbus_connection_close(self._connection)
            self._lib.dbus_connection_unref(self._connection)
            self._connection = None

    # --- helpers --------------------------------------------------------------------------

    def _notify(self, title: str, body: str, actions: Sequence[Action]) -> bool:
        if self._connection is None:
            return False
        lib = self._lib
        message = _Message(lib, b"Notify")
        root = message.root
        message.basic(root, "s", APP_NAME)
        message.basic(root, "u", self._current)  # replace the one showing, if any
        message.basic(root, "s", APP_ID)
        message.basic(root, "s", title)
        message.basic(root, "s", body)
        array = message.open(root, "a", "s")
        for key, label in actions:
            message.basic(array, "s", key)
            message.basic(array, "s", label)
        message.close(root, array)
        hints = message.open(root, "a", "{sv}")
        for key, code, value in (
            ("urgency", "y", 1),
            ("desktop-entry", "s", APP_ID),
            ("category", "s", "presence"),
        ):
            entry = message.open(hints, "e", None)
            message.basic(entry, "s", key)
            variant = message.open(entry, "v", code)
            message.basic(variant, code, value)
            message.close(entry, variant)
            message.close(hints, entry)
        message.close(root, hints)
        message.basic(root, "i", 0)  # never expires: the reminder waits for an answer
        error = _LibError()
        lib.dbus_error_init(ctypes.byref(error))
        reply = lib.dbus_connection_send_with_reply_and_block(
            self._connection, message.handle, _CALL_TIMEOUT_MS, ctypes.byref(error)
        )
        lib.dbus_message_unref(message.handle)
        if lib.dbus_error_is_set(ctypes.byref(error)) or not reply:
            lib.dbus_error_free(ctypes.byref(error))
            self._current = 0
            return False
        args = _read_args(lib, reply)
        lib.dbus_message_unref(reply)
        self._current = args[0] if args and isinstance(args[0], int) else 0
        self._read()  # signals that arrived while waiting for the reply
        return bool(self._current)

    def _read(self) -> None:
        if self._connection is None:
            return
        lib = self._lib
        lib.dbus_connection_read_write(self._connection, 0)
        while self._connection is not None:
            message = lib.dbus_connection_pop_message(self._connection)
            if not message:
                return
            try:
                self._handle(message)
            finally:
                lib.dbus_message_unref(message)

    def _handle(self, message: int) -> None:
        lib = self._lib
        if lib.dbus_message_is_signal(message, _INTERFACE, b"ActionInvoked"):
            args = _read_args(lib, message)
            if len(args) == 2 and args[0] == self._current and self._current:
                self._current = 0
                self.action_invoked.emit(str(args[1]))
        elif lib.dbus_message_is_signal(message, _INTERFACE, b"NotificationClosed"):
            args = _read_args(lib, message)
            if len(args) == 2 and args[0] == self._current and self._current:
                self._current = 0
                if args[1] == _CLOSED_BY_USER:
                    self.dismissed.emit()


def choose_notifier(tray: QSystemTrayIcon | None) -> Notifier:
    """The best notifier here: D-Bus, else the tray's messages, else none (prompt only)."""
    fallback = TrayNotifier(tray) if tray is not None else None
    notifier = DBusNotifier.connect(fallback)
    if notifier is not None:
        return notifier
    return fallback if fallback is not None else Notifier()
