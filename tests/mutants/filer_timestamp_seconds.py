"""Mutant: filer-rep stamps its replies in seconds, not milliseconds. Should fail REQREP-1."""

from __future__ import annotations

import time

from reference import filer_rep, messages


def now_ms() -> int:
    return int(time.time())  # BUG: seconds since the epoch, not milliseconds


messages.now_ms = now_ms

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
