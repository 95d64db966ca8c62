"""Calling D-Bus methods, behind a function that tests replace with a fake.

Adapters never talk to QtDBus themselves: they take a :data:`BusCall`, a plain
function ``(service, path, interface, method, *args) -> list of reply values``
that raises :class:`DBusError` on any failure (no bus, no such service, an
error reply, a timeout). :func:`session_bus_call` makes the real one over the
session bus; tests pass a function that returns canned replies.

:class:`PrivateBus` is a connection of its own (libdbus through ctypes) for
adapters that receive signals or keep state per connection, such as GNOME's
idle watches.
"""

from __future__ import annotations

import ctypes
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BusCall = Callable[..., list[Any]]
"""``call(service, path, interface, method, *args)`` -> the reply's values; raises DBusError."""

DEFAULT_TIMEOUT_MS = 500
"""A desktop service that does not answer within this is taken as absent."""

PROPERTIES = "org.freedesktop.DBus.Properties"


class DBusError(RuntimeError):
    """A D-Bus call failed; ``name`` is the D-Bus error name when there was one."""

    def __init__(self, message: str, name: str = "") -> None:
        super().__init__(message)
        self.name = name


def session_bus_call(timeout_ms: int = DEFAULT_TIMEOUT_MS) -> BusCall:
    """A :data:`BusCall` over the session bus, through QtDBus.

    Needs a ``QCoreApplication`` (QtDBus warns without one); without it, or
    without a session bus, every call raises :class:`DBusError`.
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage, QDBusVariant

    def unwrap(value: Any) -> Any:
        return unwrap(value.variant()) if isinstance(value, QDBusVariant) else value

    def call(service: str, path: str, interface: str, method: str, *args: Any) -> list[Any]:
        if QCoreApplication.instance() is None:
            raise DBusError("D-Bus needs the application to be running")
        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            raise DBusError("no session bus", bus.lastError().name())
        message = QDBusMessage.createMethodCall(service, path, interface, method)
        if args:
            message.setArguments(list(args))
        reply = bus.call(message, QDBus.CallMode.Block, timeout_ms)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            raise DBusError(reply.errorMessage() or "no reply", reply.errorName())
        return [unwrap(value) for value in reply.arguments()]

    return call


def private_bus_call(timeout_ms: int = DEFAULT_TIMEOUT_MS) -> BusCall:
    """A :data:`BusCall` over a :class:`PrivateBus` (libdbus), connected at the first call.

    For what the tray-only process asks (idle time): it loads no QtDBus. The
    connection is made again when the bus went away.
    """
    bus: list[PrivateBus] = []

    def call(service: str, path: str, interface: str, method: str, *args: Any) -> list[Any]:
        if not bus or not bus[0].connected:
            if bus:
                bus[0].close()
            bus[:] = [PrivateBus.session()]
        return bus[0].call(service, path, interface, method, *args, timeout_ms=timeout_ms)

    return call


def get_property(call: BusCall, service: str, path: str, interface: str, name: str) -> Any:
    """A D-Bus property's value, through ``org.freedesktop.DBus.Properties.Get``."""
    values = call(service, path, PROPERTIES, "Get", interface, name)
    if len(values) != 1:
        raise DBusError(f"unexpected reply to Get({interface}.{name}): {values!r}")
    return values[0]


# --- a private connection through libdbus -------------------------------------------------
#
# Some adapters need what a shared QtDBus connection cannot give: watches that a service
# keeps per connection (and drops when it closes), unsigned 64-bit arguments, and signals
# read from the event loop on a socket of their own. PrivateBus is that connection, over
# the system's libdbus-1 (the library QtDBus itself loads) through ctypes: it is loaded
# only when a PrivateBus is opened, and nothing here imports Qt.

Arg = tuple[str, Any]
"""A method argument with its D-Bus type code: ``("u", 7)``, ``("t", 60_000)``, ``("s", "x")``."""

