"""Mutant: filer-rep answers queued requests in batches, pairing them LIFO. Should fail REQREP-4.

A hand-rolled REP on a ROUTER: it drains every request already queued, answers
them, and sends the answers back popped from a stack -- so with one requester
(one request at a time) all is well, and with several the replies cross.
"""

from __future__ import annotations

import types

import zmq

from reference import filer_rep, lifecycle
from reference.filer import Filer


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    waiter = lifecycle.Waiter(socket)
    while True:
        waiter.wait()
        envelopes, answers = [], []
        while socket.poll(0):
            frames = socket.recv_multipart()
            split = frames.index(b"") + 1
            envelopes.append(frames[:split])
            answers.append(filer.answer(frames[split:]))
        for envelope in envelopes:
            socket.send_multipart([*envelope, answers.pop()])  # BUG: pop() takes the last answer


filer_rep.serve = serve
filer_rep.zmq = types.SimpleNamespace(Context=zmq.Context, REP=zmq.ROUTER)  # type: ignore[attr-defined,assignment]

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
