"""Calling D-Bus methods, behind a function that tests replace with a fake.

Adapters never talk to QtDBus themselves: they take a :data:`BusCall`, a plain
function ``(service, path, interface, method, *args) -> list of reply values``
that raises :class:`DBusError` on any failure (no bus, no such service, an
error reply, a timeout). :func:`session_bus_call` makes the real one over the
session bus; tests pass a function that returns canned replies.
"""

from __future__ import annotations

from collections.abc import Callable
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


def get_property(call: BusCall, service: str, path: str, interface: str, name: str) -> Any:
    """A D-Bus property's value, through ``org.freedesktop.DBus.Properties.Get``."""
    values = call(service, path, PROPERTIES, "Get", interface, name)
    if len(values) != 1:
        raise DBusError(f"unexpected reply to Get({interface}.{name}): {values!r}")
    return values[0]
