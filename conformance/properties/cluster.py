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
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import trio
import zmq
from hypothesis import strategies as st

from conformance import containment, procfs
from conformance.checks.cluster import (
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
from conformance.deadlines import (
    BLOCKED_POLL,
    BLOCKED_WINDOW,
    GONE_AFTER_SIGKILL,
    GONE_AFTER_SIGTERM,
    GONE_POLL,
    ONLINE_TIMEOUT,
    REPLY_TIMEOUT,
    RESTART_CASE_TIMEOUT,
    RESTART_TIMEOUT,
    STALL_WINDOW,
    STOP_TIMEOUT,
    STOPPED_TIMEOUT,
    TRIES,
    TRY_TIMEOUT,
    WARMUP_TIMEOUT,
)
from conformance.facts import (
    AdoptedAtExit,
    BlockingBegan,
    BlockingEnded,
    CountingBegan,
    ExitSeen,
    GroupMemberLeft,
    KillRefused,
    PlayEnded,
    ReadyPattern,
    ReapLooked,
    Retried,
    SeenAlive,
    SeenGroup,
    SeenMember,
    StallRefused,
    StartBlocked,
    StopSent,
    WarmedUp,
    WorkerContinued,
    WorkerKilled,
    WorkerStalled,
    counted,
)
from conformance.model import Signalled, TimedOut, Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Glance, Property
from conformance.properties.reqrep import FILE_NAMES, TEXTS
from conformance.roles import role_of
from conformance.supervisor import Process, ProcessExited
from conformance.world import Peer, World

BOOK_WORKERS = role_of("filer-rep-cluster").book["workers"]
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

C = TypeVar("C", bound=Case)


# --- processes, as /proc sees them -----------------------------------------------------------


def is_alive(pid: int) -> bool:
    """Whether PID is a running process; a zombie has exited and counts as gone."""
    return procfs.alive(pid)


def is_member(pid: int, master: int) -> bool:
    """Whether PID is a descendant of MASTER or in its process group (the supervisor makes
    MASTER a group leader): the only processes the harness may kill as workers."""
    if pid in (master, os.getpid()) or pid <= 1:
        return False
    info = procfs.process_info(pid)
    if info is None:
        return False
    if info.pgid == master:
        return True
    for _ in range(64):  # walk up the parents
        if info.ppid == master:
            return True
        if info.ppid <= 1:
            return False
        parent = procfs.process_info(info.ppid)
        if parent is None:
            return False
        info = parent
    return False


def note_group(world: World, pid: int) -> None:
    """Note PID's process group (``/proc/PID/stat``, field 5), if PID is there to read."""
    info = procfs.process_info(pid)
    if info is not None:
        world.transcript.record(SeenGroup, pid=pid, pgid=info.pgid)


def command_line(pid: int) -> str:
    """PID's command line, for a message ("?" once it is gone)."""
    return procfs.command_line(pid)[:120].strip() or "?"


def unreaped_unseen() -> str:
    """Why the harness cannot see the workers a master leaves unreaped ("" if it can): only
    a child subreaper adopts them (the ``cgroup`` and ``subreaper`` containments are one)."""
    choice = containment.mechanism()
    if choice.name == containment.PROCESS_GROUPS_ONLY:
        why = choice.why_not_better
    elif not containment.become_subreaper():
        why = "prctl(PR_SET_CHILD_SUBREAPER) failed"
    else:
        return ""
    return (
        "LIFECYCLE-5.e (the master reaps its workers before it exits): the harness is not a "
        f"child subreaper here ({why}), so the workers a master leaves unreaped pass to "
        "another reaper unseen"
    )


def open_exit_watch(master: Process) -> int | None:
    """A pidfd of MASTER (not yet reaped), which becomes readable the moment it exits; None
    if it is already gone."""
    if master.returncode is not None:
        return None
    try:
        return os.pidfd_open(master.pid)
    except OSError:
        return None


async def look_at_exit(world: World, master: Process, pidfd: int) -> None:
    """Wait for the master's exit on PIDFD, then at once record every child of the harness
    but the master (:class:`AdoptedAtExit`, after :class:`ReapLooked`).

    The kernel re-parents the children a process has not reaped to the subreaper before its
    exit is reported, so a worker the master did not reap is among them. The look must come
    before the supervisor reaps what is left of the master's group, which it does only after
    the pipes have drained, several scheduling rounds after this task wakes: nothing here
    awaits between the wake and the look.
    """
    await trio.lowlevel.wait_readable(pidfd)
    world.transcript.record(ReapLooked)
    for pid in procfs.children_of(os.getpid()):
        info = procfs.process_info(pid)
        if pid != master.pid and info is not None:
            world.transcript.record(AdoptedAtExit, pid=pid, zombie=info.zombie)


# --- the cluster -----------------------------------------------------------------------------


async def start_cluster(world: World, role: str, workers: int) -> tuple[str, Process, int]:
    """Start the cluster; where clients connect, the master, and how many workers it must
    run: WORKERS, or the book's 3 if its argv has no {workers} (noted for the checker)."""
    spec = world.manifest.role(role)
    workers = world.number(role, "workers", workers)
    if spec.ready is not None:
        world.transcript.record(ReadyPattern, process=role, pattern=spec.ready.pattern)
    launch = world.prepare(role, workers=str(workers))
    process = await world.start(launch)
    return launch.endpoints["endpoint"], process, workers


async def read_online(
    process: Process,
    count: int,
    pids: list[int],
    *,
    start: int = 0,
    seen: Callable[[int], object] | None = None,
) -> None:
    """Add to PIDS the pids of the next COUNT online lines from line START (SEEN is called with
    each as it is read), until the master stops. No deadline of its own: the caller bounds it."""
    index = start - 1
    with contextlib.suppress(ProcessExited):
        for _ in range(count):
            index, line = await process.wait_for_line(WORKER_ONLINE, start=index + 1)
            match = WORKER_ONLINE.match(line)
            assert match is not None
            pids.append(int(match["pid"]))
            if seen is not None:
                seen(pids[-1])


async def await_online(
    world: World, process: Process, count: int, *, seen: Callable[[int], object] | None = None
) -> list[int]:
    """The pids of the first COUNT online lines (see :func:`read_online`); fewer if the master
    stops or ONLINE_TIMEOUT passes first."""
    pids: list[int] = []
    with world.move_on_after(f"{count} online lines of {process.name}", ONLINE_TIMEOUT):
        await read_online(process, count, pids, seen=seen)
    return pids


async def ask(world: World, client: Peer, request: bytes, what: str) -> tuple[bytes, ...] | None:
    """One request and its reply on a REQ; None (and a TimedOut) if no reply came."""
    with world.move_on_after(what, REPLY_TIMEOUT):
        await client.send(request)
        return await client.recv()
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

    what = "every announced worker to answer a warm-up request"
    with world.move_on_after(what, WARMUP_TIMEOUT):
        async with trio.open_nursery() as nursery:
            for client in clients:
                nursery.start_soon(warm, client)
    pids = tuple(sorted(pid for pid in answered if pid is not None))
    world.transcript.record(WarmedUp, pids=pids)
    return not malformed and announced <= answered


def workers_noted(transcript: Transcript, default: int) -> int:
    return counted(transcript, "workers", default)


class ClusterProperty(Property[C]):
    """A cluster property: :meth:`play` the case, then note its end, also when it stops early,
    so that what the master prints during teardown is never taken for behaviour."""

    async def run(self, world: World, role: str, case: C) -> None:
        try:
            await self.play(world, role, case)
        finally:
            world.transcript.record(PlayEnded)

    @abc.abstractmethod
    async def play(self, world: World, role: str, case: C) -> None:
        """Play one example; record, do not judge."""


# --- CLUSTER-1 ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Workers(Case):
    workers: int


class Online(ClusterProperty[Workers]):
    """CLUSTER-1: an online line for each of WORKERS live worker processes.

    - WORKERS = W = 1..4 (`{workers}`; 3 if the role's templates have no `{workers}`). The harness
      starts the master (waiting for its ready line when the manifest gives one) and reads stdout
      until W online lines (deadline 15 s from then).
    - Each pid is looked at in /proc as its line is read: it must be a live process (existing, not a
      zombie) that is a descendant of the master or in its process group, and its process group
      (`/proc/<pid>/stat`, field 5) must be the master's (LIFECYCLE-5.j: every process stays in the
      group the harness started it in); a worker started with `setsid` or `setpgid` fails here, even
      though the master ends it in time. The W pids must be distinct and none of them the master's
      own.
    - An online line beyond the W-th among the lines read by then fails the case (more workers than
      WORKERS), unless its worker has been reported exited.
    - With a `ready` regex, the ready line must come after the W-th online line.

    **Not checked.**
    - What "online" means beyond a live process: in the book (Node's cluster `online` event) the
      worker has started, not yet connected; in the reference it has connected its REP and printed
      its own ready line. CLUSTER-2 does not rely on either.
    - Online lines printed after the harness has read the W-th; the process group of a worker
      started later (a replacement): one outside the group that still runs at the end of the case
      fails it all the same ([harness.md](harness.md#processes-and-containment)).
    - That replies come from announced pids is checked by REQREP-2 to REQREP-4 (when the master
      printed online lines), CLUSTER-2 and CLUSTER-3.
    """

    requirement_id: ClassVar[str] = "CLUSTER-1"
    case_type = Workers
    glance: ClassVar[Glance] = Glance(
        ranges=(("workers", ONLINE_WORKERS),), timers=(("online lines", ONLINE_TIMEOUT),)
    )

    def cases(self, role: str) -> st.SearchStrategy[Workers]:
        return st.builds(Workers, transport=TRANSPORTS, workers=st.integers(*ONLINE_WORKERS))

    async def play(self, world: World, role: str, case: Workers) -> None:
        _, process, workers = await start_cluster(world, role, case.workers)

        note_group(world, process.pid)

        def look(pid: int) -> None:  # when its line is read
            world.transcript.record(SeenAlive, pid=pid, alive=is_alive(pid))
            member = is_member(pid, process.pid)
            world.transcript.record(SeenMember, pid=pid, member=member)
            note_group(world, pid)

        await await_online(world, process, workers, seen=look)

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
    """CLUSTER-2: every worker answers some requests, none more than twice its share.

    1. W = 2..4 (3 if the role's templates have no `{workers}`). The harness writes one file (a
       generated name and text) under `{root}`, starts the master and waits for W online lines (15
       s); their pids are the announced workers.
    2. **Warm-up** (not counted): C = 2..10 concurrent REQ clients, each lockstep, ask for the file
       until every announced pid has answered at least once (deadline 10 s in all). A reply from a
       worker proves that its connection to the master's DEALER is attached; a worker whose
       connection completes a moment after its online line only misses a few warm-up requests.
    3. **Count**: the same clients send N = k·W requests (k = 20..40), split as evenly as possible
       over the clients, each client lockstep (at most C in flight in all; each reply awaited 10 s),
       and the harness counts replies per `pid`.
    4. Pass: every counted reply carries the file's text and an announced pid, every client got all
       its replies, every announced worker answered ≥ 1 counted request and none answered more than
       2N/W.

    Why this cannot fail a correct implementation: after the warm-up all W worker connections are
    attached, and none is ever full (≤ 10 requests in flight against a high-water mark of 1000), so
    a DEALER's round-robin hands counted request j to worker j mod W: each answers N/W = k ≥ 20, far
    inside [1, 2N/W]. The factor 2 leaves room for other fair schemes (a least-recently-used queue
    over workers of uneven speed). Without the warm-up, neither bound is safe: a worker that
    attaches after the whole batch answers none, and the first workers to attach take more than
    their share.

    What it catches: everything to one worker, by any mechanism (a master that forwards to one fixed
    worker, workers that bind their own endpoints, a pool that is really one process). It fails the
    warm-up, or the bounds: for W ≥ 3 the busiest answers N > 2N/W, for W = 2 the other answers
    none.

    **Not checked.**
    - Balance by load: DEALER counts messages, not work; a slow worker gets as many requests as a
      fast one, which queue at it.
    - The spread before every worker is attached (hence the warm-up); W = 1 (trivial).
    """

    requirement_id: ClassVar[str] = "CLUSTER-2"
    case_type = Load
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("workers", SPREAD_WORKERS),
            ("clients", SPREAD_CLIENTS),
            ("requests per worker", PER_WORKER),
        ),
        timers=(
            ("online lines", ONLINE_TIMEOUT),
            ("warm-up", WARMUP_TIMEOUT),
            ("reply", REPLY_TIMEOUT),
        ),
    )

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
        announced = set(await await_online(world, process, workers))
        clients = [world.peer(f"client-{n}", zmq.REQ) for n in range(case.clients)]
        for client in clients:
            client.socket.connect(endpoint)
        request = file_request(case.file)

        if not await warm_up(world, clients, request, announced):
            return

        world.transcript.record(CountingBegan)

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
                Retried,
                request=number,
                peer=self.peer.name,
                attempt=attempt,
                tries=TRIES,
                seconds=TRY_TIMEOUT,
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
class StartBlocker:
    """LIFECYCLE-5.i: for BLOCKED_WINDOW s from a kill, every process the master starts is
    SIGKILLed as soon as /proc shows it among the master's descendants, so that no worker can
    start. A master that backs off starts few in the window; one that spins starts many.
    Listing the master's processes every BLOCKED_POLL s paces a poll: a fork is no event."""

    world: World
    master: Process
    nursery: trio.Nursery
    over: trio.Event = field(default_factory=trio.Event)
    armed: bool = False

    def arm(self) -> None:
        """Note the master's processes as they are now (before the kill) and start the
        window; only the first call does."""
        if self.armed:
            return
        self.armed = True
        known = {pid: info.starttime for pid, info in procfs.family([self.master.pid]).items()}
        self.world.transcript.record(BlockingBegan, seconds=BLOCKED_WINDOW)
        self.nursery.start_soon(self._block, known)

    async def _block(self, known: dict[int, int]) -> None:
        """Kill each process not in KNOWN (pid -> start time) as it appears, until the window
        is over or the master is gone."""
        end = trio.current_time() + BLOCKED_WINDOW
        try:
            while is_alive(self.master.pid):
                for pid, info in procfs.family([self.master.pid]).items():
                    if known.get(pid) == info.starttime:
                        continue
                    known[pid] = info.starttime
                    procfs.kill_process(info)
                    self.world.transcript.record(StartBlocked, pid=pid)
                if trio.current_time() >= end:
                    break
                await trio.sleep(BLOCKED_POLL)
        finally:
            self.world.transcript.record(BlockingEnded, master_alive=is_alive(self.master.pid))
            self.over.set()


