"""Clustered filer responder: ROUTER + DEALER in the master, REP workers in child processes.

    python -m reference.filer_rep_cluster [--bind tcp://127.0.0.1:5433]
        [--backend ipc://filer-dealer.ipc] [--workers 3] [--root DIR]

A drop-in replacement for ``filer_rep``: the master binds the ROUTER where
``filer_rep`` would bind its REP and forwards through a DEALER to workers that
are ``python -m reference.filer_rep --connect BACKEND``. It prints ``Worker <pid>
is online.`` when a worker is connected and ready, ``Worker <pid> exited with
code <code>`` when one ends (a negative code is the signal that killed it), and
restarts dead workers with a backoff. On SIGINT/SIGTERM it stops every worker
and removes the ipc file; if the master is killed outright, the workers notice
(reference.parent) and exit.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import zmq

from reference import lifecycle, messages
from reference.filer import DEFAULT_MAX_SIZE
from reference.forwarder import Forwarder
from reference.parent import PARENT_PID_VARIABLE

DEFAULT_BIND = "tcp://127.0.0.1:5433"
DEFAULT_BACKEND = "ipc://filer-dealer.ipc"
DEFAULT_WORKERS = 3
READY_DEADLINE = 10.0
"""Seconds a new worker has to print its ready line before it is killed and retried."""
STOP_DEADLINE = 3.0
"""Seconds the workers have to exit after SIGTERM before they get SIGKILL."""
RETRY_DELAY = 1.0
"""Seconds before retrying a worker that did not become ready."""


@dataclass
class Backoff:
    """Delay before restarting a worker: doubles while workers keep dying young."""

    first: float = 0.1
    longest: float = 5.0
    young: float = 10.0
    """A worker that lived less than this many seconds counts as dying young."""
    _streak: int = 0

    def delay(self, lifetime: float) -> float:
        if lifetime >= self.young:
            self._streak = 0
            return 0.0
        self._streak += 1
        return min(self.first * 2.0 ** (self._streak - 1), self.longest)


@dataclass
class Pool:
    """The worker processes of one master, keyed by pid, with their start times."""

    command: list[str]
    workers: dict[int, tuple[subprocess.Popen[bytes], float]] = field(default_factory=dict)

    def spawn(self) -> int:
        """Start one worker and wait until it is connected; return its pid."""
        while True:
            environment = dict(os.environ, **{PARENT_PID_VARIABLE: str(os.getpid())})
            process = subprocess.Popen(self.command, stdout=subprocess.PIPE, env=environment)
            self.workers[process.pid] = (process, time.monotonic())
            assert process.stdout is not None
            with process.stdout:
                ready, _, _ = select.select([process.stdout], [], [], READY_DEADLINE)
                line = process.stdout.readline() if ready else b""
            if line.strip() == messages.READY_REP.encode():
                lifecycle.say(messages.worker_online_line(process.pid))
                return process.pid
            print(f"worker {process.pid} did not become ready; retrying", file=sys.stderr)
            os.kill(process.pid, signal.SIGKILL)  # not Popen.kill: it may reap the pid first
            self.reap(process.pid, os.waitpid(process.pid, 0)[1])
            time.sleep(RETRY_DELAY)

    def reap(self, pid: int, status: int) -> float | None:
        """Record a worker's end; its lifetime in seconds, or None if it was not ours."""
        entry = self.workers.pop(pid, None)
        if entry is None:
            return None
        process, started = entry
        process.returncode = os.waitstatus_to_exitcode(status)
        lifecycle.say(messages.worker_exited_line(pid, process.returncode))
        return time.monotonic() - started

    def stop(self) -> None:
        """SIGTERM every worker, SIGKILL those still there after STOP_DEADLINE, reap all."""
        for process, _ in self.workers.values():
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_DEADLINE
        for pid, (process, _) in list(self.workers.items()):
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            self.workers.pop(pid)
            lifecycle.say(messages.worker_exited_line(pid, process.returncode))


def exited_children() -> Iterator[tuple[int, int]]:
    """The (pid, wait status) of every child that has exited, without blocking."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, status


def supervise(pool: Pool, count: int) -> None:
    """Start COUNT workers, then replace every one that dies, until Shutdown.

    It waits for signals, not in waitpid, so that a SIGTERM that comes just
    before the wait cannot be missed (reference.lifecycle); SIGCHLD gets a
    handler so that a worker's exit is a signal too.
    """
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    for _ in range(count):
        pool.spawn()
    lifecycle.say(messages.READY_REP)
    backoff = Backoff()
    while True:
        lifecycle.wait_for_signal()
        for pid, status in exited_children():
            lifetime = pool.reap(pid, status)
            if lifetime is None:
                continue
            delay = backoff.delay(lifetime)
            print(f"restarting a worker in {delay:.1f} s", file=sys.stderr, flush=True)
            time.sleep(delay)
            pool.spawn()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m reference.filer_rep_cluster",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--bind", default=DEFAULT_BIND, metavar="ENDPOINT", help="ROUTER endpoint")
    parser.add_argument(
        "--backend", default=DEFAULT_BACKEND, metavar="ENDPOINT", help="DEALER endpoint"
    )
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="worker processes")
    parser.add_argument("--root", default=".", metavar="DIR", help="serve only files under DIR")
    parser.add_argument(
        "--max-size", type=int, default=DEFAULT_MAX_SIZE, help="largest file served, in bytes"
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be >= 1")
    if not Path(args.root).is_dir():
        parser.error(f"--root {args.root!r} is not a directory")
    return args


def main(argv: list[str] | None = None) -> int:
    lifecycle.raise_on_shutdown_signals()
    args = parse_args(argv)
    command = [sys.executable, "-m", "reference.filer_rep", "--connect", args.backend]
    command += ["--root", args.root, "--max-size", str(args.max_size)]
    pool = Pool(command)
    context = zmq.Context()
    forwarder = Forwarder(context, args.bind, args.backend)
    try:
        with forwarder:
            forwarder.start()
            supervise(pool, args.workers)
    except lifecycle.Shutdown:
        pass
    finally:
        lifecycle.ignore_shutdown_signals()  # before stopping workers: nothing may cut it short
        pool.stop()
        lifecycle.shut_down(context, forwarder.bound)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
