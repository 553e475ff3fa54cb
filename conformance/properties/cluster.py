"""Properties of the clustered filer responder (SPEC.md CLUSTER-*).

The harness learns the workers from the master's stdout (``Worker <pid> is
online.``, ``Worker <pid> exited with code <code>``) and looks at those pids in
/proc: alive or not (a zombie has exited: an orphan's zombie may wait for a
reaper for ever), its process group, and whether each is really the master's (a
descendant, or in its process group) -- the harness never signals a pid that is
not. Kill
schedules are indexed by replies ("kill the worker that sent reply 3"), never
by wall time. A role whose argv has no ``{workers}`` runs the book's fixed 3
(docs/harness.md); the driver notes how many it expects.
"""

from __future__ import annotations

import abc
import contextlib
import functools
import os
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import trio
import zmq
from hypothesis import strategies as st

from conformance.checks.cluster import (
    ALIVE_NOTE,
    CONTINUED_NOTE,
    COUNTING_NOTE,
    END_NOTE,
    GROUP_NOTE,
    KILLED_NOTE,
    MASTER_EXIT_NOTE,
    MEMBER_NOTE,
    NO_KILL_NOTE,
    NO_STALL_NOTE,
    PGID_NOTE,
    READY_NOTE,
    SIGNAL_NOTE,
    STALLED_NOTE,
    WARMUP_NOTE,
    WORKERS_NOTE,
    check_load,
    check_online,
    check_restarts,
    check_stall,
    check_stopped,
    live_workers,
    online_of,
    shares,
    stalled_share,
)
from conformance.checks.messages import WORKER_ONLINE, file_request, read_reply
from conformance.model import Note, Signalled, TimedOut, Transcript, Verdict
from conformance.procfs import process_info
from conformance.properties import TRANSPORTS, Case, Property
from conformance.properties.lifecycle import STOP_TIMEOUT
from conformance.properties.reqrep import FILE_NAMES, TEXTS
from conformance.supervisor import Process, ProcessExited, ProcessTimeout
from conformance.world import Peer, World

ONLINE_TIMEOUT = 15.0
"""Seconds for all the workers of a new cluster to come online."""
RESTART_TIMEOUT = 10.0
"""Seconds for the master to report a killed worker's exit, and for its replacement."""
REPLY_TIMEOUT = 10.0
WARMUP_TIMEOUT = 10.0
"""Seconds for every announced worker to answer once (CLUSTER-2)."""
TRY_TIMEOUT = 2.5
TRIES = 5
"""The Lazy Pirate client: seconds per try, and tries per request."""
GONE_POLL = 0.02
BOOK_WORKERS = 3
"""How many workers a cluster whose argv has no {workers} runs (docs/harness.md)."""

# The generated ranges SPEC.md quotes (tests/test_spec_document.py compares them).
ONLINE_WORKERS = (1, 4)
"""CLUSTER-1, CLUSTER-4, CLUSTER-5: WORKERS."""
SPREAD_WORKERS = (2, 4)
SPREAD_CLIENTS = (2, 10)
PER_WORKER = (20, 40)
"""CLUSTER-2: WORKERS, concurrent clients, and counted requests per worker (N = k x W)."""
RESTART_WORKERS = (2, 3)
KILLS = (1, 2)
KILL_AFTER = (1, 10)
"""CLUSTER-3: WORKERS, kills per case, and the replies after which they come."""
AFTER_LAST_KILL = (5, 10)
"""CLUSTER-3: requests after the last kill."""
REPLIES_BEFORE_STOP = (0, 3)
"""CLUSTER-4, CLUSTER-5: requests answered before the master is signalled."""
STALL_WORKERS = (2, 4)
STALL_CLIENTS_PER_WORKER = (2, 4)
"""CLUSTER-6: WORKERS = W, and C = 2W..4W clients that send one request each at once."""
STALL_WINDOW = 10.0
"""CLUSTER-6: seconds the stopped worker stays stopped at most, for the others' replies."""
STOPPED_TIMEOUT = 2.0
"""CLUSTER-6: seconds for a worker sent SIGSTOP to show as stopped in /proc."""

