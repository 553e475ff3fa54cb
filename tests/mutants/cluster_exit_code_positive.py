"""Mutant: filer-rep-cluster reports a worker killed by signal N as code N, not -N. Should fail CLUSTER-3."""

from __future__ import annotations

from reference import filer_rep_cluster, messages

_worker_exited_line = messages.worker_exited_line


def worker_exited_line(pid: int, code: int) -> str:
    return _worker_exited_line(pid, abs(code))  # BUG: the signal's number without its minus


messages.worker_exited_line = worker_exited_line

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
