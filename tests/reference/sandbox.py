"""The stage of one reference test: its roles run under the harness's own Supervisor, its
endpoints come from the harness's Endpoints, its sockets are the harness's AsyncSocket.

So one piece of code starts, watches, contains and reaps processes, for the conformance
suite and for these tests alike. A test that takes the ``sandbox`` fixture is ``async
def``: conftest.py runs it through :meth:`Sandbox.play` in a ``trio.run`` of its own, and
:meth:`Sandbox.close` then says what the test left behind. Every wait of a role is bounded
by :data:`DEADLINE` in the harness's deadline idiom (:mod:`conformance.waits`), and the
whole test by :data:`TEST_DEADLINE`.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from collections.abc import Awaitable, Callable, Collection
from pathlib import Path
from typing import Any

import trio
import zmq

from conformance import procfs, waits
from conformance.endpoint import Endpoint
from conformance.endpoints import Endpoints
from conformance.facts import Breach, Unkillable
from conformance.model import Signalled, Transcript
from conformance.supervisor import Command, Process, Supervisor
from conformance.world import inherited_environment
from conformance.zsock import AsyncSocket
from reference.parent import PARENT_PID_VARIABLE

REPO = Path(__file__).resolve().parents[2]
DEADLINE = 10.0
"""Seconds that any one awaited event (a line, a reply, an exit) may take before the test fails."""
TEST_DEADLINE = 120.0
"""Seconds one whole test may take, the stopping of its roles included."""
GRACE = 5.0
"""Seconds a role has to exit after SIGTERM in teardown before its group gets SIGKILL."""
ANY_LINE = re.compile("")


def ipc_file(endpoint: str) -> Path:
    """The socket file of an ``ipc://`` endpoint."""
    path = Endpoint.parse(endpoint).socket_file
    assert path is not None, endpoint
    return path


class Role:
    """One ``python -m reference.<module>`` under the supervisor, and a cursor over its
    stdout: :meth:`readline` and :meth:`expect` take the lines one after the other."""

    def __init__(self, process: Process, transcript: Transcript) -> None:
        self.process = process
        self.pid = process.pid
        self._transcript = transcript
        self._read = 0

    def __repr__(self) -> str:
        return f"<{self.process.name} pid {self.pid}>"

    @property
    def lines(self) -> list[str]:
        """Every stdout line so far, read by the test or not."""
        return self.process.lines()

    def describe(self) -> str:
        """Its exit status and last lines, for failure messages."""
        return f"{self.process!r}{self.process.tails()}"

    def deadline(self, what: str) -> contextlib.AbstractContextManager[trio.CancelScope]:
        hint = self.process.tails
        return waits.deadline(
            self._transcript, f"{self.process.name}'s {what}", DEADLINE, hint=hint
        )

    async def readline(self) -> str:
        """The next stdout line; fails if the role exits first or none comes in DEADLINE."""
        with self.deadline("next stdout line"):
            index, line = await self.process.wait_for_line(ANY_LINE, start=self._read)
        self._read = index + 1
        return line

    async def expect(self, pattern: str) -> re.Match[str]:
        """Read lines until one matches PATTERN in full; the match. Skipped lines stay in
        :attr:`lines`."""
        anchored = re.compile(rf"\A(?:{pattern})\Z")
        with self.deadline(f"line matching {pattern!r}"):
            index, line = await self.process.wait_for_line(anchored, start=self._read)
        self._read = index + 1
        match = re.fullmatch(pattern, line)
        assert match is not None
        return match

    async def wait(self) -> int:
        """The exit status, once the role has exited and its output has been read."""
        with self.deadline("exit"):
            return await self.process.wait()

    async def read_rest(self) -> list[str]:
        """The stdout lines not read yet, once the role has exited."""
        await self.wait()
        rest = self.process.lines()[self._read :]
        self._read += len(rest)
        return rest

    def send_signal(self, signum: int) -> None:
        self.process.signal(signum)


