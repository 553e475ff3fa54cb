"""Process lifecycle shared by every role: clean shutdown on SIGINT/SIGTERM.

A role installs :func:`raise_on_shutdown_signals` first thing; SIGINT and SIGTERM
then raise :class:`Shutdown` in the main thread (pyzmq's blocking calls and
``zmq.proxy`` let handler exceptions through). The role closes its sockets in a
``finally`` and :func:`remove_ipc_files` deletes the ipc files it bound, so that
a stopped server leaves nothing behind and exits 0 (SPEC.md LIFE-2).

A blocking call can miss a signal that arrives just before it blocks: Python
runs its handler only between bytecodes, and the call then waits on, since
nothing interrupts it. So the roles never block for ever in ``recv`` or ``pause``:
they wait with :class:`Waiter` or :func:`wait_for_signal`, which also watch the
fd that Python writes every signal to (``signal.set_wakeup_fd``), or, where a
poll per message would cost (the filer), block in ``recv`` with a receive
timeout of SIGNAL_CHECK_MS, after which Python runs the handler.
"""

from __future__ import annotations

import contextlib
import select
import signal
import socket
import sys
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from typing import NoReturn

import zmq

SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)
SIGNAL_CHECK_MS = 100
"""The longest a blocking receive waits before Python looks at signals again."""
_wakeup: tuple[socket.socket, socket.socket] | None = None
"""The reading and writing ends of the signal wakeup socket pair, once installed."""


class Shutdown(BaseException):
    """Raised in the main thread when SIGINT or SIGTERM arrives.

    A BaseException, like KeyboardInterrupt, so that a role's own ``except
    Exception`` (e.g. around a request) never swallows a shutdown.
    """


def _raise_shutdown(signum: int, frame: FrameType | None) -> None:
    raise Shutdown(signal.Signals(signum).name)


def raise_on_shutdown_signals() -> None:
    """Make SIGINT and SIGTERM raise :class:`Shutdown` in the main thread."""
    global _wakeup
    for signum in SHUTDOWN_SIGNALS:
        signal.signal(signum, _raise_shutdown)
    if _wakeup is None:
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        _wakeup = (reader, writer)


def _drain_wakeup() -> None:
    if _wakeup is not None:
        with contextlib.suppress(BlockingIOError):
            while _wakeup[0].recv(4096):
                pass


class Waiter:
    """Waits until a socket has a message, or raises Shutdown if a shutdown signal comes,
    even one that came just before the wait began."""

    def __init__(self, sock: zmq.Socket[bytes]) -> None:
        self._socket = sock
        self._poller = zmq.Poller()
        self._poller.register(sock, zmq.POLLIN)
        if _wakeup is not None:
            self._poller.register(_wakeup[0].fileno(), zmq.POLLIN)

    def wait(self, timeout_ms: int | None = None) -> bool:
        """True once the socket is readable; False after TIMEOUT_MS (None: no timeout)."""
        events = dict(self._poller.poll(timeout_ms))
        while self._socket not in events:
            if not events:
                return False
            _drain_wakeup()  # a signal came: its handler runs now, at the latest
            events = dict(self._poller.poll(timeout_ms))
        return True


def wait_for_signal() -> None:
    """Block until a signal that has a Python handler arrives, or has arrived since the
    last call; a shutdown signal raises Shutdown."""
    assert _wakeup is not None, "raise_on_shutdown_signals() first"
    select.select([_wakeup[0]], [], [])
    _drain_wakeup()


def wait_for_shutdown() -> NoReturn:
    """Block until a shutdown signal raises Shutdown."""
    while True:
        wait_for_signal()


def ignore_shutdown_signals() -> None:
    """Ignore further SIGINT/SIGTERM, so that a second signal cannot cut cleanup short."""
    for signum in SHUTDOWN_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def shut_down(context: zmq.Context[zmq.Socket[bytes]], bound: Iterable[str] = ()) -> None:
    """The end of every role: no more signals, every socket closed, its ipc files gone."""
    ignore_shutdown_signals()
    context.destroy(linger=0)
    remove_ipc_files(bound)


def ipc_path(endpoint: str) -> Path | None:
    """The filesystem path of an ``ipc://`` endpoint, or None for other transports."""
    prefix = "ipc://"
    if not endpoint.startswith(prefix):
        return None
    path = endpoint[len(prefix) :]
    if not path or path.startswith("@"):  # abstract namespace: no file
        return None
    return Path(path)


def remove_ipc_files(endpoints: Iterable[str]) -> None:
    """Delete the socket files of the ipc endpoints this process bound.

    libzmq unlinks them when a bound socket closes cleanly; this also covers a
    close that did not get that far.
    """
    for endpoint in endpoints:
        path = ipc_path(endpoint)
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def say(line: str) -> None:
    """Print one transcript line to stdout and flush it at once.

    Harnesses read these lines from a pipe, where stdout is block buffered.
    """
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
