"""Mutant: filer-rep crashes when a reply holds a lone surrogate. Should fail REQREP-3.

Its error messages quote the path as it came (allowed), and it encodes
strictly, with no fallback to a JSON escape (SPEC.md 3.1: encoding MUST NOT
fail): ``{"path":"\\ud800.txt"}`` kills it.
"""

from __future__ import annotations

import json
from typing import Any

from reference import filer_rep, messages
from reference.filer import Filer, FilerError

_read = Filer.read


def read(self: Filer, path: str) -> str:
    try:
        return _read(self, path)
    except FilerError as error:
        raise FilerError(error.code, f"cannot serve {path}") from None


def encode_json(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")  # BUG: UnicodeEncodeError on a lone surrogate


Filer.read = read  # type: ignore[method-assign]
messages.encode_json = encode_json

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
