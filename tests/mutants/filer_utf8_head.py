"""Mutant: filer-rep checks only a file's first 4 KiB for valid UTF-8. Should fail REQREP-3.

The rest is decoded leniently (U+FFFD for bad bytes), so a big file with a
bad byte late in it is served instead of getting ``not_utf8``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from reference import filer_rep
from reference.filer import Filer, FilerError

_read = Filer.read
HEAD = 4096


def read(self: Filer, path: str) -> str:
    try:
        return _read(self, path)
    except FilerError as error:
        if error.code != "not_utf8":
            raise
        data = Path(self.resolve(path)[0]).read_bytes()
        try:
            codecs.getincrementaldecoder("utf-8")().decode(data[:HEAD], final=len(data) <= HEAD)
        except UnicodeDecodeError:
            raise error from None
        return data.decode("utf-8", errors="replace")  # BUG: only the head was validated


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
