"""Mutant: broker sends each reply to the client that sent the latest request. Should fail BROKER-2.

It remembers "the" client instead of routing on the identity frame that comes
back with the reply: right for one client at a time, wrong for several.
"""

from __future__ import annotations

from tests.mutants import _pyproxy


class Forwarder(_pyproxy.PythonForwarder):
    last_client = b""

    def forward(self, frames: list[bytes], *, upstream: bool) -> list[list[bytes]]:
        if upstream:
            self.last_client = frames[0]
            return [frames]
        return [[self.last_client, *frames[1:]]]  # BUG: not frames[0], the reply's own client


if __name__ == "__main__":
    raise SystemExit(_pyproxy.main(Forwarder))
