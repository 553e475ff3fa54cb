"""The results of a benchmark run as tables: printed, written as JSON, drawn as PNG charts.

Pure summaries (median, min, max, ratio to the table's floor) apart from the writing;
matplotlib (the ``bench`` extra) is imported only to draw, and its absence only skips charts.
"""

from __future__ import annotations

import json
import statistics
import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    """One configuration of one table and the value measured for it in each round."""

    label: str
    floor: bool = False
    by_round: dict[int, float] = field(default_factory=dict)
    bytes_by_round: dict[int, float] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    """Why a round has no value (a fixed port was taken, the measurement failed)."""
    p99: float | None = None
    """For latency rows: the 99th percentile of all samples (the values: per-round medians)."""

    cpu_by_round: dict[int, float] = field(default_factory=dict)
    """CPU microseconds per request, per round: of every process of the server (the harness
    table: of the client), which a busy machine changes much less than the rates."""

    def add(
        self,
        round_number: int,
        value: float,
        bytes_per_second: float | None = None,
        cpu_per_request: float | None = None,
    ) -> None:
        self.by_round[round_number] = value
        if bytes_per_second is not None:
            self.bytes_by_round[round_number] = bytes_per_second
        if cpu_per_request is not None:
            self.cpu_by_round[round_number] = cpu_per_request

    @property
    def values(self) -> list[float]:
        return list(self.by_round.values())

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None


@dataclass
class Table:
    """Rows measured in one unit; the ratio of each row is to the floor row of its variant."""

    name: str
    title: str
    unit: str
    higher_is_better: bool = True
    rows: list[Row] = field(default_factory=list)

    def row(self, label: str, *, floor: bool = False) -> Row:
        for row in self.rows:
            if row.label == label:
                return row
        self.rows.append(Row(label, floor=floor))
        return self.rows[-1]

    def floor_for(self, row: Row) -> Row | None:
        """The floor of ROW: the floor row with the same text after the ' | ' (the variant)."""
        variant = row.label.partition(" | ")[2]
        return next(
            (r for r in self.rows if r.floor and r.label.partition(" | ")[2] == variant), None
        )

    def ratio(self, row: Row) -> float | None:
        """The median over rounds of ROW over its floor in the same round (a latency: floor
        over ROW), so that 1.0 is the floor and less is worse in every table. Pairing by
        round keeps a slow moment of the machine out of the ratio."""
        floor = self.floor_for(row)
        if floor is None:
            return None
        if self.higher_is_better:
            return paired_ratio(row.by_round, floor.by_round)
        return paired_ratio(floor.by_round, row.by_round)


def paired_ratio(over: dict[int, float], under: dict[int, float]) -> float | None:
    """The median, over the rounds that have both, of OVER's value / UNDER's value."""
    ratios = [value / under[number] for number, value in over.items() if under.get(number)]
    return statistics.median(ratios) if ratios else None


def number(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def markdown(table: Table) -> str:
    """The table in Markdown: median, min, max (over rounds), and the ratio to the floor."""
    extra = "p99 |" if table.unit == "ms" else "MB/s | CPU us/request |"
    lines = [
        f"**{table.title}** ({table.unit}, {'higher' if table.higher_is_better else 'lower'}"
        " is better; x floor: median of the per-round ratios to the floor; less is worse)",
        "",
        f"| configuration | median | min | max | x floor | {extra}",
        "|---|---:|---:|---:|---:|---:|" + ("" if table.unit == "ms" else "---:|"),
    ]
    for row in table.rows:
        if table.unit == "ms":
            more = number(row.p99)
        else:
            rates = list(row.bytes_by_round.values())
            cpu = list(row.cpu_by_round.values())
            more = number(statistics.median(rates) / 1e6) if rates else "-"
            more += f" | {number(statistics.median(cpu)) if cpu else '-'}"
        values = row.values
        ratio = table.ratio(row)
        label = f"**{row.label}**" if row.floor else row.label
        if row.missed:
            label += (
                f" (no value in {len(row.missed)} rounds: {', '.join(sorted(set(row.missed)))})"
            )
        lines.append(
            f"| {label} | {number(row.median)} | {number(min(values) if values else None)}"
            f" | {number(max(values) if values else None)}"
            f" | {'-' if ratio is None else f'{ratio:.2f}'} | {more} |"
        )
    return "\n".join(lines)


def write_json(path: Path, machine: dict[str, Any], tables: list[Table]) -> None:
    document = {
        "machine": machine,
        "tables": [
            {
                **{k: v for k, v in asdict(table).items() if k != "rows"},
                "rows": [
                    {
                        **asdict(row),
                        "median": row.median,
                        "min": min(row.values) if row.values else None,
                        "max": max(row.values) if row.values else None,
                        "ratio_to_floor": table.ratio(row),
                    }
                    for row in table.rows
                ],
            }
            for table in tables
        ],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def draw(path: Path, table: Table, machine_line: str) -> bool:
    """A horizontal bar chart of TABLE's medians with min..max whiskers (floors dark,
    ``(before)`` rows pale), each labelled with its ratio to the floor; False without
    matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    rows = [row for row in table.rows if row.values]
    if not rows:
        return False
    medians = [row.median or 0.0 for row in rows]
    low = [m - min(row.values) for m, row in zip(medians, rows, strict=True)]
    high = [max(row.values) - m for m, row in zip(medians, rows, strict=True)]
    figure, axes = plt.subplots(figsize=(9, 1.2 + 0.32 * len(rows)))
    positions = list(range(len(rows)))[::-1]
    colours = [
        "#333333" if row.floor else "#a9bcd6" if "(before)" in row.label else "#4a7ab5"
        for row in rows
    ]
    axes.barh(positions, medians, xerr=[low, high], color=colours, capsize=2)
    axes.set_yticks(positions, [row.label for row in rows], fontsize=8)
    axes.set_xlabel(f"{table.unit} (median of rounds; whiskers: min..max)", fontsize=8)
    axes.set_title(f"{table.title}\n{textwrap.fill(machine_line, 120)}", fontsize=8)
    for position, row in zip(positions, rows, strict=True):
        ratio = table.ratio(row)
        if ratio is not None:
            axes.text(max(row.values), position, f"  {ratio:.2f}x", va="center", fontsize=7)
    axes.margins(x=0.15)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True
