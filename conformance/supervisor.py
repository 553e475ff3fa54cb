"""Start implementation processes, record what they print, and leave none of them behind.

Every process starts in a session of its own, so its process group holds it and
everything it forks (a cluster's workers are grandchildren). Teardown signals the
whole group: SIGTERM, a grace period, SIGKILL, then reaps. What left its group
(setsid, a double fork) the case's :mod:`~conformance.containment` still holds (a
cgroup on Linux): whatever of it outlives the grace is a breach of SPEC.md §5,
recorded as a :class:`~conformance.facts.Breach`, and killed. While the case runs, the
supervisor counts its processes: more than
:data:`~conformance.containment.MAX_PROCESSES` stops the case. Teardown runs
shielded, in a task of the supervisor's own nursery, so that neither a
cancellation nor a second Ctrl-C can cut it short. If ``trio.run`` itself is torn
down abruptly, an ``atexit`` handler kills every group still registered in
:data:`PROCESS_GROUPS` (and the containment's own handler every cgroup).

Readers drain stdout and stderr as fast as they arrive, so a process that floods
its output never blocks. Its waits have no deadline of their own: a caller bounds them
(:mod:`conformance.waits`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import trio

from conformance import cgroups, containment
from conformance.containment import Containment, Member
from conformance.deadlines import (
    GRACE_SECONDS,
    KILL_SECONDS,
    PIPE_DRAIN_SECONDS,
    PROCESS_POLL,
    STDERR_PUBLISH_SECONDS,
)
from conformance.errors import ConformanceFailure, HarnessError
from conformance.facts import Breach, StdoutCapped, Unkillable
from conformance.model import Exited, Printed, Signalled, Started, Transcript

PROCESS_GROUPS: set[int] = set()
"""Ids of the process groups this process started that may still have members."""

STDERR_KEEP = 64 * 1024
"""Bytes of stderr kept from the start and from the end of a process's output."""
MAX_STDOUT_BYTES = 64 * 1024 * 1024
"""Stdout recorded per process; beyond this, lines are read and discarded."""
CHUNK = 64 * 1024
TAIL_LINES = 5


@dataclass(frozen=True)
class Command:
    """How to start one process: argv, its working directory and its whole environment."""

    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str]


class ProcessNotReady(ConformanceFailure):
    """A process exited before it printed its ready line."""


class ProcessTimeout(ConformanceFailure):
    """A process group was still there long after SIGKILL (:meth:`Process.kill_group`)."""


class ProcessExited(ConformanceFailure):
    """A process exited while the harness was still waiting for a line from it."""


class TooManyProcesses(ConformanceFailure):
    """The case's processes outnumbered the limit (a fork storm): they were killed."""


