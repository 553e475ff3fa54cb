"""Mutant: filer-rep serves whatever a path resolves to, under the root or not. Should fail REQREP-3.

The book's responder (SPEC.md D2): a relative path that the root check refuses
is opened anyway, by the kernel's resolution; only absolute paths are refused.
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
        if error.code != "forbidden" or path.startswith("/"):
            raise
        try:
            with open(os.path.join(self.root, path), "rb") as file:  # BUG: outside the root
                return file.read().decode("utf-8")
        except (OSError, ValueError):
            raise error from None


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
