"""Mutant: filer-rep serves an absolute path that names a file under the root. Should fail REQREP-3.

SPEC.md 3.5: an absolute path is ``forbidden``, even one under the root.
"""

from __future__ import annotations

import os

from reference import filer_rep
from reference.filer import Filer

_read = Filer.read


def read(self: Filer, path: str) -> str:
    root = os.fspath(self.root)
    if path.startswith(root.rstrip("/") + "/"):  # BUG: "it is under the root anyway"
        path = path[len(root.rstrip("/")) + 1 :]
    return _read(self, path)


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