class Sandbox:
    """Everything one test starts, and the check that nothing of it is left."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.transcript = Transcript()
        self.endpoints = Endpoints()
        self.context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
        self.pids: set[int] = set()
        """More processes the test learned of (cluster workers) that must be gone at the end."""
        self._supervisor: Supervisor | None = None
        self._sockets: list[AsyncSocket] = []
        self._bound_files: list[Path] = []
        """The ipc files of the harness's own binds: libzmq leaves them when the socket closes."""
        self._problems: list[str] = []

    async def play(self, test: Callable[..., Awaitable[object]], arguments: dict[str, Any]) -> None:
        """Run TEST with ARGUMENTS under the supervisor; its roles are stopped after it."""
        with trio.fail_after(TEST_DEADLINE):
            async with Supervisor(self.transcript, grace=GRACE) as self._supervisor:
                try:
                    await test(**arguments)
                    self._problems += await self._stragglers()
                finally:
                    for sock in self._sockets:
                        sock.close()

    async def _stragglers(self) -> list[str]:
        """The roles that exited during the test but left members of their process group
        running for GRACE seconds more (a cluster master must end its own workers)."""
        assert self._supervisor is not None
        problems = []
        for process in self._supervisor.processes.values():
            if process.returncode is None:
                continue  # the supervisor stops it, and its whole group
            members = procfs.group_members(process.pid)
            with trio.move_on_after(GRACE):
                await _exits(members)
            if left := [pid for pid in members if procfs.alive(pid)]:
                problems.append(f"{process.name} exited but left processes {left} of its group")
        return problems

    # ----------------------------------------------------------------- endpoints

    def tcp(self) -> str:
        return self.endpoints.tcp()

    def ipc(self) -> str:
        return self.endpoints.ipc("s")

    def endpoint(self, transport: str) -> str:
        return self.endpoints.endpoint(transport, "s")

    # ----------------------------------------------------------------- roles

    async def start(
        self, module: str, *args: str, ready: str | None = None, cwd: Path | None = None
    ) -> Role:
        """Start ``python -m reference.MODULE ARGS``; with READY, wait for that line (a
        regular expression matched in full) before returning."""
        assert self._supervisor is not None, "a test that starts roles is async (conftest.py)"
        environment = inherited_environment()
        environment.pop(PARENT_PID_VARIABLE, None)
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO), environment.get("PYTHONPATH")])
        )
        argv = (sys.executable, "-m", f"reference.{module}", *args)
        name = f"{module}-{len(self._supervisor.processes) + 1}"
        command = Command(argv=argv, cwd=cwd or self.cwd, env=environment)
        role = Role(await self._supervisor.start(name, command), self.transcript)
        if ready is not None:
            await role.expect(ready)
        return role

    def deadline(self, what: str) -> contextlib.AbstractContextManager[trio.CancelScope]:
        """DEADLINE seconds for WHAT: a reply, a stretch of exchanges."""
        return waits.deadline(self.transcript, what, DEADLINE)

    async def until_gone(self, pids: Collection[int]) -> None:
        """Wait until every pid in PIDS has exited; fail after DEADLINE."""
        with self.deadline(f"the exit of processes {sorted(pids)}"):
            await _exits(pids)

    # ----------------------------------------------------------------- harness sockets

    def socket(
        self,
        kind: int,
        *,
        bind: str | None = None,
        connect: str | None = None,
        context: zmq.Context[zmq.Socket[bytes]] | None = None,
        **options: int | bytes,
    ) -> AsyncSocket:
        """A harness socket, closed when the test ends (or with CONTEXT, when that ends)."""
        sock = AsyncSocket.open(context or self.context, kind, **options)
        self._sockets.append(sock)
        if bind is not None:
            sock.bind(bind)
            if bind.startswith("ipc://"):
                self._bound_files.append(ipc_file(bind))
        if connect is not None:
            sock.connect(connect)
        return sock

    # ----------------------------------------------------------------- teardown

    def close(self) -> tuple[list[str], list[str]]:
        """Once :meth:`play` has returned: the problems found, and the files left in the
        endpoints' folder; then the folder and the ports are released."""
        problems = [*self._problems, *(breach.reason for breach in self.transcript.of(Breach))]
        problems += [
            f"{event.process or event.pids} survived SIGKILL"
            for event in self.transcript.of(Unkillable)
        ]
        problems += [
            f"{event.process} or a process of its group ignored SIGTERM for {GRACE} s"
            for event in self.transcript.of(Signalled)
            if event.group and event.signal == "SIGKILL"
        ]
        survivors = [pid for pid in sorted(self.pids) if procfs.alive(pid)]
        if survivors:
            problems.append(f"processes {survivors} outlived the roles that started them")
            for pid in survivors:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.context.destroy(linger=0)
        for path in self._bound_files:
            path.unlink(missing_ok=True)
        leftovers = sorted(os.listdir(self.endpoints.directory))
        self.endpoints.close()
        return problems, leftovers


async def _exits(pids: Collection[int]) -> None:
    """Wait until every pid in PIDS has exited: a pidfd per process, readable once it has."""
    for pid in pids:
        try:
            descriptor = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            await trio.lowlevel.wait_readable(descriptor)
        finally:
            os.close(descriptor)
