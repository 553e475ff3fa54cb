"""Fuzz campaign: generated bad requests to each server role of the reference, every reply judged.

    python bench/fuzz.py [--requests 10000] [--seed S] [--role ROLE ...] [--raw 100]
        [--transport ipc|tcp] [--workers 3] [--strict]

Roles: ``filer-rep``; ``filer-rep-cluster``; ``broker``, fed arbitrary frames by a
DEALER, with a DEALER of this process behind it that checks each message arrived
unchanged and echoes it back; ``broker-filer``, the broker with
``filer_rep --connect`` behind it. The requests come from bench/fuzz_requests.py
(a seeded generator: the seed is printed, ``--seed`` replays a run), sent on a
plain blocking pyzmq REQ in lockstep: first the main stream of REQUESTS, whose
memory and fds are measured; then two phases that may restart a server, each
request followed by a good one (retried Lazy Pirate style): JSON nested past any
parser's limit (REQUESTS / 500 of them) and raw garbage connections (``--raw``).
Judged, per role:

- crashes: the server (or a cluster worker) died on a request; it is restarted
  and the campaign goes on, so one crash does not hide the next;
- no reply: no reply within 10 s while the server lives (the socket is reopened);
- bad replies: anything but SPEC.md §3.5's error reply with an allowed code, or
  §3.4's reply with the right content when the request happened to be good
  (bench/campaign_judge.py); after the last request a good one must be answered;
- canary: a file and a folder outside ``--root`` under inotify (IN_OPEN,
  IN_ACCESS, bench/canary.py): no server may open them;
- memory: VmRSS of each server process at the end of the main stream at most
  20% above its RSS after the warm-up (its first tenth); fds of the server (the
  master, the broker) no more at the end than after the warm-up, counted in the
  same state (its workers and one client connected); SIGTERM ends every server
  with 0 and leaves nothing of its process group.

Known deviations of the reference (KNOWN_DEVIATIONS, each with its strict-xfail
test) are counted apart and fail the run only with ``--strict``. Exit status: 0
when every criterion holds, 1 otherwise, 130 on Ctrl-C. Everything started is
stopped and every temporary folder removed, also on failure and Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import zmq

from bench.campaign_judge import content, judge_echo, judge_reply
from bench.campaign_process import (
    Server,
    WorkerLog,
    WorkerPids,
    children,
    fd_count,
    free_tcp_endpoint,
    rss_kib,
    settle,
)
from bench.campaign_report import fds_leaked, render_columns, rss_cell, rss_grew
from bench.canary import CanaryWatch
from bench.fuzz_requests import FuzzRequest, RequestGenerator
from bench.fuzz_tree import Tree, build_tree
from conformance.deadlines import REPLY_TIMEOUT, TRIES, TRY_TIMEOUT
from conformance.properties.reqrep import GOOD_NAME

ROLES = ("filer-rep", "filer-rep-cluster", "broker", "broker-filer")
READY_REP = r"Listening for zmq requesters"
READY_BROKER = r"Forwarding requests from"
START_DEADLINE = 30.0
KNOWN_DEVIATIONS: dict[str, str] = {}
"""Families whose failures are known bugs of the reference; the tests that show each:
tests/reference/test_fuzz_findings.py (strict xfails)."""
EXAMPLES_SHOWN = 5


class Interrupted(Exception):
    """SIGTERM: end like Ctrl-C, cleaning up."""


# --------------------------------------------------------------------------- the stage


@dataclass
class Stage:
    """The servers of one role, started in the campaign's folder; restarted after a crash."""

    role: str
    tree: Tree
    ipc_dir: Path
    transport: str
    workers: int
    servers: list[Server] = field(default_factory=list)
    log: WorkerLog = field(default_factory=WorkerLog)
    endpoint: str = ""
    backend: str = ""
    starts: int = 0

    def new_endpoint(self, name: str) -> str:
        if self.transport == "tcp" and name == "front":
            return free_tcp_endpoint()
        return f"ipc://{self.ipc_dir}/{name}-{self.starts}.ipc"

    def start(self) -> None:
        self.starts += 1
        self.log = WorkerLog()
        self.endpoint = self.new_endpoint("front")
        self.backend = backend = self.new_endpoint("back")
        root = ["--root", str(self.tree.root)]
        cwd = self.tree.base
        if self.role == "filer-rep":
            server = Server(self.role, "filer_rep", ["--bind", self.endpoint, *root], cwd)
            self.servers = [server]
            server.wait_for_line(READY_REP, START_DEADLINE)
        elif self.role == "filer-rep-cluster":
            args = ["--bind", self.endpoint, "--backend", backend, "--workers", str(self.workers)]
            server = Server(self.role, "filer_rep_cluster", [*args, *root], cwd)
            self.servers = [server]
            server.wait_for_line(READY_REP, START_DEADLINE)
            self.log.read(server.lines)
        else:
            args = ["--frontend", self.endpoint, "--backend", backend]
            broker = Server("broker", "broker", args, cwd)
            self.servers = [broker]
            broker.wait_for_line(READY_BROKER, START_DEADLINE)
            if self.role == "broker-filer":
                filer = Server("filer-rep", "filer_rep", ["--connect", backend, *root], cwd)
                self.servers.append(filer)
                filer.wait_for_line(READY_REP, START_DEADLINE)

    def stop(self) -> list[str]:
        problems = []
        for server in reversed(self.servers):
            problems += server.stop()
        self.servers = []
        return problems

    def kill(self) -> None:
        for server in self.servers:
            server.kill_group()

    @property
    def main(self) -> Server:
        return self.servers[0]

    def allowed_pids(self) -> Collection[int]:
        """The processes that may answer a request (SPEC.md §3.4: the one that read the file)."""
        if self.role == "filer-rep-cluster":
            return WorkerPids(self.log, self.main.pid)
        return {self.servers[-1].pid}

    def measured(self) -> dict[int, str]:
        """The processes whose RSS the campaign watches, pid -> label."""
        found = {server.pid: server.name for server in self.servers}
        if self.role == "filer-rep-cluster":
            found.update({pid: "worker" for pid in children(self.main.pid)})
        return found

    def poll_fds(self) -> list[int]:
        return [fd for server in self.servers for fd in (server.stdout_fd, server.pidfd)]

    def what_died(self) -> str | None:
        """Read the servers' stdout; what has died since the last call, if anything."""
        for server in self.servers:
            gone = self.log.read(server.pump())
            if gone and self.role == "filer-rep-cluster":
                codes = ", ".join(f"{pid} with code {self.log.exited[pid]}" for pid in gone)
                return f"worker {codes} exited"
            if server.exited():
                return f"{server.name} (pid {server.pid}) exited with {server.process.returncode}"
        return None