_BUS_SESSION = 0
_MESSAGE_SIGNAL = 4
_DISPATCH_DATA_REMAINS = 0


@dataclass(frozen=True, slots=True)
class BusSignal:
    """A signal that reached a :class:`PrivateBus`; ``args`` holds its basic-typed values."""

    path: str
    interface: str
    member: str
    args: tuple[Any, ...]


class _LibError(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("message", ctypes.c_char_p),
        ("dummy", ctypes.c_uint),
        ("padding", ctypes.c_void_p),
    )


_LibIter = ctypes.c_byte * 128  # DBusMessageIter: 72 bytes on 64-bit systems; room to spare

_BASIC = {
    "y": ctypes.c_uint8,
    "b": ctypes.c_uint32,
    "n": ctypes.c_int16,
    "q": ctypes.c_uint16,
    "i": ctypes.c_int32,
    "u": ctypes.c_uint32,
    "x": ctypes.c_int64,
    "t": ctypes.c_uint64,
    "d": ctypes.c_double,
}
_STRINGS = "sog"


@functools.cache
def _libdbus() -> ctypes.CDLL:
    """The system's libdbus-1 with the functions used here (and by ``notifications.py``)."""
    import ctypes.util

    void_p, char_p, c_int, c_uint = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
    err_p = ctypes.POINTER(_LibError)
    signatures = {
        "dbus_error_init": (None, [err_p]),
        "dbus_error_free": (None, [err_p]),
        "dbus_error_is_set": (c_uint, [err_p]),
        "dbus_bus_get_private": (void_p, [c_int, err_p]),
        "dbus_connection_open_private": (void_p, [char_p, err_p]),
        "dbus_bus_register": (c_uint, [void_p, err_p]),
        "dbus_bus_add_match": (None, [void_p, char_p, err_p]),
        "dbus_connection_set_exit_on_disconnect": (None, [void_p, c_uint]),
        "dbus_connection_get_unix_fd": (c_uint, [void_p, ctypes.POINTER(c_int)]),
        "dbus_connection_get_is_connected": (c_uint, [void_p]),
        "dbus_connection_get_dispatch_status": (c_int, [void_p]),
        "dbus_connection_read_write": (c_uint, [void_p, c_int]),
        "dbus_connection_pop_message": (void_p, [void_p]),
        "dbus_connection_send": (c_uint, [void_p, void_p, void_p]),
        "dbus_connection_send_with_reply_and_block": (void_p, [void_p, void_p, c_int, err_p]),
        "dbus_connection_flush": (None, [void_p]),
        "dbus_connection_close": (None, [void_p]),
        "dbus_connection_unref": (None, [void_p]),
        "dbus_message_new_method_call": (void_p, [char_p, char_p, char_p, char_p]),
        "dbus_message_set_no_reply": (None, [void_p, c_uint]),
        "dbus_message_unref": (None, [void_p]),
        "dbus_message_get_type": (c_int, [void_p]),
        "dbus_message_get_path": (char_p, [void_p]),
        "dbus_message_get_interface": (char_p, [void_p]),
        "dbus_message_get_member": (char_p, [void_p]),
        "dbus_message_iter_init": (c_uint, [void_p, void_p]),
        "dbus_message_iter_init_append": (None, [void_p, void_p]),
        "dbus_message_iter_append_basic": (c_uint, [void_p, c_int, void_p]),
        "dbus_message_iter_get_arg_type": (c_int, [void_p]),
        "dbus_message_iter_get_basic": (None, [void_p, void_p]),
        "dbus_message_iter_next": (c_uint, [void_p]),
        "dbus_message_is_signal": (c_uint, [void_p, char_p, char_p]),
        "dbus_message_iter_open_container": (c_uint, [void_p, c_int, char_p, void_p]),
        "dbus_message_iter_close_container": (c_uint, [void_p, void_p]),
    }
    failures = []
    for name in (ctypes.util.find_library("dbus-1"), "libdbus-1.so.3"):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            for function, (result, args) in signatures.items():
                handle = getattr(lib, function)
                handle.restype = result
                handle.argtypes = args
        except (OSError, AttributeError) as exc:
            failures.append(str(exc))
            continue
        return lib
    raise DBusError("the library libdbus-1 is not usable: " + ("; ".join(failures) or "absent"))


