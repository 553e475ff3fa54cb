"""Mutant: broker ignores SIGTERM. Should fail LIFE-2."""

from __future__ import annotations

import signal

from reference import broker, lifecycle

_raise_on_shutdown_signals = lifecycle.raise_on_shutdown_signals


def raise_on_shutdown_signals() -> None:
    _raise_on_shutdown_signals()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # BUG: only Ctrl-C stops it


lifecycle.raise_on_shutdown_signals = raise_on_shutdown_signals

if __name__ == "__main__":
    raise SystemExit(broker.main())
