"""A cluster worker ends when its master does, even if the master was SIGKILLed.

The master sets :data:`PARENT_PID_VARIABLE` in a worker's environment; the
worker then asks Linux for SIGTERM when its parent dies (``PR_SET_PDEATHSIG``)
and checks that the parent is not gone already. Where prctl is missing, a
daemon thread polls the parent pid once a second instead.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PARENT_PID_VARIABLE = "REFERENCE_PARENT_PID"
_PR_SET_PDEATHSIG = 1


def exit_with_parent() -> None:
    """If started by a cluster master, arrange to exit when it dies."""
    expected = os.environ.get(PARENT_PID_VARIABLE)
    if not expected:
        return
    parent = int(expected)
    if not _set_parent_death_signal():
        threading.Thread(target=_poll_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the master died before we asked
        os.kill(os.getpid(), signal.SIGTERM)


def _set_parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _poll_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)