C = TypeVar("C", bound=Case)


# --- processes, as /proc sees them -----------------------------------------------------------


def proc_stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of PID from /proc, or None if there is no such pid."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[2])


def is_alive(pid: int) -> bool:
    """Whether PID is a running process; a zombie has exited and counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by somebody else
    if not Path("/proc").is_dir():  # not Linux: the kernel's word is all there is
        return True
    stat = proc_stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def is_member(pid: int, master: int) -> bool:
    """Whether PID is a descendant of MASTER or in its process group (the supervisor makes
    MASTER a group leader): the only processes the harness may kill as workers."""
    if pid in (master, os.getpid()) or pid <= 1:
        return False
    stat = proc_stat(pid)
    if stat is None:
        return False
    if stat[2] == master:
        return True
    for _ in range(64):  # walk up the parents
        parent = stat[1]
        if parent == master:
            return True
        if parent <= 1:
            return False
        found = proc_stat(parent)
        if found is None:
            return False
        stat = found
    return False


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group PGID, from /proc."""
    members = []
    with contextlib.suppress(OSError):
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                stat = proc_stat(int(entry.name))
                if stat is not None and stat[2] == pgid and stat[0] not in ("Z", "X"):
                    members.append(int(entry.name))
    return members


def note_group(world: World, pid: int) -> None:
    """Note PID's process group (``/proc/PID/stat``, field 5), if PID is there to read."""
    info = process_info(pid)
    if info is not None:
        world.transcript.record(Note, key=PGID_NOTE, text=f"{pid} {info.pgid}")


def command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:120]
    return "?"


# --- the cluster -----------------------------------------------------------------------------


async def start_cluster(world: World, role: str, workers: int) -> tuple[str, Process, int]:
    """Start the cluster; where clients connect, the master, and how many workers it must
    run: WORKERS, or the book's 3 if its argv has no {workers} (noted for the checker)."""
    spec = world.manifest.role(role)
    if "workers" not in spec.placeholders_used():
        workers = BOOK_WORKERS
    world.transcript.record(Note, key=WORKERS_NOTE, text=str(workers))
    if spec.ready is not None:
        world.transcript.record(Note, key=READY_NOTE, text=spec.ready.pattern)
    launch = world.prepare(role, workers=str(workers))
    process = await world.start(launch)
    return launch.endpoints["endpoint"], process, workers


async def await_online(
    process: Process,
    count: int,
    *,
    start: int = 0,
    timeout: float = ONLINE_TIMEOUT,
    seen: Callable[[int], object] | None = None,
) -> list[int]:
    """The pids of the next COUNT online lines from line START (SEEN is called with each as
    it is read); fewer if the master stops or the deadline passes (the supervisor notes it)."""
    pids: list[int] = []
    index = start - 1
    deadline = trio.current_time() + timeout
    with contextlib.suppress(ProcessTimeout, ProcessExited):
        for _ in range(count):
            left = max(0.0, deadline - trio.current_time())
            index, line = await process.wait_for_line(WORKER_ONLINE, start=index + 1, timeout=left)
            match = WORKER_ONLINE.match(line)
            assert match is not None
            pids.append(int(match["pid"]))
            if seen is not None:
                seen(pids[-1])
    return pids


async def ask(world: World, client: Peer, request: bytes, what: str) -> tuple[bytes, ...] | None:
    """One request and its reply on a REQ; None (and a TimedOut) if no reply came."""
    with trio.move_on_after(REPLY_TIMEOUT):
        await client.send(request)
        return await client.recv()
    world.transcript.record(TimedOut, waiting_for=what, seconds=REPLY_TIMEOUT)
    return None


