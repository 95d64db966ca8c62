"""Hearing at once when the wall clock jumps: the machine woke from sleep, or the clock was set.

The break clock (``ui/break_clock.py``) notices a sleep or a clock change from
the gap between the wall clock and the monotonic clock, but only when it next
wakes up; with idle watches that can be many minutes after the machine woke.
On Linux a ``timerfd`` on the wall clock with ``TFD_TIMER_CANCEL_ON_SET``
becomes readable the moment the clock is set, and the kernel (5.13 and later)
treats waking from suspend the same way. :class:`ClockJumpWatch` keeps one
such timer (set to expire in the far future, so it never fires for its own
sake) and calls back from Qt's event loop when it is cancelled.

Elsewhere (and on a kernel without timerfds) :func:`open_clock_jump_watch`
returns ``None`` and the gap is noticed at the next wake-up, as before.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from collections.abc import Callable

CLOCK_REALTIME = 0
TFD_NONBLOCK = 0o4000
TFD_CLOEXEC = 0o2000000
TFD_TIMER_ABSTIME = 1
TFD_TIMER_CANCEL_ON_SET = 2
FAR_FUTURE = 2**40
"""Seconds since 1970 the timer is set to: tens of thousands of years away."""


class _Timespec(ctypes.Structure):
    _fields_ = (("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long))


class _Itimerspec(ctypes.Structure):
    _fields_ = (("it_interval", _Timespec), ("it_value", _Timespec))


class TimerFd:
    """The three calls this needs, through the C library (a fake replaces it in tests)."""

    def __init__(self) -> None:
        self._libc = ctypes.CDLL("libc.so.6", use_errno=True)

    def create(self) -> int:
        fd = self._libc.timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "timerfd_create failed")
        return fd

    def arm(self, fd: int) -> None:
        spec = _Itimerspec(_Timespec(0, 0), _Timespec(FAR_FUTURE, 0))
        flags = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET
        if self._libc.timerfd_settime(fd, flags, ctypes.byref(spec), None) != 0:
            raise OSError(ctypes.get_errno(), "timerfd_settime failed")

    def read(self, fd: int) -> bool:
        """``True`` when the clock jumped (the read was cancelled); ``False`` otherwise."""
        try:
            os.read(fd, 8)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno == errno.ECANCELED:
                return True
            raise
        return True  # expired, which it never should: treat it as a jump and re-arm

    def close(self, fd: int) -> None:
        os.close(fd)


class ClockJumpWatch:
    """Calls ``on_jump`` (from the event loop) each time the wall clock jumps."""

    def __init__(self, on_jump: Callable[[], None], timerfd: TimerFd | None = None) -> None:
        from PySide6.QtCore import QSocketNotifier

        self._on_jump = on_jump
        self._timerfd = timerfd or TimerFd()
        self.fd: int | None = self._timerfd.create()
        try:
            self._timerfd.arm(self.fd)
        except OSError:
            self._timerfd.close(self.fd)
            self.fd = None
            raise
        self._notifier = QSocketNotifier(self.fd, QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._readable)

    def _readable(self) -> None:
        fd = self.fd
        if fd is None:
            return
        try:
            jumped = self._timerfd.read(fd)
            if jumped:
                self._timerfd.arm(fd)  # cancelled timers stay cancelled until set again
        except OSError:
            self.close()  # the timer broke: the gap is noticed at the next wake-up instead
            return
        if jumped:
            self._on_jump()

    def close(self) -> None:
        """Stop watching (idempotent)."""
        fd, self.fd = self.fd, None
        if fd is None:
            return
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        self._timerfd.close(fd)


def open_clock_jump_watch(
    on_jump: Callable[[], None], platform: str | None = None
) -> ClockJumpWatch | None:
    """A watch for clock jumps where the system has one (Linux), else ``None``."""
    if not (platform or sys.platform).startswith("linux"):
        return None
    try:
        return ClockJumpWatch(on_jump)
    except (OSError, AttributeError):  # no timerfd here: the gap is noticed later instead
        return None
