"""Checkers of the cluster requirements (SPEC.md CLUSTER-*).

The master's stdout is the source of truth about its workers: ``Worker <pid>
is online.`` and ``Worker <pid> exited with code <code>`` lines. The driver
adds what only the harness can see, as facts (:mod:`conformance.facts`):
whether a pid is a live process, whether it belongs to the cluster, which
worker it killed and when the example ended. Event order in the transcript
is the order things happened, so "after the kill" means "after WorkerKilled";
what the master prints after PlayEnded (its teardown) does not count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from conformance.checks.messages import (
    REPLY_FORMAT,
    WORKER_EXITED,
    WORKER_ONLINE,
    read_reply,
    shorten,
)
from conformance.deadlines import RESTART_TIMEOUT, WARMUP_TIMEOUT
from conformance.errors import HarnessError
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
)
from conformance.model import Event, Printed, Received, Sent, Started, Transcript, Verdict
from conformance.normative import MUST, SHOULD, Clause, Requirement

# --- what this module judges: its requirements (SPEC.md §4) and their clauses ---------------

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        id="CLUSTER-1",
        title="The master prints 'Worker <pid> is online.' for each of WORKERS live worker processes.",
        roles=("filer-rep-cluster",),
        source="zmq-filer-rep-cluster.js",
    ),
    Requirement(
        id="CLUSTER-2",
        title="Requests spread over the workers: each answers some, and none more than twice its fair share.",
        roles=("filer-rep-cluster",),
        source="zmq-filer-rep-cluster.js; RFC 28 (DEALER round-robins to available peers)",
    ),
    Requirement(
        id="CLUSTER-3",
        title="After a worker is killed the master reports its exit, starts another, and a retrying client gets every reply.",
        roles=("filer-rep-cluster",),
        source="deviation: the book's master does not restart workers",
    ),
    Requirement(
        id="CLUSTER-4",
        title="After SIGTERM of the master no worker process remains 2 s after its exit.",
        roles=("filer-rep-cluster",),
        source="zmq-filer-rep-cluster.js (workers are the master's children)",
    ),
    Requirement(
        id="CLUSTER-5",
        title="After SIGKILL of the master its workers exit on their own within 5 s.",
        roles=("filer-rep-cluster",),
        source="deviation: no orphaned workers",
        level=SHOULD,
    ),
    Requirement(
        id="CLUSTER-6",
        title="A stalled worker holds up only the requests handed to it, not those of the other workers.",
        roles=("filer-rep-cluster",),
        source="zmq.md ('a ROUTER socket can handle many requests simultaneously')",
    ),
)
"""The requirements of this module's checkers, collected by :mod:`conformance.spec`."""

CLAUSES: tuple[Clause, ...] = (
    Clause(
        id="CLUSTER-1.a",
        level=MUST,
        section="CLUSTER-1",
        text="The master MUST start WORKERS worker processes",
        exercised_by=("CLUSTER-1",),
    ),
    Clause(
        id="CLUSTER-1.b",
        level=MUST,
        section="CLUSTER-1",
        text="and print `Worker <pid> is online.` once for each,",
        exercised_by=("CLUSTER-1",),
    ),
    Clause(
        id="CLUSTER-1.c",
        level=MUST,
        section="CLUSTER-1",
        text="with the pid of that live worker.",
        exercised_by=("CLUSTER-1",),
    ),
    Clause(
        id="CLUSTER-2.a",
        level=MUST,
        section="CLUSTER-2",
        text="The master MUST spread requests over its W workers so that, of N >= 20W "
        "requests, each worker answers at least one",
        exercised_by=("CLUSTER-2",),
    ),
    Clause(
        id="CLUSTER-2.b",
        level=MUST,
        section="CLUSTER-2",
        text="and none answers more than 2N/W.",
        exercised_by=("CLUSTER-2",),
    ),
    Clause(
        id="CLUSTER-3.a",
        level=MUST,
        section="CLUSTER-3",
        text="When a worker dies, the master MUST print `Worker <pid> exited with code <code>`,",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="CLUSTER-3.b",
        level=MUST,
        section="CLUSTER-3",
        text="start a replacement announced by `Worker <pid> is online.`,",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="CLUSTER-3.c",
        level=MUST,
        section="CLUSTER-3",
        text="and keep answering, so that a client that retries gets every reply.",
        exercised_by=("CLUSTER-3",),
    ),
    Clause(
        id="CLUSTER-4.a",
        level=MUST,
        section="CLUSTER-4",
        text="A master that receives SIGTERM MUST end all its worker processes, so that none "
        "remains 2 s after the master has exited.",
        exercised_by=("CLUSTER-4",),
    ),
    Clause(
        id="CLUSTER-5.a",
        level=SHOULD,
        section="CLUSTER-5",
        text="After the master is killed with SIGKILL, its workers SHOULD exit on their own "
        "within 5 s.",
        exercised_by=("CLUSTER-5",),
    ),
    Clause(
        id="CLUSTER-6.a",
        level=MUST,
        section="CLUSTER-6",
        text="While one worker is stalled, the master MUST go on handing requests to its other "
        "workers and returning their replies.",
        exercised_by=("CLUSTER-6",),
    ),
)
"""Their clauses (:mod:`conformance.clauses`), in the order of each requirement's sentence."""

