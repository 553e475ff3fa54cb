"""Mutant: filer-rep answers not_found for a missing path before it checks the root. Should fail REQREP-3.

SPEC.md 3.5: the first code in table order wins, so a path outside the root is
``forbidden`` whether or not it exists (``../outside/missing.txt``).
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
            missing = not os.path.exists(os.path.realpath(Path(self.root) / path))
        except ValueError:
            missing = False
        if missing:  # BUG: existence is judged before the root
            raise FilerError("not_found", f"no such file: {path!r}")
    return _resolve(self, path)


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
