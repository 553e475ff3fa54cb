"""The results of a run: one record per requirement x role x implementation, and report.json.

The pytest plugin fills :class:`ItemResult`s from the test reports (also
across pytest-xdist workers) and :func:`report_document` turns them into the
document that report.json holds (schema: conformance/report.schema.json) and
that the HTML page and the terminal summary show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from conformance.model import Outcome
from conformance.spec import BY_ID, REQUIREMENTS, Level

REPORT_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class ItemResult:
    """The verdict on one requirement for one role of one implementation."""

    implementation: str
    requirement: str
    role: str
    outcome: Outcome
    explanation: str = ""
    expected: str = ""
    seen: str = ""
    case_file: str | None = None
    examples: int = 0
    duration: float = 0.0
    deviation: str | None = None
    processes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """stdout lines and stderr text of each process of the failing example."""
    peer: tuple[str, str] | None = None
    """For an interop result: the (implementation, role) of the server."""
    not_exercised: tuple[str, ...] = ()
    """What of the requirement the run could not exercise, and why (e.g. a harness running
    as root without fanotify permission events cannot make a file unreadable): a pass says
    nothing about it."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        data["not_exercised"] = list(self.not_exercised)
        del data["peer"]
        return data

    def interop_json(self) -> dict[str, Any]:
        assert self.peer is not None
        return {
            "client": {"implementation": self.implementation, "role": self.role},
            "server": {"implementation": self.peer[0], "role": self.peer[1]},
            "outcome": self.outcome.value,
            "explanation": self.explanation,
            "expected": self.expected,
            "seen": self.seen,
            "case_file": self.case_file,
            "processes": self.processes,
        }


@dataclass(frozen=True)
class Implementation:
    name: str
    manifest: str
    sha256: str
    roles: tuple[str, ...]


def report_document(
    *,
    results: Sequence[ItemResult],
    implementations: Sequence[Implementation],
    profile: str,
    seed: int | None,
    started: dt.datetime,
    finished: dt.datetime,
    run_errors: Sequence[str] = (),
) -> dict[str, Any]:
    """The report.json document (see conformance/report.schema.json).

    RUN_ERRORS are failures that belong to no item (a crashed worker, a harness bug): with
    any of them no implementation conforms, since the run proves nothing.
    """
    interop = [result for result in results if result.peer is not None]
    results = [result for result in results if result.peer is None]
    counts = {outcome.value: 0 for outcome in Outcome}
    for result in results:
        counts[result.outcome.value] += 1
    return {
        "format": REPORT_VERSION,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "profile": profile,
        "seed": seed,
        "implementations": [
            {**asdict(implementation), "roles": list(implementation.roles)}
            for implementation in implementations
        ],
        "requirements": [
            {
                "id": r.id,
                "title": r.title,
                "level": r.level.value,
                "roles": list(r.roles),
                "source": r.source,
            }
            for r in REQUIREMENTS
        ],
        "results": [result.to_json() for result in results],
        "interop": [result.interop_json() for result in interop],
        "summary": counts,
        "run_errors": list(run_errors),
        "conforms": {
            implementation.name: False
            if run_errors
            else conforms(
                [result for result in results if result.implementation == implementation.name]
            )
            for implementation in implementations
        },
    }


def conforms(results: Sequence[ItemResult]) -> bool | None:
    """docs/verdicts.md: no MUST requirement failed or stale, and no verdict is an error.

    SHOULD requirements and interop results are reported but do not count. None when
    nothing was judged (no item of this implementation was selected): never a vacuous yes.
    """
    if not any(result.peer is None for result in results):
        return None
    for result in results:
        if result.peer is not None:
            continue
        if result.outcome is Outcome.ERROR:
            return False
        must = BY_ID[result.requirement].level is Level.MUST
        if must and result.outcome in (Outcome.FAIL, Outcome.STALE):
            return False
    return True


SYMBOLS = {
    Outcome.PASS: "pass",
    Outcome.FAIL: "FAIL",
    Outcome.NOT_IMPLEMENTED: "-",
    Outcome.DEVIATION: "dev",
    Outcome.STALE: "STALE",
    Outcome.ERROR: "ERROR",
}


def summary_table(results: Sequence[ItemResult]) -> list[str]:
    """Requirement x implementation, one cell per implementation (worst over its roles)."""
    results = [result for result in results if result.peer is None]
    names = sorted({result.implementation for result in results})
    rank = [
        Outcome.ERROR,
        Outcome.FAIL,
        Outcome.STALE,
        Outcome.DEVIATION,
        Outcome.PASS,
        Outcome.NOT_IMPLEMENTED,
    ]
    cells: dict[tuple[str, str], Outcome] = {}
    for result in results:
        key = (result.requirement, result.implementation)
        current = cells.get(key)
        if current is None or rank.index(result.outcome) < rank.index(current):
            cells[key] = result.outcome
    width = max([len(name) for name in names] + [5])
    lines = ["requirement  " + "  ".join(name.ljust(width) for name in names)]
    for requirement in REQUIREMENTS:
        row = [
            SYMBOLS[cells[(requirement.id, name)]] if (requirement.id, name) in cells else ""
            for name in names
        ]
        if any(row):
            lines.append(f"{requirement.id:<11}  " + "  ".join(cell.ljust(width) for cell in row))
    return lines
