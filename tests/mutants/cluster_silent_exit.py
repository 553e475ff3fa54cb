"""Mutant: filer-rep-cluster replaces a dead worker without reporting its exit. Should fail CLUSTER-3."""

from __future__ import annotations

import os
import time

from reference import filer_rep_cluster


def reap(self: filer_rep_cluster.Pool, pid: int, status: int) -> float | None:
    entry = self.workers.pop(pid, None)
    if entry is None:
        return None
    process, started = entry
    process.returncode = os.waitstatus_to_exitcode(status)  # BUG: and no exited line
    return time.monotonic() - started


filer_rep_cluster.Pool.reap = reap  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
