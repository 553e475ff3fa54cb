"""One class per requirement: what to generate, how to play it, how to judge it.

The QUIC interop runner's layout: each :class:`Property` names its SPEC.md
requirement and holds three things, kept apart so that each can be tested
alone:

- :meth:`Property.cases` -- a hypothesis strategy of plain, frozen case data;
- :meth:`Property.run` -- the I/O: plays the other side of the pattern in a
  :class:`~conformance.world.World`, recording a transcript;
- :meth:`Property.check` -- pure: reads the case and the transcript, returns a
  :class:`~conformance.model.Verdict`.

Beside them, each class says how it checks its requirement, for docs/procedure.md
(``python -m tests.procedure_tables --write`` renders that document's requirement sections):
its docstring, in Markdown, and its :class:`Glance`.
"""

from __future__ import annotations

import abc
import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from hypothesis import strategies as st

from conformance.deadlines import CASE_TIMEOUT
from conformance.model import Transcript, Verdict
from conformance.spec import Requirement, requirement

if TYPE_CHECKING:
    from conformance.world import World


@dataclass(frozen=True, kw_only=True)
class Case:
    """The generated data of one example; subclasses add what their property varies."""

    transport: str = "tcp"
    """How the processes of this case are connected: "tcp" (loopback) or "ipc"."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How hypothesis prints a case in a failure: long values cut, since a case may hold
        MiBs (the case file keeps them whole)."""
        printer.text(short_repr(self))


def short_repr(case: Case, limit: int = 300) -> str:
    """``Class(field=value, ...)`` with each value's repr cut to LIMIT characters."""
    parts = []
    for field in dataclasses.fields(case):
        text = repr(getattr(case, field.name))
        if len(text) > limit:
            text = f"{text[:limit]}... ({len(text)} characters)"
        parts.append(f"{field.name}={text}")
    return f"{type(case).__name__}({', '.join(parts)})"


TRANSPORTS = st.sampled_from(["tcp", "ipc"])

C = TypeVar("C", bound=Case)

Span = tuple[int, int]
"""An inclusive range of generated values, (low, high)."""


@dataclass(frozen=True, kw_only=True)
class Glance:
    """A requirement's row of the table "At a glance" in docs/procedure.md: the ranges its
    cases are drawn from and its deadlines and timers, each labelled, each the code's own
    constant, so that the table cannot drift from what the property does."""

    ranges: tuple[tuple[str, Span], ...] = ()
    """Label and range of each generated quantity, as the procedure names it."""
    timers: tuple[tuple[str, float], ...] = ()
    """Label and seconds of each deadline and timer."""


class Property(abc.ABC, Generic[C]):
    """A checkable property of one requirement, for the roles it applies to.

    A subclass's docstring is its requirement's procedure in docs/procedure.md: a summary
    line, then in Markdown what the harness sets up, sends, waits for and judges (every
    range and duration it quotes is tied to the code by ``tests/test_procedure_document.py``),
    then a ``**Not checked.**`` paragraph with its bullets.
    """

    requirement_id: ClassVar[str]
    roles: ClassVar[tuple[str, ...]] = ()
    """The roles this property judges; by default all roles of its requirement."""
    timeout: ClassVar[float] = CASE_TIMEOUT
    """Seconds one example may take in all, process start and teardown included."""
    case_type: ClassVar[type[Case]]
    glance: ClassVar[Glance]
    """The requirement's row of "At a glance"; each subclass declares its own."""

    @classmethod
    def requirement(cls) -> Requirement:
        return requirement(cls.requirement_id)

    @classmethod
    def applies_to(cls) -> tuple[str, ...]:
        return cls.roles or cls.requirement().roles

    @abc.abstractmethod
    def cases(self, role: str) -> st.SearchStrategy[C]:
        """The strategy of examples for ROLE."""

    def examples(self, role: str) -> list[C]:
        """Cases always run before the generated ones (hypothesis ``@example``s)."""
        return []

    def not_exercised(self, role: str) -> list[str]:
        """What of the requirement this run cannot exercise, and why (a harness without the
        means, not an implementation's fault): said in the item's result, never a failure."""
        return []

    @abc.abstractmethod
    async def run(self, world: World, role: str, case: C) -> None:
        """Play one example against the implementation of ROLE; record, do not judge."""

    @abc.abstractmethod
    def check(self, role: str, case: C, transcript: Transcript) -> Verdict:
        """Judge one example from its transcript alone."""
