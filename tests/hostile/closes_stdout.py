"""Hostile: a filer-rep that closes its stdout right after the ready line, and serves on."""

from __future__ import annotations

import os

import zmq

from reference import filer_rep
from reference.filer import Filer

_serve = filer_rep.serve


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    os.close(1)
    _serve(socket, filer)


filer_rep.serve = serve

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
