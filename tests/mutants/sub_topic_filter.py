"""Mutant: watcher-sub subscribes to one JSON encoding's prefix, not to everything. Should fail PUBSUB-3.

It subscribes to '{"type":"changed"' (compact, type first), so change messages
that are valid JSON but encoded otherwise never reach it.
"""

from __future__ import annotations

import zmq

from reference import watcher_sub

_subscribe = zmq.Socket.subscribe


def subscribe(self: zmq.Socket[bytes], topic: str | bytes) -> None:
    _subscribe(self, b'{"type":"changed"')  # BUG: a prefix filter on one JSON encoding


zmq.Socket.subscribe = subscribe  # type: ignore[method-assign,assignment]

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
