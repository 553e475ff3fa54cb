"""Watcher publisher (PUB): publishes one message on every change of FILE.

    python -m reference.watcher_pub FILE [--bind tcp://127.0.0.1:5432]

Each message is one frame of JSON ``{"type":"changed","file":FILE,"timestamp":<ms>}``.
The watch is on FILE's directory, filtered to FILE, so that an editor that
saves by renaming a new file over the old one is still seen (watchfiles).
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from types import FrameType

import watchfiles
import zmq

from reference import lifecycle, messages

DEFAULT_BIND = "tcp://127.0.0.1:5432"
WATCH_STEP_MS = 20
"""watchfiles waits this long for more events before it reports a batch."""


def publish_changes(socket: zmq.Socket[bytes], file: str, stop: threading.Event) -> None:
    """Publish a message for each batch of file-system events that touch FILE."""
    target = Path(file).resolve()
    watch = watchfiles.watch(
        target.parent,
        watch_filter=None,  # the default one drops editor files: *~, *.swp, .#*, ...
        recursive=False,
        step=WATCH_STEP_MS,
        rust_timeout=200,
        yield_on_timeout=True,
        stop_event=stop,
        raise_interrupt=False,
    )
    announced = False
    for changes in watch:
        if not announced:  # the first yield means the watch is in place
            lifecycle.say(messages.READY_PUB)
            announced = True
        if any(Path(path) == target for _, path in changes):
            socket.send(messages.changed(file, messages.now_ms()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference.watcher_pub", description=__doc__)
    parser.add_argument("file", metavar="FILE", help="file to watch")
    parser.add_argument(
        "--bind",
        default=DEFAULT_BIND,
        metavar="ENDPOINT",
        help="endpoint to bind (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if not Path(args.file).is_file():
        parser.error(f"FILE {args.file!r} is not a file")
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for signum in lifecycle.SHUTDOWN_SIGNALS:
        signal.signal(signum, request_stop)
    bound: list[str] = []
    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    socket.linger = 0
    try:
        socket.bind(args.bind)
        bound.append(args.bind)
        publish_changes(socket, args.file, stop)
    finally:
        lifecycle.shut_down(context, bound)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
