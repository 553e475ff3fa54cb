"""Mutant: filer-rep crashes on a file that is not UTF-8. Should fail REQREP-3."""

from __future__ import annotations

from pathlib import Path

from reference import filer_rep
from reference.filer import Filer, FilerError

_read = Filer.read


def read(self: Filer, path: str) -> str:
    try:
        return _read(self, path)
    except FilerError as error:
        if error.code == "not_utf8":  # BUG: decodes outside any try: UnicodeDecodeError escapes
            return Path(self.resolve(path)[0]).read_bytes().decode("utf-8")
        raise


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
