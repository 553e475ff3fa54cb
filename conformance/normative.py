"""The shapes of SPEC.md's normative statements: a requirement, a clause, a level.

A requirement and its clauses are declared in the checker module that judges it
(``conformance/checks/<pattern>.py``: its ``REQUIREMENTS`` and ``CLAUSES``), beside the
checks that enforce them; :mod:`conformance.spec` and :mod:`conformance.clauses` collect
them in SPEC.md order. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(Enum):
    """MUST requirements decide the exit status; SHOULD ones are reported too."""

    MUST = "must"
    SHOULD = "should"


MUST = Level.MUST
SHOULD = Level.SHOULD


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """One numbered, observable behaviour of one or more roles."""

    id: str
    title: str
    roles: tuple[str, ...]
    source: str
    """The demo (seed file section) or standard the requirement comes from."""
    level: Level = Level.MUST

    @property
    def pattern(self) -> str:
        return self.id.split("-")[0]

    @property
    def number(self) -> int:
        return int(self.id.split("-")[1])


@dataclass(frozen=True, kw_only=True)
class Clause:
    """One normative sentence (or part) of SPEC.md."""

    id: str
    level: Level
    """MUST (MUST NOT included) or SHOULD (SHOULD NOT included)."""
    section: str
    """Where it is: a requirement ID (§4), ``3.1`` .. ``3.6``, or ``5``."""
    text: str
    """The sentence, short."""
    exercised_by: tuple[str, ...] = ()
    """The requirements whose properties exercise it: an implementation that breaks only
    this clause fails one of them."""
    unexercised: str = ""
    """Why no property (or no mutant) can exercise it, or where it cannot; empty when one
    does everywhere."""


@dataclass(frozen=True, kw_only=True)
class NotSpecified:
    """A behaviour SPEC.md states as not specified, with the reason (in its section)."""

    id: str
    section: str
    text: str
    reason: str
