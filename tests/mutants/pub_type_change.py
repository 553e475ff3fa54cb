"""Mutant: watcher-pub names its messages' type 'change', not 'changed'. Should fail PUBSUB-1."""

from __future__ import annotations

from reference import messages, watcher_pub


def changed(file: str, timestamp: int) -> bytes:
    return messages.encode_json({"type": "change", "file": file, "timestamp": timestamp})  # BUG


messages.changed = changed

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
