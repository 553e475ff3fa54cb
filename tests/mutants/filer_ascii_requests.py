"""Mutant: filer-rep refuses requests that hold raw non-ASCII bytes. Should fail REQREP-1.

It reads the request as ASCII JSON, so ``{"path":"é.txt"}`` sent as UTF-8 gets
``bad_request``; only the escaped form works. SPEC.md 3.1: receivers MUST
accept any valid JSON encoding, non-ASCII characters raw or escaped.
"""

from __future__ import annotations

from reference import filer, filer_rep
from reference.filer import FilerError

_parse_request = filer.parse_request


def parse_request(frames: list[bytes]) -> str:
    if len(frames) == 1 and not frames[0].isascii():  # BUG: raw UTF-8 in JSON is valid
        raise FilerError("bad_request", "request is not ASCII JSON")
    return _parse_request(frames)


filer.parse_request = parse_request

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
