"""Mutant: watcher-sub skips a change message with a key it does not know. Should fail PUBSUB-3."""

from __future__ import annotations

import json

from reference import watcher_sub

_describe = watcher_sub.describe


def describe(frames: list[bytes]) -> str:
    line = _describe(frames)
    unknown = set(json.loads(frames[0])) - {"type", "file", "timestamp"}
    if unknown:  # BUG: SPEC.md 3.1 says receivers ignore keys they do not know
        raise ValueError(f"unknown keys: {sorted(unknown)}")
    return line


watcher_sub.describe = describe

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
