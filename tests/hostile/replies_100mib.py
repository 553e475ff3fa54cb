"""Hostile: a filer-rep that answers every request with a reply of 100 MiB."""

from __future__ import annotations

import json
import os

from reference import filer_rep
from reference.filer import Filer

SIZE = 100 * (1 << 20)


def answer(self: Filer, frames: list[bytes]) -> bytes:
    return json.dumps({"content": "z" * SIZE, "timestamp": 1, "pid": os.getpid()}).encode()


Filer.answer = answer  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