class Process:
    """One started process, as the supervisor sees it: its lines, its exit, its signals."""

    def __init__(
        self, name: str, process: trio.Process, transcript: Transcript, max_stdout_bytes: int
    ) -> None:
        self.name = name
        self.pid = process.pid
        self._process = process
        self._transcript = transcript
        self._lines: list[str] = []
        self._stdout_bytes = 0
        self._max_stdout_bytes = max_stdout_bytes
        self._stderr = _HeadAndTail(STDERR_KEEP)
        self._changed = trio.Event()
        self._stdout_closed = trio.Event()
        self._stderr_closed = trio.Event()
        self._ended = trio.Event()
        self._exit_code: int | None = None
        self._group_gone = False
        PROCESS_GROUPS.add(self.pid)

    def __repr__(self) -> str:
        return f"<Process {self.name} pid={self.pid} returncode={self.returncode}>"

    @property
    def returncode(self) -> int | None:
        """The exit status, minus the signal that killed it, or None while it runs."""
        return self._process.returncode

    def lines(self) -> list[str]:
        """The lines it printed on stdout so far."""
        return list(self._lines)

    async def wait_for_line(
        self, pattern: str | re.Pattern[str], *, start: int = 0
    ) -> tuple[int, str]:
        """The first line at index START or later that matches PATTERN (``re.search``).

        Raises :class:`ProcessExited` if the process ends first. It waits for ever: the
        caller bounds the wait (``World.deadline``).
        """
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        index = start
        while True:
            while index < len(self._lines):
                if regex.search(self._lines[index]):
                    return index, self._lines[index]
                index += 1
            if self._ended.is_set():
                raise ProcessExited(
                    f"{self.name} exited with {self._describe_exit()} before printing "
                    f"a line matching {regex.pattern!r}{self.tails()}"
                )
            await self._changed.wait()

    async def wait(self) -> int:
        """Its returncode, once it has exited and its output has been read. It waits for
        ever: the caller bounds the wait (``World.deadline``)."""
        await self._ended.wait()
        assert self._exit_code is not None
        return self._exit_code

    def signal(self, sig: int, *, group: bool = False) -> None:
        """Send SIG to the process, or to its whole process group.

        Does nothing once the process (or, with GROUP, its whole group) is gone:
        its pid may belong to somebody else by then.
        """
        if group:
            self._signal_group(sig)
        elif self._process.returncode is None:  # not reaped, so the pid is still ours
            os.kill(self.pid, sig)
            self._record_signal(sig, group=False)

    async def kill_group(self) -> None:
        """SIGKILL the whole group and wait until every member is gone."""
        self._signal_group(signal.SIGKILL)
        with trio.move_on_after(KILL_SECONDS):
            await self._until_group_gone()
        if not self._group_settled():
            raise ProcessTimeout(f"{self.name}'s group still runs {KILL_SECONDS:g} s after SIGKILL")
        await self._finish()

    def tails(self) -> str:
        """The last lines of stdout and stderr, to append to a message about this process."""
        stderr = self._stderr.text().splitlines()
        return (
            f"\n  last stdout lines of {self.name}: {_show(self._lines[-TAIL_LINES:])}"
            f"\n  last stderr lines of {self.name}: {_show(stderr[-TAIL_LINES:])}"
        )

    # -- the supervisor's side ------------------------------------------------------

    async def _read_stdout(self, stream: trio.abc.ReceiveStream) -> None:
        buffer = bytearray()
        try:
            while chunk := await stream.receive_some(CHUNK):
                if self._stdout_bytes > self._max_stdout_bytes:  # past the cap: count only
                    self._stdout_bytes += len(chunk)
                    continue
                if self._stdout_bytes + len(buffer) > self._max_stdout_bytes:
                    self._add_lines([bytes(buffer)])  # a line without end, over the cap
                    buffer.clear()
                searched = len(buffer)
                buffer += chunk
                end = buffer.rfind(b"\n", searched)
                if end >= 0:
                    self._add_lines(bytes(buffer[:end]).split(b"\n"))
                    del buffer[: end + 1]
            if buffer:
                self._add_lines([bytes(buffer)])
        finally:
            self._stdout_closed.set()
            self._notify()
            await trio.aclose_forcefully(stream)

    async def _read_stderr(self, stream: trio.abc.ReceiveStream) -> None:
        published = float("-inf")
        try:
            while chunk := await stream.receive_some(CHUNK):
                self._stderr.add(chunk)
                if trio.current_time() - published >= STDERR_PUBLISH_SECONDS:
                    self._transcript.stderr[self.name] = self._stderr.text()
                    published = trio.current_time()
        finally:
            if self._stderr.size:
                self._transcript.stderr[self.name] = self._stderr.text()
            self._stderr_closed.set()
            await trio.aclose_forcefully(stream)

    def _add_lines(self, raw_lines: list[bytes]) -> None:
        for raw in raw_lines:
            self._stdout_bytes += len(raw) + 1
            if self._stdout_bytes > self._max_stdout_bytes:
                if self._stdout_bytes - len(raw) - 1 <= self._max_stdout_bytes:
                    self._transcript.record(
                        StdoutCapped, process=self.name, limit=self._max_stdout_bytes
                    )
                continue
            line = raw.decode("utf-8", errors="replace")
            self._lines.append(line)
            self._transcript.record(Printed, process=self.name, line=line)
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = trio.Event()

    async def _watch(self) -> None:
        await self._process.wait()
        await self._finish()

    async def _finish(self) -> None:
        """Once it exited: let the pipes drain (bounded), then record the exit once."""
        code = self._process.returncode
        if code is None or self._ended.is_set():
            return
        with trio.move_on_after(PIPE_DRAIN_SECONDS):
            await self._stdout_closed.wait()
            await self._stderr_closed.wait()
        if not self._ended.is_set():
            self._exit_code = code
            self._transcript.record(Exited, process=self.name, code=code)
            self._ended.set()
            self._notify()
        self._group_settled()

    async def _stop(self, grace: float) -> None:
        """SIGTERM the group; SIGKILL it after GRACE seconds if anything is left."""
        if not self._group_settled():
            self._signal_group(signal.SIGTERM)
            with trio.move_on_after(grace):
                await self._until_group_gone()
        if not self._group_settled():
            self._signal_group(signal.SIGKILL)
            with trio.move_on_after(KILL_SECONDS):
                await self._until_group_gone()
        if not self._group_settled():
            self._transcript.record(Unkillable, process=self.name, seconds=KILL_SECONDS)
        await self._finish()

    async def _until_group_gone(self) -> None:
        await self._process.wait()
        while not self._group_settled():
            await trio.sleep(PROCESS_POLL)

    def _group_settled(self) -> bool:
        """Whether the leader is reaped and no member of its group is left."""
        if self._group_gone:
            return True
        if self._process.returncode is None:  # polling reaps the leader if it exited
            return False
        _reap_group(self.pid)
        try:
            os.killpg(self.pid, 0)
        except ProcessLookupError:
            self._group_gone = True
            PROCESS_GROUPS.discard(self.pid)
            return True
        except PermissionError:  # a member changed its user; it is still there
            return False
        return False

    def _signal_group(self, sig: int) -> None:
        # While the leader is unreaped or the group has members, its id cannot be reused.
        if self._group_settled():
            return
        try:
            os.killpg(self.pid, sig)
        except ProcessLookupError:
            return
        self._record_signal(sig, group=True)

    def _record_signal(self, sig: int, *, group: bool) -> None:
        name = signal.Signals(sig).name
        self._transcript.record(Signalled, process=self.name, signal=name, group=group)

    def _describe_exit(self) -> str:
        code = self._exit_code
        if code is not None and code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"code {code}"


