"""Mutant: watcher-pub sends each change as two frames, a topic and the JSON. Should fail PUBSUB-1."""

from __future__ import annotations

import threading
from typing import Any

from reference import watcher_pub

_publish_changes = watcher_pub.publish_changes


class TopicSocket:
    def __init__(self, socket: Any) -> None:
        self._socket = socket

    def send(self, data: bytes) -> None:
        self._socket.send_multipart([b"changed", data])  # BUG: a topic frame before the message


def publish_changes(socket: Any, file: str, stop: threading.Event) -> None:
    _publish_changes(TopicSocket(socket), file, stop)  # type: ignore[arg-type]


watcher_pub.publish_changes = publish_changes

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
