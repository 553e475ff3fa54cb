"""Mutant: filer-rep sends each reply as two frames, the JSON and an empty one. Should fail REQREP-1."""

from __future__ import annotations

import zmq

from reference import filer_rep, lifecycle
from reference.filer import Filer


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    waiter = lifecycle.Waiter(socket)
    while True:
        waiter.wait()
        frames = socket.recv_multipart()
        socket.send_multipart([filer.answer(frames), b""])  # BUG: a trailing empty frame


filer_rep.serve = serve

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
