"""Filer requester (REQ): asks for one file, prints the reply, exits 0.

    python -m reference.filer_req FILE [--connect tcp://localhost:5433] [--timeout S]

Prints ``Sending request for FILE`` then ``Received response: <reply JSON>``.
It may start before its responder: ZeroMQ queues the request until the
connection is up. Without ``--timeout`` it waits for ever, as REQ does
(SPEC.md §2); with it, no reply in S seconds exits 3.
"""

from __future__ import annotations

import argparse
import sys

import zmq

from reference import lifecycle, messages

DEFAULT_CONNECT = "tcp://localhost:5433"
EXIT_TIMEOUT = 3


def request(socket: zmq.Socket[bytes], file: str, timeout: float | None) -> bytes | None:
    """Send one request for FILE and return the reply, or None after TIMEOUT seconds."""
    socket.send(messages.file_request(file))
    if not lifecycle.Waiter(socket).wait(None if timeout is None else int(timeout * 1000)):
        return None
    return socket.recv()


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="path of the file to ask for")
    parser.add_argument(
        "--connect",
        default=DEFAULT_CONNECT,
        metavar="ENDPOINT",
        help="endpoint to connect to (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout", type=float, default=None, metavar="S", help="give up after S seconds per reply"
    )


def run(file: str, endpoint: str, count: int | None, timeout: float | None) -> int:
    """Send COUNT requests in lockstep (one unnumbered request if COUNT is None)."""
    lifecycle.raise_on_shutdown_signals()
    context = zmq.Context()
    socket = context.socket(zmq.REQ)
    socket.linger = 0
    try:
        socket.connect(endpoint)
        numbers = [None] if count is None else range(1, count + 1)
        for number in numbers:
            if number is None:
                lifecycle.say(messages.sending_line(file))
            else:
                lifecycle.say(messages.sending_numbered_line(number, file))
            reply = request(socket, file, timeout)
            if reply is None:
                print(f"no reply within {timeout} s", file=sys.stderr)
                return EXIT_TIMEOUT
            lifecycle.say(messages.received_line(reply))
    except lifecycle.Shutdown:
        pass
    finally:
        lifecycle.shut_down(context)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference.filer_req", description=__doc__)
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    return run(args.file, args.connect, None, args.timeout)


if __name__ == "__main__":
    raise SystemExit(main())
