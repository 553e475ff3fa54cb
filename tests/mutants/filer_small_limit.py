"""Mutant: filer-rep refuses files over 8 MiB, not over 16 MiB. Should fail REQREP-1."""

from __future__ import annotations

from reference import filer_rep

filer_rep.DEFAULT_MAX_SIZE = 8 * 1024 * 1024  # BUG: half the limit SPEC.md 3.5 sets

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