async def warm_up(world: World, clients: list[Peer], request: bytes, announced: set[int]) -> bool:
    """Not counted: the CLIENTS, each lockstep, send REQUEST until every announced worker has
    answered once, which proves that its connection to the master is attached (CLUSTER-2,
    CLUSTER-6). Every warm-up request is answered when it returns True."""
    answered: set[int | None] = set()
    malformed = False

    async def warm(client: Peer) -> None:
        nonlocal malformed
        while not announced <= answered:
            reply = await ask(world, client, request, f"a warm-up reply at {client.name}")
            if reply is None:
                return
            read = read_reply(reply)
            if read.problem is not None:  # the checker says so; no pid to wait for
                malformed = True
                nursery.cancel_scope.cancel()
                return
            answered.add(read.pid)

    with trio.move_on_after(WARMUP_TIMEOUT) as warmup:
        async with trio.open_nursery() as nursery:
            for client in clients:
                nursery.start_soon(warm, client)
    pids = " ".join(str(pid) for pid in sorted(p for p in answered if p is not None))
    world.transcript.record(Note, key=WARMUP_NOTE, text=pids)
    if malformed:
        return False
    if warmup.cancelled_caught or not announced <= answered:
        what = "every announced worker to answer a warm-up request"
        world.transcript.record(TimedOut, waiting_for=what, seconds=WARMUP_TIMEOUT)
        return False
    return True


def workers_noted(transcript: Transcript, default: int) -> int:
    noted = transcript.notes(WORKERS_NOTE)
    return int(noted[0]) if noted else default


class ClusterProperty(Property[C]):
    """A cluster property: :meth:`play` the case, then note its end, also when it stops early,
    so that what the master prints during teardown is never taken for behaviour."""

    async def run(self, world: World, role: str, case: C) -> None:
        try:
            await self.play(world, role, case)
        finally:
            world.transcript.record(Note, key=END_NOTE, text="")

    @abc.abstractmethod
    async def play(self, world: World, role: str, case: C) -> None:
        """Play one example; record, do not judge."""


# --- CLUSTER-1 ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Workers(Case):
    workers: int


class Online(ClusterProperty[Workers]):
    """CLUSTER-1: an online line for each of WORKERS live worker processes."""

    requirement_id: ClassVar[str] = "CLUSTER-1"
    case_type = Workers

    def cases(self, role: str) -> st.SearchStrategy[Workers]:
        return st.builds(Workers, transport=TRANSPORTS, workers=st.integers(*ONLINE_WORKERS))

    async def play(self, world: World, role: str, case: Workers) -> None:
        _, process, workers = await start_cluster(world, role, case.workers)

        note_group(world, process.pid)

        def look(pid: int) -> None:  # when its line is read
            world.transcript.record(Note, key=ALIVE_NOTE, text=f"{pid} {is_alive(pid)}")
            member = is_member(pid, process.pid)
            world.transcript.record(Note, key=MEMBER_NOTE, text=f"{pid} {member}")
            note_group(world, pid)

        await await_online(process, workers, seen=look)

    def check(self, role: str, case: Workers, transcript: Transcript) -> Verdict:
        workers = workers_noted(transcript, case.workers)
        return check_online(transcript=transcript, process=role, workers=workers)


# --- CLUSTER-2 ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Load(Case):
    workers: int
    clients: int
    per_worker: int
    """N = per_worker x WORKERS requests are counted."""
    file: str
    text: str


