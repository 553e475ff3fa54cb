"""Hostile: a filer-rep that dies of SIGABRT when it gets a request (no core file)."""

from __future__ import annotations

import os
import resource

from reference import filer_rep
from reference.filer import Filer


def answer(self: Filer, frames: list[bytes]) -> bytes:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.abort()


Filer.answer = answer  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
