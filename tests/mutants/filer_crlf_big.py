"""Mutant: filer-rep turns CR LF into LF in files over 64 KiB. Should fail REQREP-1.

As a responder that reads big files in text mode, through a different code
path than small ones, would.
"""

from __future__ import annotations

from reference import filer_rep
from reference.filer import Filer

_read = Filer.read
BIG = 64 * 1024


def read(self: Filer, path: str) -> str:
    text = _read(self, path)
    if len(text.encode("utf-8")) > BIG:
        return text.replace("\r\n", "\n")  # BUG: newline translation on the big-file path
    return text


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
