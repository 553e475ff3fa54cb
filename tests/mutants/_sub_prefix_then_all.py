"""Not a mutant: a correct watcher-sub that subscribes to a prefix first, then to everything.

The prefix adds nothing to the subscription to everything, so it must pass
PUBSUB-3 (SPEC.md: the subscriber subscribes to every message; other
subscriptions besides are allowed).
"""

from __future__ import annotations

import zmq

from reference import watcher_sub

_subscribe = zmq.Socket.subscribe


def subscribe(self: zmq.Socket[bytes], topic: str | bytes) -> None:
    _subscribe(self, b'{"type":"changed"')
    _subscribe(self, topic)


zmq.Socket.subscribe = subscribe  # type: ignore[method-assign,assignment]

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
