"""Mutant: filer-req prints its lines without flushing stdout. Should fail REQREP-6.

Its lines reach the pipe only when it exits; a requester waiting for a
responder that never comes shows nothing. SPEC.md 3.6: every line MUST be
flushed when printed.
"""

from __future__ import annotations

import sys

from reference import filer_req, lifecycle


def say(line: str) -> None:
    sys.stdout.write(line + "\n")  # BUG: no flush; stdout is a block-buffered pipe


lifecycle.say = say

if __name__ == "__main__":
    raise SystemExit(filer_req.main())
