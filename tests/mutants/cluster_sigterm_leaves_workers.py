"""Mutant: filer-rep-cluster exits on SIGTERM without stopping its workers. Should fail CLUSTER-4.

The book's master: no cleanup on exit. Its workers do not arm the parent-death
signal either (as in cluster_orphans), or the kernel would stop them; they stay
in the master's process group, so the harness's teardown still kills them.
"""

from __future__ import annotations

from reference import filer_rep_cluster


def stop(self: filer_rep_cluster.Pool) -> None:
    pass  # BUG: no SIGTERM for the workers


filer_rep_cluster.Pool.stop = stop  # type: ignore[method-assign]
filer_rep_cluster.PARENT_PID_VARIABLE = "MUTANT_UNUSED"  # type: ignore[attr-defined]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
