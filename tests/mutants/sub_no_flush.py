"""Mutant: watcher-sub prints its lines without flushing stdout. Should fail PUBSUB-3.

On a pipe, Python's stdout is block-buffered: the lines stay in the buffer.
"""

from __future__ import annotations

from reference import lifecycle, watcher_sub


def say(line: str) -> None:
    print(line)  # BUG: no flush


lifecycle.say = say

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
