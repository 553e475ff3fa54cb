"""Hostile: a filer-rep that prints its ready line, then floods stdout with GiBs that never
end a line, while it serves as it should."""

from __future__ import annotations

import os
import threading

import zmq

from reference import filer_rep
from reference.filer import Filer

CHUNK = b"x" * (1 << 20)
GIBIBYTES = 8

_serve = filer_rep.serve


def flood() -> None:
    for _ in range(GIBIBYTES * 1024):
        os.write(1, CHUNK)


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    threading.Thread(target=flood, daemon=True).start()
    _serve(socket, filer)


filer_rep.serve = serve

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
