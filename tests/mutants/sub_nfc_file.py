"""Mutant: watcher-sub NFC-normalises the file name it prints. Should fail PUBSUB-3."""

from __future__ import annotations

import unicodedata

from reference import messages, watcher_sub

_changed_line = messages.changed_line


def changed_line(file: str, timestamp: int) -> str:
    return _changed_line(unicodedata.normalize("NFC", file), timestamp)  # BUG: not exact


messages.changed_line = changed_line

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
