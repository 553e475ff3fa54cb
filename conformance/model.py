"""What a run produces: transcript events and verdicts, as frozen plain data.

Drivers append events to a :class:`Transcript` while they play one side of a
pattern (these, what the harness's plumbing sees, and :mod:`conformance.facts`, what only
the driver knows); checkers read the transcript and return a :class:`Verdict`. Nothing
here touches a socket or a process, so checkers are tested on hand-made
transcripts (the h11 way: the protocol apart from the I/O).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened during a case, ``at`` seconds after it began."""

    at: float


@dataclass(frozen=True, kw_only=True)
class Started(Event):
    """The harness started an implementation process."""

    process: str
    pid: int
    argv: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Printed(Event):
    """A process printed one line on stdout (decoded as UTF-8, bad bytes replaced)."""

    process: str
    line: str


@dataclass(frozen=True, kw_only=True)
class Exited(Event):
    """A process ended: its exit status, or minus the signal that ended it."""

    process: str
    code: int


@dataclass(frozen=True, kw_only=True)
class Signalled(Event):
    """The harness sent a signal to a process (or its whole group)."""

    process: str
    signal: str
    group: bool = False


@dataclass(frozen=True, kw_only=True)
class Sent(Event):
    """The harness sent a message from one of its sockets."""

    peer: str
    frames: tuple[bytes, ...]


@dataclass(frozen=True, kw_only=True)
class Received(Event):
    """The harness received a message on one of its sockets."""

    peer: str
    frames: tuple[bytes, ...]


@dataclass(frozen=True, kw_only=True)
class FileChanged(Event):
    """The harness changed a file: written in place, or renamed over."""

    path: str
    how: str
    size: int


@dataclass(frozen=True, kw_only=True)
class TimedOut(Event):
    """A deadline fired while the harness waited for something."""

    waiting_for: str
    seconds: float


EVENTS: tuple[type[Event], ...] = (
    Started,
    Printed,
    Exited,
    Signalled,
    Sent,
    Received,
    FileChanged,
    TimedOut,
)
"""The I/O events, for case files (the facts are in :data:`conformance.facts.FACTS`)."""

E = TypeVar("E", bound=Event)


def _no_clock() -> float:
    return 0.0


@dataclass
class Transcript:
    """Everything that happened in one case, in order, with the processes' stderr.

    CLOCK gives the seconds since the case began (the runner's stopwatch); without one, as
    in hand-made transcripts, every event is at 0.
    """

    events: list[Event] = field(default_factory=list)
    stderr: dict[str, str] = field(default_factory=dict)
    clock: Callable[[], float] = field(default=_no_clock, repr=False, compare=False)

    def now(self) -> float:
        return round(self.clock(), 6)

    def record(self, kind: type[E], **fields: object) -> E:
        """Append an event of KIND stamped with the current time, and return it."""
        event = kind(at=self.now(), **fields)
        self.events.append(event)
        return event

    def of(self, kind: type[E]) -> Iterator[E]:
        """The events of one kind, in order."""
        return (event for event in self.events if isinstance(event, kind))

    def printed(self, process: str) -> list[str]:
        """The stdout lines of one process, in order."""
        return [event.line for event in self.of(Printed) if event.process == process]

    def first(self, kind: type[E]) -> E | None:
        """The first event of KIND, if any."""
        return next(self.of(kind), None)

    def index_of(self, kind: type[Event]) -> int:
        """The index in :attr:`events` of the first event of KIND, else their number (the end
        of the transcript: "before it" then means "in all of it")."""
        found = (index for index, event in enumerate(self.events) if isinstance(event, kind))
        return next(found, len(self.events))

    def received(self, peer: str) -> list[tuple[bytes, ...]]:
        return [event.frames for event in self.of(Received) if event.peer == peer]

    def sent(self, peer: str) -> list[tuple[bytes, ...]]:
        return [event.frames for event in self.of(Sent) if event.peer == peer]


class Outcome(enum.Enum):
    """The verdict on one requirement for one implementation.

    PASS and FAIL judge behaviour; NOT_IMPLEMENTED means the manifest lists no
    such role; DEVIATION is a failure the manifest declares as known; STALE is a
    declared deviation that passed; ERROR is the harness's own fault (a bad
    manifest, a checker that raised), never counted against the implementation.
    """

    PASS = "pass"
    FAIL = "fail"
    NOT_IMPLEMENTED = "not implemented"
    DEVIATION = "known deviation"
    STALE = "stale deviation"
    ERROR = "error"


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """What the checker concluded from one transcript.

    A FAIL always says what was expected and what was seen (docs/verdicts.md): a
    failure without them cannot be constructed, so no checker can forget them.
    """

    outcome: Outcome
    explanation: str = ""
    expected: str = ""
    seen: str = ""

    def __post_init__(self) -> None:
        if self.outcome is Outcome.FAIL and not (
            self.explanation.strip() and self.expected.strip() and self.seen.strip()
        ):
            raise ValueError(
                "a failed verdict needs an explanation, an expected and a seen text: "
                f"{self.explanation!r}, expected {self.expected!r}, seen {self.seen!r}"
            )

    @classmethod
    def passed(cls) -> Verdict:
        return cls(outcome=Outcome.PASS)

    @classmethod
    def failed(cls, explanation: str, *, expected: str, seen: str) -> Verdict:
        """A FAIL: EXPLANATION says what went wrong, EXPECTED and SEEN (both required,
        neither empty) what the requirement wanted and what the implementation did."""
        return cls(outcome=Outcome.FAIL, explanation=explanation, expected=expected, seen=seen)

    @classmethod
    def stopped_before(cls, what: str) -> Verdict:
        """A FAIL for a transcript that ends before WHAT happened: the example was stopped
        (by a deadline or a failure the runner adds to the explanation) before it got there."""
        return cls.failed(
            f"the example stopped before {what}",
            expected=what,
            seen="the example stopped first",
        )

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.PASS, Outcome.DEVIATION, Outcome.NOT_IMPLEMENTED)
