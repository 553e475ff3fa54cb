"""Mutant: filer-rep answers unreadable for a directory. Should fail REQREP-3.

It reads first and maps the read's EISDIR to ``unreadable``; SPEC.md 3.5 says
``not_a_file``.
"""

from __future__ import annotations

from reference import filer_rep
from reference.filer import Filer, FilerError

_read = Filer.read


def read(self: Filer, path: str) -> str:
    if self.resolve(path).is_dir():  # BUG: EISDIR reported as a read error
        raise FilerError("unreadable", f"cannot read {path!r}: Is a directory")
    return _read(self, path)


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
