"""Not a mutant: the worker of ``cluster_first_worker_hogs``, a filer-rep with many connections.

    python -m tests.mutants._hog_worker --connect EP [--root DIR] [--max-size N]

A correct responder in itself (one process, one pid in every reply), but it
connects SOCKETS REP sockets to the master's DEALER, which round-robins over
connections, not over processes: it gets SOCKETS shares of the requests.
"""

from __future__ import annotations

import zmq

from reference import filer_rep, lifecycle, messages
from reference.filer import Filer
from reference.parent import exit_with_parent

SOCKETS = 8
POLL_MS = 200


def main(argv: list[str] | None = None) -> int:
    lifecycle.raise_on_shutdown_signals()
    args = filer_rep.parse_args(argv)
    exit_with_parent()
    filer = Filer.at(args.root, args.max_size)
    context = zmq.Context()
    sockets = [context.socket(zmq.REP) for _ in range(SOCKETS)]
    poller = zmq.Poller()
    try:
        for socket in sockets:
            socket.linger = 0
            socket.connect(args.connect)
            poller.register(socket, zmq.POLLIN)
        lifecycle.say(messages.READY_REP)
        while True:
            for socket, _ in poller.poll(POLL_MS):
                frames = socket.recv_multipart()
                socket.send(filer.answer(frames))
    except lifecycle.Shutdown:
        pass
    finally:
        lifecycle.shut_down(context)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
