"""Mutant: filer-rep-cluster workers do not notice that the master died. Should fail CLUSTER-5.

The master does not tell its workers its pid, so they never arm the
parent-death signal (reference.parent) and live on as orphans after a SIGKILL.
"""

from __future__ import annotations

from reference import filer_rep_cluster

# BUG: the workers look for REFERENCE_PARENT_PID, and do not find it
filer_rep_cluster.PARENT_PID_VARIABLE = "MUTANT_UNUSED"  # type: ignore[attr-defined]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
