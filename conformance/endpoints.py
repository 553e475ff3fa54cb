"""Endpoints that collide with nothing: not within a run, not across xdist workers, not
with another harness running at the same time.

Each case gets an :class:`Endpoints`: a short private folder under /tmp for its ipc
sockets (a unix socket path must stay under ~100 bytes) and TCP ports on 127.0.0.1.
A port comes from this xdist worker's slice of a range below the Linux ephemeral
ports, is claimed with a lock file that other processes respect, and is checked
free by binding it. Implementations that hard-code their endpoints cannot be given
others, so :func:`fixed_endpoint_lock` runs the cases that use them one at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import re
import secrets
import shutil
import socket
import tempfile
import threading
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from types import TracebackType

import trio

from conformance.deadlines import FIXED_ENDPOINT_LOCK_TIMEOUT, LOCK_POLL
from conformance.endpoint import Endpoint
from conformance.errors import HarnessError

PORTS = range(20000, 32768)
"""TCP ports the harness picks from: below Linux's ephemeral range (32768-60999)."""
PORT_LOCK_DIR = Path("/tmp/zmq-conformance-ports")
FIXED_LOCK_DIR = Path("/tmp/zmq-conformance-locks")
MAX_IPC_PATH = 100
"""Bytes of an ipc socket path, with room to spare below sun_path's 108."""
IPC_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")

_cursors: dict[range, int] = {}
"""Per port range, where this process looks next: ports are not reused within a run."""
_cursor_lock = threading.Lock()
_live_directories: set[Path] = set()


def worker_ports(ports: range = PORTS, environ: Mapping[str, str] = os.environ) -> range:
    """This xdist worker's slice of PORTS (all of them outside xdist).

    Worker ``gwN`` of ``PYTEST_XDIST_WORKER_COUNT`` takes the N-th of that many
    equal, disjoint slices.
    """
    worker = environ.get("PYTEST_XDIST_WORKER", "")
    match = re.fullmatch(r"gw(\d+)", worker)
    if match is None:
        return ports
    index = int(match[1])
    count = max(int(environ.get("PYTEST_XDIST_WORKER_COUNT", "0") or 0), index + 1)
    size = len(ports) // count
    return ports[index * size : (index + 1) * size]


TMPDIR_VARIABLE = "CONFORMANCE_TMPDIR"


def case_parent() -> str:
    """Where the per-case folders go: ``$CONFORMANCE_TMPDIR``, else /tmp.

    Not the user's TMPDIR: unix socket paths must stay under about 100 bytes.
    """
    return os.environ.get(TMPDIR_VARIABLE) or "/tmp"


class Endpoints:
    """The endpoints of one case; a context manager that removes its folder on exit.

    Every call returns a new endpoint. Ports stay claimed until :meth:`close`.
    """

    def __init__(self, *, ports: range | None = None) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="zc-", dir=case_parent()))
        """The case's private folder: its ipc sockets and any other per-case files."""
        _live_directories.add(self.directory)
        self._ports = worker_ports() if ports is None else ports
        self._port_locks: list[int] = []
        self._ipc_names: set[str] = set()
        self._closed = False

    def __enter__(self) -> Endpoints:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Remove the folder with everything in it, and release the ports."""
        if self._closed:
            return
        self._closed = True
        shutil.rmtree(self.directory, ignore_errors=True)
        _live_directories.discard(self.directory)
        for fd in self._port_locks:
            os.close(fd)  # closing the file releases its lock
        self._port_locks.clear()

    def ipc(self, name: str) -> str:
        """A new ``ipc://`` endpoint in the case's folder, named after NAME."""
        self._check_open()
        if not IPC_NAME.fullmatch(name):
            raise HarnessError(f"bad ipc endpoint name {name!r}: use up to 32 of [A-Za-z0-9_.-]")
        stem, number = name, 1
        while stem in self._ipc_names:
            number += 1
            stem = f"{name}-{number}"
        self._ipc_names.add(stem)
        path = self.directory / f"{stem}.ipc"
        if len(os.fsencode(path)) >= MAX_IPC_PATH:
            raise HarnessError(f"ipc path {path} is too long for a unix socket")
        return f"ipc://{path}"

    def tcp(self) -> str:
        """A new ``tcp://127.0.0.1:PORT`` endpoint, its port free and claimed."""
        self._check_open()
        return f"tcp://127.0.0.1:{self._claim_port()}"

    def endpoint(self, transport: str, name: str) -> str:
        """A new endpoint of TRANSPORT ("tcp" or "ipc"); NAME names an ipc socket."""
        if transport == "tcp":
            return self.tcp()
        if transport == "ipc":
            return self.ipc(name)
        raise HarnessError(f"unknown transport {transport!r}: expected 'tcp' or 'ipc'")

    def _check_open(self) -> None:
        if self._closed:
            raise HarnessError("these endpoints were closed already")

    def _claim_port(self) -> int:
        ports = self._ports
        with _cursor_lock:
            # A random start keeps concurrent runs of the same worker id apart.
            first = _cursors.setdefault(ports, secrets.randbelow(len(ports)))
            for step in range(len(ports)):
                index = (first + step) % len(ports)
                port = ports[index]
                fd = _try_lock(PORT_LOCK_DIR / f"{port}.lock")
                if fd is None:
                    continue
                if not _is_free(port):
                    os.close(fd)
                    continue
                _cursors[ports] = (index + 1) % len(ports)
                self._port_locks.append(fd)
                return port
        raise HarnessError(
            f"no free TCP port in {ports.start}..{ports.stop - 1}: all are taken or claimed"
        )


def _is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:PORT (TIME_WAIT does not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _open_lock(path: Path) -> int:
    path.parent.mkdir(mode=0o777, parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)


def _try_lock(path: Path) -> int | None:
    """An open descriptor holding PATH's exclusive lock, or None if somebody holds it."""
    fd = _open_lock(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.asynccontextmanager
async def fixed_endpoint_lock(
    endpoints: Iterable[str], *, timeout: float = FIXED_ENDPOINT_LOCK_TIMEOUT
) -> AsyncIterator[None]:
    """Hold a cross-process lock on each of ENDPOINTS, so that cases using them never overlap.

    Locks are taken in sorted order (no deadlock) by polling a non-blocking flock,
    so the trio thread never blocks; raises :class:`HarnessError` after TIMEOUT.
    """
    keyed = sorted({Endpoint.parse(endpoint).lock_key: endpoint for endpoint in endpoints}.items())
    deadline = trio.current_time() + timeout
    held: list[int] = []
    try:
        for key, endpoint in keyed:
            path = FIXED_LOCK_DIR / f"{key}.lock"
            held.append(await _acquire(path, endpoint, deadline, timeout))
        yield
    finally:
        for fd in held:
            os.close(fd)


async def _acquire(path: Path, endpoint: str, deadline: float, timeout: float) -> int:
    fd = _open_lock(path)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if trio.current_time() >= deadline:
                    raise HarnessError(
                        f"waited {timeout:g} s for the lock on {endpoint} ({path}) in vain: "
                        "another case that uses this fixed endpoint is still running"
                    ) from None
                await trio.sleep(LOCK_POLL)
            else:
                return fd
    except BaseException:
        os.close(fd)
        raise


def _remove_live_directories() -> None:
    """The last resort for folders whose case never reached its ``with`` exit."""
    for directory in list(_live_directories):
        shutil.rmtree(directory, ignore_errors=True)


atexit.register(_remove_live_directories)
os.register_at_fork(after_in_child=_live_directories.clear)  # a forked child owns none
