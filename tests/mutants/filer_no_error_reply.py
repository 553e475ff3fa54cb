"""Mutant: filer-rep sends no reply at all to a bad request. Should fail REQREP-3."""

from __future__ import annotations

import sys

import zmq

from reference import filer_rep, lifecycle
from reference.filer import Filer


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    waiter = lifecycle.Waiter(socket)
    while True:
        waiter.wait()
        frames = socket.recv_multipart()
        reply = filer.answer(frames)
        if b'"error"' in reply[:10]:  # BUG: logs the error instead of replying: the REQ wedges
            print(reply.decode(errors="replace"), file=sys.stderr, flush=True)
            continue
        socket.send(reply)


filer_rep.serve = serve

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
