"""Mutant: filer-rep handles SIGTERM but dies of SIGINT, leaving its ipc file. Should fail LIFE-2.

SPEC.md 5: on SIGTERM or SIGINT a server closes its sockets, removes its ipc
files and exits 0. This one restores SIGINT's default action.
"""

from __future__ import annotations

import signal

from reference import filer_rep, lifecycle

_raise_on_shutdown_signals = lifecycle.raise_on_shutdown_signals


def raise_on_shutdown_signals() -> None:
    _raise_on_shutdown_signals()
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # BUG: Ctrl-C kills it outright


lifecycle.raise_on_shutdown_signals = raise_on_shutdown_signals

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
