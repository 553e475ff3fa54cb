"""Mutant: filer-rep-cluster stops forwarding when a worker dies, and never starts again. Should fail CLUSTER-3.

It stops its proxy so that no request goes to the dying connection, replaces
the worker, and forgets to start the proxy again: every worker is online and
idle, and no request is answered.
"""

from __future__ import annotations

from reference import filer_rep_cluster
from reference.forwarder import Forwarder

forwarders: list[Forwarder] = []
_start = Forwarder.start
_reap = filer_rep_cluster.Pool.reap


def start(self: Forwarder) -> None:
    forwarders.append(self)
    _start(self)


def reap(self: filer_rep_cluster.Pool, pid: int, status: int) -> float | None:
    lifetime = _reap(self, pid, status)
    for forwarder in forwarders:
        if lifetime is not None and forwarder._thread is not None:
            forwarder._control.send(b"TERMINATE")  # BUG: and it is never started again
            forwarder._thread.join()
            forwarder._thread = None
    return lifetime


Forwarder.start = start  # type: ignore[method-assign]
filer_rep_cluster.Pool.reap = reap  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
