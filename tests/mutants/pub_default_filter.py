"""Mutant: watcher-pub drops editor files (*~, *.swp) as watchfiles' default filter does. Should fail PUBSUB-1.

The reference's own bug until the red team's data reached it: ``watchfiles.watch``
filters out backup and swap files by default, so a FILE whose name ends in
``~`` never produces a message (SPEC.md PUBSUB-2: every change of FILE does).
"""

from __future__ import annotations

import types
from typing import Any

import watchfiles

from reference import watcher_pub


def watch(*paths: Any, watch_filter: Any = None, **options: Any) -> Any:
    return watchfiles.watch(*paths, watch_filter=watchfiles.DefaultFilter(), **options)  # BUG


watcher_pub.watchfiles = types.SimpleNamespace(watch=watch)  # type: ignore[attr-defined,assignment]

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
