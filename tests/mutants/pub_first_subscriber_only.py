"""Mutant: watcher-pub serves only the first subscriber that connects. Should fail PUBSUB-2.

An XPUB in manual mode applies a subscription to the peer it came from; this
publisher applies the first one it receives and drops every later one, so the
other subscribers get nothing (RFC 29: PUB sends to every subscriber).
"""

from __future__ import annotations

import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import watchfiles
import zmq

from reference import watcher_pub

_publish_changes = watcher_pub.publish_changes


def publish_changes(socket: zmq.Socket[bytes], file: str, stop: threading.Event) -> None:
    socket.setsockopt(zmq.XPUB_MANUAL, 1)
    served: list[bytes] = []

    def watch(directory: Path, **options: Any) -> Iterator[set[tuple[watchfiles.Change, str]]]:
        for changes in watchfiles.watch(directory, **options):  # at least every 200 ms
            while True:
                try:
                    message = socket.recv(zmq.NOBLOCK)
                except zmq.Again:
                    break
                if message[:1] == b"\x01" and not served:  # BUG: the first subscriber only
                    socket.setsockopt(zmq.SUBSCRIBE, message[1:])
                    served.append(message)
            yield changes

    watcher_pub.watchfiles = types.SimpleNamespace(watch=watch)  # type: ignore[attr-defined,assignment]
    _publish_changes(socket, file, stop)


watcher_pub.zmq = types.SimpleNamespace(Context=zmq.Context, PUB=zmq.XPUB)  # type: ignore[attr-defined,assignment]
watcher_pub.publish_changes = publish_changes

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