class Supervisor:
    """Owns the processes of one case; ``async with`` it, and none survives the block.

    The body's own exception (a failure, a cancellation, KeyboardInterrupt)
    propagates unchanged once every process of the case is gone. Too many
    processes stop the body: :class:`TooManyProcesses` leaves the block (in an
    exception group).
    """

    def __init__(
        self,
        transcript: Transcript,
        *,
        grace: float = GRACE_SECONDS,
        max_stdout_bytes: int = MAX_STDOUT_BYTES,
        mechanism: str | None = None,
    ) -> None:
        self.transcript = transcript
        self.grace = grace
        self._mechanism = mechanism
        """Containment to use instead of the best available (tests)."""
        self._max_stdout_bytes = max_stdout_bytes
        self._processes: dict[str, Process] = {}
        self._manager: contextlib.AbstractAsyncContextManager[trio.Nursery] | None = None
        self._nursery: trio.Nursery | None = None
        self._closing = False
        self._containment: Containment = Containment()

    @property
    def processes(self) -> Mapping[str, Process]:
        """Every process started so far, by name."""
        return dict(self._processes)

    async def __aenter__(self) -> Supervisor:
        if self._manager is not None:
            raise HarnessError("a Supervisor can be entered only once")
        containment.become_subreaper()
        try:
            self._containment = containment.open_case(
                exclude=lambda: set(PROCESS_GROUPS), forced=self._mechanism
            )
        except ValueError as error:
            raise HarnessError(str(error)) from None
        self._manager = trio.open_nursery()
        self._nursery = await self._manager.__aenter__()
        self._nursery.start_soon(self._watch_numbers)
        return self

    @trio.lowlevel.enable_ki_protection
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._manager is not None
        assert self._nursery is not None
        self._closing = True
        # Teardown runs as a task of our nursery: the nursery waits for it whatever
        # is delivered to this task meanwhile (a second KeyboardInterrupt included).
        self._nursery.start_soon(self._teardown)
        # The body's exception is not handed to the nursery, so that it propagates
        # as it is rather than wrapped in an exception group.
        try:
            await self._manager.__aexit__(None, None, None)
        except BaseExceptionGroup as group:
            _, others = group.split(KeyboardInterrupt)
            if others is not None:
                raise
            if isinstance(exc, KeyboardInterrupt):  # Ctrl-C again during teardown
                return
            raise KeyboardInterrupt from exc

    @trio.lowlevel.enable_ki_protection
    async def start(
        self, name: str, command: Command, *, ready: re.Pattern[str] | str | None = None
    ) -> Process:
        """Start COMMAND as NAME in a new session; if READY is given, wait for that line.

        Raises :class:`ProcessNotReady` if the process exits before a stdout line matches
        READY. The wait has no deadline of its own: the caller bounds it.
        """
        if self._nursery is None or self._closing:
            raise HarnessError(f"cannot start {name}: the supervisor is not open")
        if name in self._processes:
            raise HarnessError(f"a process named {name!r} was started already")
        try:
            started = await trio.lowlevel.open_process(
                list(command.argv),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=command.cwd,
                env=dict(command.env),
                start_new_session=True,
                preexec_fn=self._containment.preexec(name),  # into its cgroup, before exec
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise HarnessError(f"cannot start {name} ({command.argv[0]}): {exc}") from exc
        self._containment.started(name, started.pid)
        process = Process(name, started, self.transcript, self._max_stdout_bytes)
        self._processes[name] = process
        self.transcript.record(Started, process=name, pid=process.pid, argv=tuple(command.argv))
        assert started.stdout is not None
        assert started.stderr is not None
        self._nursery.start_soon(process._read_stdout, started.stdout)
        self._nursery.start_soon(process._read_stderr, started.stderr)
        self._nursery.start_soon(process._watch)
        if ready is not None:
            await _until_ready(process, ready)
        return process

    async def _watch_numbers(self) -> None:
        """Count the case's processes while it runs; stop the case if there are too many."""
        limit = containment.MAX_PROCESSES
        while not self._closing:
            await trio.sleep(self._containment.poll_seconds)  # a fork is no event to await
            if self._closing:
                return
            counts = self._containment.count()
            refused = [name for name, times in self._containment.refused_forks().items() if times]
            if sum(counts.values()) <= limit and not refused:
                continue
            self._containment.kill()
            if refused:
                message = (
                    f"{refused[0]} started more than {cgroups.MAX_TASKS} processes and "
                    "threads: the kernel refused it more (pids.max)"
                )
            else:
                name = max(counts, key=lambda name: counts[name]) or "the case"
                message = (
                    f"{name} started more than {limit} processes "
                    f"({sum(counts.values())} at once in this case)"
                )
            message += "; the harness killed them all"
            self.transcript.record(Breach, reason=message)
            raise TooManyProcesses(message)

    @trio.lowlevel.enable_ki_protection
    async def _teardown(self) -> None:
        assert self._nursery is not None
        with trio.CancelScope(shield=True):
            began = trio.current_time()
            async with trio.open_nursery() as nursery:
                for process in self._processes.values():
                    nursery.start_soon(process._stop, self.grace)
            await self._end_strays(until=began + self.grace)
        self._nursery.cancel_scope.cancel()  # readers of pipes a runaway still holds

    async def _end_strays(self, until: float) -> None:
        """Once the groups are gone: what is left of the case left its group. It gets UNTIL
        to end by itself (a master's own SIGTERM may be ending it); then it is a breach, and
        killed."""
        held = self._containment
        leaders = {process.pid: name for name, process in self._processes.items()}
        if not held.members():  # as it should be: only orphans to reap
            held.reap()
            held.close()
            return
        while held.members() and trio.current_time() < until:
            await trio.sleep(PROCESS_POLL)
        escaped = [member for member in held.members() if member.pgid not in leaders]
        if escaped:
            self.transcript.record(Breach, reason=_escape_message(escaped, leaders))
        with trio.move_on_after(KILL_SECONDS):
            while True:
                held.kill()
                held.reap()
                if not held.members():
                    break
                await trio.sleep(PROCESS_POLL)
        left = held.members()
        if left:
            pids = tuple(member.pid for member in left)
            self.transcript.record(Unkillable, pids=pids, seconds=KILL_SECONDS)
        else:
            held.reap()
            held.close()


async def _until_ready(process: Process, ready: re.Pattern[str] | str) -> None:
    pattern = ready if isinstance(ready, str) else ready.pattern
    try:
        await process.wait_for_line(ready)
    except ProcessExited:
        raise ProcessNotReady(
            f"{process.name} exited with {process._describe_exit()} before printing "
            f"its ready line (matching {pattern!r}){process.tails()}"
        ) from None


def _escape_message(escaped: list[Member], leaders: Mapping[int, str]) -> str:
    """Which started process left which processes behind, where (SPEC.md §5)."""
    pid_of = {name: pid for pid, name in leaders.items()}
    parts = []
    for owner in sorted({member.owner for member in escaped}):
        theirs = [member for member in escaped if member.owner == owner]
        leader = pid_of.get(owner)
        listed = "; ".join(member.describe(leader) for member in theirs[:5])
        if len(theirs) > 5:
            listed += f"; and {len(theirs) - 5} more"
        count = f"{len(theirs)} process{'es' if len(theirs) > 1 else ''}"
        who = owner or "the case's processes"
        parts.append(
            f"{who} left {count} running outside the process group it was started in, after "
            f"the end of the case: {listed}"
        )
    return (
        "; ".join(parts) + ". SPEC.md §5: every process of an implementation MUST stay in the "
        "process group the harness started it in (no setsid, no setpgid), so that the harness's "
        "cleanup reaches it. The harness killed it."
    )


class _HeadAndTail:
    """A byte log that keeps its first and last KEEP bytes, and counts what it left out."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._head = bytearray()
        self._tail = bytearray()
        self._left_out = 0
        self.size = 0

    def add(self, chunk: bytes | bytearray) -> None:
        self.size += len(chunk)
        room = self._keep - len(self._head)
        if room > 0:
            self._head += chunk[:room]
            chunk = chunk[room:]
        self._tail += chunk
        excess = len(self._tail) - self._keep
        if excess > 0:
            del self._tail[:excess]
            self._left_out += excess

    def text(self) -> str:
        if not self._left_out:
            return (self._head + self._tail).decode("utf-8", errors="replace")
        head = self._head.decode("utf-8", errors="replace")
        tail = self._tail.decode("utf-8", errors="replace")
        return f"{head}\n[... {self._left_out} bytes left out ...]\n{tail}"


def _show(lines: list[str]) -> str:
    if not lines:
        return "(none)"
    return "".join(f"\n    {line[:200]!r}" for line in lines)


def _reap_group(pgid: int) -> None:
    """Reap the exited members of group PGID that are our children (adopted orphans)."""
    while True:
        try:
            pid, _ = os.waitpid(-pgid, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_all_groups_now(wait: float = 1.0) -> None:
    """SIGKILL every registered process group and reap what we can within WAIT seconds.

    Synchronous: the last resort when ``trio.run`` was torn down without teardown
    (registered with ``atexit``).
    """
    groups = list(PROCESS_GROUPS)
    for pgid in groups:
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)
    deadline = time.monotonic() + wait
    for pgid in groups:
        while time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-pgid, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(PROCESS_POLL)
    PROCESS_GROUPS.difference_update(groups)


atexit.register(kill_all_groups_now)
os.register_at_fork(after_in_child=PROCESS_GROUPS.clear)  # a forked child owns none of them
