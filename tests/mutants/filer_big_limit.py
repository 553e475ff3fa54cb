"""Mutant: filer-rep serves files up to 64 MiB, not 16 MiB. Should fail REQREP-3.

SPEC.md 3.5: a file larger than 16 MiB is ``too_large`` (the harness sends a
sparse file of 16 MiB + 1 byte).
"""

from __future__ import annotations

from reference import filer_rep

filer_rep.DEFAULT_MAX_SIZE = 64 * 1024 * 1024  # BUG: the limit is 16 MiB

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
