"""Mutant: filer-rep opens a non-regular file before it looks at its type. Should fail REQREP-3.

SPEC.md 3.5: a directory or other non-regular file MUST NOT be opened; opening a
FIFO blocks until a writer comes, so the request is never answered.
"""

from __future__ import annotations

import contextlib

from reference import filer_rep
from reference.filer import Filer

_read = Filer.read


def read(self: Filer, path: str) -> str:
    target = self.resolve(path)
    if target.exists() and not target.is_dir() and not target.is_file():
        with contextlib.suppress(OSError), target.open("rb"):  # BUG: opened (a FIFO blocks)
            pass
    return _read(self, path)


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
