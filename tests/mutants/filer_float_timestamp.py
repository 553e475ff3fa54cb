"""Mutant: filer-rep stamps its replies with fractional milliseconds. Should fail REQREP-1.

SPEC.md 3.1: ``timestamp`` is a JSON integer (no fraction, no exponent).
"""

from __future__ import annotations

import time

from reference import filer_rep, messages


def now_ms() -> float:
    return time.time() * 1000  # BUG: a float, e.g. 1700000000000.123


messages.now_ms = now_ms  # type: ignore[assignment]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