@dataclass
class Killer:
    """Kills workers of the cluster on the schedule, and waits for their replacements."""

    world: World
    process: Process
    answered_by: list[int | None]
    """The pid in each reply so far, in order (None for an unreadable reply)."""
    pending: list[tuple[int, int]]
    """(victim, stdout line count at the kill) whose exit and replacement to wait for."""
    blocker: StartBlocker | None = None
    """If given, the first kill comes with its window of blocked starts (CLUSTER-3)."""

    def kill(self, choice: int | None) -> int | None:
        """SIGKILL the worker with pid CHOICE if it is a live worker of the cluster, else the
        first live one; note why not if there is none the harness may kill."""
        live = live_workers(self.process.lines())
        if not live:
            self.world.transcript.record(KillRefused, reason="no worker is online")
            return None
        victim = choice if choice in live else live[0]
        if not is_member(victim, self.process.pid):
            why = (
                f"worker {victim} is not a process of the cluster (not a descendant of the "
                f"master {self.process.pid}); the harness kills only the master's own processes"
            )
            self.world.transcript.record(KillRefused, reason=why)
            return None
        self.pending.append((victim, len(self.process.lines())))
        if self.blocker is not None:
            self.blocker.arm()
        self.world.transcript.record(WorkerKilled, pid=victim)
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
        self.world.transcript.record(Signalled, process=f"worker {victim}", signal="SIGKILL")
        return victim

    async def replaced(self) -> None:
        """Wait for the exit line of each killed worker and an online line after it; after
        the kill that has a window of blocked starts, from the end of that window."""
        if self.pending and self.blocker is not None and self.blocker.armed:
            await self.blocker.over.wait()  # bounded: the window ends BLOCKED_WINDOW s on
        for victim, mark in self.pending:
            exited = re.compile(rf"^Worker {victim} exited with code ")
            what = f"the exit line of worker {victim} and an online line after it"
            with self.world.move_on_after(what, RESTART_TIMEOUT):
                with contextlib.suppress(ProcessExited):
                    await self.process.wait_for_line(exited, start=mark)
                await read_online(self.process, 1, [], start=mark)
        self.pending.clear()


