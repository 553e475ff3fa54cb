"""Mutant: filer-rep strips white space around the path it is asked for. Should fail REQREP-1.

`` notes.txt `` names a file whose name starts and ends with a space; this
responder looks for ``notes.txt`` instead.
"""

from __future__ import annotations

import os

from reference import filer_rep
from reference.filer import Filer

_resolve = Filer.resolve


def resolve(self: Filer, path: str) -> tuple[str, os.stat_result | None]:
    return _resolve(self, path.strip() or path)  # BUG: not the name asked for


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
