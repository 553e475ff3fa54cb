"""Hostile: a filer-rep that works, but first double-forks a helper that calls setsid() and
execs sleep (a daemon, as some servers and shell wrappers start)."""

from __future__ import annotations

import os

from reference import filer_rep


def start_daemon() -> None:
    """The classic double fork: the helper leaves the session and is orphaned at once."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "3600"])
        os._exit(0)
    os.wait()


if __name__ == "__main__":
    start_daemon()
    raise SystemExit(filer_rep.main())
