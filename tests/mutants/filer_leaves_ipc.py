"""Mutant: filer-rep exits at once on SIGTERM and leaves its ipc file. Should fail LIFE-2."""

from __future__ import annotations

import os
import signal
from types import FrameType

from reference import filer_rep, lifecycle

_raise_on_shutdown_signals = lifecycle.raise_on_shutdown_signals


def leave(signum: int, frame: FrameType | None) -> None:
    os._exit(0)  # BUG: no socket closed, no ipc file removed


def raise_on_shutdown_signals() -> None:
    _raise_on_shutdown_signals()
    signal.signal(signal.SIGTERM, leave)


lifecycle.raise_on_shutdown_signals = raise_on_shutdown_signals

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