class Spread(ClusterProperty[Load]):
    """CLUSTER-2: every worker answers some requests, none more than twice its share."""

    requirement_id: ClassVar[str] = "CLUSTER-2"
    case_type = Load

    def cases(self, role: str) -> st.SearchStrategy[Load]:
        return st.builds(
            Load,
            transport=TRANSPORTS,
            workers=st.integers(*SPREAD_WORKERS),
            clients=st.integers(*SPREAD_CLIENTS),
            per_worker=st.integers(*PER_WORKER),
            file=FILE_NAMES,
            text=TEXTS,
        )

    async def play(self, world: World, role: str, case: Load) -> None:
        world.write_file(case.file, case.text.encode())
        endpoint, process, workers = await start_cluster(world, role, case.workers)
        announced = set(await await_online(process, workers))
        clients = [world.peer(f"client-{n}", zmq.REQ) for n in range(case.clients)]
        for client in clients:
            client.socket.connect(endpoint)
        request = file_request(case.file)

        if not await warm_up(world, clients, request, announced):
            return

        world.transcript.record(Note, key=COUNTING_NOTE, text="")

        async def load(client: Peer, count: int) -> None:
            for number in range(1, count + 1):
                what = f"the reply to counted request {number} of {client.name}"
                if await ask(world, client, request, what) is None:
                    return

        counts = shares(case.per_worker * workers, case.clients)
        async with trio.open_nursery() as nursery:
            for client, count in zip(clients, counts, strict=True):
                nursery.start_soon(load, client, count)

    def check(self, role: str, case: Load, transcript: Transcript) -> Verdict:
        workers = workers_noted(transcript, case.workers)
        return check_load(
            transcript=transcript,
            process=role,
            clients=[f"client-{n}" for n in range(case.clients)],
            requests=shares(case.per_worker * workers, case.clients),
            text=case.text,
            workers=workers,
        )


# --- CLUSTER-3 ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Restarts(Case):
    workers: int
    schedule: tuple[int, ...]
    """After which replies (1-based, increasing) the harness SIGKILLs a worker."""
    in_flight: bool
    """False: kill the worker that sent the reply, between two requests. True: send the next
    request first, then kill the worker that round-robin would hand it to (the sender of reply
    n + 1 - WORKERS), so that the request may be lost with it and the client must retry."""
    requests: int
    text: str

    def request(self, number: int) -> tuple[str, str]:
        """(file name, content) of request NUMBER: each request has a file of its own."""
        return f"request-{number}.txt", f"{self.text} #{number}"


@st.composite
def restarts(draw: st.DrawFn) -> Restarts:
    kills = st.lists(st.integers(*KILL_AFTER), min_size=KILLS[0], max_size=KILLS[1], unique=True)
    schedule = sorted(draw(kills))
    return Restarts(
        transport=draw(TRANSPORTS),
        workers=draw(st.integers(*RESTART_WORKERS)),
        schedule=tuple(schedule),
        in_flight=draw(st.booleans()),
        requests=schedule[-1] + draw(st.integers(*AFTER_LAST_KILL)),
        text=draw(TEXTS),
    )


@dataclass
class LazyPirate:
    """A client that resends a request on a fresh REQ socket when no reply comes in time
    (zguide ch. 4): a request queued to a worker when it died is lost for good."""

    world: World
    endpoint: str
    peer: Peer | None = None
    sockets: int = 0

    async def request(
        self, payload: bytes, number: int, sent: Callable[[], object] | None = None
    ) -> tuple[bytes, ...] | None:
        """The reply to PAYLOAD, in at most TRIES tries; SENT is called after the first send."""
        for attempt in range(1, TRIES + 1):
            if self.peer is None:
                self.sockets += 1
                self.peer = self.world.peer(f"client-{self.sockets}", zmq.REQ)
                self.peer.socket.connect(self.endpoint)
            with trio.move_on_after(TRY_TIMEOUT):
                await self.peer.send(payload)
                if sent is not None and attempt == 1:
                    sent()
                return await self.peer.recv()
            self.world.transcript.record(
                Note,
                key="retry",
                text=f"request {number}: no reply within {TRY_TIMEOUT:g} s on {self.peer.name} "
                f"(try {attempt} of {TRIES})",
            )
            self.peer.close()
            self.peer = None
        self.world.transcript.record(
            TimedOut,
            waiting_for=f"a reply to request {number} in {TRIES} tries",
            seconds=TRIES * TRY_TIMEOUT,
        )
        return None


