"""The floors of the benchmark: the least pyzmq can do in each pattern, to compare roles with.

    python bench/floors.py echo (--bind EP | --connect EP) --root DIR
    python bench/floors.py proxy FRONTEND BACKEND
    python bench/floors.py pub --bind EP

- ``echo``: a REP that answers each request with a fixed reply of a filer's size and shape:
  the reply for every file in DIR is made once at start, then a dict look-up per request.
- ``proxy``: ``zmq.proxy`` between a bound ROUTER and a bound DEALER (the C proxy, no steering).
- ``pub``: a PUB that publishes one change message per line read from stdin.

Each prints the ready line of the role it stands for and runs until SIGTERM or stdin closes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

import zmq

READY_REP = "Listening for zmq requesters..."
READY_PUB = "Listening for zmq subscribers..."


def request_for(name: str) -> bytes:
    """The request the benchmark's clients send for the file NAME."""
    return json.dumps({"path": name}).encode()


def fixed_replies(root: Path) -> dict[bytes, bytes]:
    """For each file under ROOT, the request for it and a filer's reply to it, made once."""
    replies = {}
    for path in sorted(root.iterdir()):
        if path.is_file():
            content = path.read_text(encoding="utf-8")
            reply = {"content": content, "timestamp": 1_800_000_000_000, "pid": os.getpid()}
            replies[request_for(path.name)] = json.dumps(
                reply, ensure_ascii=False, separators=(",", ":")
            ).encode()
    return replies


def echo(socket: zmq.Socket[bytes], root: Path) -> None:
    replies = fixed_replies(root)
    print(READY_REP, flush=True)
    while True:
        socket.send(replies.get(socket.recv(), b"{}"))


def main() -> int:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=("echo", "proxy", "pub"))
    parser.add_argument("endpoints", nargs="*")
    parser.add_argument("--bind")
    parser.add_argument("--connect")
    parser.add_argument("--root", type=Path)
    args = parser.parse_args()
    context = zmq.Context()
    try:
        if args.kind == "echo":
            socket = context.socket(zmq.REP)
            socket.bind(args.bind) if args.bind else socket.connect(args.connect)
            echo(socket, args.root)
        elif args.kind == "proxy":
            frontend, backend = context.socket(zmq.ROUTER), context.socket(zmq.DEALER)
            frontend.bind(args.endpoints[0])
            backend.bind(args.endpoints[1])
            print(f"Forwarding requests from {args.endpoints[0]} to {args.endpoints[1]}...")
            sys.stdout.flush()
            zmq.proxy(frontend, backend)
        else:
            socket = context.socket(zmq.PUB)
            socket.bind(args.bind)
            print(READY_PUB, flush=True)
            for line in sys.stdin:
                message = {"type": "changed", "file": line.strip(), "timestamp": 0}
                socket.send(json.dumps(message, separators=(",", ":")).encode())
    finally:
        context.destroy(linger=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
