"""Mutant: filer-req fails on a reply holding a number no int64 or double can hold. Should fail REQREP-5.

It parses the reply (to print it as received) with 64-bit integers and doubles
and dies on an overflow, even in a key it does not know (SPEC.md 3.1).
"""

from __future__ import annotations

import json

from reference import filer_req, messages
from tests.mutants.filer_rejects_big_numbers import strict_float, strict_int

_received_line = messages.received_line


def received_line(reply: bytes) -> str:
    json.loads(reply, parse_int=strict_int, parse_float=strict_float)  # BUG: raises
    return _received_line(reply)


messages.received_line = received_line

if __name__ == "__main__":
    raise SystemExit(filer_req.main())