class Restart(ClusterProperty[Restarts]):
    """CLUSTER-3: a killed worker is reported and replaced; a Lazy Pirate gets every reply.

    - W = 2..3 workers (3 if the role's templates have no `{workers}`). The harness writes one file
      per request, `request-<n>.txt` holding the generated text followed by ` #<n>`, starts the
      master and waits for W online lines (15 s). One client then asks for files 1, 2, ... in turn,
      P requests in all.
    - Kill schedule: 1..2 kills, after the k-th reply (k generated, distinct, 1..10, increasing); P
      = the last k + 5..10. Each kill is a SIGKILL to one pid: the worker named in the k-th reply,
      or the first live announced worker (online, not reported exited) if that one is not. The
      harness kills only a process that is a descendant of the master or in its process group;
      otherwise it makes no kill, and the case fails.
    - In-flight variant (a generated flag): the harness first sends request k + 1, then kills the
      worker that strict round-robin would hand it to (the one that answered request k + 1 - W, or
      the k-th reply's if k < W), so that the request may be lost with its worker and the retry path
      below really runs.
    - **Starts blocked** (LIFECYCLE-5.i), with the first kill of every case: just before it the
      harness lists the master's processes (its descendants in /proc); for 3 s from then it lists
      them again every 20 ms and SIGKILLs each process not in the first list as soon as it is
      seen, as if every worker failed to start. Then it kills no more.
    - After each reply the harness waits for each pending kill's `Worker <pid> exited with code`
      line and for an online line after the kill (10 s for both), after the first kill 10 s from
      the end of the 3 s, then goes on in any case.
    - The client is a **Lazy Pirate** REQ: it waits up to 2.5 s for a reply; on timeout it closes
      the socket (linger 0), opens a new one, connects, and sends the same request again, up to 5
      tries per request. A request without a reply after 5 tries ends the case.
    - Pass: every request answered on one of its tries, and every reply the client got carries its
      request's file's text and the pid of a worker announced online; every kill of the schedule
      made; for each kill, the killed pid's first exit line after the kill says `-9`, and an online
      line with a pid not seen before follows it, before the next kill; in the 3 s of blocked starts
      the master started at most 20 processes (more than about 6 a second is spinning; a master
      whose backoff doubles from a tenth of a second starts about 5) and still runs at their
      end; at the end exactly W workers are online and not reported exited, and each of them is
      a live process. The exit lines of the processes killed in the window are accepted,
      whatever their code, and they need no online line.

    **Not checked.**
    - How many requests needed a retry (timeouts are wall time; a retry to a correct cluster only
      costs time).
    - The backoff's shape: only the number of starts in the 3 s counts (a master that waits 10 s or
      more before a restart fails the wait for a replacement); the stderr log line.
    - A worker the master starts outside its descendants (a double fork): it is not blocked.
    """

    requirement_id: ClassVar[str] = "CLUSTER-3"
    case_type = Restarts
    timeout: ClassVar[float] = RESTART_CASE_TIMEOUT
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("workers", RESTART_WORKERS),
            ("kills", KILLS),
            ("kill after reply", KILL_AFTER),
            ("requests after the last kill", AFTER_LAST_KILL),
            ("tries", (1, TRIES)),
        ),
        timers=(
            ("online lines", ONLINE_TIMEOUT),
            ("starts blocked", BLOCKED_WINDOW),
            ("exit and online lines", RESTART_TIMEOUT),
            ("try", TRY_TIMEOUT),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Restarts]:
        return restarts()

    async def play(self, world: World, role: str, case: Restarts) -> None:
        for number in range(1, case.requests + 1):
            name, text = case.request(number)
            world.write_file(name, text.encode())
        endpoint, process, workers = await start_cluster(world, role, case.workers)
        await await_online(world, process, workers)
        client = LazyPirate(world, endpoint)
        async with trio.open_nursery() as nursery:
            blocker = StartBlocker(world, process, nursery)
            killer = Killer(world, process, answered_by=[], pending=[], blocker=blocker)
            await self.requests(client, killer, case, workers)
        for pid in live_workers(process.lines()):
            world.transcript.record(SeenAlive, pid=pid, alive=is_alive(pid))

    async def requests(
        self, client: LazyPirate, killer: Killer, case: Restarts, workers: int
    ) -> None:
        """Request 1, 2, ... in turn, killing on the schedule and awaiting each replacement."""
        for number in range(1, case.requests + 1):
            sent = None
            if case.in_flight and number - 1 in case.schedule:
                # The worker that round-robin hands this request to, if it rotates as it did.
                earlier = number - workers
                choice = killer.answered_by[earlier - 1 if earlier >= 1 else -1]
                sent = functools.partial(killer.kill, choice)
            reply = await client.request(file_request(case.request(number)[0]), number, sent)
            if reply is None:
                return
            killer.answered_by.append(read_reply(reply).pid)
            if not case.in_flight and number in case.schedule:
                killer.kill(killer.answered_by[-1])
            await killer.replaced()

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
    """CLUSTER-4: after SIGTERM of the master, no worker process remains.

    - W = 1..4 (3 if the role's templates have no `{workers}`). The harness starts the master, waits
      for W online lines (15 s), has k requests answered (k = 0..3, on one REQ, 10 s each) and, in
      half the cases (generated), SIGKILLs the first live announced worker just before the master is
      signalled, so that its replacement may be starting. Then SIGTERM goes to the master only.
    - It waits up to 5 s for the master's exit. Then, within 2 s of the exit (or of that deadline if
      the master still runs), no worker it announced online may be a live process (existing, not a
      zombie), and no process but the master may remain live in the process group the harness
      started. The group check covers workers never announced (a replacement being started at the
      time of the signal).
    - **Reaped** (LIFECYCLE-5.e): the harness is a child subreaper, so when the master exits the
      kernel hands the harness every child the master has not reaped, alive or a zombie, before
      the exit is reported. The moment the harness sees the exit (on a pidfd of the master), it
      lists its own children: a worker announced online among them fails the case, even one that
      ends a moment later. A master that has waited for every worker leaves none.
    - The master's exit status, and whether it exits within 5 s, are LIFE-2's to judge (one bug, one
      failure): CLUSTER-4 judges only the workers.

    **Not checked.**
    - The `exited` lines printed during shutdown; how the workers are stopped (the reference:
      SIGTERM, then SIGKILL after 3 s).
    - Whether the master reaped its workers, where the harness cannot be a child subreaper
      (containment by process groups only: the result says `not exercised`); whether it reaped an
      unannounced worker.
    - An unannounced worker outside the master's process group.
    """

    requirement_id: ClassVar[str] = "CLUSTER-4"
    case_type = Stop
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM
    exit_within: ClassVar[float] = STOP_TIMEOUT
    """Seconds the harness waits for the master's exit after the signal (LIFE-2's deadline);
    if it still runs then, the workers are looked at GONE_WITHIN s later all the same."""
    gone_within: ClassVar[float] = GONE_AFTER_SIGTERM
    """Seconds after the master's exit by which no process of its group may run."""
    looks_for_unreaped: ClassVar[bool] = True
    """Whether the harness looks, at the master's exit, for workers it did not reap
    (LIFECYCLE-5.e): not after SIGKILL, which leaves the master no time to."""
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("workers", ONLINE_WORKERS),
            ("replies first", REPLIES_BEFORE_STOP),
        ),
        timers=(
            ("online lines", ONLINE_TIMEOUT),
            ("reply", REPLY_TIMEOUT),
            ("master's exit", exit_within),
            ("workers gone", gone_within),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Stop]:
        return st.builds(
            Stop,
            transport=TRANSPORTS,
            workers=st.integers(*ONLINE_WORKERS),
            replies=st.integers(*REPLIES_BEFORE_STOP),
            kill_first=st.booleans(),
        )

    def not_exercised(self, role: str) -> list[str]:
        why = unreaped_unseen() if self.looks_for_unreaped else ""
        return [why] if why else []

    async def play(self, world: World, role: str, case: Stop) -> None:
        world.write_file(case.file, b"stop")
        endpoint, process, workers = await start_cluster(world, role, case.workers)
        await await_online(world, process, workers)
        if case.replies:
            client = world.peer("client", zmq.REQ)
            client.socket.connect(endpoint)
            for number in range(1, case.replies + 1):
                if await ask(world, client, file_request(case.file), f"reply {number}") is None:
                    break
        if case.kill_first:
            Killer(world, process, answered_by=[], pending=[]).kill(None)
        looks = self.looks_for_unreaped and not unreaped_unseen()
        pidfd = open_exit_watch(process) if looks else None
        world.transcript.record(StopSent, process=role, signal=self.stop_signal.name)
        process.signal(self.stop_signal)
        # The master's exit (status, deadline) is LIFE-2's to judge; this looks only at what
        # is left of the cluster: the workers it did not reap, at the exit, and those still
        # running GONE_WITHIN s after it, or after EXIT_WITHIN s if the master still runs then.
        try:
            with world.move_on_after("the master to exit", self.exit_within):
                if pidfd is not None:
                    await look_at_exit(world, process, pidfd)
                code = await process.wait()
                world.transcript.record(ExitSeen, process=role, code=code)
        finally:
            if pidfd is not None:
                os.close(pidfd)
        announced = list(dict.fromkeys(online_of(process.lines())))

        def others() -> list[int]:
            return [pid for pid in procfs.group_members(process.pid) if pid != process.pid]

        with trio.move_on_after(self.gone_within):
            while others() or any(is_alive(pid) for pid in announced):
                await trio.sleep(GONE_POLL)
        for pid in announced:
            world.transcript.record(SeenAlive, pid=pid, alive=is_alive(pid))
        for pid in others():
            if pid not in announced:
                world.transcript.record(GroupMemberLeft, pid=pid, command=command_line(pid))

    def check(self, role: str, case: Stop, transcript: Transcript) -> Verdict:
        return check_stopped(
            transcript=transcript,
            process=role,
            how=f"{self.stop_signal.name} of the master",
            exit_within=self.exit_within,
            gone_within=self.gone_within,
        )


