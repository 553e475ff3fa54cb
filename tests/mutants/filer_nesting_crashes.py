"""Mutant: filer-rep crashes on a request nested deeper than its parser allows. Should fail REQREP-3.

A parser may limit nesting depth (RFC 8259 §9), but SPEC.md 3.1 wants the
request answered all the same (``bad_request``, or served): this responder
lets its parser's RecursionError escape, dies, and leaves its requester
wedged.
"""

from __future__ import annotations

import json

from reference import filer, filer_rep

_parse_request = filer.parse_request


def parse_request(frames: list[bytes]) -> str:
    if len(frames) == 1:
        try:
            json.loads(frames[0])
        except RecursionError:
            raise  # BUG: too deep for the parser is not an answer: the process dies
        except ValueError:
            pass  # not JSON: the reference's parse says bad_request
    return _parse_request(frames)


filer.parse_request = parse_request

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
