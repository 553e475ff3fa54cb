"""Mutant: filer-rep-cluster connects only its first worker to --backend. Should fail CLUSTER-2.

The master builds the command of every later worker without --backend, so
those workers connect to the default ipc://filer-dealer.ipc, where nothing
listens: they come online (a connect never fails) but never get a request.
"""

from __future__ import annotations

from reference import filer_rep_cluster

_spawn = filer_rep_cluster.Pool.spawn


def spawn(self: filer_rep_cluster.Pool) -> int:
    pid = _spawn(self)
    at = self.command.index("--connect") + 1
    self.command[at] = filer_rep_cluster.DEFAULT_BACKEND  # BUG: later workers get the default
    return pid


filer_rep_cluster.Pool.spawn = spawn  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
