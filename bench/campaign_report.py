"""The figures of a campaign and the criteria on them: pure functions, for the summary table.

A campaign measures; these decide. Memory is stable when the RSS at the end is
at most 20% above the RSS after the warm-up (a shrink is not a leak); fds do
not leak when the count at the end is at most the count at the start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RSS_TOLERANCE = 0.20
"""How much the RSS may grow from after the warm-up to the end."""


def rss_grew(warm_kib: int | None, end_kib: int | None, tolerance: float = RSS_TOLERANCE) -> bool:
    """True when END is more than TOLERANCE above WARM (unknown values decide nothing)."""
    if warm_kib is None or end_kib is None:
        return False
    return end_kib > warm_kib * (1.0 + tolerance)


def fds_leaked(start: int | None, end: int | None) -> bool:
    """True when more fds are open at the end than at the start."""
    return start is not None and end is not None and end > start


def mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f}"


def rss_cell(start: int | None, warm: int | None, end: int | None) -> str:
    """'start / after warm-up / end' in MiB, and the change since the warm-up."""
    change = "" if warm in (None, 0) or end is None else f" ({(end - warm) / warm:+.0%})"
    return f"{mib(start)} / {mib(warm)} / {mib(end)}{change}"


def render_columns(rows: Sequence[str], columns: Mapping[str, Mapping[str, str]]) -> str:
    """A plain-text table: one line per row name, one column per key of COLUMNS."""
    names = list(columns)
    widths = [max(len(row) for row in rows)]
    widths += [max(len(name), *(len(columns[name].get(row, "")) for row in rows)) for name in names]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(["", *names], widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        cells = [row, *(columns[name].get(row, "") for name in names)]
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        )
    return "\n".join(line.rstrip() for line in lines)
