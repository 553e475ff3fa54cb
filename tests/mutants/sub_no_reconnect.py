"""Mutant: watcher-sub has reconnection disabled (ZMQ_RECONNECT_IVL = -1). Should fail PUBSUB-4."""

from __future__ import annotations

from typing import Any

import zmq

from reference import watcher_sub


class Context(zmq.Context):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setsockopt(zmq.RECONNECT_IVL, -1)  # BUG: never reconnect after the first connection


zmq.Context = Context  # type: ignore[misc]

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
