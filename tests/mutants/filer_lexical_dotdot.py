"""Mutant: filer-rep takes .. lexically, before symlinks, for a path the walk finds outside. Should fail REQREP-3.

``escape-dir/../outside/outside.txt``, with ``escape-dir`` a link to a folder
outside the root, leads outside (SPEC.md 3.3: the walk follows the link, then
``..``); normalised first, it looks like ``outside/outside.txt`` under the root,
which does not exist. Symlink loops it still finds, so ``loop-dotdot`` passes:
only ``symlink-dir-dotdot`` tells it apart.
"""

from __future__ import annotations

import os

from reference import filer_rep
from reference.filer import Filer, FilerError

_resolve = Filer.resolve


def resolve(self: Filer, path: str) -> tuple[str, os.stat_result | None]:
    try:
        return _resolve(self, path)
    except FilerError as error:
        if error.code != "forbidden":
            raise
    return _resolve(self, os.path.normpath(path))  # BUG: ".." before the symlink


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
