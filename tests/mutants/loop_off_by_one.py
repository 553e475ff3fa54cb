"""Mutant: filer-req-loop sends COUNT - 1 requests (an off-by-one). Should fail REQREP-7."""

from __future__ import annotations

from reference import filer_req, filer_req_loop

_run = filer_req.run


def run(file: str, endpoint: str, count: int | None, timeout: float | None) -> int:
    return _run(file, endpoint, None if count is None else count - 1, timeout)  # BUG: count - 1


filer_req_loop.run = run  # type: ignore[attr-defined]

if __name__ == "__main__":
    raise SystemExit(filer_req_loop.main())
