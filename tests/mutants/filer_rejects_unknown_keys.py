"""Mutant: filer-rep answers bad_request to a request with a key other than path. Should fail REQREP-1."""

from __future__ import annotations

import json

from reference import filer, filer_rep

_parse_request = filer.parse_request


def parse_request(frames: list[bytes]) -> str:
    path = _parse_request(frames)
    unknown = set(json.loads(frames[0])) - {"path"}
    if unknown:  # BUG: SPEC.md 3.1 says receivers ignore keys they do not know
        raise filer.FilerError("bad_request", f"unknown keys: {sorted(unknown)}")
    return path


filer.parse_request = parse_request

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
