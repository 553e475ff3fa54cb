"""Mutant: filer-rep-cluster ends its workers on SIGTERM, then exits 1. Should fail LIFE-2.

One bug, one failure: the exit status is LIFE-2's alone; CLUSTER-4, which
judges only the workers, passes it (a control in the catalogue).
"""

from __future__ import annotations

from reference import filer_rep_cluster

if __name__ == "__main__":
    filer_rep_cluster.main()
    raise SystemExit(1)  # BUG: not 0 after a clean shutdown