@dataclass
class Killer:
    """Kills workers of the cluster on the schedule, and waits for their replacements."""

    world: World
    process: Process
    answered_by: list[int | None]
    """The pid in each reply so far, in order (None for an unreadable reply)."""
    pending: list[tuple[int, int]]
    """(victim, stdout line count at the kill) whose exit and replacement to wait for."""

    def kill(self, choice: int | None) -> int | None:
        """SIGKILL the worker with pid CHOICE if it is a live worker of the cluster, else the
        first live one; note why not if there is none the harness may kill."""
        live = live_workers(self.process.lines())
        if not live:
            self.world.transcript.record(Note, key=NO_KILL_NOTE, text="no worker is online")
            return None
        victim = choice if choice in live else live[0]
        if not is_member(victim, self.process.pid):
            why = (
                f"worker {victim} is not a process of the cluster (not a descendant of the "
                f"master {self.process.pid}); the harness kills only the master's own processes"
            )
            self.world.transcript.record(Note, key=NO_KILL_NOTE, text=why)
            return None
        self.pending.append((victim, len(self.process.lines())))
        self.world.transcript.record(Note, key=KILLED_NOTE, text=str(victim))
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
        self.world.transcript.record(Signalled, process=f"worker {victim}", signal="SIGKILL")
        return victim

    async def replaced(self) -> None:
        """Wait for the exit line of each killed worker and an online line after it."""
        for victim, mark in self.pending:
            deadline = trio.current_time() + RESTART_TIMEOUT
            exited = re.compile(rf"^Worker {victim} exited with code ")
            with contextlib.suppress(ProcessTimeout, ProcessExited):
                await self.process.wait_for_line(exited, start=mark, timeout=RESTART_TIMEOUT)
            left = max(0.0, deadline - trio.current_time())
            await await_online(self.process, 1, start=mark, timeout=left)
        self.pending.clear()


class Restart(ClusterProperty[Restarts]):
    """CLUSTER-3: a killed worker is reported and replaced; a Lazy Pirate gets every reply."""

    requirement_id: ClassVar[str] = "CLUSTER-3"
    case_type = Restarts
    timeout: ClassVar[float] = 120.0

    def cases(self, role: str) -> st.SearchStrategy[Restarts]:
        return restarts()

    async def play(self, world: World, role: str, case: Restarts) -> None:
        for number in range(1, case.requests + 1):
            name, text = case.request(number)
            world.write_file(name, text.encode())
        endpoint, process, workers = await start_cluster(world, role, case.workers)
        await await_online(process, workers)
        client = LazyPirate(world, endpoint)
        killer = Killer(world, process, answered_by=[], pending=[])
        for number in range(1, case.requests + 1):
            sent = None
            if case.in_flight and number - 1 in case.schedule:
                # The worker that round-robin hands this request to, if it rotates as it did.
                earlier = number - workers
                choice = killer.answered_by[earlier - 1 if earlier >= 1 else -1]
                sent = functools.partial(killer.kill, choice)
            reply = await client.request(file_request(case.request(number)[0]), number, sent)
            if reply is None:
                break
            killer.answered_by.append(read_reply(reply).pid)
            if not case.in_flight and number in case.schedule:
                killer.kill(killer.answered_by[-1])
            await killer.replaced()
        for pid in live_workers(process.lines()):
            world.transcript.record(Note, key=ALIVE_NOTE, text=f"{pid} {is_alive(pid)}")

    def check(self, role: str, case: Restarts, transcript: Transcript) -> Verdict:
        requests = []
        for number in range(1, case.requests + 1):
            name, text = case.request(number)
            requests.append((file_request(name), text))
        return check_restarts(
            transcript=transcript,
            process=role,
            workers=workers_noted(transcript, case.workers),
            requests=requests,
            kills=len(case.schedule),
            tries=TRIES,
        )


# --- CLUSTER-4 and CLUSTER-5 ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Stop(Case):
    workers: int
    replies: int
    """How many requests are answered before the master is signalled."""
    kill_first: bool = False
    """SIGKILL a worker just before the master is signalled, while its replacement starts."""
    file: str = "stop.txt"


