"""Mutant: filer-rep sends a lone surrogate as 3 bytes, not as a JSON escape. Should fail REQREP-3.

Its error messages quote the path as it came (allowed: the message is free
text), and it encodes with ``surrogatepass``: the lone surrogate of REQREP-3's
``unencodable-path`` request goes out as the bytes ED A0 80, which are not UTF-8
(SPEC.md 3.1 wants a ``\\u`` escape).
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
    return text.encode("utf-8", "surrogatepass")  # BUG: no fallback to a \u escape


Filer.read = read  # type: ignore[method-assign]
messages.encode_json = encode_json

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
