"""Mutant: watcher-pub stamps its messages in seconds, not milliseconds. Should fail PUBSUB-1."""

from __future__ import annotations

import time

from reference import messages, watcher_pub


def now_ms() -> int:
    return int(time.time())  # BUG: seconds since the epoch, not milliseconds


messages.now_ms = now_ms

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
