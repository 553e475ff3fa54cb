"""Hostile: a filer-rep that forks 500 children (each sleeps) before it serves."""

from __future__ import annotations

import os
import time

from reference import filer_rep

CHILDREN = 500

if __name__ == "__main__":
    for _ in range(CHILDREN):
        if os.fork() == 0:
            time.sleep(3600)
            os._exit(0)
    raise SystemExit(filer_rep.main())