MAX_STARTS_BLOCKED = 20
"""LIFECYCLE-5.i: the most processes a master may start in CLUSTER-3's window of blocked starts
(3 s): more than about 6 a second is spinning (a fixed delay of 0.2 s still passes). A master that backs off from 0.1 s, doubling,
starts about 5 (node-fixed); the reference, which retries a worker that did not start after
1 s, about 3; one that restarts at once, dozens."""

ONLINE_LINE = "Worker <pid> is online."
EXITED_LINE = "Worker <pid> exited with code <code>"


def master_pid(transcript: Transcript, process: str) -> int | None:
    return next((e.pid for e in transcript.of(Started) if e.process == process), None)


def alive_by_pid(transcript: Transcript) -> dict[int, bool]:
    """Whether each pid the harness looked at was alive (the last look wins)."""
    return {event.pid: event.alive for event in transcript.of(SeenAlive)}


def members_by_pid(transcript: Transcript) -> dict[int, bool]:
    """Whether each pid the harness looked at was the master's (the last look wins)."""
    return {event.pid: event.member for event in transcript.of(SeenMember)}


def groups_by_pid(transcript: Transcript) -> dict[int, int]:
    """The process group of each pid the harness looked at (the last look wins)."""
    return {event.pid: event.pgid for event in transcript.of(SeenGroup)}


def online_of(lines: Sequence[str]) -> list[int]:
    return [int(m["pid"]) for line in lines if (m := WORKER_ONLINE.match(line))]


def exited_of(lines: Sequence[str]) -> list[int]:
    return [int(m["pid"]) for line in lines if (m := WORKER_EXITED.match(line))]


def exit_codes(lines: Sequence[str], pid: int) -> list[str]:
    """The codes of PID's exited lines, as printed."""
    return [
        m["code"] for line in lines if (m := WORKER_EXITED.match(line)) and int(m["pid"]) == pid
    ]


def live_workers(lines: Sequence[str]) -> list[int]:
    """Workers reported online and not reported exited, in order."""
    exited = set(exited_of(lines))
    return [pid for pid in dict.fromkeys(online_of(lines)) if pid not in exited]


