"""Mutant: broker drops the last frame of every multipart message. Should fail BROKER-1.

An off-by-one in a hand-rolled forwarding loop (``while more`` checked before
the frame is kept): the envelope and a one-frame body pass, the rest loses its tail.
"""

from __future__ import annotations

from tests.mutants import _pyproxy


class Forwarder(_pyproxy.PythonForwarder):
    def forward(self, frames: list[bytes], *, upstream: bool) -> list[list[bytes]]:
        # frames[0] is the client's identity (the ROUTER adds it, and strips it on the way back)
        return [frames[:-1] if len(frames) > 2 else frames]  # BUG: the last frame is lost


if __name__ == "__main__":
    raise SystemExit(_pyproxy.main(Forwarder))
