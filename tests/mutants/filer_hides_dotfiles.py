"""Mutant: filer-rep refuses names that start with a dot. Should fail REQREP-1.

A "hide dotfiles" rule: ``.profile`` under the root is a file like any other
(SPEC.md 3.3), but it gets ``forbidden``. ``.`` and ``..`` components still work.
"""

from __future__ import annotations

import os

from reference import filer_rep
from reference.filer import Filer, FilerError

_resolve = Filer.resolve


def resolve(self: Filer, path: str) -> tuple[str, os.stat_result | None]:
    hidden = [part for part in path.split("/") if part.startswith(".") and part not in (".", "..")]
    if hidden:  # BUG: a file under the root that is not served
        raise FilerError("forbidden", f"hidden files are not served: {path!r}")
    return _resolve(self, path)


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
