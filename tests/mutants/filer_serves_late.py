"""Mutant: filer-rep prints its ready line, then answers only after 30 s. Should fail LIFE-1.

It is bound, but it warms up (here: sleeps) after announcing itself, not before.
"""

from __future__ import annotations

import time

import zmq

from reference import filer_rep
from reference.filer import Filer

_serve = filer_rep.serve


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    time.sleep(30)  # BUG: after the ready line, not before it
    _serve(socket, filer)


filer_rep.serve = serve

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
