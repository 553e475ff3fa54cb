"""Mutant: filer-rep-cluster's first worker takes 8 connections' share of the load. Should fail CLUSTER-2.

The first worker opens 8 REP connections to the master's DEALER
(tests.mutants._hog_worker); round robin over connections then hands it 8 of
every W + 7 requests, over 2N/W for W >= 3.
"""

from __future__ import annotations

from reference import filer_rep_cluster

_spawn = filer_rep_cluster.Pool.spawn
started: list[int] = []


def spawn(self: filer_rep_cluster.Pool) -> int:
    if started:
        return _spawn(self)
    command = self.command
    self.command = [command[0], "-m", "tests.mutants._hog_worker", *command[3:]]  # BUG
    try:
        started.append(_spawn(self))
    finally:
        self.command = command
    return started[-1]


filer_rep_cluster.Pool.spawn = spawn  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
