"""Mutant: filer-rep-cluster SIGTERMs its workers and exits without reaping them. Should fail CLUSTER-4.

On SIGTERM the master signals every worker and returns at once: it never waits for them,
so none is reaped. It still removes its ipc file and exits 0, and the workers end by
themselves within milliseconds, well inside CLUSTER-4's 2 s: only the look at the
master's exit (LIFECYCLE-5.e) sees them, running or zombies, handed to the harness.
"""

from __future__ import annotations

import signal

from reference import filer_rep_cluster


def stop(self: filer_rep_cluster.Pool) -> None:
    for process, _ in self.workers.values():
        process.send_signal(signal.SIGTERM)
    # BUG: no wait: the workers are never reaped


filer_rep_cluster.Pool.stop = stop  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
