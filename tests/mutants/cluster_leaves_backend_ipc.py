"""Mutant: filer-rep-cluster removes its frontend's ipc file on SIGTERM, not its backend's. Should fail LIFE-2.

libzmq does not unlink a bound ipc path (SPEC.md LIFE-2): the program must.
"""

from __future__ import annotations

import types
from collections.abc import Iterable

import zmq

from reference import filer_rep_cluster, lifecycle


def shut_down(context: zmq.Context[zmq.Socket[bytes]], bound: Iterable[str] = ()) -> None:
    lifecycle.shut_down(context, list(bound)[:1])  # BUG: the backend's file is forgotten


filer_rep_cluster.lifecycle = types.SimpleNamespace(  # type: ignore[attr-defined,assignment]
    **{name: getattr(lifecycle, name) for name in dir(lifecycle) if not name.startswith("__")},
)
filer_rep_cluster.lifecycle.shut_down = shut_down  # type: ignore[attr-defined]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
