"""Mutant: watcher-sub prints a banner on stdout before its change lines. Should fail PUBSUB-3.

SPEC.md 3.6: a client role prints nothing on stdout but its transcript lines;
diagnostics go to stderr.
"""

from __future__ import annotations

from reference import watcher_sub

if __name__ == "__main__":
    print("Subscribed to every change message.", flush=True)  # BUG: not a transcript line
    raise SystemExit(watcher_sub.main())
