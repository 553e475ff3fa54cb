"""Mutant: filer-rep reads only the first 64 bytes of a file. Should fail REQREP-1."""

from __future__ import annotations

from reference import filer_rep
from reference.filer import Filer

_read = Filer.read


def read(self: Filer, path: str) -> str:
    text = _read(self, path)
    return text.encode()[:64].decode(errors="ignore")  # BUG: one fixed-size read of 64 bytes


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
