"""The harness's one deadline idiom: trio's ``fail_after`` and ``move_on_after``, recorded.

Waits take no timeout (``Process.wait``, ``Process.wait_for_line``, ``world.receive``, a
peer's ``recv``): the caller bounds a wait, or a whole stretch of them, with one of these
cancel scopes. When the deadline passes first, a :class:`~conformance.model.TimedOut` event
names WHAT was awaited; :func:`deadline` then raises :class:`DeadlineMissed` (the example
stops, and the runner says why), while :func:`move_on_after` lets the caller go on and
tells it through the scope's ``cancelled_caught``. ``World.deadline`` and
``World.move_on_after`` are these, on the case's transcript; the seconds come from
:mod:`conformance.deadlines`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import trio

from conformance.errors import ConformanceFailure
from conformance.model import TimedOut, Transcript


class DeadlineMissed(ConformanceFailure):
    """What the harness waited for did not come in time."""

    def __init__(self, what: str, seconds: float, hint: str = "") -> None:
        super().__init__(f"waited {seconds:g} s in vain for {what}{hint}")
        self.what = what
        self.seconds = seconds


@contextlib.contextmanager
def move_on_after(transcript: Transcript, what: str, seconds: float) -> Iterator[trio.CancelScope]:
    """A cancel scope of SECONDS; if they pass first, a TimedOut event names WHAT."""
    with trio.move_on_after(seconds) as scope:
        yield scope
    if scope.cancelled_caught:
        transcript.record(TimedOut, waiting_for=what, seconds=seconds)


@contextlib.contextmanager
def deadline(
    transcript: Transcript,
    what: str,
    seconds: float,
    *,
    hint: Callable[[], str] | None = None,
) -> Iterator[trio.CancelScope]:
    """:func:`move_on_after`, then :class:`DeadlineMissed` naming WHAT if SECONDS passed
    first (HINT, called then, adds what the harness knows about why)."""
    with move_on_after(transcript, what, seconds) as scope:
        yield scope
    if scope.cancelled_caught:
        raise DeadlineMissed(what, seconds, hint() if hint is not None else "")
