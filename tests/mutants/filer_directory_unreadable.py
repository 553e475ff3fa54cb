"""Mutant: filer-rep answers unreadable for a directory. Should fail REQREP-3.

It takes a directory's EISDIR for a read error; SPEC.md 3.5 says ``not_a_file``.
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
        if error.code == "not_a_file" and os.path.isdir(os.path.join(self.root, path)):
            raise FilerError("unreadable", f"cannot read {path!r}: Is a directory") from None  # BUG
        raise


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
