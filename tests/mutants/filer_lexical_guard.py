"""Mutant: filer-rep refuses a path whose .. climbs above the root, even one that comes back. Should fail REQREP-1.

A common guard: ``forbidden`` if the normalised path starts with ``..``. But
``../files/small.txt`` leaves the root and comes back into it, and SPEC.md
3.3's rule judges where a path ends, so it is served.
"""

from __future__ import annotations

import os

from reference import filer_rep
from reference.filer import Filer, FilerError

_resolve = Filer.resolve


def resolve(self: Filer, path: str) -> tuple[str, os.stat_result | None]:
    if path and os.path.normpath(path).split("/")[0] == "..":  # BUG: lexical, not the end point
        raise FilerError("forbidden", f"{path!r} climbs above the root")
    return _resolve(self, path)


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
