"""Command line: ``python -m conformance run --impl MANIFEST [--impl ...]``.

``run`` is the conformance suite through pytest (so xdist, -k and JUnit XML
work as usual); it exits 0 only if every implemented requirement passes.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

SUITE = Path(__file__).with_name("suite.py")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the suite against one or more implementations")
    run.add_argument(
        "--impl",
        action="append",
        required=True,
        metavar="MANIFEST",
        help="manifest of an implementation (repeat to compare several)",
    )
    run.add_argument(
        "--profile",
        choices=["dev", "ci", "thorough"],
        help="hypothesis profile (default: $CONFORMANCE_PROFILE or ci)",
    )
    run.add_argument("--seed", type=int, help="hypothesis seed of the whole run")
    run.add_argument(
        "-k",
        dest="keyword",
        metavar="EXPR",
        help="only items matching EXPR, e.g. 'REQREP-1 and filer-rep'",
    )
    run.add_argument(
        "-j",
        "--jobs",
        default="auto",
        help="parallel workers (pytest-xdist; default auto, 0 = none)",
    )
    run.add_argument("--junit-xml", metavar="FILE", help="also write JUnit XML here")
    run.add_argument("-v", "--verbose", action="store_true", help="one line per item")
    return parser


def pytest_arguments(args: argparse.Namespace) -> list[str]:
    """The pytest command line that runs what ARGS ask for."""
    argv = [str(SUITE), "-p", "no:cacheprovider", "-rfEsxX", "--tb=short"]
    argv += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    argv += ["-p", "conformance.pytest_plugin"]
    for manifest in args.impl:
        argv += ["--impl", os.path.abspath(manifest)]
    if args.profile:
        argv += ["--profile", args.profile]
    if args.seed is not None:
        argv += ["--hypothesis-seed", str(args.seed)]
    if args.keyword:
        argv += ["-k", args.keyword]
    if args.jobs not in ("0", "1") and importlib.util.find_spec("xdist") is not None:
        argv += ["-n", args.jobs]
    if args.junit_xml:
        argv += ["--junit-xml", args.junit_xml]
    if args.verbose:
        argv += ["-v"]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code = pytest.main(pytest_arguments(args))
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