class Stopped(ClusterProperty[Stop]):
    """CLUSTER-4: after SIGTERM of the master, no worker process remains."""

    requirement_id: ClassVar[str] = "CLUSTER-4"
    case_type = Stop
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM
    exit_within: ClassVar[float] = STOP_TIMEOUT
    """Seconds the harness waits for the master's exit after the signal (LIFE-2's deadline);
    if it still runs then, the workers are looked at GONE_WITHIN s later all the same."""
    gone_within: ClassVar[float] = 2.0
    """Seconds after the master's exit by which no process of its group may run."""

    def cases(self, role: str) -> st.SearchStrategy[Stop]:
        return st.builds(
            Stop,
            transport=TRANSPORTS,
            workers=st.integers(*ONLINE_WORKERS),
            replies=st.integers(*REPLIES_BEFORE_STOP),
            kill_first=st.booleans(),
        )

    async def play(self, world: World, role: str, case: Stop) -> None:
        world.write_file(case.file, b"stop")
        endpoint, process, workers = await start_cluster(world, role, case.workers)
        await await_online(process, workers)
        if case.replies:
            client = world.peer("client", zmq.REQ)
            client.socket.connect(endpoint)
            for number in range(1, case.replies + 1):
                if await ask(world, client, file_request(case.file), f"reply {number}") is None:
                    break
        if case.kill_first:
            Killer(world, process, answered_by=[], pending=[]).kill(None)
        world.transcript.record(Note, key=SIGNAL_NOTE, text=self.stop_signal.name)
        process.signal(self.stop_signal)
        # The master's exit (status, deadline) is LIFE-2's to judge; this looks only at what
        # is left of the cluster, GONE_WITHIN s after the exit, or after EXIT_WITHIN s if the
        # master still runs then.
        with contextlib.suppress(ProcessTimeout):
            code = await process.wait(self.exit_within)
            world.transcript.record(Note, key=MASTER_EXIT_NOTE, text=str(code))
        announced = list(dict.fromkeys(online_of(process.lines())))

        def others() -> list[int]:
            return [pid for pid in group_members(process.pid) if pid != process.pid]

        with trio.move_on_after(self.gone_within):
            while others() or any(is_alive(pid) for pid in announced):
                await trio.sleep(GONE_POLL)
        for pid in announced:
            world.transcript.record(Note, key=ALIVE_NOTE, text=f"{pid} {is_alive(pid)}")
        for pid in others():
            if pid not in announced:
                world.transcript.record(Note, key=GROUP_NOTE, text=f"{pid} {command_line(pid)}")

    def check(self, role: str, case: Stop, transcript: Transcript) -> Verdict:
        return check_stopped(
            transcript=transcript,
            process=role,
            how=f"{self.stop_signal.name} of the master",
            exit_within=self.exit_within,
            gone_within=self.gone_within,
        )


class Orphans(Stopped):
    """CLUSTER-5: after SIGKILL of the master its workers exit on their own within 5 s."""

    requirement_id: ClassVar[str] = "CLUSTER-5"
    stop_signal: ClassVar[signal.Signals] = signal.SIGKILL
    gone_within: ClassVar[float] = 5.0

    def cases(self, role: str) -> st.SearchStrategy[Stop]:
        return st.builds(
            Stop,
            transport=TRANSPORTS,
            workers=st.integers(*ONLINE_WORKERS),
            replies=st.integers(*REPLIES_BEFORE_STOP),
        )


# --- CLUSTER-6 ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Stall(Case):
    workers: int
    clients: int
    """C, in 2W..4W: each client sends one request of the burst."""
    stalled: int
    """Which announced worker (by its online line, modulo W) is stopped."""
    file: str
    text: str


@st.composite
def stalls(draw: st.DrawFn) -> Stall:
    workers = draw(st.integers(*STALL_WORKERS))
    low, high = STALL_CLIENTS_PER_WORKER
    return Stall(
        transport=draw(TRANSPORTS),
        workers=workers,
        clients=draw(st.integers(low * workers, high * workers)),
        stalled=draw(st.integers(0, workers - 1)),
        file=draw(FILE_NAMES),
        text=draw(TEXTS),
    )


