"""Mutant: watcher-sub trusts every message and crashes on a bad one. Should fail PUBSUB-5."""

from __future__ import annotations

import json

from reference import messages, watcher_sub


def describe(frames: list[bytes]) -> str:
    message = json.loads(frames[-1])  # BUG: no checks: a list, null or a bad timestamp raises
    return messages.changed_line(message["file"], message["timestamp"])


watcher_sub.describe = describe

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
