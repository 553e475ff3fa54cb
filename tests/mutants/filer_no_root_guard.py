"""Mutant: filer-rep serves whatever a path resolves to, under the root or not. Should fail REQREP-3.

The book's responder (SPEC.md D2), with the reference's resolution rule: only
absolute paths are refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from reference import filer_rep
from reference.filer import Filer, FilerError, SymlinkLoop, walk


def resolve(self: Filer, path: str) -> Path:
    if "\0" in path or not path:
        raise FilerError("bad_request", "path must be a non-empty string without NUL")
    if os.path.isabs(path):
        raise FilerError("forbidden", f"absolute paths are not served: {path!r}")
    try:
        return Path(walk(str(self.root), path))  # BUG: no check that it lies under the root
    except ValueError:
        raise FilerError("bad_request", f"{path!r} cannot be a file name here") from None
    except SymlinkLoop:
        raise FilerError("not_found", f"{path!r} meets a symlink loop") from None


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
