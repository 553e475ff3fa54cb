"""Watcher subscriber (SUB): prints one line per change message it receives.

    python -m reference.watcher_sub [--connect tcp://localhost:5432]

Prints ``File '<file>' changed at <ISO 8601 date>`` for each message. ZeroMQ
reconnects by itself, so it keeps receiving after the publisher restarts. A
message it cannot read is reported on stderr and skipped.
"""

from __future__ import annotations

import argparse
import json
import sys

import zmq

from reference import lifecycle, messages

DEFAULT_CONNECT = "tcp://localhost:5432"


def describe(frames: list[bytes]) -> str:
    """The transcript line for one message; ValueError if it is not a change message."""
    if len(frames) != 1:
        raise ValueError(f"expected one frame, got {len(frames)}")
    message = json.loads(frames[0])
    if not isinstance(message, dict):
        raise ValueError("not a JSON object")
    file, timestamp = message.get("file"), message.get("timestamp")
    if not isinstance(file, str) or not isinstance(timestamp, int) or isinstance(timestamp, bool):
        raise ValueError('expected {"file": <string>, "timestamp": <integer>}')
    return messages.changed_line(file, timestamp)


def main(argv: list[str] | None = None) -> int:
    lifecycle.raise_on_shutdown_signals()
    parser = argparse.ArgumentParser(prog="python -m reference.watcher_sub", description=__doc__)
    parser.add_argument(
        "--connect",
        default=DEFAULT_CONNECT,
        metavar="ENDPOINT",
        help="endpoint to connect to (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    context = zmq.Context()
    socket = context.socket(zmq.SUB)
    socket.linger = 0
    try:
        socket.subscribe(b"")
        socket.connect(args.connect)
        waiter = lifecycle.Waiter(socket)
        while True:
            waiter.wait()
            frames = socket.recv_multipart()
            try:
                lifecycle.say(describe(frames))
            except (ValueError, OverflowError, OSError) as error:
                print(f"ignored a message: {error}", file=sys.stderr, flush=True)
    except lifecycle.Shutdown:
        pass
    finally:
        lifecycle.shut_down(context)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