class Orphans(Stopped):
    """CLUSTER-5: after SIGKILL of the master its workers exit on their own within 5 s.

    - W = 1..4 (3 if the role's templates have no `{workers}`). The harness starts the master, waits
      for W online lines (15 s) and has k requests answered (k = 0..3); then SIGKILL goes to the
      master only. Within 5 s of the moment the harness sees the master's exit, no worker it
      announced online may be a live process (existing, not a zombie), and no other live process may
      remain in the process group the harness started.

    **Not checked.**
    - The ipc file of the killed master: nobody can remove it (libzmq replaces it at the next bind).
    - The moment the harness sees the master's exit can trail the exit by up to 1 s (it first waits
      for the master's output pipes to close, which live workers keep open), so workers get up to 6
      s.
    """

    requirement_id: ClassVar[str] = "CLUSTER-5"
    stop_signal: ClassVar[signal.Signals] = signal.SIGKILL
    gone_within: ClassVar[float] = GONE_AFTER_SIGKILL
    looks_for_unreaped: ClassVar[bool] = False
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("workers", ONLINE_WORKERS),
            ("replies first", REPLIES_BEFORE_STOP),
        ),
        timers=(
            ("online lines", ONLINE_TIMEOUT),
            ("workers gone", gone_within),
        ),
    )

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
    info = procfs.process_info(pid)
    return info is not None and info.state in ("T", "t")


