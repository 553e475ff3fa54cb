"""Mutant: filer-rep-cluster sends every reply to its client twice. Should fail REQREP-1.

SPEC.md REQREP-1: exactly one reply per request. A REQ client may hide the
second copy; a DEALER sees it.
"""

from __future__ import annotations

from reference import filer_rep_cluster
from tests.mutants._pyproxy import PythonForwarder


class Duplicating(PythonForwarder):
    def forward(self, frames: list[bytes], *, upstream: bool) -> list[list[bytes]]:
        return [frames] if upstream else [frames, frames]  # BUG: each reply goes out twice


filer_rep_cluster.Forwarder = Duplicating  # type: ignore[misc]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
