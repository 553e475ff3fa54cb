"""The kill table: run every mutant of the catalogue through the suite, report who caught what.

    python -m tests.mutants.killtable [--report DIR] [-j 2]

Each mutant is judged on the property of its named requirement and role, with
the ``ci`` profile and the regression corpus, as a real run would; "caught"
means the suite failed it on that requirement. Then the clause coverage table
(tests.mutants.clause_table): each clause of SPEC.md (conformance.clauses), its
level, the property that exercises it, its mutants and whether one was caught,
with the totals ("MUST clauses: N, covered and caught: M"). Writes
DIR/report.json (``kill_table`` and ``clause_table``) and DIR/report.html, and
prints both tables; exits 0 only if every mutant was caught.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from conformance import corpus, report
from conformance.errors import ConformanceFailure
from conformance.manifest import load_manifest
from conformance.model import Outcome
from conformance.profiles import profile
from conformance.properties import Property
from conformance.properties.registry import all_properties
from conformance.results import ItemResult, report_document
from conformance.targets import RunOptions, Target
from tests.mutants import clause_table
from tests.mutants.catalogue import MUTANTS, Mutant

MANIFESTS = Path(__file__).with_name("manifests")


def property_of(requirement: str, role: str) -> type[Property[Any]]:
    """The one property that judges REQUIREMENT for ROLE."""
    found = [
        prop
        for prop in all_properties()
        if prop.requirement_id == requirement and role in prop.applies_to()
    ]
    assert len(found) == 1, f"{len(found)} properties judge {requirement} for {role}"
    return found[0]


def verify(manifest: Path, requirement: str, role: str, cases_dir: Path | None = None) -> Target:
    """Run the property of REQUIREMENT on ROLE of MANIFEST as a ci run would; raises if it fails."""
    target = Target(property_of(requirement, role), role, load_manifest(manifest))
    run(target, cases_dir)
    return target


def run(target: Target, cases_dir: Path | None = None) -> None:
    """Verify TARGET with the ci profile and the regression corpus; raises if it fails."""
    name, settings = profile("ci")
    cases = tuple(corpus.cases_for(target.prop, target.role, corpus.load()))
    target.verify(RunOptions(settings=settings, profile=name, corpus=cases, cases_dir=cases_dir))


def judge(mutant: Mutant, cases_dir: Path) -> ItemResult:
    """Run one mutant; FAIL (caught) or PASS (missed) on its requirement."""
    manifest = load_manifest(MANIFESTS / f"{mutant.name}.toml")
    target = Target(property_of(mutant.requirement, mutant.role), mutant.role, manifest)
    try:
        run(target, cases_dir)
    except ConformanceFailure:
        outcome = Outcome.FAIL
    except Exception as error:  # the harness's fault, never counted as caught
        return ItemResult(
            implementation=mutant.name,
            requirement=mutant.requirement,
            role=mutant.role,
            outcome=Outcome.ERROR,
            explanation=repr(error),
        )
    else:
        outcome = Outcome.PASS
    failing = target.failure if outcome is Outcome.FAIL else None
    return ItemResult(
        implementation=mutant.name,
        requirement=mutant.requirement,
        role=mutant.role,
        outcome=outcome,
        explanation=failing.verdict.explanation if failing else "",
        expected=failing.verdict.expected if failing else "",
        seen=failing.verdict.seen if failing else "",
        case_file=str(target.case_file) if target.case_file else None,
        examples=len(target.results),
        duration=round(target.duration, 3),
    )


def _judge(arguments: tuple[Mutant, Path]) -> ItemResult:
    return judge(*arguments)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants.killtable", description=__doc__)
    parser.add_argument("--report", default="mutants-results", metavar="DIR")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="mutants judged at once")
    args = parser.parse_args(argv)
    directory = Path(args.report).absolute()
    started = dt.datetime.now(dt.UTC)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(_judge, [(m, directory / "cases") for m in MUTANTS]))
    table = [
        {
            "mutant": mutant.name,
            "role": mutant.role,
            "requirement": mutant.requirement,
            "bug": mutant.bug,
            "clauses": list(mutant.clauses),
            "caught": result.outcome is Outcome.FAIL,
        }
        for mutant, result in zip(MUTANTS, results, strict=True)
    ]
    clauses = clause_table.rows({row["mutant"]: row["caught"] for row in table})
    document = report_document(
        results=[],  # the kill table is the result; a card per mutant would bury it
        implementations=[],
        profile="ci",
        seed=None,
        started=started,
        finished=dt.datetime.now(dt.UTC),
    )
    document["kill_table"] = table
    document["clause_table"] = clauses
    report.write(directory, document)
    width = max(len(m.name) for m in MUTANTS)
    for row in table:
        verdict = "caught" if row["caught"] else "MISSED"
        print(f"{row['mutant']:<{width}}  {row['requirement']:<10} {row['role']:<18} {verdict}")
    caught = sum(result.outcome is Outcome.FAIL for result in results)
    for mutant, result in zip(MUTANTS, results, strict=True):
        if result.outcome is Outcome.ERROR:
            print(f"{mutant.name}: harness error: {result.explanation}")
    print(f"{caught} of {len(table)} mutants caught")
    print()
    print("\n".join(clause_table.render(clauses)))
    print(f"report: {directory / 'report.html'}")
    return 0 if caught == len(table) else 1


if __name__ == "__main__":
    sys.exit(main())
