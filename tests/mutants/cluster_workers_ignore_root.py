"""Mutant: filer-rep-cluster starts its workers without --root. Should fail REQREP-1.

Its workers serve their working directory (the master's), not the root the
cluster was given: a cluster is no drop-in replacement for filer-rep then.
"""

from __future__ import annotations

from reference import filer_rep_cluster

_spawn = filer_rep_cluster.Pool.spawn


def spawn(self: filer_rep_cluster.Pool) -> int:
    if "--root" in self.command:
        at = self.command.index("--root")
        del self.command[at : at + 2]  # BUG: --root is not passed on to the workers
    return _spawn(self)


filer_rep_cluster.Pool.spawn = spawn  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
