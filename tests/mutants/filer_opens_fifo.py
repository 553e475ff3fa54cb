"""Mutant: filer-rep opens a non-regular file before it looks at its type. Should fail REQREP-3.

SPEC.md 3.5: a directory or other non-regular file MUST NOT be opened; opening a
FIFO blocks until a writer comes, so the request is never answered.
"""

from __future__ import annotations

import contextlib
import os
import stat

from reference import filer_rep
from reference.filer import Filer

_read = Filer.read


def read(self: Filer, path: str) -> str:
    with contextlib.suppress(OSError, ValueError):
        where = os.path.join(self.root, path)
        if not path.startswith("/") and stat.S_ISFIFO(os.stat(where).st_mode):
            with open(where, "rb"):  # BUG: opened before its type is looked at (a FIFO blocks)
                pass
    return _read(self, path)


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
