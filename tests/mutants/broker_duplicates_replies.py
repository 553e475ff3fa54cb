"""Mutant: broker delivers every reply twice. Should fail BROKER-2.

A retry path without a check: it sends the reply, then sends it again.
"""

from __future__ import annotations

from tests.mutants import _pyproxy


class Forwarder(_pyproxy.PythonForwarder):
    def forward(self, frames: list[bytes], *, upstream: bool) -> list[list[bytes]]:
        return [frames] if upstream else [frames, frames]  # BUG: each reply goes out twice


if __name__ == "__main__":
    raise SystemExit(_pyproxy.main(Forwarder))
