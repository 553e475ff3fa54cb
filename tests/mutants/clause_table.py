"""The clause coverage table: each clause of SPEC.md, the property that exercises it, the
mutants that break it and whether the suite caught them (pure: no processes).

``python -m tests.mutants.killtable`` builds it from a run of the mutants; a
clause is *caught* when at least one of its mutants was caught, *missed* when it
has mutants and none was, *none* when it has no mutant (its ``unexercised`` text
says why, if it cannot have one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conformance.clauses import CLAUSES, NOT_SPECIFIED, Clause
from conformance.spec import Level
from tests.mutants.catalogue import MUTANTS, Mutant

CAUGHT, MISSED, NONE = "caught", "missed", "none"


def mutants_of(clause: Clause, mutants: Sequence[Mutant] = MUTANTS) -> list[Mutant]:
    """The mutants that break CLAUSE, in catalogue order."""
    return [mutant for mutant in mutants if clause.id in mutant.clauses]


def rows(
    caught: Mapping[str, bool],
    clauses: Sequence[Clause] = CLAUSES,
    mutants: Sequence[Mutant] = MUTANTS,
) -> list[dict[str, Any]]:
    """One row per clause, for report.json's ``clause_table``; CAUGHT maps a mutant's name
    to whether the suite caught it (a mutant not run counts as missed)."""
    table = []
    for clause in clauses:
        breaking = mutants_of(clause, mutants)
        verdict = NONE
        if breaking:
            verdict = CAUGHT if any(caught.get(m.name, False) for m in breaking) else MISSED
        table.append(
            {
                "clause": clause.id,
                "level": clause.level.value,
                "section": clause.section,
                "text": clause.text,
                "exercised_by": list(clause.exercised_by),
                "mutants": [
                    {
                        "mutant": m.name,
                        "requirement": m.requirement,
                        "caught": caught.get(m.name, False),
                    }
                    for m in breaking
                ],
                "verdict": verdict,
                "unexercised": clause.unexercised,
            }
        )
    return table


def totals(table: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Counts of the table by level and verdict."""
    counts: dict[str, int] = {}
    for level in Level:
        mine = [row for row in table if row["level"] == level.value]
        counts[f"{level.name} clauses"] = len(mine)
        for verdict in (CAUGHT, MISSED, NONE):
            counts[f"{level.name} {verdict}"] = sum(row["verdict"] == verdict for row in mine)
    return counts


def render(table: Sequence[Mapping[str, Any]]) -> list[str]:
    """The table as text lines: clause, level, property, mutants (+ caught, - missed), verdict;
    then the totals, the MUST clauses without a caught mutant and why, and what SPEC.md
    leaves unspecified."""
    lines = [f"{'clause':<15} {'level':<6} {'property':<35} {'verdict':<7} mutants"]
    for row in table:
        mutants = ", ".join(
            f"{'+' if entry['caught'] else '-'}{entry['mutant']}"
            + ("" if entry["requirement"] in row["exercised_by"] else f" ({entry['requirement']})")
            for entry in row["mutants"]
        )
        if not row["mutants"] and row["unexercised"]:
            mutants = f"({row['unexercised']})"
        exercised = " ".join(row["exercised_by"]) or "-"
        level = row["level"].upper()
        lines.append(
            f"{row['clause']:<15} {level:<6} {exercised:<35} {row['verdict']:<7} {mutants}"
        )
    counts = totals(table)
    lines.append("")
    for level in Level:
        name = level.name
        lines.append(
            f"{name} clauses: {counts[f'{name} clauses']}, covered and caught: "
            f"{counts[f'{name} {CAUGHT}']}, missed: {counts[f'{name} {MISSED}']}, "
            f"no mutant: {counts[f'{name} {NONE}']}"
        )
    must = Level.MUST.value
    uncaught = [row for row in table if row["level"] == must and row["verdict"] != CAUGHT]
    if uncaught:
        lines.append("MUST clauses without a caught mutant:")
        for row in uncaught:
            if row["mutants"]:
                why = "missed: " + ", ".join(entry["mutant"] for entry in row["mutants"])
            else:
                why = row["unexercised"] or "no mutant yet"
            lines.append(f"  {row['clause']}: {why}")
    lines.append("Not specified (SPEC.md says why):")
    lines.extend(f"  {item.id}: {item.text}" for item in NOT_SPECIFIED)
    return lines
