"""Hostile: a filer-rep that serves, and on SIGTERM exits with status 255."""

from __future__ import annotations

import os

from reference import filer_rep

if __name__ == "__main__":
    filer_rep.main()
    os._exit(255)
