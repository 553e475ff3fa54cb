"""Mutant: watcher-sub skips change messages that are not compact JSON. Should fail PUBSUB-3.

SPEC.md 3.1: receivers MUST accept any valid JSON encoding; a message with
whitespace between its tokens is one.
"""

from __future__ import annotations

import re

from reference import watcher_sub

_describe = watcher_sub.describe
SPACED = re.compile(rb"^\s|[{\[,:]\s|\s[}\],:]")


def describe(frames: list[bytes]) -> str:
    if len(frames) == 1 and SPACED.search(frames[0]):  # BUG: only JSON.stringify's encoding
        raise ValueError("not compact JSON")
    return _describe(frames)


watcher_sub.describe = describe

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
