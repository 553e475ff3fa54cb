"""A target: one property of one role of one implementation, verified with hypothesis.

The pytest plugin makes one test item per target; the item calls
:meth:`Target.verify`, which generates examples with the active profile and
runs each through :func:`~conformance.runner.run_case`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import hypothesis

from conformance.errors import ConformanceFailure, HarnessError
from conformance.manifest import Manifest
from conformance.model import Outcome
from conformance.properties import Case, Property
from conformance.runner import CaseResult, run_case

TAIL_LINES = 15


@dataclass
class Target:
    """PROPERTY judged on ROLE of MANIFEST; keeps the results of its examples."""

    prop: type[Property[Any]]
    role: str
    manifest: Manifest
    results: list[CaseResult] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.manifest.name}::{self.prop.requirement_id}::{self.role}"

    @property
    def implemented(self) -> bool:
        return self.manifest.implements(self.role)

    @property
    def deviation(self) -> str | None:
        """The manifest's reason for a known deviation from this requirement, if any."""
        return self.manifest.expected_failures.get(self.prop.requirement_id)

    def verify(self, settings: hypothesis.settings) -> None:
        """Run examples until one fails (raise) or the profile's budget is spent."""
        __tracebackhide__ = True
        prop = self.prop()

        @hypothesis.settings(settings)
        @hypothesis.given(case=prop.cases(self.role))
        def example(case: Case) -> None:
            __tracebackhide__ = True
            self.check_one(prop, case)

        example()

    def check_one(self, prop: Property[Any], case: Case) -> CaseResult:
        """Run and judge one example; raise with the whole story if it did not pass."""
        __tracebackhide__ = True
        result = run_case(prop, self.role, self.manifest, case)
        self.results.append(result)
        if result.verdict.outcome is Outcome.FAIL:
            raise ConformanceFailure(describe(result), requirement=prop.requirement_id)
        if result.verdict.outcome is Outcome.ERROR:
            raise HarnessError(describe(result))
        return result


def describe(result: CaseResult) -> str:
    """A failure message: what was required, expected, seen, and the processes' output."""
    verdict = result.verdict
    lines = [
        f"{result.requirement} [{result.role}] of {result.manifest.name!r}: {verdict.outcome.value}",
        verdict.explanation,
    ]
    if verdict.expected:
        lines.append(f"expected: {verdict.expected}")
    if verdict.seen:
        lines.append(f"seen:     {verdict.seen}")
    names = sorted({name for name in result.transcript.stderr} | _process_names(result))
    for name in names:
        out = result.transcript.printed(name)[-TAIL_LINES:]
        err = result.transcript.stderr.get(name, "").splitlines()[-TAIL_LINES:]
        lines.append(f"--- {name}: last stdout lines ---")
        lines.extend(out or ["(none)"])
        if err:
            lines.append(f"--- {name}: last stderr lines ---")
            lines.extend(err)
    return "\n".join(line for line in lines if line is not None)


def _process_names(result: CaseResult) -> set[str]:
    from conformance.model import Started

    return {event.process for event in result.transcript.of(Started)}
