"""Mutant: filer-rep answers not_a_file for a path through a regular file. Should fail REQREP-3.

SPEC.md 3.5: ENOTDIR (``good.txt/inside``) is ``not_found``: nothing exists there.
"""

from __future__ import annotations

import os

from reference import filer_rep
from reference.filer import Filer, FilerError

_read = Filer.read


def read(self: Filer, path: str) -> str:
    try:
        return _read(self, path)
    except FilerError as error:
        if error.code != "not_found":
            raise
        try:
            os.stat(os.path.join(self.root, path))
        except NotADirectoryError:  # BUG: a file in the way taken for "not a file"
            raise FilerError("not_a_file", f"{path!r} goes through a file") from None
        except (OSError, ValueError):
            pass
        raise


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
