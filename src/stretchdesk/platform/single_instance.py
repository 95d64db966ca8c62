"""One running app per user (and per settings folder), and commands sent to it.

The running app listens on a local socket (:class:`CommandServer`); another
``stretchdesk`` process hands its command over with :func:`send_command` and
exits. On Linux and macOS the server is a Unix socket watched by a
``QSocketNotifier`` (plain :mod:`socket`, so the small tray-only process does
not load QtNetwork); on Windows it is a ``QLocalServer`` named pipe. The wire
format and the commands are in :mod:`stretchdesk.core.app_commands`.

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
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import SIGNAL, QObject, QSocketNotifier, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

import contextlib

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
    import socket

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
    import socket

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
        super().__init__(parent)
        self.address = address
        self._listener: _UnixListener | _PipeListener = (
            _PipeListener(self) if sys.platform == "win32" else _UnixListener(self)
        )
        self.destroyed.connect(self._listener.release)

    def listen(self) -> bool:
        """Start listening; False when another app already does (then send to it instead).

        A socket left behind by an app that crashed is removed and taken over.
        """
        return self._listener.listen(self.address)

    def adopt(self, descriptor: int) -> bool:
        """Listen on a socket already listening (kept open across a process switch)."""
        return self._listener.adopt(descriptor)

    def descriptor(self) -> int | None:
        """The listening socket's file descriptor, to keep across a process switch."""
        return self._listener.descriptor()

    def close(self) -> None:
        """Stop listening (the socket file goes away)."""
        self._listener.close()

    def is_listening(self) -> bool:
        return self._listener.is_listening()

    def answer(self, data: bytes) -> tuple[bytes, bool]:
        """The reply to what a client sent so far, and whether it sent a whole line.

        ``b""`` while the line is not complete yet (wait for more).
        """
        line, newline, _rest = data.partition(b"\n")
        if not newline and len(data) <= MAX_LINE_BYTES:
            return b"", False
        if newline:
            try:
                reply = self.dispatch(decode_request(line + newline))
            except CommandError as exc:
                reply = Reply(False, str(exc))
        else:
            reply = Reply(False, f"the message is longer than {MAX_LINE_BYTES} bytes")
        return encode_reply(reply), bool(newline)

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


# --- the listeners ------------------------------------------------------------------------


class _Connection:
    """One client of the Unix listener: read a line, answer, hang up."""

    def __init__(self, listener: _UnixListener, sock) -> None:
        self.listener = listener
        self.sock = sock
        self.data = b""
        self.answered = False
        sock.setblocking(False)
        self.notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, listener.server)
        self.notifier.activated.connect(self.read)
        self.timeout = QTimer(listener.server)
        self.timeout.setSingleShot(True)
        self.timeout.timeout.connect(self.drop)
        self.timeout.start(CONNECTION_TIMEOUT_MS)

    def read(self) -> None:
        while True:
            try:
                chunk = self.sock.recv(MAX_LINE_BYTES + 1)
            except BlockingIOError:
                return
            except OSError:
                self.drop()
                return
            if not chunk:  # the client hung up
                self.drop()
                return
            if self.answered:
                continue  # the rest of a line too long: read and forget, until it hangs up
            self.data += chunk
            reply, whole = self.listener.server.answer(self.data)
            if not reply:
                continue
            self.answered = True
            self._send(reply)
            if whole:
                self.drop()
                return

    def _send(self, reply: bytes) -> None:
        try:
            self.sock.setblocking(True)
            self.sock.settimeout(1.0)
            self.sock.sendall(reply)
            self.sock.setblocking(False)
        except OSError:
            self.drop()

    def drop(self) -> None:
        if self.sock is None:
            return
        self.notifier.setEnabled(False)
        self.notifier.deleteLater()
        self.timeout.stop()
        self.timeout.deleteLater()
        self.sock.close()
        self.sock = None
        self.listener.connections.discard(self)


class _UnixListener:
    """The command socket on Linux and macOS: a Unix socket and a ``QSocketNotifier``."""

    def __init__(self, server: CommandServer) -> None:
        self.server = server
        self.sock = None
        self.notifier: QSocketNotifier | None = None
        self.connections: set[_Connection] = set()
        self._bound: str | None = None

    def listen(self, address: str) -> bool:
        import socket

        _private_folder(os.path.dirname(address))
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                sock.bind(address)
            except OSError as exc:
                if not os.path.exists(address):
                    raise InstanceError(f"cannot listen at {address}: {exc}") from exc
                if is_running(address):
                    sock.close()
                    return False
                os.unlink(address)  # left behind by an app that crashed
                sock.bind(address)
            os.chmod(address, 0o600)
            sock.listen(8)
        except OSError as exc:
            sock.close()
            raise InstanceError(f"cannot listen at {address}: {exc}") from exc
        self._bound = address
        self._watch(sock)
        return True

    def adopt(self, descriptor: int) -> bool:
        import socket

        try:
            sock = socket.socket(fileno=descriptor)
        except OSError:
            return False
        if sock.family != socket.AF_UNIX:
            sock.detach()
            return False
        self._bound = sock.getsockname() or None
        self._watch(sock)
        return True

    def _watch(self, sock) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self.server)
        self.notifier.activated.connect(self._accept)

    def _accept(self) -> None:
        while self.sock is not None:
            try:
                connection, _peer = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            self.connections.add(_Connection(self, connection))

    def descriptor(self) -> int | None:
        return self.sock.fileno() if self.sock is not None else None

    def is_listening(self) -> bool:
        return self.sock is not None

    def release(self) -> None:
        """The server object is going away: close the sockets (Qt deletes the notifiers)."""
        for connection in list(self.connections):
            if connection.sock is not None:
                connection.sock.close()
                connection.sock = None
        self.connections.clear()
        self.notifier = None
        self.close()

    def close(self) -> None:
        for connection in list(self.connections):
            connection.drop()
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
            if self._bound and isinstance(self._bound, str):
                with contextlib.suppress(OSError):
                    os.unlink(self._bound)
            self._bound = None


class _PipeListener:
    """The command socket on Windows: a ``QLocalServer`` named pipe."""

    def __init__(self, server: CommandServer) -> None:
        from PySide6.QtNetwork import QLocalServer

        self.server = server
        self._server = QLocalServer(server)
        # With socket options set, Qt would bind in a temporary folder and rename;
        # a named pipe is only open to this user with this option.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self, address: str) -> bool:
        from PySide6.QtNetwork import QAbstractSocket

        if self._server.listen(address):
            return True
        if self._server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
            raise InstanceError(f"cannot listen at {address}: {self._server.errorString()}")
        return False

    def adopt(self, descriptor: int) -> bool:
        return False  # no process switch on Windows

    def release(self) -> None:
        pass  # the QLocalServer goes with its parent

    def descriptor(self) -> int | None:
        return None

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

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
        reply, whole = self.server.answer(data)
        if not reply:
            return  # wait for the rest
        del self._buffers[sock]
        sock.readyRead.disconnect()
        sock.write(reply)
        sock.flush()
        if whole:
            sock.disconnectFromServer()
        else:
            # Closing with unread data would reset the connection before the sender
            # reads the answer: drop the rest until it hangs up (or the timeout).
            sock.readyRead.connect(lambda: sock.readAll())
