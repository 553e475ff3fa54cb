"""Mutant: filer-req checks that a responder is up first, and exits 1 if not. Should fail REQREP-6.

A "helpful" pre-flight check: it tries a plain connection to the endpoint before
it uses ZeroMQ, which would have queued the request until the responder came up.
"""

from __future__ import annotations

import argparse
import socket
import sys

from reference import filer_req


def reachable(endpoint: str) -> bool:
    kind, _, address = endpoint.partition("://")
    try:
        if kind == "ipc":
            with socket.socket(socket.AF_UNIX) as probe:
                probe.connect(address)
        else:
            host, _, port = address.rpartition(":")
            socket.create_connection((host, int(port)), timeout=2).close()
    except OSError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    filer_req.add_common_arguments(parser)
    args = parser.parse_args()
    if not reachable(args.connect):  # BUG: refuses to wait for a responder that is not up yet
        print(f"no responder at {args.connect}", file=sys.stderr)
        return 1
    return filer_req.main()


if __name__ == "__main__":
    raise SystemExit(main())
