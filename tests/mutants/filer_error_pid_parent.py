"""Mutant: filer-rep names its parent's pid in error replies. Should fail REQREP-3.

Content replies are right; only error replies name another process (SPEC.md
3.4, 3.5: the pid of the process that made the reply).
"""

from __future__ import annotations

import json
import os

from reference import filer_rep, messages
from reference.filer import Filer

_answer = Filer.answer


def answer(self: Filer, frames: list[bytes]) -> bytes:
    reply = json.loads(_answer(self, frames))
    if "error" in reply:
        reply["pid"] = os.getppid()  # BUG: the parent's pid, in error replies only
    return messages.encode_json(reply)


Filer.answer = answer  # type: ignore[method-assign]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
