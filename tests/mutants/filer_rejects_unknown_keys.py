"""Mutant: filer-rep refuses a request with a key besides path. Should fail REQREP-1.

SPEC.md 3.1: receivers MUST ignore keys they do not know; a newer requester
may send more.
"""

from __future__ import annotations

import json

from reference import filer, filer_rep
from reference.filer import FilerError

_parse_request = filer.parse_request


def parse_request(frames: list[bytes]) -> str:
    path = _parse_request(frames)
    extra = set(json.loads(frames[0])) - {"path"}
    if extra:  # BUG: unknown keys must be ignored
        raise FilerError("bad_request", f"unknown keys: {sorted(extra)}")
    return path


filer.parse_request = parse_request

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
