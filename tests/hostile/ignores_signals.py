"""Hostile: a filer-rep that ignores SIGTERM and SIGINT (it serves, and never stops)."""

from __future__ import annotations

import signal

from reference import filer_rep, lifecycle

_install = lifecycle.raise_on_shutdown_signals


def ignore() -> None:
    _install()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)


lifecycle.raise_on_shutdown_signals = ignore

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
