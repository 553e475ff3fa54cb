"""Mutant: filer-rep serves a multipart request from its first frame. Should fail REQREP-3.

The book's responder does (SPEC.md D3); 3.5 makes a request of more than one
frame ``bad_request``.
"""

from __future__ import annotations

from reference import filer, filer_rep

_parse_request = filer.parse_request


def parse_request(frames: list[bytes]) -> str:
    return _parse_request(frames[:1])  # BUG: the other frames are ignored


filer.parse_request = parse_request

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
