"""Mutant: filer-rep serves a file that is not UTF-8 with U+FFFD for its bad bytes. Should fail REQREP-3."""

from __future__ import annotations

import os

from reference import filer_rep
from reference.filer import Filer, FilerError

_read = Filer.read


def read(self: Filer, path: str) -> str:
    try:
        return _read(self, path)
    except FilerError as error:
        if error.code != "not_utf8":
            raise
        with open(os.path.join(self.root, path), "rb") as file:
            return file.read().decode("utf-8", "replace")  # BUG: lossy


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
