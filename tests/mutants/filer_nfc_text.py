"""Mutant: filer-rep NFC-normalises the text it serves. Should fail REQREP-1."""

from __future__ import annotations

import unicodedata

from reference import filer_rep
from reference.filer import Filer

_read = Filer.read


def read(self: Filer, path: str) -> str:
    return unicodedata.normalize("NFC", _read(self, path))  # BUG: not the file's exact text


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
