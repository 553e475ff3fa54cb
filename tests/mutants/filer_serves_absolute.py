"""Mutant: filer-rep serves an absolute path that names a file under the root. Should fail REQREP-3.

SPEC.md 3.5: an absolute path is ``forbidden``, even one under the root.
"""

from __future__ import annotations

import os
from pathlib import Path

from reference import filer_rep
from reference.filer import Filer

_resolve = Filer.resolve


def resolve(self: Filer, path: str) -> Path:
    if path and "\0" not in path and os.path.isabs(path):
        try:
            inside = Path(path).is_relative_to(self.root)
        except ValueError:
            inside = False
        if inside:  # BUG: "it is under the root anyway"
            path = os.path.relpath(path, self.root)
    return _resolve(self, path)


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
