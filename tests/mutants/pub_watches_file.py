"""Mutant: watcher-pub watches FILE, not its directory: renames over it go unseen. Should fail PUBSUB-2."""

from __future__ import annotations

import threading
import types
from pathlib import Path
from typing import Any

import watchfiles
import zmq

from reference import watcher_pub

_publish_changes = watcher_pub.publish_changes


def publish_changes(socket: zmq.Socket[bytes], file: str, stop: threading.Event) -> None:
    target = Path(file).resolve()

    def watch(directory: Path, **options: Any) -> Any:
        return watchfiles.watch(target, **options)  # BUG: watches the file's inode, not directory

    watcher_pub.watchfiles = types.SimpleNamespace(watch=watch)  # type: ignore[attr-defined,assignment]
    _publish_changes(socket, file, stop)


watcher_pub.publish_changes = publish_changes

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
