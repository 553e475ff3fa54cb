"""Mutant: watcher-pub puts FILE's last component in its messages. Should fail PUBSUB-1.

SPEC.md 3.2: ``file`` is FILE exactly as given on the command line.
"""

from __future__ import annotations

import os

from reference import messages, watcher_pub

_changed = messages.changed


def changed(file: str, timestamp: int) -> bytes:
    return _changed(os.path.basename(file), timestamp)  # BUG: the name, not FILE as given


messages.changed = changed

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
