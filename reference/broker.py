"""ROUTER/DEALER broker: forwards every multipart message unchanged, both ways.

    python -m reference.broker [--frontend tcp://127.0.0.1:5433] [--backend ipc://filer-dealer.ipc]

Requesters connect to the frontend, responders (REP workers) to the backend.
Prints ``Forwarding requests from <frontend> to <backend>...`` once both are bound.
"""

from __future__ import annotations

import argparse

import zmq

from reference import lifecycle, messages
from reference.forwarder import Forwarder

DEFAULT_FRONTEND = "tcp://127.0.0.1:5433"
DEFAULT_BACKEND = "ipc://filer-dealer.ipc"


def main(argv: list[str] | None = None) -> int:
    lifecycle.raise_on_shutdown_signals()
    parser = argparse.ArgumentParser(prog="python -m reference.broker", description=__doc__)
    parser.add_argument(
        "--frontend",
        default=DEFAULT_FRONTEND,
        metavar="ENDPOINT",
        help="ROUTER endpoint to bind, for requesters (default: %(default)s)",
    )
    parser.add_argument(
        "--backend",
        default=DEFAULT_BACKEND,
        metavar="ENDPOINT",
        help="DEALER endpoint to bind, for responders (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    context = zmq.Context()
    forwarder = Forwarder(context, args.frontend, args.backend)
    try:
        with forwarder:
            forwarder.start()
            lifecycle.say(messages.broker_ready_line(args.frontend, args.backend))
            lifecycle.wait_for_shutdown()
    except lifecycle.Shutdown:
        pass
    finally:
        lifecycle.shut_down(context, forwarder.bound)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
