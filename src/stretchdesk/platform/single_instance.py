"""One running app per user (and per settings folder), and commands sent to it.

The running app listens on a local socket (:class:`CommandServer`, a
``QLocalServer``); another ``stretchdesk`` process hands its command over with
:func:`send_command` and exits. The wire format and the commands are in
:mod:`stretchdesk.core.app_commands`.

The socket's name holds the user id, and a hash of the settings folder when it
is not the usual one, so two users never meet and tests with their own
``--config-dir`` never collide with each other or with a real running app. On
Linux and macOS it is a Unix socket in ``$XDG_RUNTIME_DIR`` (or the temporary
folder) that only the user may open; :func:`send_command` reaches it with the
plain :mod:`socket` module, so commands to a running app do not load Qt at all.
On Windows it is a named pipe, reached with ``QLocalSocket``.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import SIGNAL, QObject, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

from stretchdesk.core.app_commands import (
    MAX_LINE_BYTES,
    AppCommand,
    BreakNow,
    CommandError,
    Pause,
    RaiseWindow,
    Reply,
    Resume,
    StartRoutine,
    decode_reply,
    decode_request,
    encode_reply,
    encode_request,
)
from stretchdesk.platform.instance_address import _user_key, instance_address  # noqa: F401
from stretchdesk.storage.paths import AppPaths  # noqa: F401 - part of this module's interface

CLIENT_TIMEOUT_SECONDS = 5.0
"""How long a sender waits for the running app's answer."""

CONNECTION_TIMEOUT_MS = 2000
"""A connection that has not sent a whole request within this is dropped."""


class InstanceError(RuntimeError):
    """Another StretchDesk seems to run but did not answer properly."""


