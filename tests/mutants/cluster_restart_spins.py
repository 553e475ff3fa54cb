"""Mutant: filer-rep-cluster restarts a dead worker at once, without a backoff. Should fail CLUSTER-3.

A worker that cannot start is retried in a tight loop: no delay before a restart, and no pause
before spawn's retry of a worker that did not become ready. It replaces a worker that merely
died as well as the reference does.
"""

from __future__ import annotations

from reference import filer_rep_cluster

filer_rep_cluster.RETRY_DELAY = 0.0  # BUG: no pause before spawn's retry
filer_rep_cluster.Backoff.delay = lambda self, lifetime: 0.0  # type: ignore[method-assign]  # BUG

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
