"""Mutant: filer-rep-cluster restarts a dead worker at once, without a backoff. Should fail CLUSTER-3.

A worker that cannot start is retried in a tight loop: no delay before a restart, and no pause
before spawn's retry of a worker that did not become ready. It replaces a worker that merely
died as well as the reference does.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

from reference import filer_rep_cluster, lifecycle, messages
from reference.filer_rep_cluster import READY_DEADLINE, Pool
from reference.parent import PARENT_PID_VARIABLE


def spawn(self: Pool) -> int:
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
        os.kill(process.pid, signal.SIGKILL)
        self.reap(process.pid, os.waitpid(process.pid, 0)[1])
        # BUG: no pause before the retry


def supervise(pool: Pool, count: int) -> None:
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    for _ in range(count):
        pool.spawn()
    lifecycle.say(messages.READY_REP)
    while True:
        lifecycle.wait_for_signal()
        for pid, status in filer_rep_cluster.exited_children():
            if pool.reap(pid, status) is not None:
                pool.spawn()  # BUG: at once, however young the worker died


Pool.spawn = spawn  # type: ignore[method-assign]
filer_rep_cluster.supervise = supervise

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
