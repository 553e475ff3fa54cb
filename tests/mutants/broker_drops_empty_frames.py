"""Mutant: broker drops empty frames. Should fail BROKER-1.

It "cleans" messages of empty frames, taking them for padding; a REQ's empty
delimiter is one of them, and so is any empty part of a message.
"""

from __future__ import annotations

from tests.mutants import _pyproxy


class Forwarder(_pyproxy.PythonForwarder):
    def forward(self, frames: list[bytes], *, upstream: bool) -> list[list[bytes]]:
        return [[frame for frame in frames if frame]]  # BUG: empty frames are data too


if __name__ == "__main__":
    raise SystemExit(_pyproxy.main(Forwarder))
