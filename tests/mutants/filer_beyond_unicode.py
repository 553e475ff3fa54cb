"""Mutant: filer-rep takes 4-byte sequences above U+10FFFF for UTF-8. Should fail REQREP-3.

A hand-written validator that checks the shape of a 4-byte sequence but not
its range: ``F4 90 80 80`` (U+110000) and leads F5..F7 pass, served as U+FFFD.
Strict UTF-8 (RFC 3629, SPEC.md 3.5) has no such code points.
"""

from __future__ import annotations

import re
from pathlib import Path

from reference import filer_rep
from reference.filer import Filer, FilerError

_read = Filer.read
BEYOND = re.compile(rb"\xf4[\x90-\xbf][\x80-\xbf]{2}|[\xf5-\xf7][\x80-\xbf]{3}")


def read(self: Filer, path: str) -> str:
    try:
        return _read(self, path)
    except FilerError as error:
        if error.code != "not_utf8":
            raise
        data = BEYOND.sub("\ufffd".encode(), Path(self.resolve(path)[0]).read_bytes())
        try:
            return data.decode("utf-8")  # BUG: code points above U+10FFFF accepted
        except UnicodeDecodeError:
            raise error from None


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
