"""Mutant: filer-rep resolves paths with realpath(3), which fails on a missing component. Should fail REQREP-1.

``missing/../small.txt`` names ``small.txt`` by SPEC.md 3.3's rule (the missing
component is popped by ``..``), but a strict realpath stops at ``missing``.
"""

from __future__ import annotations

import os
from pathlib import Path

from reference import filer_rep
from reference.filer import Filer, FilerError

_resolve = Filer.resolve


def resolve(self: Filer, path: str) -> Path:
    target = _resolve(self, path)
    try:
        os.path.realpath(self.root / path, strict=True)  # BUG: realpath(3) semantics
    except OSError as error:
        raise FilerError("not_found", f"cannot resolve {path!r}: {error}") from None
    return target


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