class Parallel(ClusterProperty[Stall]):
    """CLUSTER-6: a worker stopped with SIGSTOP holds up only the requests handed to it.

    1. W = 2..4 (3 if the role's templates have no `{workers}`). The harness writes one file (a
       generated name and text) under `{root}`, starts the master, waits for W online lines (15 s)
       and connects C REQ clients, C = 2W..4W (generated). They warm up as in CLUSTER-2 until every
       announced pid has answered once (deadline 10 s in all).
    2. **Stall**: the harness sends SIGSTOP to one announced worker (generated which; only a process
       that descends from the master or is in its group) and waits until /proc shows it stopped (up
       to 2 s).
    3. **Burst**: each of the C clients sends one request for the file, all at once. Once C − ⌈C/W⌉
       replies have arrived, or 10 s after the burst if they have not, the harness sends SIGCONT to
       the stopped worker, then awaits every reply (10 s).
    4. Pass: at least C − ⌈C/W⌉ replies arrived before the SIGCONT; every client got its reply; each
       reply carries the file's text and a pid the master announced online.

    Why this cannot fail a correct implementation: after the warm-up all W worker connections are
    attached, and a DEALER's round robin hands the C requests of the burst to the W workers in turn,
    so the stopped one gets at most ⌈C/W⌉ of them (a least-recently-used master gives it at most
    one); the others answer theirs. Teardown, also after a failure or Ctrl-C, sends SIGCONT first.

    What it catches: a master that forwards one request and waits for its reply before it takes the
    next (with C ≥ 2W it answers at most W − 1 before it hands one to the stopped worker and stops),
    or any other master that serialises requests behind a slow worker.

    **Not checked.**
    - That requests queued at the stalled worker move to another: RFC 28's DEALER never takes back a
      message it handed to a peer; they wait until it runs again (or are lost if it dies,
      CLUSTER-3).
    - How fast the other workers answer, within the 10 s.
    - A worker stalled in its code rather than stopped (an endless loop looks the same from
      outside).
    """  # noqa: RUF002 (typeset minus signs, as procedure.md prints them)

    requirement_id: ClassVar[str] = "CLUSTER-6"
    case_type = Stall
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("workers", STALL_WORKERS),
            ("clients per worker", STALL_CLIENTS_PER_WORKER),
        ),
        timers=(
            ("online lines", ONLINE_TIMEOUT),
            ("warm-up", WARMUP_TIMEOUT),
            ("stopped", STOPPED_TIMEOUT),
            ("stall", STALL_WINDOW),
            ("replies", REPLY_TIMEOUT),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Stall]:
        return stalls()

    async def play(self, world: World, role: str, case: Stall) -> None:
        world.write_file(case.file, case.text.encode())
        endpoint, process, workers = await start_cluster(world, role, case.workers)
        online = await await_online(world, process, workers)
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
            world.transcript.record(StallRefused, reason=why)
            return
        world.transcript.record(WorkerStalled, pid=victim)
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
        enough, every = trio.Event(), trio.Event()

        async def receive(client: Peer) -> None:
            nonlocal replies
            await client.recv()
            replies += 1
            if replies >= need:
                enough.set()
            if replies == len(clients):
                every.set()

        async with trio.open_nursery() as nursery:
            for client in clients:
                nursery.start_soon(receive, client)
            with trio.move_on_after(STALL_WINDOW):
                await enough.wait()
            world.transcript.record(WorkerContinued, replies=replies)
            os.kill(victim, signal.SIGCONT)
            world.transcript.record(Signalled, process=f"worker {victim}", signal="SIGCONT")
            with world.move_on_after(
                f"every reply after worker {victim} was continued", REPLY_TIMEOUT
            ):
                await every.wait()
            nursery.cancel_scope.cancel()

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
