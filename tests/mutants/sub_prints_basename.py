"""Mutant: watcher-sub prints the last component of the message's file. Should fail PUBSUB-3."""

from __future__ import annotations

import posixpath

from reference import messages, watcher_sub

_changed_line = messages.changed_line


def changed_line(file: str, timestamp: int) -> str:
    return _changed_line(posixpath.basename(file), timestamp)  # BUG: the name, not the file


messages.changed_line = changed_line

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
