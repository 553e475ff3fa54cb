"""Process lifecycle shared by every role: clean shutdown on SIGINT/SIGTERM.

A role installs :func:`raise_on_shutdown_signals` first thing; SIGINT and SIGTERM
then raise :class:`Shutdown` in the main thread (pyzmq's blocking calls and
``zmq.proxy`` let handler exceptions through). The role closes its sockets in a
``finally`` and :func:`remove_ipc_files` deletes the ipc files it bound, so that
a stopped server leaves nothing behind and exits 0 (SPEC.md LIFE-1).
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from types import FrameType

SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Shutdown(BaseException):
    """Raised in the main thread when SIGINT or SIGTERM arrives.

    A BaseException, like KeyboardInterrupt, so that a role's own ``except
    Exception`` (e.g. around a request) never swallows a shutdown.
    """


def _raise_shutdown(signum: int, frame: FrameType | None) -> None:
    raise Shutdown(signal.Signals(signum).name)


def raise_on_shutdown_signals() -> None:
    """Make SIGINT and SIGTERM raise :class:`Shutdown` in the main thread."""
    for signum in SHUTDOWN_SIGNALS:
        signal.signal(signum, _raise_shutdown)


def ignore_shutdown_signals() -> None:
    """Ignore further SIGINT/SIGTERM, so that a second signal cannot cut cleanup short."""
    for signum in SHUTDOWN_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


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
