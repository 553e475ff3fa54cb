"""Mutant: watcher-sub prints a burst of messages newest first. Should fail PUBSUB-3.

It collects what arrives within 50 ms of a message and prints the batch in
reverse, so the lines do not follow the order received.
"""

from __future__ import annotations

import argparse
import sys

import zmq

from reference import lifecycle, watcher_sub

BATCH_MS = 50


def main(argv: list[str] | None = None) -> int:
    lifecycle.raise_on_shutdown_signals()
    parser = argparse.ArgumentParser(prog="python -m tests.mutants.sub_newest_first")
    parser.add_argument("--connect", default=watcher_sub.DEFAULT_CONNECT, metavar="ENDPOINT")
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
            batch = [socket.recv_multipart()]
            while waiter.wait(BATCH_MS):
                batch.append(socket.recv_multipart())
            for frames in reversed(batch):  # BUG: newest first
                try:
                    lifecycle.say(watcher_sub.describe(frames))
                except (ValueError, OverflowError, OSError) as error:
                    print(f"ignored a message: {error}", file=sys.stderr, flush=True)
    except lifecycle.Shutdown:
        pass
    finally:
        lifecycle.shut_down(context)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
