"""Mutant: filer-rep answers not_found for a missing path outside the root. Should fail REQREP-3.

It looks for the file before it checks where the path leads, so ``../nope``
gets ``not_found`` where SPEC.md 3.5 (first code in table order) wants
``forbidden``: it tells a client what exists outside the root.
"""

from __future__ import annotations

import os
from pathlib import Path

from reference import filer_rep
from reference.filer import Filer, FilerError

_resolve = Filer.resolve


def resolve(self: Filer, path: str) -> tuple[str, os.stat_result | None]:
    if path and "\0" not in path and not os.path.isabs(path):
        try:
            target = (Path(self.root) / path).resolve()
        except (ValueError, OSError, RuntimeError):
            return _resolve(self, path)
        if not target.exists():  # BUG: checked before "is it under the root?"
            raise FilerError("not_found", f"no such file: {path!r}")
    return _resolve(self, path)


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
