"""Mutant: filer-rep reports its parent's pid instead of its own. Should fail REQREP-1."""

from __future__ import annotations

import json
import os

from reference import filer_rep, messages
from reference.filer import Filer

_answer = Filer.answer


def answer(self: Filer, frames: list[bytes]) -> bytes:
    reply = json.loads(_answer(self, frames))
    reply["pid"] = os.getppid()  # BUG: getppid, not getpid
    return messages.encode_json(reply)


Filer.answer = answer  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
