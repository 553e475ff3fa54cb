"""Start reference roles as real processes and stop them without leaving anything behind.

A :class:`Role` is one ``python -m reference.<module>`` process in a session of
its own (so that its process group holds it and every child it starts). Its
stdout is read line by line with a deadline (a selector on the pipe, never a
sleep); its stderr is drained by a thread so that the child can never block on
a full pipe, and is shown when something goes wrong.

A :class:`Sandbox` is what one test starts: roles, short ipc endpoints, free
loopback ports and harness sockets. :meth:`Sandbox.close` stops everything and
returns what it found left behind, for the fixture to assert on.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import zmq

from conformance import procfs
from conformance.endpoints import Endpoints
from reference.parent import PARENT_PID_VARIABLE

REPO = Path(__file__).resolve().parents[2]
DEADLINE = 10.0
"""Seconds that any one awaited event (a line, a reply, an exit) may take before the test fails."""
GRACE = 5.0
"""Seconds a role has to exit after SIGTERM in teardown before its group gets SIGKILL."""


class RoleError(AssertionError):
    """A role did not do what the test waited for; the message carries its output."""


# --------------------------------------------------------------------------- processes


alive = procfs.alive
group_members = procfs.group_members


def parent_of(pid: int) -> int | None:
    info = procfs.process_info(pid)
    return None if info is None else info.ppid


def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """Wait until every pid in PIDS has exited; return those still alive after TIMEOUT.

    Uses a pidfd per process (readable once it exits, child or not), so that the
    wait is for an event; falls back to polling where pidfds are missing.
    """
    deadline = time.monotonic() + timeout
    descriptors: dict[int, int] = {}
    try:
        for pid in pids:
            try:
                descriptors[os.pidfd_open(pid)] = pid
            except ProcessLookupError:
                continue
        pending = dict(descriptors)
        while pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            ready, _, _ = select.select(list(pending), [], [], remaining)
            for descriptor in ready:
                del pending[descriptor]
        return sorted(pid for pid in pending.values() if alive(pid))
    except (AttributeError, OSError):  # no pidfd_open: poll instead
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        return sorted(pid for pid in pids if alive(pid))
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


class Role:
    """One reference role running as ``python -m reference.<module> ARGS``."""

    def __init__(self, module: str, args: list[str], cwd: Path) -> None:
        self.module = module
        self.argv = [sys.executable, "-m", f"reference.{module}", *args]
        environment = dict(os.environ)
        environment.pop(PARENT_PID_VARIABLE, None)
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
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self._stdout = self.process.stdout
        self._stdout_fd = self._stdout.fileno()
        os.set_blocking(self._stdout_fd, False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._stdout_fd, selectors.EVENT_READ)
        self._buffer = b""
        self._eof = False
        self.lines: list[str] = []
        """Every stdout line read so far, in order."""
        self._stderr = bytearray()
        self._stderr_thread = threading.Thread(
            target=self._drain_stderr, name=f"stderr-{self.pid}", daemon=True
        )
        self._stderr_thread.start()

    def __repr__(self) -> str:
        return f"<{self.module} pid {self.pid}>"

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        descriptor = self.process.stderr.fileno()
        with contextlib.suppress(ValueError, OSError):
            for chunk in iter(lambda: os.read(descriptor, 65536), b""):
                self._stderr += chunk

    @property
    def stderr(self) -> str:
        return bytes(self._stderr).decode("utf-8", "backslashreplace")

    def describe(self) -> str:
        """What the role has said so far, for failure messages."""
        return (
            f"\n  command: {' '.join(self.argv)}\n  exit: {self.process.poll()}"
            f"\n  stdout: {self.lines!r} + {self._buffer!r}\n  stderr: {self.stderr!r}"
        )

    # ----------------------------------------------------------------- stdout

    def readline(self, timeout: float = DEADLINE) -> str:
        """The next stdout line (without its newline); RoleError after TIMEOUT or at EOF."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            if self._eof:
                raise RoleError(f"{self}: stdout ended before a full line{self.describe()}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RoleError(f"{self}: no stdout line within {timeout} s{self.describe()}")
            if self._selector.select(remaining):
                chunk = os.read(self._stdout_fd, 65536)
                if chunk:
                    self._buffer += chunk
                else:
                    self._eof = True
        line, _, self._buffer = self._buffer.partition(b"\n")
        text = line.decode("utf-8", "backslashreplace")
        self.lines.append(text)
        return text

    def expect(self, pattern: str, timeout: float = DEADLINE) -> re.Match[str]:
        """Read lines until one matches PATTERN in full; the match. Skipped lines stay in .lines."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.readline(max(0.0, deadline - time.monotonic()))
            except RoleError as error:
                raise RoleError(f"waiting for a line matching {pattern!r}: {error}") from None
            match = re.fullmatch(pattern, line)
            if match:
                return match

    def read_rest(self, timeout: float = DEADLINE) -> list[str]:
        """The stdout lines up to EOF (the role has exited or closed stdout)."""
        rest = []
        while True:
            try:
                rest.append(self.readline(timeout))
            except RoleError:
                if self._eof and not self._buffer:
                    return rest
                raise

    # ----------------------------------------------------------------- exit

    def wait(self, timeout: float = DEADLINE) -> int:
        """The exit status; RoleError if it has not exited after TIMEOUT."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise RoleError(f"{self}: still running after {timeout} s{self.describe()}") from None

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def stop(self) -> list[str]:
        """Stop the role and its process group for good; the problems found on the way.

        SIGTERM goes to the role alone, since it is the role's job to end its own
        children; whatever of its group outlives it is reported, then everything
        in the group gets SIGKILL.
        """
        problems = []
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(GRACE)
            except subprocess.TimeoutExpired:
                problems.append(f"{self} ignored SIGTERM for {GRACE} s{self.describe()}")
        stragglers = wait_gone(group_members(self.pid), GRACE)
        if stragglers:
            problems.append(f"{self} left processes {stragglers} of its group running")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait()
        still = wait_gone(group_members(self.pid), GRACE)
        if still:
            problems.append(f"processes {still} of {self}'s group survived SIGKILL")
        self._selector.close()
        self._stdout.close()
        self._stderr_thread.join(GRACE)  # ends at EOF, once every writer has exited
        if self.process.stderr is not None:
            self.process.stderr.close()
        return problems


# --------------------------------------------------------------------------- endpoints


def ipc_file(endpoint: str) -> Path:
    assert endpoint.startswith("ipc://"), endpoint
    return Path(endpoint.removeprefix("ipc://"))


# --------------------------------------------------------------------------- sandbox


class Sandbox:
    """Everything one test starts, and the check that nothing of it is left."""

    def __init__(self, ipc_dir: Path, cwd: Path) -> None:
        self.ipc_dir = ipc_dir
        self.cwd = cwd
        self.roles: list[Role] = []
        self.pids: set[int] = set()
        """More processes the test learned of (cluster workers) that must be gone at the end."""
        self.context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
        self._sockets: list[zmq.Socket[bytes]] = []
        self._bound_files: list[Path] = []
        """The ipc files of the harness's own binds: libzmq leaves them when the socket closes."""
        self._names = 0
        self._ports = Endpoints()

    # ----------------------------------------------------------------- endpoints

    def tcp(self) -> str:
        """A loopback endpoint on a port claimed as the harness claims its own (locked, so
        that tests running beside a conformance run never share a port with it)."""
        return self._ports.tcp()

    def ipc(self, name: str | None = None) -> str:
        """An ipc endpoint in the sandbox's short temporary directory."""
        if name is None:
            self._names += 1
            name = f"s{self._names}.ipc"
        path = self.ipc_dir / name
        assert len(str(path).encode()) < 100, f"unix socket path too long: {path}"
        return f"ipc://{path}"

    def endpoint(self, transport: str) -> str:
        return self.tcp() if transport == "tcp" else self.ipc()

    # ----------------------------------------------------------------- roles

    def start(
        self, module: str, *args: str, ready: str | None = None, cwd: Path | None = None
    ) -> Role:
        """Start ``python -m reference.MODULE ARGS``; with READY, wait for that line
        (a regular expression matched in full) before returning."""
        role = Role(module, list(args), cwd or self.cwd)
        self.roles.append(role)
        if ready is not None:
            role.expect(ready)
        return role

    # ----------------------------------------------------------------- harness sockets

    def socket(
        self,
        kind: int,
        *,
        bind: str | None = None,
        connect: str | None = None,
        context: zmq.Context[zmq.Socket[bytes]] | None = None,
        managed: bool = True,
        **options: Any,
    ) -> zmq.Socket[bytes]:
        """A harness socket with timeouts on every send and receive (DEADLINE).

        A managed socket is closed in teardown; one made for another thread, or on
        another CONTEXT, is the caller's to close.
        """
        sock = (context or self.context).socket(kind)
        if managed and context is None:
            self._sockets.append(sock)
        sock.linger = 0
        sock.rcvtimeo = sock.sndtimeo = int(DEADLINE * 1000)
        for name, value in options.items():
            sock.setsockopt(getattr(zmq, name.upper()), value)
        if bind is not None:
            sock.bind(bind)
            if bind.startswith("ipc://"):
                self._bound_files.append(ipc_file(bind))
        if connect is not None:
            sock.connect(connect)
        return sock

    # ----------------------------------------------------------------- teardown

    def close(self) -> list[str]:
        """Stop every role, close every harness socket; the problems found."""
        problems: list[str] = []
        for role in reversed(self.roles):
            problems += role.stop()
        survivors = wait_gone(sorted(self.pids), GRACE)
        if survivors:
            problems.append(f"processes {survivors} outlived the roles that started them")
            for pid in survivors:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        for sock in self._sockets:
            sock.close(linger=0)
        self.context.term()
        for path in self._bound_files:
            path.unlink(missing_ok=True)
        self._ports.close()
        return problems