def _text(value: bytes | None) -> str:
    return (value or b"").decode("utf-8", "replace")


def _read_basic_args(lib: ctypes.CDLL, message: int) -> tuple[Any, ...]:
    """A message's arguments; containers and other types read as ``None``."""
    it = _LibIter()
    values: list[Any] = []
    if not lib.dbus_message_iter_init(message, it):
        return ()
    while True:
        code = chr(lib.dbus_message_iter_get_arg_type(it))
        if code in _BASIC:
            holder = _BASIC[code]()
            lib.dbus_message_iter_get_basic(it, ctypes.byref(holder))
            values.append(bool(holder.value) if code == "b" else holder.value)
        elif code in _STRINGS:
            text = ctypes.c_char_p()
            lib.dbus_message_iter_get_basic(it, ctypes.byref(text))
            values.append(_text(text.value))
        else:
            values.append(None)
        if not lib.dbus_message_iter_next(it):
            return tuple(values)


class PrivateBus:
    """A connection of its own to the session bus (libdbus through ctypes, no threads).

    Open it with :meth:`session`. Method calls block for at most their timeout.
    Signals (those its match rules select, and those sent to it by name) wait
    until :meth:`read`; call it when :meth:`fileno` is readable, and whenever
    :meth:`pending` says a message already waits in libdbus's queue (a blocking
    call reads whatever arrives before its reply). When the bus goes away,
    :attr:`connected` turns false.
    """

    def __init__(self, lib: ctypes.CDLL, connection: int, fd: int) -> None:
        self._lib = lib
        self._connection: int | None = connection
        self._fd = fd

    @classmethod
    def session(cls, address: str | None = None) -> PrivateBus:
        """A new private connection to the session bus; raises :class:`DBusError`.

        The bus is the one at ``address``, else at ``$DBUS_SESSION_BUS_ADDRESS``
        as it is now (libdbus itself would keep the first value it saw), else
        libdbus's default session bus.
        """
        lib = _libdbus()
        error = _LibError()
        lib.dbus_error_init(ctypes.byref(error))
        address = address or os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if address:
            connection = lib.dbus_connection_open_private(address.encode(), ctypes.byref(error))
            if connection and not lib.dbus_bus_register(connection, ctypes.byref(error)):
                lib.dbus_connection_close(connection)
                lib.dbus_connection_unref(connection)
                connection = None
        else:
            connection = lib.dbus_bus_get_private(_BUS_SESSION, ctypes.byref(error))
        if lib.dbus_error_is_set(ctypes.byref(error)) or not connection:
            message, name = _text(error.message), _text(error.name)
            lib.dbus_error_free(ctypes.byref(error))
            raise DBusError(message or "no session bus", name)
        lib.dbus_connection_set_exit_on_disconnect(connection, 0)
        fd = ctypes.c_int(-1)
        if not lib.dbus_connection_get_unix_fd(connection, ctypes.byref(fd)):
            lib.dbus_connection_close(connection)
            lib.dbus_connection_unref(connection)
            raise DBusError("the session bus connection has no socket")
        return cls(lib, connection, fd.value)

    @property
    def connected(self) -> bool:
        return self._connection is not None and bool(
            self._lib.dbus_connection_get_is_connected(self._connection)
        )

    def fileno(self) -> int:
        return self._fd

    def _open(self) -> int:
        if not self.connected:
            raise DBusError("the bus connection is closed")
        assert self._connection is not None
        return self._connection

    def add_match(self, rule: str) -> None:
        """Receive the signals ``rule`` selects (sent without waiting for the bus's reply)."""
        self._lib.dbus_bus_add_match(self._open(), rule.encode(), None)

    def _message(
        self, service: str, path: str, interface: str, method: str, args: tuple[Arg, ...]
    ) -> int:
        lib = self._lib
        message = lib.dbus_message_new_method_call(
            service.encode(), path.encode(), interface.encode(), method.encode()
        )
        if not message:
            raise MemoryError("no memory for a D-Bus message")
        it = _LibIter()
        lib.dbus_message_iter_init_append(message, it)
        for code, value in args:
            if code in _BASIC:
                holder = _BASIC[code](value)
            elif code in _STRINGS:
                holder = ctypes.c_char_p(str(value).encode("utf-8"))
            else:
                lib.dbus_message_unref(message)
                raise ValueError(f"unsupported D-Bus argument type {code!r}")
            if not lib.dbus_message_iter_append_basic(it, ord(code), ctypes.byref(holder)):
                lib.dbus_message_unref(message)
                raise MemoryError("no memory for a D-Bus argument")
        return message

    def call(
        self,
        service: str,
        path: str,
        interface: str,
        method: str,
        *args: Arg,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ) -> list[Any]:
        """Call a method and wait for its reply's values; raises :class:`DBusError`."""
        lib, connection = self._lib, self._open()
        message = self._message(service, path, interface, method, args)
        error = _LibError()
        lib.dbus_error_init(ctypes.byref(error))
        reply = lib.dbus_connection_send_with_reply_and_block(
            connection, message, timeout_ms, ctypes.byref(error)
        )
        lib.dbus_message_unref(message)
        if lib.dbus_error_is_set(ctypes.byref(error)) or not reply:
            text, name = _text(error.message), _text(error.name)
            lib.dbus_error_free(ctypes.byref(error))
            raise DBusError(text or "no reply", name)
        try:
            return list(_read_basic_args(lib, reply))
        finally:
            lib.dbus_message_unref(reply)

    def send(self, service: str, path: str, interface: str, method: str, *args: Arg) -> None:
        """Call a method without asking for a reply; raises :class:`DBusError` when closed."""
        lib, connection = self._lib, self._open()
        message = self._message(service, path, interface, method, args)
        lib.dbus_message_set_no_reply(message, 1)
        lib.dbus_connection_send(connection, message, None)
        lib.dbus_connection_flush(connection)
        lib.dbus_message_unref(message)

    def pending(self) -> bool:
        """Whether messages already wait in libdbus's queue (the socket may be quiet)."""
        return (
            self._connection is not None
            and self._lib.dbus_connection_get_dispatch_status(self._connection)
            == _DISPATCH_DATA_REMAINS
        )

    def read(self) -> list[BusSignal]:
        """The signals received since the last read; never blocks. Replies are dropped."""
        signals: list[BusSignal] = []
        if self._connection is None:
            return signals
        lib, connection = self._lib, self._connection
        lib.dbus_connection_read_write(connection, 0)
        while True:
            message = lib.dbus_connection_pop_message(connection)
            if not message:
                return signals
            try:
                if lib.dbus_message_get_type(message) == _MESSAGE_SIGNAL:
                    signals.append(
                        BusSignal(
                            path=_text(lib.dbus_message_get_path(message)),
                            interface=_text(lib.dbus_message_get_interface(message)),
                            member=_text(lib.dbus_message_get_member(message)),
                            args=_read_basic_args(lib, message),
                        )
                    )
            finally:
                lib.dbus_message_unref(message)

    def close(self) -> None:
        """Close the connection (idempotent); the service drops what it kept for it."""
        if self._connection is not None:
            self._lib.dbus_connection_close(self._connection)
            self._lib.dbus_connection_unref(self._connection)
            self._connection = None
