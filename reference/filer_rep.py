"""Filer responder (REP): answers ``{"path": P}`` with the content of P.

    python -m reference.filer_rep [--bind tcp://127.0.0.1:5433 | --connect EP] [--root DIR]

Binds by default; ``--connect`` makes it a worker behind a DEALER (the cluster
starts its workers this way). Bad requests get an error reply (reference.filer).
"""

from __future__ import annotations

import argparse

import zmq

from reference import lifecycle, messages
from reference.filer import DEFAULT_MAX_SIZE, Filer
from reference.parent import exit_with_parent

DEFAULT_BIND = "tcp://127.0.0.1:5433"


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    """Answer requests on a REP socket until Shutdown: one reply for every request.

    It blocks in recv, which costs nothing per request, but with a timeout: a signal
    that came just before recv blocked is handled when the timeout ends the wait.
    """
    socket.rcvtimeo = lifecycle.SIGNAL_CHECK_MS
    while True:
        try:
            frames = socket.recv_multipart()
        except zmq.Again:
            continue
        socket.send(filer.answer(frames))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m reference.filer_rep", description=__doc__)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--bind", metavar="ENDPOINT", help=f"endpoint to bind (default: {DEFAULT_BIND})"
    )
    where.add_argument("--connect", metavar="ENDPOINT", help="endpoint to connect to instead")
    parser.add_argument(
        "--root",
        default=".",
        metavar="DIR",
        help="serve only files under DIR (default: the working directory)",
    )
    parser.add_argument(
        "--max-size",
        type=int,
        default=DEFAULT_MAX_SIZE,
        help="largest file served, in bytes (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    lifecycle.raise_on_shutdown_signals()
    args = parse_args(argv)
    exit_with_parent()
    try:
        filer = Filer.at(args.root, args.max_size)
    except OSError as error:
        raise SystemExit(f"filer_rep: --root {args.root!r}: {error.strerror}") from None
    bound: list[str] = []
    context = zmq.Context()
    socket = context.socket(zmq.REP)
    socket.linger = 0
    try:
        if args.connect:
            socket.connect(args.connect)
        else:
            socket.bind(args.bind or DEFAULT_BIND)
            bound.append(args.bind or DEFAULT_BIND)
        lifecycle.say(messages.READY_REP)
        serve(socket, filer)
    except lifecycle.Shutdown:
        pass
    finally:
        lifecycle.shut_down(context, bound)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
