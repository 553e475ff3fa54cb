"""The servers of a campaign as processes: start, read their lines, measure, stop for good.

A :class:`Server` is one ``python -m reference.<module>`` in a session (and so a
process group) of its own; its stdout is read without blocking (the campaign
polls its fd with its sockets), its stderr drained by a thread, and a pidfd
tells when it exits. :meth:`Server.stop` sends SIGTERM, then SIGKILL to the
whole group, and waits until nothing of it is left. The /proc readers
measure what the campaigns compare: RSS, open fds, children, group members.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from conformance import procfs
from conformance.checks.messages import WORKER_EXITED, WORKER_ONLINE

REPO = Path(__file__).resolve().parents[1]
ALLOCATOR = {"MALLOC_MMAP_THRESHOLD_": "131072"}
"""glibc's malloc for the servers: blocks of 128 KiB and more are mmap'd and returned
at once when freed. By default glibc raises that threshold after the first big free, and
then keeps big message buffers in its arenas: RSS ratchets up to the largest messages
seen, which is not a leak but would pass for one in the campaigns' RSS comparison."""
STDERR_KEPT = 64 * 1024
"""Bytes of a server's stderr kept for the report (the last ones)."""


class ServerError(RuntimeError):
    """A server did not start, or did not do what the campaign waited for."""


class Server:
    """``python -m reference.MODULE ARGS`` in CWD, in a new session."""

    def __init__(self, name: str, module: str, args: list[str], cwd: Path) -> None:
        self.name = name
        self.argv = [sys.executable, "-m", f"reference.{module}", *args]
        environment = dict(os.environ, **ALLOCATOR)
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO), environment.get("PYTHONPATH")])
        )
        self.process = subprocess.Popen(
            self.argv,
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.pid = self.process.pid
        assert self.process.stdout is not None and self.process.stderr is not None
        self.stdout_fd = self.process.stdout.fileno()
        os.set_blocking(self.stdout_fd, False)
        self.pidfd = os.pidfd_open(self.pid)
        self.lines: list[str] = []
        self._buffer = b""
        self.eof = False
        self._stderr = bytearray()
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()

    def __repr__(self) -> str:
        return f"<{self.name} pid {self.pid}>"

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        descriptor = self.process.stderr.fileno()
        with contextlib.suppress(ValueError, OSError):
            for chunk in iter(lambda: os.read(descriptor, 65536), b""):
                self._stderr += chunk
                del self._stderr[:-STDERR_KEPT]

    @property
    def stderr(self) -> str:
        return bytes(self._stderr).decode("utf-8", "backslashreplace")

    def exited(self) -> bool:
        return self.process.poll() is not None

    def pump(self) -> list[str]:
        """The stdout lines that have come since the last call (never blocks)."""
        while not self.eof:
            try:
                chunk = os.read(self.stdout_fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                self.eof = True
            self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\n")
        new = [line.decode("utf-8", "backslashreplace") for line in complete]
        self.lines += new
        return new

    def wait_for_line(self, pattern: str, timeout: float) -> str:
        """Read stdout until a line matches PATTERN (from its start); that line."""
        deadline = time.monotonic() + timeout
        checked = 0
        while True:
            self.pump()
            for line in self.lines[checked:]:
                if re.match(pattern, line):
                    return line
            checked = len(self.lines)
            remaining = deadline - time.monotonic()
            if self.eof or remaining <= 0:
                raise ServerError(
                    f"{self}: no line matching {pattern!r} "
                    f"({'stdout closed' if self.eof else f'within {timeout:g} s'}); "
                    f"stdout {self.lines[-5:]!r}, stderr {self.stderr[-2000:]!r}"
                )
            select.select([self.stdout_fd], [], [], remaining)

    def stop(self, grace: float = 5.0) -> list[str]:
        """End the server and its whole group; the problems seen on the way (it ignored
        SIGTERM, exited with an error, left processes of its group)."""
        problems = []
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            try:
                code = self.process.wait(grace)
                if code != 0:
                    problems.append(f"{self} exited with {code} on SIGTERM")
            except subprocess.TimeoutExpired:
                problems.append(f"{self} was still running {grace:g} s after SIGTERM")
        stragglers = wait_gone(group_members(self.pid), grace)
        if stragglers:
            problems.append(f"{self} left processes {stragglers} of its group running")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait()
        wait_gone(group_members(self.pid), grace)
        os.close(self.pidfd)
        assert self.process.stdout is not None and self.process.stderr is not None
        self.process.stdout.close()
        self._stderr_thread.join(grace)
        self.process.stderr.close()
        return problems

    def kill_group(self) -> None:
        """SIGKILL everything of the server at once: the end after a Ctrl-C."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            self.process.wait()


@dataclass
class WorkerLog:
    """The cluster master's account of its workers, from its stdout lines (SPEC.md CLUSTER-1/3)."""

    online: list[int] = field(default_factory=list)
    exited: dict[int, int] = field(default_factory=dict)

    def read(self, lines: Iterable[str]) -> list[int]:
        """Take in new lines; the pids reported exited among them."""
        gone = []
        for line in lines:
            if match := WORKER_ONLINE.match(line):
                self.online.append(int(match["pid"]))
            elif match := WORKER_EXITED.match(line):
                pid = int(match["pid"])
                self.exited[pid] = int(match["code"]) if match["code"] != "null" else 0
                gone.append(pid)
        return gone

    def live(self) -> list[int]:
        """Workers announced online and not reported exited."""
        return [pid for pid in self.online if pid not in self.exited]


class WorkerPids(Collection[int]):
    """The pids that may answer for the cluster: every worker its master announced, and
    any child of the master (a replacement can answer a moment before the master's
    online line is read)."""

    def __init__(self, log: WorkerLog, master: int) -> None:
        self.log = log
        self.master = master

    def __contains__(self, pid: object) -> bool:
        return pid in self.log.online or (isinstance(pid, int) and parent_of(pid) == self.master)

    def __iter__(self) -> Iterator[int]:
        return iter(self.log.online)

    def __len__(self) -> int:
        return max(1, len(self.log.online))


def free_tcp_endpoint() -> str:
    """A loopback TCP endpoint on a port that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


# --------------------------------------------------------------------------- /proc


alive = procfs.alive
group_members = procfs.group_members


def parent_of(pid: int) -> int | None:
    info = procfs.process_info(pid)
    return None if info is None else info.ppid


def children(pid: int) -> list[int]:
    """The live child processes of PID."""
    return sorted(child for child in procfs.children_of(pid) if alive(child))


def rss_kib(pid: int) -> int | None:
    """VmRSS of PID in KiB (None if it is gone)."""
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def fd_count(pid: int) -> int | None:
    """How many file descriptors PID has open (None if it is gone)."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError):
        return None


def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """Wait until every pid in PIDS has exited (a pidfd each); those still alive after TIMEOUT."""
    deadline = time.monotonic() + timeout
    descriptors: dict[int, int] = {}
    try:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                descriptors[os.pidfd_open(pid)] = pid
        pending = dict(descriptors)
        while pending and (remaining := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select(list(pending), [], [], remaining)
            for descriptor in ready:
                del pending[descriptor]
        return sorted(pid for pid in pending.values() if alive(pid))
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


def settle(measure: Callable[[], int | None], target: int, timeout: float) -> int | None:
    """MEASURE until it is at most TARGET or TIMEOUT passes; the last value.

    For counts that drop a moment after the cause is gone (a closed peer's fd
    in a libzmq I/O thread): the wait ends as soon as the count is back.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = measure()
        if value is None or value <= target or time.monotonic() >= deadline:
            return value
        time.sleep(0.05)
