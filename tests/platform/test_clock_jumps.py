"""Hearing of a wall-clock jump at once: the timerfd, faked and real."""

from __future__ import annotations

import ctypes
import os

import pytest

from stretchdesk.platform.clock_jumps import (
    CLOCK_REALTIME,
    ClockJumpWatch,
    TimerFd,
    open_clock_jump_watch,
)


class FakeTimerFd(TimerFd):
    """A pipe in place of the timer: writing to it is the clock jumping."""

    def __init__(self, fail_read: bool = False) -> None:
        self.armed = 0
        self.closed: list[int] = []
        self.fail_read = fail_read
        self.writer = -1

    def create(self) -> int:
        reader, self.writer = os.pipe()
        os.set_blocking(reader, False)
        return reader

    def arm(self, fd: int) -> None:
        self.armed += 1

    def read(self, fd: int) -> bool:
        if self.fail_read:
            raise OSError("broken")
        try:
            return bool(os.read(fd, 64))
        except BlockingIOError:
            return False

    def close(self, fd: int) -> None:
        self.closed.append(fd)
        os.close(fd)
        os.close(self.writer)

    def jump(self) -> None:
        os.write(self.writer, b"x")


def test_a_jump_calls_back_and_the_timer_is_set_again(qtbot) -> None:
    jumps = []
    timerfd = FakeTimerFd()
    watch = ClockJumpWatch(lambda: jumps.append(1), timerfd)
    try:
        assert timerfd.armed == 1
        qtbot.wait(50)
        assert jumps == []
        timerfd.jump()
        qtbot.waitUntil(lambda: jumps == [1], timeout=2000)
        assert timerfd.armed == 2
        timerfd.jump()
        qtbot.waitUntil(lambda: jumps == [1, 1], timeout=2000)
    finally:
        watch.close()
    watch.close()  # idempotent
    assert len(timerfd.closed) == 1


def test_a_broken_timer_is_closed_without_a_call(qtbot) -> None:
    jumps = []
    timerfd = FakeTimerFd(fail_read=True)
    watch = ClockJumpWatch(lambda: jumps.append(1), timerfd)
    timerfd.jump()
    qtbot.waitUntil(lambda: watch.fd is None, timeout=2000)
    assert jumps == [] and len(timerfd.closed) == 1


def test_only_linux_has_it() -> None:
    assert open_clock_jump_watch(lambda: None, platform="darwin") is None
    assert open_clock_jump_watch(lambda: None, platform="win32") is None


def test_setting_the_clock_is_heard_at_once(qtbot) -> None:
    """The real kernel timer: setting the wall clock (to what it shows) cancels it.

    Waking from suspend goes the same way in the kernel (``timerfd_resume``).
    """
    jumps = []
    watch = open_clock_jump_watch(lambda: jumps.append(1))
    assert watch is not None
    try:
        qtbot.wait(50)
        assert jumps == []
        libc = ctypes.CDLL("libc.so.6", use_errno=True)

        class Timespec(ctypes.Structure):
            _fields_ = (("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long))

        now = Timespec()
        assert libc.clock_gettime(CLOCK_REALTIME, ctypes.byref(now)) == 0
        if libc.clock_settime(CLOCK_REALTIME, ctypes.byref(now)) != 0:
            pytest.fail(f"setting the clock was refused: {os.strerror(ctypes.get_errno())}")
        qtbot.waitUntil(lambda: jumps == [1], timeout=2000)
        qtbot.wait(50)
        assert jumps == [1]  # set again, quiet again
    finally:
        watch.close()
