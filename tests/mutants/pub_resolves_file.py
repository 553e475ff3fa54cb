"""Mutant: watcher-pub puts FILE's resolved path in its messages. Should fail PUBSUB-1.

SPEC.md 3.2: ``file`` is FILE exactly as given on the command line, not
resolved, not normalised (``./notes.txt`` stays ``./notes.txt``).
"""

from __future__ import annotations

import os

from reference import messages, watcher_pub

_changed = messages.changed


def changed(file: str, timestamp: int) -> bytes:
    return _changed(os.path.realpath(file), timestamp)  # BUG: resolved, not as given


messages.changed = changed

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