# --------------------------------------------------------------------------- one role


@dataclass
class Problem:
    """One request that went wrong: its number in its stream, family, what and why."""

    index: int
    family: str
    what: str
    detail: str
    request: str

    @property
    def known(self) -> bool:
        return self.family in KNOWN_DEVIATIONS


@dataclass
class Outcome:
    """The figures of one role."""

    role: str
    requests: int = 0
    replies: int = 0
    seconds: float = 0.0
    families: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    rss: dict[int, list[int | None]] = field(default_factory=dict)
    """pid -> [start, after warm-up, end] in KiB."""
    labels: dict[int, str] = field(default_factory=dict)
    main_pid: int = 0
    strays: int = 0
    """Messages the broker forwarded from the raw connections' garbage (ZMTP 1.0 by chance)."""
    over_limit: int = 0
    raw_connections: int = 0
    retried: int = 0
    """Tries of the good requests after those two that got no reply (answered on a retry)."""
    fds: tuple[int | None, int | None] = (None, None)
    final_probe: str | None = None
    canary: list[str] = field(default_factory=list)
    teardown: list[str] = field(default_factory=list)

    def count(self, what: str, known: bool) -> int:
        return sum(1 for p in self.problems if p.what == what and p.known == known)

    def rss_failures(self) -> list[str]:
        return [
            f"{self.labels.get(pid, pid)} {pid}: RSS {rss_cell(*values)}"
            for pid, values in self.rss.items()
            if rss_grew(values[1], values[2])
        ]

    def failures(self, strict: bool) -> list[str]:
        found = []
        for what in ("crash", "no reply", "bad reply"):
            count = self.count(what, False) + (self.count(what, True) if strict else 0)
            if count:
                found.append(f"{count} {what}{'es' if what == 'crash' else ''}")
        if self.final_probe:
            found.append(f"the good request after the last one: {self.final_probe}")
        if self.canary:
            found.append(f"canary opened: {self.canary[:3]}")
        found += self.rss_failures()
        if fds_leaked(*self.fds):
            found.append(f"fds {self.fds[0]} at the start, {self.fds[1]} at the end")
        found += self.teardown
        return found


