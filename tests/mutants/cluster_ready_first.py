"""Mutant: filer-rep-cluster prints its ready line before its workers are online. Should fail CLUSTER-1."""

from __future__ import annotations

import signal
import sys
import time

from reference import filer_rep_cluster, lifecycle, messages


def supervise(pool: filer_rep_cluster.Pool, count: int) -> None:
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    lifecycle.say(messages.READY_REP)  # BUG: before the workers, not after
    for _ in range(count):
        pool.spawn()
    backoff = filer_rep_cluster.Backoff()
    while True:
        lifecycle.wait_for_signal()
        for pid, status in filer_rep_cluster.exited_children():
            lifetime = pool.reap(pid, status)
            if lifetime is None:
                continue
            delay = backoff.delay(lifetime)
            print(f"restarting a worker in {delay:.1f} s", file=sys.stderr, flush=True)
            time.sleep(delay)
            pool.spawn()


filer_rep_cluster.supervise = supervise

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
