"""A target: one property of one role of one implementation, verified with hypothesis.

The pytest plugin makes one test item per target; the item calls
:meth:`Target.verify`, which replays the regression corpus's cases for the
target first, then generates examples with the active profile, and runs each
through :func:`~conformance.runner.run_case`. The failing example is written
to a case file that ``python -m conformance replay`` runs again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import hypothesis.errors

from conformance import casefile
from conformance.errors import ConformanceFailure, HarnessError, NotApplicable
from conformance.manifest import Manifest
from conformance.model import Outcome, Started
from conformance.properties import Case, Property
from conformance.runner import CaseResult, run_case
from conformance.safe_text import visible

TAIL_LINES = 15


@dataclass(frozen=True)
class RunOptions:
    """What a whole run shares: where case files go, the seed and profile to record."""

    settings: hypothesis.settings
    profile: str = "ci"
    seed: int | None = None
    cases_dir: Path | None = None
    corpus: tuple[Case, ...] = ()


@dataclass
class Target:
    """PROPERTY judged on ROLE of MANIFEST; keeps the results of its examples."""

    prop: type[Property[Any]]
    role: str
    manifest: Manifest
    peers: dict[str, Manifest] = field(default_factory=dict)
    """Other roles of the case and who plays them (interop targets)."""
    results: list[CaseResult] = field(default_factory=list)
    case_file: Path | None = None
    duration: float = 0.0
    not_exercised: tuple[str, ...] = ()
    """What of the requirement this run could not exercise, and why (the property says)."""

    @property
    def key(self) -> str:
        """The target's identity as data: unique, never shown, never parsed from a display string.

        JSON of (implementation, requirement, role, peers), so that no implementation name,
        whatever characters it holds, can make two targets share a key.
        """
        peers = sorted((role, peer.name) for role, peer in self.peers.items())
        return json.dumps([self.manifest.name, self.prop.requirement_id, self.role, peers])

    @property
    def keywords(self) -> frozenset[str]:
        """Words that ``-k`` matches for this target: the names as written, not escaped."""
        names = {self.manifest.name, self.prop.requirement_id, self.role}
        for role, peer in self.peers.items():
            names |= {peer.name, role}
        return frozenset(names)

    def involves(self, roles: Collection[str]) -> bool:
        """Whether a role under test here (the target's, or an interop peer's) is in ROLES."""
        return self.role in roles or any(role in roles for role in self.peers)

    @property
    def id(self) -> str:
        """How pytest shows the target (its test id); for people and ``-k``, never parsed."""
        if self.peers:
            (peer_role, peer), *_ = self.peers.items()
            return f"interop::{self.manifest.name}:{self.role}->{peer.name}:{peer_role}"
        return f"{self.manifest.name}::{self.prop.requirement_id}::{self.role}"

    @property
    def implemented(self) -> bool:
        return self.manifest.implements(self.role) and all(
            peer.implements(role) for role, peer in self.peers.items()
        )

    @property
    def missing(self) -> str:
        """Which implementation lacks which role, for a target that is not implemented."""
        lacking = [(self.manifest, self.role), *((m, r) for r, m in self.peers.items())]
        return ", ".join(f"{m.name} has no {r!r}" for m, r in lacking if not m.implements(r))

    @property
    def deviation(self) -> str | None:
        """The manifest's reason for a known deviation from this requirement, if any:
        ``"ID:role"`` for this role alone, else ``"ID"`` for all its roles."""
        if self.peers:
            return None
        failures = self.manifest.expected_failures
        ident = self.prop.requirement_id
        return failures.get(f"{ident}:{self.role}", failures.get(ident))

    @property
    def failure(self) -> CaseResult | None:
        """The last example that did not pass (hypothesis replays the final one last)."""
        failing = [r for r in self.results if r.verdict.outcome in (Outcome.FAIL, Outcome.ERROR)]
        return failing[-1] if failing else None

    def verify(self, options: RunOptions) -> None:
        """Run corpus cases, then examples, until one fails (raise) or the budget is spent."""
        __tracebackhide__ = True
        prop = self.prop()
        self.not_exercised = tuple(prop.not_exercised(self.role))

        def example(case: Case) -> None:
            __tracebackhide__ = True
            self.check_one(prop, case)

        test = hypothesis.given(case=prop.cases(self.role))(example)
        for case in [*prop.examples(self.role), *options.corpus]:
            test = hypothesis.example(case=case)(test)
        started = time.monotonic()
        try:
            try:
                options.settings(test)()
            except hypothesis.errors.FlakyFailure as flaky:
                raise _first_failure(flaky) from None
        except (ConformanceFailure, HarnessError) as error:
            self._save(error, options)
            raise
        finally:
            self.duration = time.monotonic() - started

    def _save(self, error: BaseException, options: RunOptions) -> None:
        failing = self.failure
        if failing is None or options.cases_dir is None:
            return
        notes = getattr(error, "__notes__", [])
        reproduce = next((n.strip() for n in notes if "@reproduce_failure(" in n), None)
        content = casefile.document(
            failing, seed=options.seed, profile=options.profile, reproduce=reproduce
        )
        self.case_file = casefile.write(options.cases_dir, content)
        error.add_note(
            f"case file: {self.case_file}\nreplay it: python -m conformance replay {self.case_file}"
        )

    def check_one(self, prop: Property[Any], case: Case) -> CaseResult:
        """Run and judge one example; raise with the whole story if it did not pass."""
        __tracebackhide__ = True
        result = run_case(prop, self.role, self.manifest, case, role_manifests=self.peers)
        self.results.append(result)
        if result.verdict.outcome is Outcome.FAIL:
            raise ConformanceFailure(describe(result), requirement=prop.requirement_id)
        if result.verdict.outcome is Outcome.ERROR:
            raise HarnessError(describe(result))
        if result.verdict.outcome is Outcome.NOT_IMPLEMENTED:
            raise NotApplicable(result.verdict.explanation)
        return result


def _first_failure(flaky: hypothesis.errors.FlakyFailure) -> BaseException:
    """The failure inside hypothesis's FlakyFailure: an example failed, then passed when replayed.

    The failure was seen, with its transcript, so it stands; the note says it
    depends on timing (a race in the implementation), so a replay may pass.
    """
    for inner in _leaves(flaky):
        if isinstance(inner, (ConformanceFailure, HarnessError)):
            inner.add_note(
                "this example failed, then passed when hypothesis ran it again: the behaviour "
                "depends on timing, so a replay of its case file may pass"
            )
            return inner
    return flaky


def _leaves(error: BaseException) -> Iterator[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from _leaves(inner)
    else:
        yield error


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
    started = {event.process for event in result.transcript.of(Started)}
    for name in sorted(started | set(result.transcript.stderr)):
        out = [visible(line) for line in result.transcript.printed(name)[-TAIL_LINES:]]
        err = visible(result.transcript.stderr.get(name, "")).splitlines()[-TAIL_LINES:]
        lines.append(f"--- {name}: last stdout lines ---")
        lines.extend(out or ["(none)"])
        if err:
            lines.append(f"--- {name}: last stderr lines ---")
            lines.extend(err)
    return "\n".join(lines)
