"""Soak: the reference cluster under Lazy Pirate clients while its workers are killed.

    python bench/soak.py [--minutes 10] [--clients 10] [--workers 3] [--kill-every 3]
        [--transport ipc|tcp] [--seed S]

``filer_rep_cluster`` serves 50 files; CLIENTS threads of this process, each a Lazy
Pirate REQ (SPEC.md CLUSTER-3: 2.5 s per try, then close, reopen, resend; 5 tries),
ask for them in turn for MINUTES. Every KILL_EVERY seconds, once all WORKERS are
online, a random live worker (a child of the master) gets SIGKILL. A progress line
comes every 10 s, a summary table at the end. The run fails (exit 1) unless:

- every request got its reply within its tries, each with the file's text and the
  pid of a worker of this master;
- every kill was reported (``exited with code -9``) and the master always came back
  to WORKERS workers online; at the end exactly WORKERS workers live, and the master's
  process group holds nothing else;
- the master's fds at the end are no more than at the start (both counted with the
  workers attached and one client connected), and its RSS at the end is at most 20%
  above its RSS after the warm-up (the first fifth of the run, at most a minute);
- SIGTERM ends the master with 0 and leaves nothing of its group.

Everything it starts is stopped and its folders removed, also on failure and Ctrl-C
(exit 130).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import select
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import zmq

from bench.campaign_judge import content, judge_reply
from bench.campaign_process import (
    Server,
    WorkerLog,
    WorkerPids,
    children,
    fd_count,
    free_tcp_endpoint,
    group_members,
    parent_of,
    rss_kib,
    settle,
)
from bench.campaign_report import fds_leaked, render_columns, rss_cell, rss_grew
from conformance.deadlines import TRIES, TRY_TIMEOUT

FILES = 50
START_DEADLINE = 30.0
SETTLE_DEADLINE = 30.0
"""Seconds the master has, after the last kill, to be back to WORKERS workers online."""
PROGRESS_EVERY = 10.0
EXAMPLES_SHOWN = 5


class Interrupted(Exception):
    """SIGTERM: end like Ctrl-C, cleaning up."""


@dataclass
class ClientTally:
    """What one Lazy Pirate client saw."""

    answered: int = 0
    retries: int = 0
    unanswered: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    sockets: int = 0


def lazy_pirate(
    context: zmq.Context[zmq.Socket[bytes]],
    endpoint: str,
    texts: dict[str, str],
    pids: WorkerPids,
    stop: threading.Event,
    tally: ClientTally,
    number: int,
) -> None:
    """Ask for the files in turn until STOP, resending on a fresh socket after each timeout."""
    names = sorted(texts)
    sock: zmq.Socket[bytes] | None = None
    index = number  # clients start at different files
    try:
        while not stop.is_set():
            name = names[index % len(names)]
            index += 1
            request = json.dumps({"path": name}).encode()
            for attempt in range(1, TRIES + 1):
                if sock is None:
                    sock = context.socket(zmq.REQ)
                    sock.linger = 0
                    sock.connect(endpoint)
                    tally.sockets += 1
                sock.send(request)
                if sock.poll(int(TRY_TIMEOUT * 1000)):
                    reply = sock.recv_multipart()
                    problem = judge_reply(reply, content(texts[name]), pids)
                    if problem is None:
                        tally.answered += 1
                    else:
                        tally.wrong.append(f"client {number}, {name}: {problem}")
                    break
                sock.close(linger=0)
                sock = None
                if attempt == TRIES:
                    tally.unanswered.append(
                        f"client {number}: no reply for {name} in {TRIES} tries of {TRY_TIMEOUT:g} s"
                    )
                else:
                    tally.retries += 1
    except zmq.ZMQError as error:  # the context was destroyed under it: Ctrl-C
        if not stop.is_set():
            tally.wrong.append(f"client {number}: {error}")
    finally:
        if sock is not None:
            sock.close(linger=0)


def attach_all(
    context: zmq.Context[zmq.Socket[bytes]],
    endpoint: str,
    master: Server,
    log: WorkerLog,
    workers: int,
    deadline: float,
) -> zmq.Socket[bytes]:
    """A REQ client connected, after every live worker has answered it once: the state in
    which the master's fds are counted (its workers attached, one client)."""
    sock = context.socket(zmq.REQ)
    sock.linger = 0
    sock.connect(endpoint)
    answered: set[int] = set()
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        log.read(master.pump())
        live = set(log.live())
        if len(live) == workers and live <= answered:
            break
        sock.send(b'{"path":"file-0.txt"}')
        if not sock.poll(int(TRY_TIMEOUT * 1000)):
            sock.close(linger=0)
            sock = context.socket(zmq.REQ)
            sock.linger = 0
            sock.connect(endpoint)
            continue
        answered.add(json.loads(sock.recv())["pid"])
    return sock


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/soak.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--kill-every", type=float, default=3.0, metavar="SECONDS")
    parser.add_argument("--transport", choices=("ipc", "tcp"), default="ipc")
    parser.add_argument("--seed", type=int, default=None, help="which workers are killed")
    return parser.parse_args(argv)


def raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


@dataclass
class Soak:
    """The figures of one soak run."""

    seconds: float = 0.0
    kills: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rss: list[int | None] = field(default_factory=lambda: [None, None, None])
    workers_rss: list[int | None] = field(default_factory=lambda: [None, None, None])
    fds: tuple[int | None, int | None] = (None, None)
    workers_at_end: list[int] = field(default_factory=list)
    group_at_end: list[int] = field(default_factory=list)


def workers_rss(master: int) -> int | None:
    sizes = [rss_kib(pid) for pid in children(master)]
    return sum(size for size in sizes if size is not None) if sizes else None


def run(args: argparse.Namespace, base: Path, ipc_dir: Path, servers: list[Server]) -> int:
    seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
    rng = random.Random(seed)
    duration = args.minutes * 60.0
    warmup = min(60.0, duration / 5)
    print(
        f"soak: {args.minutes:g} min, {args.clients} Lazy Pirate clients ({TRIES} tries of "
        f"{TRY_TIMEOUT:g} s), {args.workers} workers, a SIGKILL every {args.kill_every:g} s, "
        f"seed {seed}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    root = base / "root"
    root.mkdir()
    texts = {f"file-{k}.txt": f"file {k}: {secrets.token_hex(8)}\n" * (k + 1) for k in range(FILES)}
    for name, text in texts.items():
        (root / name).write_text(text)
    endpoint = f"ipc://{ipc_dir}/front.ipc"
    if args.transport == "tcp":
        endpoint = free_tcp_endpoint()
    backend = f"ipc://{ipc_dir}/back.ipc"
    command = ["--bind", endpoint, "--backend", backend, "--workers", str(args.workers)]
    master = Server("filer-rep-cluster", "filer_rep_cluster", [*command, "--root", str(root)], base)
    servers.append(master)
    master.wait_for_line(r"Listening for zmq requesters", START_DEADLINE)
    log = WorkerLog()
    log.read(master.lines)
    soak = Soak()
    soak.rss[0] = rss_kib(master.pid)
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    stop = threading.Event()
    tallies = [ClientTally() for _ in range(args.clients)]
    threads: list[threading.Thread] = []
    try:
        probe = attach_all(context, endpoint, master, log, args.workers, SETTLE_DEADLINE)
        fds_start = fd_count(master.pid)
        probe.close(linger=0)
        pids = WorkerPids(log, master.pid)
        for number, tally in enumerate(tallies):
            thread = threading.Thread(
                target=lazy_pirate,
                args=(context, endpoint, texts, pids, stop, tally, number),
                name=f"client-{number}",
                daemon=True,
            )
            thread.start()
            threads.append(thread)
        started = time.monotonic()
        next_kill = started + args.kill_every
        next_progress = started + PROGRESS_EVERY
        warm_taken = False
        while (now := time.monotonic()) < started + duration:
            select.select([master.stdout_fd], [], [], 0.2)
            log.read(master.pump())
            if master.exited():
                soak.problems.append(f"the master exited with {master.process.returncode}")
                break
            live = log.live()
            if now >= next_kill and len(live) == args.workers:
                victim = rng.choice(live)
                if parent_of(victim) == master.pid:
                    os.kill(victim, signal.SIGKILL)
                    soak.kills.append(victim)
                else:
                    soak.problems.append(f"worker {victim} is not a child of the master")
                next_kill = now + args.kill_every
            if not warm_taken and now >= started + warmup:
                soak.rss[1] = rss_kib(master.pid)
                soak.workers_rss[1] = workers_rss(master.pid)
                warm_taken = True
            if now >= next_progress:
                next_progress += PROGRESS_EVERY
                progress(now - started, duration, tallies, soak, log, master, args.workers)
        soak.seconds = time.monotonic() - started
        stop.set()
        for thread in threads:
            thread.join(TRIES * TRY_TIMEOUT + 5.0)
        progress(soak.seconds, duration, tallies, soak, log, master, args.workers)
        # The end: the master back to WORKERS workers, then the same state as at the start.
        probe = attach_all(context, endpoint, master, log, args.workers, SETTLE_DEADLINE)
        start_count = fds_start if fds_start is not None else 0
        soak.fds = (fds_start, settle(lambda: fd_count(master.pid), start_count, 5.0))
        probe.close(linger=0)
        soak.rss[2] = rss_kib(master.pid)
        soak.workers_rss[2] = workers_rss(master.pid)
        soak.workers_at_end = children(master.pid)
        soak.group_at_end = [pid for pid in group_members(master.pid) if pid != master.pid]
    finally:
        stop.set()
        for thread in threads:  # each ends after its request (at once if it is done)
            thread.join(TRY_TIMEOUT + 1.0)
        context.destroy(linger=0)
    log.read(master.pump())
    for victim in soak.kills:
        code = log.exited.get(victim)
        if code != -9:
            soak.problems.append(f"killed worker {victim}: exit line says {code}, not -9")
    soak.problems += master.stop()
    servers.remove(master)
    return report(soak, tallies, log, args, seed)


def progress(
    elapsed: float,
    duration: float,
    tallies: list[ClientTally],
    soak: Soak,
    log: WorkerLog,
    master: Server,
    workers: int,
) -> None:
    answered = sum(t.answered for t in tallies)
    print(
        f"soak {elapsed:4.0f}/{duration:.0f} s: answered {answered} "
        f"({answered / max(elapsed, 1e-9):.0f}/s), retries {sum(t.retries for t in tallies)}, "
        f"unanswered {sum(len(t.unanswered) for t in tallies)}, "
        f"wrong {sum(len(t.wrong) for t in tallies)}, kills {len(soak.kills)}, "
        f"workers {len(log.live())}/{workers}, master RSS {(rss_kib(master.pid) or 0) / 1024:.1f} "
        f"MiB, fds {fd_count(master.pid)}",
        flush=True,
    )


def report(
    soak: Soak, tallies: list[ClientTally], log: WorkerLog, args: argparse.Namespace, seed: int
) -> int:
    answered = sum(t.answered for t in tallies)
    unanswered = [line for t in tallies for line in t.unanswered]
    wrong = [line for t in tallies for line in t.wrong]
    failures = list(soak.problems)
    if unanswered:
        failures.append(f"{len(unanswered)} requests unanswered after {TRIES} tries")
    if wrong:
        failures.append(f"{len(wrong)} wrong replies")
    if len(soak.workers_at_end) != args.workers or len(soak.group_at_end) != args.workers:
        failures.append(
            f"at the end {len(soak.workers_at_end)} workers are children of the master and "
            f"its group holds {len(soak.group_at_end)} other processes; expected {args.workers}"
        )
    if fds_leaked(*soak.fds):
        failures.append(f"master fds {soak.fds[0]} at the start, {soak.fds[1]} at the end")
    if soak.fds[1] is None:
        failures.append("the master's fds could not be counted at the end")
    if rss_grew(soak.rss[1], soak.rss[2]):
        failures.append(f"master RSS {rss_cell(*soak.rss)}")
    replaced = len(log.online) - args.workers
    rows = {
        "minutes": f"{soak.seconds / 60:.1f}",
        "clients / workers": f"{args.clients} / {args.workers}",
        "requests answered": str(answered),
        "replies/s": f"{answered / max(soak.seconds, 1e-9):.0f}",
        "Lazy Pirate retries": str(sum(t.retries for t in tallies)),
        "unanswered": str(len(unanswered)),
        "wrong replies": str(len(wrong)),
        "workers killed": str(len(soak.kills)),
        "replacements online": str(replaced),
        "workers at end": f"{len(soak.workers_at_end)} (group: {len(soak.group_at_end)})",
        "master RSS MiB start/warm/end": rss_cell(*soak.rss),
        "workers RSS MiB warm/end": rss_cell(None, soak.workers_rss[1], soak.workers_rss[2]),
        "master fds start/end": f"{soak.fds[0]} / {soak.fds[1]}",
        "verdict": "FAIL" if failures else "ok",
    }
    print()
    print(render_columns(list(rows), {"soak": rows}))
    for line in failures + unanswered[:EXAMPLES_SHOWN] + wrong[:EXAMPLES_SHOWN]:
        print(f"  {line}")
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"soak: {'FAIL' if failures else 'ok'} (seed {seed})")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, raise_interrupted)
    base = Path(tempfile.mkdtemp(prefix="zmq-soak-"))
    ipc_dir = Path(tempfile.mkdtemp(prefix="zs", dir="/tmp"))
    servers: list[Server] = []
    try:
        return run(args, base, ipc_dir, servers)
    except (KeyboardInterrupt, Interrupted):
        print("interrupted: stopping everything", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            server.kill_group()
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(ipc_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
