"""Mutant: watcher-sub skips change messages with a key it does not know. Should fail PUBSUB-3.

SPEC.md 3.1: receivers MUST ignore keys they do not know; a newer publisher
may add some.
"""

from __future__ import annotations

import json

from reference import watcher_sub

_describe = watcher_sub.describe


def describe(frames: list[bytes]) -> str:
    line = _describe(frames)
    extra = set(json.loads(frames[0])) - {"type", "file", "timestamp"}
    if extra:  # BUG: unknown keys must be ignored
        raise ValueError(f"unknown keys {sorted(extra)}")
    return line


watcher_sub.describe = describe

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