def shares(total: int, clients: int) -> tuple[int, ...]:
    """TOTAL requests split over CLIENTS as evenly as may be."""
    return tuple(total // clients + (index < total % clients) for index in range(clients))


def _lines(events: Sequence[Event], process: str) -> list[str]:
    return [e.line for e in events if isinstance(e, Printed) and e.process == process]


def _until_end(transcript: Transcript, process: str) -> list[str]:
    return _lines(transcript.events[: transcript.index_of(PlayEnded)], process)


# --- CLUSTER-1 ------------------------------------------------------------------------------


def check_online(*, transcript: Transcript, process: str, workers: int) -> Verdict:
    """WORKERS online lines with distinct pids of live processes of the cluster (none of them
    the master itself), each in the master's process group, and the ready line, if any,
    after them. A pid whose group the driver could not read is not judged on it."""
    lines = _until_end(transcript, process)
    online = online_of(lines)
    if len(online) < workers:
        return Verdict.failed(
            f"the master printed {len(online)} of {workers} online lines",
            expected=f"{workers} lines '{ONLINE_LINE}'",
            seen=shorten("; ".join(lines[-5:]) or "no output"),
        )
    first = online[:workers]
    twice = [pid for pid, count in Counter(first).items() if count > 1]
    if twice:
        return Verdict.failed(
            f"worker {twice[0]} was reported online twice: {workers} workers need "
            f"{workers} distinct pids",
            expected=f"{workers} distinct pids",
            seen=", ".join(map(str, first)),
        )
    master = master_pid(transcript, process)
    if master in first:
        return Verdict.failed(
            f"the master reported its own pid {master} as a worker",
            expected="the pids of separate worker processes",
            seen=", ".join(map(str, first)),
        )
    alive = alive_by_pid(transcript)
    member = members_by_pid(transcript)
    groups = groups_by_pid(transcript)
    home = groups.get(master) if master is not None else None
    for pid in first:
        if pid not in alive:
            return Verdict.stopped_before(f"the harness looked at worker {pid}")
        if not alive[pid]:
            return Verdict.failed(
                f"worker {pid} was reported online but is not a running process",
                expected=f"process {pid} running",
                seen="no such process, or a zombie",
            )
        if not member.get(pid, True):
            return Verdict.failed(
                f"worker {pid} is not a process of the cluster: neither a descendant of the "
                f"master {master} nor in its process group",
                expected=f"a child (or descendant) of {master}",
                seen=f"an unrelated process {pid}",
            )
        if home is not None and groups.get(pid, home) != home:
            return Verdict.failed(
                f"worker {pid} runs in process group {groups[pid]}, not in the master's "
                f"({home}): every process MUST stay in the group the harness started it in "
                "(SPEC.md 5), which its cleanup signals",
                expected=f"process group {home}",
                seen=f"process group {groups[pid]} (setsid or setpgid)",
            )
    exited = set(exited_of(lines))
    if [pid for pid in online[workers:] if pid not in exited]:
        return Verdict.failed(
            f"the master reported more workers online than WORKERS={workers}",
            expected=f"{workers} online lines",
            seen=f"{len(online)} (pids {', '.join(map(str, online))})",
        )
    pattern = transcript.first(ReadyPattern)
    if pattern is not None and pattern.pattern is not None:
        regex = pattern.pattern
        ready = next((i for i, line in enumerate(lines) if re.search(regex, line)), None)
        last = [i for i, line in enumerate(lines) if WORKER_ONLINE.match(line)][workers - 1]
        if ready is not None and ready < last:
            return Verdict.failed(
                f"the ready line came before all {workers} workers were online",
                expected=f"the ready line after the {workers}th online line",
                seen=f"it is line {ready + 1}, the {workers}th online line is line {last + 1}",
            )
    return Verdict.passed()


# --- CLUSTER-2 ------------------------------------------------------------------------------


def _warmed_up(transcript: Transcript, announced: Sequence[int]) -> Verdict | None:
    """A failure unless every announced worker answered in the warm-up (CLUSTER-2, CLUSTER-6):
    requests sent until each had answered once, which proves its connection attached."""
    warmed = transcript.first(WarmedUp)
    if warmed is None:
        return Verdict.stopped_before("the warm-up ended")
    for event in transcript.events[: transcript.index_of(WarmedUp)]:
        if isinstance(event, Received) and event.peer.startswith("client-"):
            problem = read_reply(event.frames).problem
            if problem is not None:  # its pid does not count: say why, not "no work"
                return Verdict.failed(
                    f"{event.peer}'s warm-up reply is malformed",
                    expected=REPLY_FORMAT,
                    seen=problem,
                )
    answered = set(warmed.pids)
    idle = [pid for pid in announced if pid not in answered]
    if idle:
        return Verdict.failed(
            f"worker {idle[0]} answered none of the warm-up requests, sent until every "
            f"announced worker had answered once ({WARMUP_TIMEOUT:g} s): it gets no work",
            expected=f"replies from each of {', '.join(map(str, announced))}",
            seen=f"replies from {', '.join(map(str, sorted(answered))) or 'nobody'}",
        )
    return None


def check_load(
    *,
    transcript: Transcript,
    process: str,
    clients: Sequence[str],
    requests: Sequence[int],
    text: str,
    workers: int,
) -> Verdict:
    """Every announced worker answered in the warm-up; then, of the counted requests (REQUESTS
    per client), every reply has the file's text, every worker answered some and none more
    than twice its fair share (2N/W)."""
    announced = list(dict.fromkeys(online_of(_until_end(transcript, process))))[:workers]
    warm = _warmed_up(transcript, announced)
    if warm is not None:
        return warm
    if transcript.first(CountingBegan) is None:
        return Verdict.stopped_before("the counted requests")
    counted = transcript.events[transcript.index_of(CountingBegan) :]
    answers: Counter[int] = Counter()
    for client, count in zip(clients, requests, strict=True):
        received = [e.frames for e in counted if isinstance(e, Received) and e.peer == client]
        for number, frames in enumerate(received, start=1):
            reply = read_reply(frames)
            if reply.problem is not None:
                return Verdict.failed(
                    f"{client}'s reply {number} is malformed",
                    expected=REPLY_FORMAT,
                    seen=reply.problem,
                )
            if reply.content != text:
                seen = repr(reply.content) if reply.content is not None else ""
                return Verdict.failed(
                    f"{client}'s counted reply {number} does not carry the file's text",
                    expected=shorten(repr(text)),
                    seen=shorten(seen or f"error {reply.error_code}"),
                )
            if reply.pid not in announced:
                return Verdict.failed(
                    f"{client}'s counted reply {number} names pid {reply.pid}, which the master "
                    "did not report online",
                    expected=f"one of {sorted(announced)}",
                    seen=str(reply.pid),
                )
            answers[reply.pid] += 1
        if len(received) < count:
            return Verdict.failed(
                f"{client} got {len(received)} of its {count} counted replies",
                expected=f"a reply to counted request {len(received) + 1}",
                seen="nothing before the deadline",
            )
    total = sum(requests)
    limit = 2 * total / workers
    spread = ", ".join(f"{pid}: {answers[pid]}" for pid in announced)
    idle = [pid for pid in announced if answers[pid] == 0]
    if idle:
        return Verdict.failed(
            f"worker {idle[0]} answered none of {total} counted requests: the load does not "
            f"spread over the {len(announced)} workers",
            expected=f"every worker answers some (about {total // workers} each)",
            seen=f"answers per worker: {spread}",
        )
    busiest, most = max(answers.items(), key=lambda item: item[1])
    if most > limit:
        return Verdict.failed(
            f"worker {busiest} answered {most} of {total} requests, more than twice its fair "
            f"share ({limit:.3g} with {workers} workers)",
            expected=f"at most {limit:.3g} each",
            seen=f"answers per worker: {spread}",
        )
    return Verdict.passed()


# --- CLUSTER-3 ------------------------------------------------------------------------------


def check_restarts(
    *,
    transcript: Transcript,
    process: str,
    workers: int,
    requests: Sequence[tuple[bytes, str]],
    kills: int,
    tries: int,
) -> Verdict:
    """After each kill the master reports the exit (-9) and starts a new worker; the retrying
    client (peers named ``client-<n>``, one per socket) got every reply, from announced
    workers; in the window of blocked starts after the first kill the master neither spun nor
    died (:func:`check_blocked`); WORKERS live workers are online at the end.

    REQUESTS holds (request frame, expected content) for request 1, 2, ...
    """
    events = transcript.events
    end = transcript.index_of(PlayEnded)
    announced = set(online_of(_lines(events[:end], process)))
    number_of = {request: number for number, (request, _) in enumerate(requests, start=1)}
    peers = list(dict.fromkeys(e.peer for e in transcript.of(Sent) if e.peer.startswith("client-")))
    answered: set[int] = set()
    attempts: Counter[int] = Counter()
    for peer in peers:
        received = transcript.received(peer)
        for index, frames in enumerate(transcript.sent(peer)):
            number = number_of.get(frames[0]) if len(frames) == 1 else None
            if number is None:
                raise HarnessError(f"{peer} sent a request the case did not make: {frames!r}")
            attempts[number] += 1
            if index >= len(received):
                continue
            reply = read_reply(received[index])
            if reply.problem is not None:
                return Verdict.failed(
                    f"the reply to request {number} is malformed",
                    expected=REPLY_FORMAT,
                    seen=reply.problem,
                )
            want = requests[number - 1][1]
            if reply.content != want:
                other = [
                    n for n, (_, text) in enumerate(requests, start=1) if text == reply.content
                ]
                why = f" (it is the reply to request {other[0]})" if other else ""
                seen = repr(reply.content) if reply.content is not None else ""
                return Verdict.failed(
                    f"request {number} got the wrong reply{why}",
                    expected=shorten(repr(want)),
                    seen=shorten(seen or f"error {reply.error_code}"),
                )
            if reply.pid not in announced:
                return Verdict.failed(
                    f"the reply to request {number} names pid {reply.pid}, which the master "
                    "did not report online",
                    expected=f"one of {sorted(announced)}",
                    seen=str(reply.pid),
                )
            answered.add(number)
    kills_made = [(i, e) for i, e in enumerate(events) if isinstance(e, WorkerKilled)]
    kill_at = [i for i, _ in kills_made]
    killed = [event.pid for _, event in kills_made]
    if killed:  # before the replies: a master that died in the window loses requests
        blocked = check_blocked(transcript, killed[0])
        if blocked is not None:
            return blocked
    for number in range(1, len(requests) + 1):
        if number not in answered:
            after = f" (after the kill of worker {killed[-1]})" if killed else ""
            if not attempts[number]:
                return Verdict.stopped_before(
                    f"the harness sent request {number} of {len(requests)}{after}"
                )
            return Verdict.failed(
                f"request {number} got no reply in {attempts[number]} tries{after}, each on a "
                "fresh REQ socket (Lazy Pirate)",
                expected=shorten(repr(requests[number - 1][1])),
                seen=f"no reply in {attempts[number]} of {tries} tries",
            )
    if len(killed) < kills:
        reasons = [event.reason for event in transcript.of(KillRefused)]
        if not reasons:
            return Verdict.stopped_before(f"the harness made all {kills} kills of the schedule")
        return Verdict.failed(
            f"the harness made {len(killed)} of the {kills} kills of the schedule: {reasons[0]}",
            expected=f"{kills} kills of live workers of the cluster",
            seen=reasons[0],
        )
    known = set(online_of(_lines(events[: kill_at[0]] if kill_at else events, process)))
    for k, (at, pid) in enumerate(zip(kill_at, killed, strict=True)):
        later = _lines(events[at:end], process)
        codes = exit_codes(later, pid)
        if not codes:
            return Verdict.failed(
                f"the master never reported the exit of worker {pid}, killed after reply "
                f"{_reply_before(events, at)}",
                expected=EXITED_LINE.replace("<pid>", str(pid)).replace("<code>", "-9"),
                seen=shorten("; ".join(later[:5]) or "no output after the kill"),
            )
        if codes[0] != "-9":
            return Verdict.failed(
                f"the master reported the wrong exit code for worker {pid}, killed with SIGKILL",
                expected=EXITED_LINE.replace("<pid>", str(pid)).replace("<code>", "-9"),
                seen=EXITED_LINE.replace("<pid>", str(pid)).replace("<code>", codes[0]),
            )
        bound = kill_at[k + 1] if k + 1 < len(kill_at) else end
        window = _lines(events[at:bound], process)
        new = [p for p in online_of(window) if p not in known]
        if not new:
            return Verdict.failed(
                f"no new worker came online after worker {pid} was killed (within "
                f"{RESTART_TIMEOUT:g} s, "
                "before the harness went on)",
                expected=ONLINE_LINE + " with a new pid",
                seen=shorten("; ".join(window[:5]) or "no output after the kill"),
            )
        known.update(online_of(window))
    live = live_workers(_lines(events[:end], process))
    if len(live) != workers:
        return Verdict.failed(
            f"after the kills {len(live)} workers are online, not WORKERS={workers} "
            "(online lines minus exited lines)",
            expected=f"{workers} workers",
            seen=f"pids {', '.join(map(str, live)) or 'none'}",
        )
    alive = alive_by_pid(transcript)
    dead = [pid for pid in live if not alive.get(pid, True)]
    if dead:
        return Verdict.failed(
            f"worker {dead[0]} is announced online and never reported exited, but it is not "
            "running",
            expected=f"{workers} live workers at the end",
            seen=f"{dead[0]} gone",
        )
    return Verdict.passed()


def check_blocked(transcript: Transcript, victim: int) -> Verdict | None:
    """A failure if the master, while every process it started was killed at once (the window
    that began with the kill of VICTIM), started more than MAX_STARTS_BLOCKED (it spins,
    LIFECYCLE-5.i) or was gone at the window's end (it can no longer replace); else None."""
    began = transcript.first(BlockingBegan)
    ended = transcript.first(BlockingEnded)
    if began is None or ended is None:
        return Verdict.stopped_before("the window of blocked starts ended")
    if not ended.master_alive:
        return Verdict.failed(
            f"the master was gone at the end of the {began.seconds:g} s after the kill of "
            f"worker {victim} in which every process it started was killed at once (a worker "
            "that cannot start): it can no longer replace a worker",
            expected="the master running, restarting with a backoff",
            seen="the master exited",
        )
    window = transcript.events[
        transcript.index_of(BlockingBegan) : transcript.index_of(BlockingEnded)
    ]
    starts = [event.pid for event in window if isinstance(event, StartBlocked)]
    if len(starts) > MAX_STARTS_BLOCKED:
        return Verdict.failed(
            f"the master started {len(starts)} processes in the {began.seconds:g} s after the "
            f"kill of worker {victim}, each killed at once (a worker that cannot start): it "
            "restarts workers without a backoff and spins (LIFECYCLE-5.i)",
            expected=f"at most {MAX_STARTS_BLOCKED} starts in {began.seconds:g} s (a backoff)",
            seen=f"{len(starts)} starts ({len(starts) / began.seconds:.0f} a second)",
        )
    return None


def _reply_before(events: Sequence[Event], index: int) -> str:
    """How many replies the client peers had received before event INDEX."""
    count = sum(
        1 for e in events[:index] if isinstance(e, Received) and e.peer.startswith("client-")
    )
    return str(count)


# --- CLUSTER-4 and CLUSTER-5 ----------------------------------------------------------------


def check_stopped(
    *,
    transcript: Transcript,
    process: str,
    how: str,
    exit_within: float,
    gone_within: float,
) -> Verdict:
    """GONE_WITHIN s after the master's exit (or, if it still ran EXIT_WITHIN s after HOW, after
    that) no worker it announced ran, nor any other process of its group; and, where the
    harness looked at the exit (:class:`ReapLooked`), none of those workers was left unreaped
    (:func:`check_reaped`).

    The master's own exit status and exit deadline are LIFE-2's to judge (one bug, one
    failure): this checker judges only what is left of the cluster.
    """
    if transcript.first(StopSent) is None:
        return Verdict.stopped_before("the harness signalled the master")
    alive = alive_by_pid(transcript)
    workers = list(dict.fromkeys(online_of(_until_end(transcript, process))))
    missing = [pid for pid in workers if pid not in alive]
    if missing:
        return Verdict.stopped_before(f"the harness looked at worker {missing[0]} after the stop")
    left = [str(pid) for pid in workers if alive[pid]]
    others = [f"{event.pid} {event.command}" for event in transcript.of(GroupMemberLeft)]
    if left or others:
        what = f"{len(left)} of {len(workers)} announced workers" if left else ""
        if others:
            what += (" and " if what else "") + f"{len(others)} other processes of its group"
        when = (
            f"{gone_within:g} s after the master exited"
            if transcript.first(ExitSeen) is not None
            else f"{exit_within + gone_within:g} s after {how}, the master still running"
        )
        return Verdict.failed(
            f"{what} still run {when} ({how})",
            expected="no process of the cluster left",
            seen="running: " + "; ".join(left + others),
        )
    return check_reaped(transcript, workers, how) or Verdict.passed()


def check_reaped(transcript: Transcript, workers: Sequence[int], how: str) -> Verdict | None:
    """A failure if any of the announced WORKERS was still there, running or a zombie, as the
    harness's child when the master's exit was seen (LIFECYCLE-5.e): the master exited
    without reaping it, so the kernel handed it to the harness. None if the harness did not
    look (not a subreaper, or the master did not exit in time) or found none."""
    if transcript.first(ReapLooked) is None:
        return None
    adopted = {event.pid: event.zombie for event in transcript.of(AdoptedAtExit)}
    unreaped = [pid for pid in workers if pid in adopted]
    if not unreaped:
        return None

    def state(pid: int) -> str:
        return "a zombie nobody reaped" if adopted[pid] else "still running"

    first = unreaped[0]
    return Verdict.failed(
        f"{len(unreaped)} of {len(workers)} announced workers were not reaped by the master "
        f"({how}): worker {first} was {state(first)} when the master exited, and so became "
        "the harness's child",
        expected="every worker reaped by the master before it exits (LIFECYCLE-5.e)",
        seen="; ".join(f"worker {pid} {state(pid)} (now the harness's child)" for pid in unreaped)
        + " when the master exited",
    )


# --- CLUSTER-6 ------------------------------------------------------------------------------


def stalled_share(clients: int, workers: int) -> int:
    """The most requests of a burst of CLIENTS that strict round robin over WORKERS hands to
    one worker: ceil(CLIENTS / WORKERS). The rest MUST be answered while that one is stopped."""
    return -(-clients // workers)


def check_stall(
    *,
    transcript: Transcript,
    process: str,
    clients: Sequence[str],
    text: str,
    workers: int,
    window: float,
) -> Verdict:
    """With one announced worker stopped (SIGSTOP) after the warm-up, each client sent one
    request at once: at least C - ceil(C/W) replies came before the worker was continued
    (the driver continues it once they have, or after WINDOW s), and once continued every
    client got its reply; every reply carries the file's text and an announced pid."""
    announced = list(dict.fromkeys(online_of(_until_end(transcript, process))))[:workers]
    if len(announced) < workers:
        return Verdict.stopped_before(f"{workers} workers were online")
    warm = _warmed_up(transcript, announced)
    if warm is not None:
        return warm
    reasons = [event.reason for event in transcript.of(StallRefused)]
    if reasons:
        return Verdict.failed(
            f"the harness could not stop a worker: {reasons[0]}",
            expected="an announced worker of the cluster, to stop with SIGSTOP",
            seen=reasons[0],
        )
    stalled = transcript.first(WorkerStalled)
    if stalled is None:
        return Verdict.stopped_before("the harness stopped a worker")
    victim = stalled.pid
    events = transcript.events
    start = transcript.index_of(WorkerStalled)
    resumed = transcript.index_of(WorkerContinued)
    replies: dict[str, tuple[int, tuple[bytes, ...]]] = {}
    for index in range(start, len(events)):
        event = events[index]
        if isinstance(event, Received) and event.peer in clients and event.peer not in replies:
            replies[event.peer] = (index, event.frames)
    for client in clients:
        if client not in replies:
            continue
        reply = read_reply(replies[client][1])
        if reply.problem is not None:
            return Verdict.failed(
                f"{client}'s reply is malformed",
                expected=REPLY_FORMAT,
                seen=reply.problem,
            )
        if reply.content != text:
            seen = repr(reply.content) if reply.content is not None else ""
            return Verdict.failed(
                f"{client}'s reply does not carry the file's text",
                expected=shorten(repr(text)),
                seen=shorten(seen or f"error {reply.error_code}"),
            )
        if reply.pid not in announced:
            return Verdict.failed(
                f"{client}'s reply names pid {reply.pid}, which the master did not report online",
                expected=f"one of {sorted(announced)}",
                seen=str(reply.pid),
            )
    if transcript.first(WorkerContinued) is None:
        return Verdict.stopped_before(f"the harness continued worker {victim}")
    early = [client for client, (index, _) in replies.items() if index < resumed]
    need = len(clients) - stalled_share(len(clients), workers)
    if len(early) < need:
        return Verdict.failed(
            f"{len(early)} of {len(clients)} requests, sent at once, were answered within "
            f"{window:g} s while worker {victim} was stopped (SIGSTOP): a stalled worker holds "
            f"up requests that the master could hand to its {workers - 1} other workers",
            expected=f"at least {need} replies (round robin hands the stopped worker at most "
            f"{stalled_share(len(clients), workers)} of {len(clients)})",
            seen=f"{len(early)} replies before SIGCONT",
        )
    missing = [client for client in clients if client not in replies]
    if missing:
        return Verdict.failed(
            f"{missing[0]} got no reply after worker {victim} was continued (SIGCONT); "
            f"{len(missing)} of {len(clients)} requests were never answered",
            expected=f"a reply to each of the {len(clients)} requests",
            seen=f"{len(clients) - len(missing)} replies",
        )
    return Verdict.passed()
