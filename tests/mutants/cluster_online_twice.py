"""Mutant: filer-rep-cluster prints each online line twice. Should fail CLUSTER-1."""

from __future__ import annotations

from reference import filer_rep_cluster, messages

_worker_online_line = messages.worker_online_line


def worker_online_line(pid: int) -> str:
    line = _worker_online_line(pid)
    return f"{line}\n{line}"  # BUG: once when started, once when connected


messages.worker_online_line = worker_online_line

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
