"""Mutant: filer-rep NFC-normalises the path before it opens the file. Should fail REQREP-1.

As on a file system that normalises names (or a responder that "cleans" its
input): a file whose name is not in NFC is then not found.
"""

from __future__ import annotations

import os
import unicodedata

from reference import filer_rep
from reference.filer import Filer

_resolve = Filer.resolve


def resolve(self: Filer, path: str) -> tuple[str, os.stat_result | None]:
    return _resolve(self, unicodedata.normalize("NFC", path))  # BUG: the name is changed


Filer.resolve = resolve  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
