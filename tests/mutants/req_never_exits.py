"""Mutant: filer-req stays running after it printed the reply. Should fail REQREP-5."""

from __future__ import annotations

import time

from reference import filer_req


def main() -> int:
    code = filer_req.main()
    while True:  # BUG: waits for more replies, as a server would, instead of exiting
        time.sleep(3600)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
