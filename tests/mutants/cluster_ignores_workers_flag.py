"""Mutant: filer-rep-cluster always starts 3 workers, whatever --workers says. Should fail CLUSTER-1."""

from __future__ import annotations

import argparse

from reference import filer_rep_cluster

_parse_args = filer_rep_cluster.parse_args


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    args = _parse_args(argv)
    args.workers = filer_rep_cluster.DEFAULT_WORKERS  # BUG: the book's fixed 3
    return args


filer_rep_cluster.parse_args = parse_args

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
