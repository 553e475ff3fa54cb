"""Mutant: filer-rep caches file contents by path and serves stale text. Should fail REQREP-2."""

from __future__ import annotations

from reference import filer_rep
from reference.filer import Filer

_read = Filer.read
_cache: dict[str, str] = {}


def read(self: Filer, path: str) -> str:
    if path not in _cache:  # BUG: never looks at the file again
        _cache[path] = _read(self, path)
    return _cache[path]


Filer.read = read  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