def _private_folder(path: str) -> None:
    """Make sure ``path`` exists and only this user can enter it (the socket's only guard)."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except OSError as exc:
        raise InstanceError(f"cannot make the folder {path}: {exc}") from exc
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise InstanceError(f"{path} is not private to this user; not listening there")


# --- sending ------------------------------------------------------------------------------


def _read_line(receive, limit: int = MAX_LINE_BYTES) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = receive()
        if not chunk:
            break
        data += chunk
        if len(data) > limit:
            raise InstanceError("the running app's answer is too long")
    return data


def _send_unix(address: str, request: bytes, timeout: float) -> bytes | None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except (FileNotFoundError, ConnectionRefusedError):
            return None
        except OSError as exc:  # e.g. permission denied: not ours
            raise InstanceError(f"cannot reach the running app at {address}: {exc}") from exc
        try:
            sock.sendall(request)
            return _read_line(lambda: sock.recv(MAX_LINE_BYTES))
        except OSError as exc:
            raise InstanceError(f"the running app did not answer ({exc})") from exc


def _send_qt(address: str, request: bytes, timeout: float) -> bytes | None:
    from PySide6.QtNetwork import QLocalSocket  # only on Windows; QtNetwork loads slowly

    ms = int(timeout * 1000)
    sock = QLocalSocket()
    sock.connectToServer(address)
    if not sock.waitForConnected(ms):
        return None
    sock.write(request)
    sock.waitForBytesWritten(ms)

    def receive() -> bytes:
        if sock.bytesAvailable() == 0 and not sock.waitForReadyRead(ms):
            return b""
        return bytes(sock.readAll().data())

    try:
        return _read_line(receive)
    finally:
        sock.abort()


def send_command(
    address: str, command: AppCommand, timeout: float = CLIENT_TIMEOUT_SECONDS
) -> Reply | None:
    """Hand ``command`` to the running app: its :class:`Reply`, or ``None`` when none runs.

    Raises :class:`InstanceError` when an app listens but does not answer properly.
    """
    request = encode_request(command)
    send = _send_qt if sys.platform == "win32" else _send_unix
    answer = send(address, request, timeout)
    if answer is None:
        return None
    try:
        return decode_reply(answer)
    except CommandError as exc:
        raise InstanceError(f"the running app gave an answer that makes no sense: {exc}") from exc


def is_running(address: str) -> bool:
    """True when an app listens at ``address`` (it connects and hangs up, sending nothing)."""
    if sys.platform == "win32":
        from PySide6.QtNetwork import QLocalSocket

        sock = QLocalSocket()
        sock.connectToServer(address)
        connected = sock.waitForConnected(500)
        sock.abort()
        return connected
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(address)
        except OSError:
            return False
        return True


# --- receiving ----------------------------------------------------------------------------


class CommandServer(QObject):
    """Listens for commands from other ``stretchdesk`` processes and emits them as signals.

    Signals:
        raise_requested(): another plain launch; show and raise the main window.
        start_routine_requested(str): ``stretchdesk start ROUTINE`` (the id or name as typed).
        break_now_requested(): ``stretchdesk break-now``.
        pause_requested(float): ``stretchdesk pause 30m``; seconds, by the wall clock.
        pause_until_tomorrow_requested(): ``stretchdesk pause tomorrow``.
        resume_requested(): ``stretchdesk resume``.

    A command whose signal nobody is connected to is answered with an error, so
    the sender says so instead of pretending it worked.
    """

    raise_requested = Signal()
    start_routine_requested = Signal(str)
    break_now_requested = Signal()
    pause_requested = Signal(float)
    pause_until_tomorrow_requested = Signal()
    resume_requested = Signal()

    def __init__(self, address: str, parent: QObject | None = None) -> None:
        # Imported here: the first launch starts listening after its window is on screen.
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self.address = address
        self._server = QLocalServer(self)
        if sys.platform == "win32":
            # Elsewhere the folder keeps others out: with socket options set, Qt
            # binds in a temporary folder and renames over the address, which
            # would take the socket from an app already listening there.
            self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; False when another app already does (then send to it instead).

        A socket left behind by an app that crashed is removed and taken over.
        """
        if sys.platform != "win32":
            _private_folder(os.path.dirname(self.address))
        from PySide6.QtNetwork import QAbstractSocket, QLocalServer

        if self._server.listen(self.address):
            return True
        if self._server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
            raise InstanceError(f"cannot listen at {self.address}: {self._server.errorString()}")
        if is_running(self.address):
            return False
        QLocalServer.removeServer(self.address)
        if not self._server.listen(self.address):
            raise InstanceError(f"cannot listen at {self.address}: {self._server.errorString()}")
        return True

    def close(self) -> None:
        """Stop listening (the socket file goes away)."""
        self._server.close()

    def is_listening(self) -> bool:
        return self._server.isListening()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.setReadBufferSize(MAX_LINE_BYTES + 1)
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))
            QTimer.singleShot(CONNECTION_TIMEOUT_MS, sock, sock.abort)

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _read(self, sock: QLocalSocket) -> None:
        if sock not in self._buffers:
            return
        data = self._buffers[sock] + bytes(sock.readAll().data())
        self._buffers[sock] = data
        line, newline, _rest = data.partition(b"\n")
        if not newline and len(data) <= MAX_LINE_BYTES:
            return  # wait for the rest
        if newline:
            try:
                reply = self.dispatch(decode_request(line + newline))
            except CommandError as exc:
                reply = Reply(False, str(exc))
        else:
            reply = Reply(False, f"the message is longer than {MAX_LINE_BYTES} bytes")
        del self._buffers[sock]
        sock.readyRead.disconnect()
        sock.write(encode_reply(reply))
        sock.flush()
        if newline:
            sock.disconnectFromServer()
        else:
            # Closing with unread data would reset the connection before the sender
            # reads the answer: drop the rest until it hangs up (or the timeout).
            sock.readyRead.connect(lambda: sock.readAll())

    def _listened(self, signature: str) -> bool:
        return self.receivers(SIGNAL(signature)) > 0

    def dispatch(self, command: AppCommand) -> Reply:
        """Emit the signal for ``command``; an error reply when nobody handles it."""
        match command:
            case RaiseWindow():
                signature, emit = "raise_requested()", self.raise_requested.emit
            case StartRoutine(routine):
                signature = "start_routine_requested(QString)"

                def emit() -> None:
                    self.start_routine_requested.emit(routine)

            case BreakNow():
                signature, emit = "break_now_requested()", self.break_now_requested.emit
            case Pause(seconds, True):
                signature = "pause_until_tomorrow_requested()"
                emit = self.pause_until_tomorrow_requested.emit
            case Pause(seconds, False):
                signature = "pause_requested(double)"

                def emit() -> None:
                    self.pause_requested.emit(float(seconds or 0.0))

            case Resume():
                signature, emit = "resume_requested()", self.resume_requested.emit
            case _:
                return Reply(False, f"unknown command {command!r}")
        if not self._listened(signature):
            return Reply(False, "this StretchDesk cannot do that yet (reminders are not running)")
        emit()
        return Reply(True)
