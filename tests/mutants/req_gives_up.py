"""Mutant: filer-req gives up after 0.5 s when nothing answers. Should fail REQREP-6."""

from __future__ import annotations

import sys

from reference import filer_req

if __name__ == "__main__":
    # BUG: a built-in timeout of 0.5 s (exit 3), as if the responder had to be up already
    raise SystemExit(filer_req.main([*sys.argv[1:], "--timeout", "0.5"]))
