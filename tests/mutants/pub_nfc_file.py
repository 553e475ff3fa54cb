"""Mutant: watcher-pub NFC-normalises FILE in its messages. Should fail PUBSUB-1."""

from __future__ import annotations

import unicodedata

from reference import messages, watcher_pub

_changed = messages.changed


def changed(file: str, timestamp: int) -> bytes:
    return _changed(unicodedata.normalize("NFC", file), timestamp)  # BUG: not FILE as given


messages.changed = changed

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