def burst_size(case: Stall, workers: int) -> int:
    """C for a cluster of WORKERS (the book's 3 when its argv has no {workers}): the case's C,
    brought into 2W..4W."""
    low, high = STALL_CLIENTS_PER_WORKER
    return min(max(case.clients, low * workers), high * workers)


def is_stopped(pid: int) -> bool:
    """Whether PID is in the stopped state (``T``) that SIGSTOP puts it in."""
    info = process_info(pid)
    return info is not None and info.state in ("T", "t")


class Parallel(ClusterProperty[Stall]):
    """CLUSTER-6: a worker stopped with SIGSTOP holds up only the requests handed to it."""

    requirement_id: ClassVar[str] = "CLUSTER-6"
    case_type = Stall

    def cases(self, role: str) -> st.SearchStrategy[Stall]:
        return stalls()

    async def play(self, world: World, role: str, case: Stall) -> None:
        world.write_file(case.file, case.text.encode())
        endpoint, process, workers = await start_cluster(world, role, case.workers)
        online = await await_online(process, workers)
        if len(online) < workers:
            return
        clients = [world.peer(f"client-{n}", zmq.REQ) for n in range(burst_size(case, workers))]
        for client in clients:
            client.socket.connect(endpoint)
        request = file_request(case.file)
        if not await warm_up(world, clients, request, set(online)):
            return
        victim = online[case.stalled % workers]
        if not is_member(victim, process.pid) or not is_alive(victim):
            why = (
                f"worker {victim} is not a live process of the cluster (a descendant of the "
                f"master {process.pid} or in its group); the harness stops only the master's own"
            )
            world.transcript.record(Note, key=NO_STALL_NOTE, text=why)
            return
        world.transcript.record(Note, key=STALLED_NOTE, text=str(victim))
        try:
            os.kill(victim, signal.SIGSTOP)
            world.transcript.record(Signalled, process=f"worker {victim}", signal="SIGSTOP")
            with trio.move_on_after(STOPPED_TIMEOUT):
                while not is_stopped(victim):
                    await trio.sleep(GONE_POLL)
            await self.burst(world, clients, request, victim, workers)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGCONT)  # first, whatever happened: teardown needs it

    async def burst(
        self, world: World, clients: list[Peer], request: bytes, victim: int, workers: int
    ) -> None:
        """Every client sends REQUEST at once; once all but the stopped worker's share have
        their replies (or STALL_WINDOW s have passed) VICTIM gets SIGCONT, and every reply
        is awaited REPLY_TIMEOUT s more."""
        for client in clients:
            await client.send(request)
        need = len(clients) - stalled_share(len(clients), workers)
        replies = 0
        enough = trio.Event()

        async def receive(client: Peer) -> None:
            nonlocal replies
            await client.recv()
            replies += 1
            if replies >= need:
                enough.set()

        with trio.CancelScope() as waiting:
            async with trio.open_nursery() as nursery:
                for client in clients:
                    nursery.start_soon(receive, client)
                with trio.move_on_after(STALL_WINDOW):
                    await enough.wait()
                world.transcript.record(Note, key=CONTINUED_NOTE, text=str(replies))
                os.kill(victim, signal.SIGCONT)
                world.transcript.record(Signalled, process=f"worker {victim}", signal="SIGCONT")
                waiting.deadline = trio.current_time() + REPLY_TIMEOUT
        if waiting.cancelled_caught:
            what = f"every reply after worker {victim} was continued"
            world.transcript.record(TimedOut, waiting_for=what, seconds=REPLY_TIMEOUT)

    def check(self, role: str, case: Stall, transcript: Transcript) -> Verdict:
        workers = workers_noted(transcript, case.workers)
        return check_stall(
            transcript=transcript,
            process=role,
            clients=[f"client-{n}" for n in range(burst_size(case, workers))],
            text=case.text,
            workers=workers,
            window=STALL_WINDOW,
        )


PROPERTIES: list[type[Property[Any]]] = [Online, Spread, Restart, Stopped, Orphans, Parallel]
