"""Mutant: filer-rep fails a request holding a number no int64 or double can hold. Should fail REQREP-1.

It parses numbers as a C program with 64-bit integers and doubles would, and
refuses the request when one overflows, even in a key it does not know.
"""

from __future__ import annotations

import json
import math

from reference import filer, filer_rep

_parse_request = filer.parse_request


def strict_int(text: str) -> int:
    value = int(text)
    if not -(2**63) <= value < 2**64:
        raise ValueError(f"integer out of range: {text[:40]}")
    return value


def strict_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number out of range: {text[:40]}")
    return value


def parse_request(frames: list[bytes]) -> str:
    path = _parse_request(frames)
    try:  # BUG: an unknown key's value is parsed, and its overflow is an error
        json.loads(frames[0], parse_int=strict_int, parse_float=strict_float)
    except ValueError as error:
        raise filer.FilerError("bad_request", str(error)) from None
    return path


filer.parse_request = parse_request

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
