"""Mutant: filer-rep answers not_found for a file it may not open. Should fail REQREP-3.

It takes the permission error of ``open`` (EACCES, EPERM) for a missing file; SPEC.md 3.5
says ``unreadable``. Every other answer is the reference's.
"""

from __future__ import annotations

import os

from reference import filer_rep
from reference.filer import Filer, FilerError

_read = Filer.read


def may_not_open(filer: Filer, path: str) -> bool:
    """Whether opening the regular file PATH names fails for want of permission."""
    target, _ = filer.resolve(path)
    try:
        os.close(os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC))
    except PermissionError:  # EACCES or EPERM
        return True
    except OSError:
        return False
    return False


def read(self: Filer, path: str) -> str:
    try:
        return _read(self, path)
    except FilerError as error:
        if error.code == "unreadable" and may_not_open(self, path):
            raise FilerError("not_found", f"no such file: {path!r}") from None  # BUG
        raise


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
