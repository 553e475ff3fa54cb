"""Mutant: filer-req-loop stays running after its last reply. Should fail REQREP-7."""

from __future__ import annotations

import time

from reference import filer_req_loop


def main() -> int:
    code = filer_req_loop.main()
    while True:  # BUG: the book's loop never closes its socket, so it never exits
        time.sleep(3600)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
