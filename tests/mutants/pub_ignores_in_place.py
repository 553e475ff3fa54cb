"""Mutant: watcher-pub reports new files renamed over FILE, not writes in place. Should fail PUBSUB-2.

It listens for files being created (an editor's save by rename) and takes a
modification in place for noise.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import watchfiles

from reference import watcher_pub


def watch(directory: Path, **options: Any) -> Iterator[set[tuple[watchfiles.Change, str]]]:
    for changes in watchfiles.watch(directory, **options):
        yield {(kind, path) for kind, path in changes if kind != watchfiles.Change.modified}  # BUG


watcher_pub.watchfiles = types.SimpleNamespace(watch=watch)  # type: ignore[attr-defined,assignment]

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