class Campaign:
    """Runs the requests of one role against its stage and judges every reply."""

    def __init__(
        self, stage: Stage, requests: int, raws: int, seed: str, watch: CanaryWatch
    ) -> None:
        self.stage = stage
        self.total = requests
        self.raws = raws
        self.limits = max(1, requests // 500)
        self.generator = RequestGenerator(stage.tree, seed)
        self.watch = watch
        self.outcome = Outcome(stage.role)
        self.context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
        self.client: zmq.Socket[bytes] | None = None
        self.worker: zmq.Socket[bytes] | None = None
        self.sockets_opened = 0

    # ----------------------------------------------------------------- sockets

    def open_sockets(self) -> None:
        self.close_sockets()
        kind = zmq.DEALER if self.stage.role == "broker" else zmq.REQ
        self.client = self.context.socket(kind)
        self.client.linger = 0
        self.sockets_opened += 1
        self.client.routing_id = f"fuzz-client-{self.sockets_opened}".encode()
        self.client.connect(self.stage.endpoint)
        if self.stage.role == "broker":
            self.worker = self.context.socket(zmq.DEALER)
            self.worker.linger = 0
            self.worker.connect(self.stage.backend)

    def close_sockets(self) -> None:
        for sock in (self.client, self.worker):
            if sock is not None:
                sock.close(linger=0)
        self.client = self.worker = None

    def receive(
        self, sock: zmq.Socket[bytes], timeout: float = REPLY_TIMEOUT
    ) -> tuple[list[bytes] | None, tuple[str, str] | None]:
        """The next message on SOCK, or (None, what happened instead): a crash, or no reply."""
        poller = zmq.Poller()
        poller.register(sock, zmq.POLLIN)
        for descriptor in self.stage.poll_fds():
            poller.register(descriptor, zmq.POLLIN)
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            events = dict(poller.poll(int(remaining * 1000) + 1))
            if sock in events:
                return sock.recv_multipart(), None
            died = self.stage.what_died()
            if died is not None:
                return None, ("crash", died)
        return None, ("no reply", f"no reply within {timeout:g} s (the servers live)")

    # ----------------------------------------------------------------- requests

    def send_raw(self, garbage: bytes) -> None:
        """GARBAGE on a plain stream connection to the endpoint, then close it."""
        endpoint = self.stage.endpoint
        if endpoint.startswith("ipc://"):
            family, address = socket.AF_UNIX, endpoint.removeprefix("ipc://")
            target: str | tuple[str, int] = address
        else:
            host, _, port = endpoint.removeprefix("tcp://").rpartition(":")
            family, target = socket.AF_INET, (host, int(port))
        with socket.socket(family, socket.SOCK_STREAM) as raw:
            raw.settimeout(2.0)
            with contextlib.suppress(OSError):
                raw.connect(target)
                raw.sendall(garbage)

    def exchange(
        self, request: FuzzRequest, timeout: float = REPLY_TIMEOUT
    ) -> tuple[str, str] | None:
        """Send REQUEST and judge what comes back; (what, detail) of a problem, or None."""
        assert self.client is not None
        self.client.send_multipart(request.frames)
        if self.stage.role == "broker":
            assert self.worker is not None
            at_worker, failed = self.receive(self.worker, timeout)
            while at_worker is not None and at_worker[0] != self.client.routing_id:
                # A raw connection's garbage can parse as a ZMTP 1.0 peer's messages, which
                # the broker rightly forwards too: not the client's, so not judged here.
                self.outcome.strays += 1
                at_worker, failed = self.receive(self.worker, timeout)
            back = None
            if at_worker is not None:
                self.worker.send_multipart(at_worker)
                back, failed = self.receive(self.client, timeout)
            if failed is not None:
                return failed
            problem = judge_echo(request.frames, at_worker, back)
            return None if problem is None else ("bad reply", problem)
        reply, failed = self.receive(self.client, timeout)
        if reply is None:
            assert failed is not None
            return failed
        self.outcome.replies += 1
        problem = judge_reply(reply, request.expected, self.stage.allowed_pids())
        return None if problem is None else ("bad reply", problem)

    def measure_rss(self, column: int) -> None:
        """Take column COLUMN (start, after warm-up, end) of every watched process's RSS;
        the start and the warm-up only of a process that has none yet."""
        for pid, label in self.stage.measured().items():
            self.outcome.labels[pid] = label
            values = self.outcome.rss.setdefault(pid, [None, None, None])
            if column == 2 or values[column] is None:
                values[column] = rss_kib(pid)

    def restart(self) -> None:
        """Start the role anew after a crash; the new processes warm up anew."""
        self.outcome.teardown += self.stage.stop()
        self.stage.start()
        self.measure_rss(0)
        self.open_sockets()

    def run(self) -> Outcome:
        outcome = self.outcome
        warmup = max(1, self.total // 10)
        warm_at = warmup
        fds_start: tuple[int, int | None] = (0, None)
        """(pid, count) of the main process's fds after its warm-up, the client connected."""
        self.stage.start()
        try:
            self.measure_rss(0)
            self.open_sockets()
            started = last_report = time.monotonic()
            for index in range(1, self.total + 1):
                request = self.generator.next()
                outcome.requests += 1
                outcome.families[request.family] += 1
                if self.record(index, request, self.exchange(request)):
                    warm_at = index + warmup
                if index in (warmup, warm_at):
                    self.measure_rss(1)
                    fds_start = (self.stage.main.pid, fd_count(self.stage.main.pid))
                now = time.monotonic()
                if now - last_report >= 5.0 or index == self.total:
                    last_report = now
                    self.progress(index, now - started)
            outcome.seconds = time.monotonic() - started
            outcome.final_probe = self.final_probe()
            self.measure_rss(2)
            main = outcome.main_pid = self.stage.main.pid
            if fds_start[0] == main and fds_start[1] is not None:
                # The same state as at the start: W workers and one client connected; the
                # connections of closed clients may take a moment to go.
                outcome.fds = (fds_start[1], settle(lambda: fd_count(main), fds_start[1], 5.0))
            self.phase(self.generator.over_limit, self.limits)
            self.phase(self.generator.raw, self.raws)
            outcome.canary = self.watch.poll()
        finally:
            self.close_sockets()
            self.context.destroy(linger=0)
            outcome.teardown += self.stage.stop()
        outcome.canary += self.watch.poll()
        return outcome

    def record(self, index: int, request: FuzzRequest, problem: tuple[str, str] | None) -> bool:
        """Note PROBLEM (if any) of REQUEST; start over what died. True after a restart."""
        if problem is None:
            return False
        what, detail = problem
        self.outcome.problems.append(
            Problem(index, request.family, what, detail, request.preview())
        )
        self.open_sockets()  # a REQ without its reply can send nothing more
        if any(server.exited() for server in self.stage.servers):
            self.restart()
            return True
        return False

    def phase(self, draw: Callable[[], FuzzRequest], count: int) -> None:
        """COUNT requests that may cost more than a reply (over-limit nesting, raw garbage
        connections), each followed by a good request that a Lazy Pirate client (SPEC.md
        CLUSTER-3) retries: a lost try is counted, a crash or a request lost on every try
        is a problem. Run after the measurements, since they may restart the servers."""
        before = self.outcome.retried
        for index in range(1, count + 1):
            request = draw()
            self.outcome.families[request.family] += 1
            if request.raw:
                self.outcome.raw_connections += 1
                self.send_raw(request.frames[0])
            else:
                self.outcome.over_limit += 1
                self.record(index, request, self.exchange(request))
            for attempt in range(1, TRIES + 1):
                problem = self.exchange(self.good_request(), TRY_TIMEOUT)
                if problem is not None and problem[0] == "no reply" and attempt < TRIES:
                    self.outcome.retried += 1
                    self.open_sockets()
                    continue
                after = (
                    (problem[0], f"the good request after it: {problem[1]}") if problem else None
                )
                self.record(index, request, after)
                break
        if count:
            print(
                f"{self.outcome.role}: {count} {'raw connections' if request.raw else 'over-limit requests'}"
                f", {self.outcome.retried - before} good requests after them retried",
                flush=True,
            )

    def good_request(self) -> FuzzRequest:
        good = self.generator.tree.texts[GOOD_NAME]
        frames: tuple[bytes, ...] = (b'{"path":"good.txt"}',)
        if self.stage.role == "broker":
            frames = (b"", *frames)
        return FuzzRequest("good", frames, content(good))

    def final_probe(self) -> str | None:
        """A good request after the last one: it must get the file's content."""
        problem = self.exchange(self.good_request())
        return None if problem is None else problem[1]

    def progress(self, index: int, seconds: float) -> None:
        outcome = self.outcome
        counts = ", ".join(
            f"{what} {outcome.count(what, False)}" for what in ("crash", "no reply", "bad reply")
        )
        known = sum(1 for problem in outcome.problems if problem.known)
        print(
            f"{outcome.role}: {index}/{self.total} requests, {index / max(seconds, 1e-9):.0f}/s, "
            f"{counts}, known deviations {known}",
            flush=True,
        )


# --------------------------------------------------------------------------- the run


def summary(outcomes: list[Outcome], strict: bool) -> str:
    rows = [
        "requests",
        "replies/s",
        "crashes",
        "no reply",
        "bad replies",
        "known deviations",
        "over-limit requests",
        "raw connections",
        "good after them retried",
        "forwarded garbage",
        "RSS MiB start/warm/end",
        "other processes RSS MiB",
        "fds after warm-up/end",
        "canary opened",
        "verdict",
    ]
    columns = {}
    for outcome in outcomes:
        main = outcome.rss.get(outcome.main_pid, [None, None, None])
        workers = [
            values
            for pid, values in outcome.rss.items()
            if pid != outcome.main_pid and None not in values[1:]
        ]

        def total(column: int, values: list[list[int | None]] = workers) -> int | None:
            found = [v[column] for v in values]
            return sum(x for x in found if x is not None) if None not in found else None

        known = sum(1 for problem in outcome.problems if problem.known)
        failures = outcome.failures(strict)
        columns[outcome.role] = {
            "requests": str(outcome.requests),
            "replies/s": f"{outcome.requests / max(outcome.seconds, 1e-9):.0f}",
            "crashes": str(outcome.count("crash", False)),
            "no reply": str(outcome.count("no reply", False)),
            "bad replies": str(outcome.count("bad reply", False)),
            "known deviations": str(known),
            "over-limit requests": str(outcome.over_limit),
            "raw connections": str(outcome.raw_connections),
            "good after them retried": str(outcome.retried),
            "forwarded garbage": str(outcome.strays) if outcome.role == "broker" else "-",
            "RSS MiB start/warm/end": rss_cell(*main),
            "other processes RSS MiB": rss_cell(total(0), total(1), total(2)) if workers else "-",
            "fds after warm-up/end": f"{outcome.fds[0]} / {outcome.fds[1]}",
            "canary opened": "yes" if outcome.canary else "no",
            "verdict": "FAIL" if failures else "ok",
        }
    return render_columns(rows, columns)


def details(outcome: Outcome, strict: bool) -> Iterator[str]:
    for failure in outcome.failures(strict):
        yield f"  {outcome.role}: {failure}"
    for known in (False, True):
        shown = [p for p in outcome.problems if p.known == known][:EXAMPLES_SHOWN]
        for problem in shown:
            label = "known deviation" if known else problem.what
            yield (
                f"  {outcome.role} request {problem.index} ({problem.family}), {label}: "
                f"{problem.detail}\n      request: {problem.request}"
            )
    families = ", ".join(f"{name} {count}" for name, count in sorted(outcome.families.items()))
    yield f"  {outcome.role} families: {families}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/fuzz.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--requests", type=int, default=10_000, help="per role (default 10000)")
    parser.add_argument("--seed", type=int, default=None, help="replay a run (default: random)")
    parser.add_argument("--role", action="append", choices=ROLES, help="repeat for several")
    parser.add_argument(
        "--raw", type=int, default=100, help="raw garbage connections per role (default 100)"
    )
    parser.add_argument("--transport", choices=("ipc", "tcp"), default="ipc")
    parser.add_argument("--workers", type=int, default=3, help="of the cluster (default 3)")
    parser.add_argument("--strict", action="store_true", help="known deviations fail the run too")
    return parser.parse_args(argv)


def raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, raise_interrupted)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
    roles = args.role or list(ROLES)
    print(
        f"fuzz: {args.requests} requests per role, roles {', '.join(roles)}, seed {seed} "
        f"(replay: --seed {seed}), load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    base = Path(tempfile.mkdtemp(prefix="zmq-fuzz-"))
    ipc_dir = Path(tempfile.mkdtemp(prefix="zf", dir="/tmp"))
    stage: Stage | None = None
    outcomes = []
    try:
        tree = build_tree(base)
        with CanaryWatch(tree.canaries) as watch:
            print(f"canary: inotify IN_OPEN|IN_ACCESS on {', '.join(map(str, tree.canaries))}")
            for role in roles:
                stage = Stage(role, tree, ipc_dir, args.transport, args.workers)
                campaign = Campaign(stage, args.requests, args.raw, f"{seed}/{role}", watch)
                outcomes.append(campaign.run())
                stage = None
    except (KeyboardInterrupt, Interrupted):
        print("interrupted: stopping everything", file=sys.stderr)
        if stage is not None:
            stage.kill()
        return 130
    finally:
        if stage is not None:
            stage.kill()
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(ipc_dir, ignore_errors=True)
    print()
    print(summary(outcomes, args.strict))
    lines = [line for outcome in outcomes for line in details(outcome, args.strict)]
    if lines:
        print("\n".join(lines))
    for family, reason in KNOWN_DEVIATIONS.items():
        seen = sum(1 for o in outcomes for p in o.problems if p.family == family)
        drawn = sum(o.families[family] for o in outcomes)
        print(f"known deviation {family}: {seen} of {drawn} requests; {reason}")
    failed = any(outcome.failures(args.strict) for outcome in outcomes)
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"fuzz: {'FAIL' if failed else 'ok'} (seed {seed})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
