"""Mutant: watcher-sub skips a message about the same file as the one before. Should fail PUBSUB-3."""

from __future__ import annotations

import json

from reference import watcher_sub

_describe = watcher_sub.describe
_last: list[object] = [None]


def describe(frames: list[bytes]) -> str:
    line = _describe(frames)
    file = json.loads(frames[0])["file"]
    if file == _last[0]:  # BUG: "de-bounces" repeated changes of one file
        raise ValueError(f"duplicate change of {file!r}")
    _last[0] = file
    return line


watcher_sub.describe = describe

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
