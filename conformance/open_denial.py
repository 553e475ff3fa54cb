"""Deny every open of chosen files, root's included, for as long as a trio task answers.

Why: SPEC.md FMT-3.5.h's ``unreadable`` needs a file that exists but cannot be read, and
root (CI, containers) reads a file of mode 000. Linux's fanotify permission events
(fanotify(7)) let a process with CAP_SYS_ADMIN answer each open of a marked file before
it happens: :class:`OpenDenial` answers FAN_DENY, so the opener's ``open`` fails with
EPERM whoever it is, while ``stat`` and ``lstat`` still work: a regular file of known
size that cannot be read. Python has no binding, so this calls libc through ctypes.

The marks are inode marks (only the chosen files, whatever path or process opens them),
and the fanotify descriptor is the one resource: closing it removes the marks and lets
any open still waiting through, so nothing stays blocked once the harness exits. The
process that serves must never open a denied file itself: its open would wait for its
own answer.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import trio

FAN_CLOEXEC = 0x01
FAN_NONBLOCK = 0x02
FAN_CLASS_CONTENT = 0x04
FAN_MARK_ADD = 0x01
FAN_OPEN_PERM = 0x0001_0000
FAN_ALLOW = 0x01
FAN_DENY = 0x02
AT_FDCWD = -100
"""The constants of <linux/fanotify.h> and <fcntl.h> this module uses."""
METADATA = struct.Struct("=IBBHQii")
"""struct fanotify_event_metadata: event_len, vers, reserved, metadata_len, mask, fd, pid."""
RESPONSE = struct.Struct("=iI")
"""struct fanotify_response: the event's fd, FAN_ALLOW or FAN_DENY."""
READ_SIZE = 4096
"""Bytes read from the fanotify descriptor at once: 170 events of 24 bytes."""
UNAVAILABLE = frozenset({errno.EPERM, errno.EINVAL, errno.ENOSYS})
"""Errors of fanotify_init that mean "not here": no CAP_SYS_ADMIN (EPERM), a kernel without
permission events (EINVAL), or without fanotify at all (ENOSYS)."""


@dataclass(frozen=True)
class OpenEvent:
    """One permission event: the opened file (a descriptor the kernel opened for us, which
    must be closed) and the process that opens it."""

    fd: int
    """The file's descriptor, or a negative number (FAN_NOFD: a queue overflow, nothing to
    answer)."""
    pid: int
    mask: int


def parse_events(data: bytes) -> Iterator[OpenEvent]:
    """The events in DATA, one read of a fanotify descriptor (each ``event_len`` bytes long)."""
    offset = 0
    while offset + METADATA.size <= len(data):
        length, _version, _reserved, _size, mask, fd, pid = METADATA.unpack_from(data, offset)
        if length < METADATA.size:
            raise OSError(errno.EIO, f"fanotify event of {length} bytes")
        yield OpenEvent(fd=fd, pid=pid, mask=mask)
        offset += length


@functools.cache
def _libc() -> Any:
    """libc with fanotify_init and fanotify_mark typed (fanotify_mark's mask is a u64);
    OSError(ENOSYS) off Linux or in a libc without them."""
    if sys.platform != "linux":
        raise OSError(errno.ENOSYS, "fanotify is Linux's")
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        libc.fanotify_init.argtypes = [ctypes.c_uint, ctypes.c_uint]
        libc.fanotify_mark.argtypes = [
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint64,
            ctypes.c_int,
            ctypes.c_char_p,
        ]
    except AttributeError:
        raise OSError(errno.ENOSYS, "this libc has no fanotify") from None
    return libc


def _fanotify_init() -> int:
    """A new fanotify descriptor for permission events (non-blocking, close-on-exec)."""
    flags = FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK
    fd = int(_libc().fanotify_init(flags, os.O_RDONLY | os.O_CLOEXEC))
    if fd < 0:
        number = ctypes.get_errno()
        raise OSError(number, f"fanotify_init: {os.strerror(number)}")
    return fd


class OpenDenial:
    """Denies every open of the files given to :meth:`deny` while :meth:`serve` runs (an
    open made while it does not waits, until it does or the denial closes). A context
    manager: leaving it closes the descriptor, and with it every mark."""

    def __init__(self) -> None:
        """Raises OSError where :meth:`available` is False."""
        self._fd = _fanotify_init()
        self._denied: set[tuple[int, int]] = set()
        self.denied = 0
        """How many opens were denied so far."""

    @staticmethod
    def available() -> bool:
        """Whether this process can deny opens: Linux, CAP_SYS_ADMIN, and a kernel with
        fanotify permission events (CONFIG_FANOTIFY_ACCESS_PERMISSIONS)."""
        try:
            fd = _fanotify_init()
        except OSError as error:
            if error.errno in UNAVAILABLE:
                return False
            raise
        os.close(fd)
        return True

    def fileno(self) -> int:
        """The fanotify descriptor: readable when an open waits for an answer."""
        return self._fd

    def deny(self, path: str | os.PathLike[str]) -> None:
        """Deny every open of the file at PATH (followed if a symlink) from now on."""
        status = os.stat(path)
        result = _libc().fanotify_mark(
            self._fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, os.fsencode(path)
        )
        if result != 0:
            number = ctypes.get_errno()
            raise OSError(number, f"fanotify_mark: {os.strerror(number)}", str(path))
        self._denied.add((status.st_dev, status.st_ino))

    async def serve(self) -> None:
        """Answer the opens of the denied files until cancelled: FAN_DENY for them, FAN_ALLOW
        for anything else (inode marks bring no other event; allowed to be safe)."""
        while True:
            await trio.lowlevel.wait_readable(self._fd)
            self.answer_pending()

    def answer_pending(self) -> int:
        """Answer the events queued now, without waiting; how many were answered."""
        try:
            data = os.read(self._fd, READ_SIZE)
        except BlockingIOError:
            return 0
        answered = 0
        for event in parse_events(data):
            if event.fd < 0:
                continue
            try:
                status = os.fstat(event.fd)
                deny = (status.st_dev, status.st_ino) in self._denied
                os.write(self._fd, RESPONSE.pack(event.fd, FAN_DENY if deny else FAN_ALLOW))
            finally:
                os.close(event.fd)
            if deny:
                self.denied += 1
            answered += 1
        return answered

    def close(self) -> None:
        """Close the descriptor: the marks go, and an open still waiting is let through.
        Cancel :meth:`serve` first (a waiter left is woken with ClosedResourceError)."""
        if self._fd < 0:
            return
        with contextlib.suppress(RuntimeError):  # outside trio.run nothing can wait on it
            trio.lowlevel.notify_closing(self._fd)
        os.close(self._fd)
        self._fd = -1

    def __enter__(self) -> OpenDenial:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
