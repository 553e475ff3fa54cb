"""Mutant: filer-rep resolves with Python's Path.resolve(), which serves loop/../good.txt. Should fail REQREP-3.

Non-strict ``Path.resolve()`` stops resolving at a symlink loop and joins the
rest, so ``..`` after the loop gets back to the root: the reference's own code
before SPEC.md 3.3 stated the rule (a loop met anywhere is ``not_found``).
"""

from __future__ import annotations

import os
from pathlib import Path

from reference import filer_rep
from reference.filer import Filer, FilerError


def resolve(self: Filer, path: str) -> tuple[str, os.stat_result | None]:
    if "\0" in path or not path:
        raise FilerError("bad_request", "path must be a non-empty string without NUL")
    if os.path.isabs(path):
        raise FilerError("forbidden", f"absolute paths are not served: {path!r}")
    try:
        target = (Path(self.root) / path).resolve()  # BUG: not SPEC.md 3.3's walk
    except ValueError:
        raise FilerError("bad_request", f"{path!r} cannot be a file name here") from None
    except (OSError, RuntimeError) as error:
        raise FilerError("not_found", f"cannot resolve {path!r}: {error}") from None
    if not target.is_relative_to(self.root):
        raise FilerError("forbidden", f"{path!r} is outside the served root")
    return str(target), None


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
