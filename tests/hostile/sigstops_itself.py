"""Hostile: a filer-rep that prints its ready line and then stops itself (SIGSTOP): it looks
alive and never answers."""

from __future__ import annotations

import os
import signal

import zmq

from reference import filer_rep
from reference.filer import Filer


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    os.kill(os.getpid(), signal.SIGSTOP)


filer_rep.serve = serve

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
