"""Mutant: filer-rep-cluster prints the master's pid in its online lines. Should fail CLUSTER-1."""

from __future__ import annotations

import os

from reference import filer_rep_cluster, messages


def worker_online_line(pid: int) -> str:
    return f"Worker {os.getpid()} is online."  # BUG: its own pid, not the worker's


messages.worker_online_line = worker_online_line

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
