"""Filer requester in a loop (REQ): COUNT requests in lockstep, one reply each.

    python -m reference.filer_req_loop FILE [--count 3] [--connect tcp://localhost:5433]

The book's point: a REQ socket has one request in flight at a time, so the
requests go out one after another, each after the previous reply. Prints
``Sending request <i> for FILE`` and ``Received response: ...`` per request.
"""

from __future__ import annotations

import argparse

from reference.filer_req import add_common_arguments, run

DEFAULT_COUNT = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference.filer_req_loop", description=__doc__)
    add_common_arguments(parser)
    parser.add_argument(
        "--count", type=int, default=DEFAULT_COUNT, help="requests to send (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    return run(args.file, args.connect, args.count, args.timeout)


if __name__ == "__main__":
    raise SystemExit(main())
