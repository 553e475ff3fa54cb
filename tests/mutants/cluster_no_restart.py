"""Mutant: filer-rep-cluster reports a dead worker but never starts another. Should fail CLUSTER-3.

The book's master: it logs the exit and carries on with one worker fewer.
"""

from __future__ import annotations

import signal

from reference import filer_rep_cluster, lifecycle, messages


def supervise(pool: filer_rep_cluster.Pool, count: int) -> None:
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    for _ in range(count):
        pool.spawn()
    lifecycle.say(messages.READY_REP)
    while True:
        lifecycle.wait_for_signal()
        for pid, status in filer_rep_cluster.exited_children():
            pool.reap(pid, status)  # BUG: and no pool.spawn() to replace it


filer_rep_cluster.supervise = supervise

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
