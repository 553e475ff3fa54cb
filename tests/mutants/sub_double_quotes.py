"""Mutant: watcher-sub prints the file name in double quotes. Should fail PUBSUB-3."""

from __future__ import annotations

from reference import messages, watcher_sub

_changed_line = messages.changed_line


def changed_line(file: str, timestamp: int) -> str:
    line = _changed_line(file, timestamp)
    return f'File "{file}"' + line[len(f"File '{file}'") :]  # BUG: "..." for '...'


messages.changed_line = changed_line

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
