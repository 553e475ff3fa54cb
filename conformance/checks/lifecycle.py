"""Checkers of the lifecycle requirements every server shares (SPEC.md LIFE-*).

The driver records what it saw as facts (:mod:`conformance.facts`): the ready regex of
the manifest, whether each endpoint of the role accepted a connection right after the
ready line, the signal that stops the server, its exit status and the ipc files left
behind. The first request after the ready line is judged from the
harness's peers, as in the pattern's own checkers.
"""

from __future__ import annotations

import re
import signal
from typing import Protocol

from conformance.checks.broker import message_summary, reply_to
from conformance.checks.reqrep import check_contents, server_pids
from conformance.errors import HarnessError
from conformance.facts import EndpointProbed, ExitSeen, IpcFileLeft, ReadyPattern, StopSent
from conformance.model import Outcome, Transcript, Verdict
from conformance.normative import MUST, SHOULD, Clause, Requirement
from conformance.roles import SERVERS, Exchange, role_of

# --- what this module judges: its requirements (SPEC.md §4) and their clauses ---------------

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        id="LIFE-1",
        title="A server prints its ready line once it is bound, and serves from then on.",
        roles=SERVERS,
        source="all demos; the harness's readiness contract",
    ),
    Requirement(
        id="LIFE-2",
        title="On SIGTERM or SIGINT a server exits with status 0 within 5 s and removes the ipc files it bound.",
        roles=SERVERS,
        source="deviation: the book's programs are stopped with Ctrl-C and leave ipc files",
    ),
)
"""The requirements of this module's checkers, collected by :mod:`conformance.spec`."""

CLAUSES: tuple[Clause, ...] = (
    Clause(
        id="LIFE-1.a",
        level=MUST,
        section="LIFE-1",
        text="A server MUST print its ready line only after every endpoint it binds is bound,",
        exercised_by=("LIFE-1",),
    ),
    Clause(
        id="LIFE-1.b",
        level=MUST,
        section="LIFE-1",
        text="and MUST serve from then on.",
        exercised_by=("LIFE-1",),
    ),
    Clause(
        id="LIFE-1.c",
        level=SHOULD,
        section="LIFE-1",
        text="The publisher's watch SHOULD be armed before the ready line.",
        unexercised="not observable: a change lost to a late watch cannot be told from one "
        "lost to the slow joiner (LIFE-1, not checked)",
    ),
    Clause(
        id="LIFE-2.a",
        level=MUST,
        section="LIFE-2",
        text="On SIGTERM or SIGINT a server MUST exit with status 0 within 5 s,",
        exercised_by=("LIFE-2",),
    ),
    Clause(
        id="LIFE-2.b",
        level=MUST,
        section="LIFE-2",
        text="leaving no socket file behind for any ipc endpoint it bound.",
        exercised_by=("LIFE-2",),
    ),
)
"""Their clauses (:mod:`conformance.clauses`), in the order of each requirement's sentence."""


def check_ready(*, transcript: Transcript, process: str) -> Verdict:
    """The ready line was printed, and every endpoint the role binds accepted a
    connection as soon as it was."""
    ready = transcript.first(ReadyPattern)
    if ready is None:
        return Verdict.stopped_before("the server started")
    if ready.pattern is None:
        return Verdict(
            outcome=Outcome.NOT_IMPLEMENTED,
            explanation="the manifest gives the role no ready regex, so the harness cannot "
            "tell when it claims to be ready (docs/verdicts.md)",
        )
    if not any(re.search(ready.pattern, line) for line in transcript.printed(process)):
        return Verdict.failed(
            "the server never printed its ready line",
            expected=f"a line matching {ready.pattern!r}",
            seen=f"{len(transcript.printed(process))} other lines",
        )
    refused = [
        f"{probe.placeholder} {probe.endpoint}: {probe.refused}"
        for probe in transcript.of(EndpointProbed)
        if probe.refused is not None
    ]
    if refused:
        return Verdict.failed(
            "the server printed its ready line before it was bound: a connection right "
            f"after the ready line was refused at {refused[0]}",
            expected="every endpoint bound before the ready line is printed",
            seen=f"refused: {'; '.join(refused)}",
        )
    return Verdict.passed()


class ServedCheck(Protocol):
    """A check of one exchange: the harness's peers' side of it, in TRANSCRIPT."""

    def __call__(
        self, *, transcript: Transcript, role: str, file: str, text: str, payload: bytes
    ) -> Verdict: ...


def served_a_file(
    *, transcript: Transcript, role: str, file: str, text: str, payload: bytes
) -> Verdict:
    """Exchange.FILE_REQUEST: the client asked for FILE and got TEXT, from the role's pids."""
    verdict = check_contents(
        transcript=transcript,
        peer="client",
        expected={file: text},
        pids=server_pids(role, role, transcript),
    )
    if verdict.ok:
        return verdict
    return Verdict.failed(
        "the first request after the ready line was not served: " + verdict.explanation,
        expected=verdict.expected,
        seen=verdict.seen,
    )


def brokered(*, transcript: Transcript, role: str, file: str, text: str, payload: bytes) -> Verdict:
    """Exchange.BROKER_ROUND_TRIP: the client sent PAYLOAD through to a harness worker and got
    its reply back."""
    received = transcript.received("client")
    if not transcript.sent("client"):
        return Verdict.stopped_before("the client sent its request")
    if not received:
        reached = bool(transcript.received("worker"))
        return Verdict.failed(
            "the first request through the broker after its ready line got no reply"
            + ("" if reached else " (it never reached the worker)"),
            expected=repr(reply_to(payload)),
            seen="nothing before the deadline",
        )
    if received[0] != (reply_to(payload),):
        return Verdict.failed(
            "the first request through the broker got a reply that is not the worker's",
            expected=repr(reply_to(payload)),
            seen=message_summary(received[0]),
        )
    return Verdict.passed()


def published(
    *, transcript: Transcript, role: str, file: str, text: str, payload: bytes
) -> Verdict:
    """Exchange.CHANGE_MESSAGE: the subscriber received a change message."""
    if not transcript.received("subscriber"):
        return Verdict.failed(
            "no change message reached a subscriber that connected after the ready line",
            expected="a message once the watched file changes",
            seen="nothing before the deadline",
        )
    return Verdict.passed()


SERVED: dict[Exchange, ServedCheck] = {
    Exchange.FILE_REQUEST: served_a_file,
    Exchange.BROKER_ROUND_TRIP: brokered,
    Exchange.CHANGE_MESSAGE: published,
}
"""The check of each exchange that proves a server serves (the role table names its own)."""


def check_served(
    *, transcript: Transcript, role: str, file: str = "", text: str = "", payload: bytes = b""
) -> Verdict:
    """The one interaction the harness made right after the ready line succeeded: the
    exchange of ROLE (FILE and TEXT for a file request, PAYLOAD for the broker)."""
    exchange = role_of(role).exchange
    if exchange not in SERVED:
        raise HarnessError(f"LIFE-1 does not know how to check {role!r} serving ({exchange})")
    return SERVED[exchange](transcript=transcript, role=role, file=file, text=text, payload=payload)


def signal_name(number: int) -> str:
    """SIGTERM for 15; "signal N" for a number no signal has."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def describe_status(code: int) -> str:
    if code < 0:
        return f"it was killed by {signal_name(-code)} (status {code})"
    return f"it exited with status {code}"


def check_stop(*, transcript: Transcript, process: str, seconds: float) -> Verdict:
    """After the signal of its StopSent (SIGTERM or SIGINT) the server exited 0 within
    SECONDS and left no ipc file it bound."""
    stop = transcript.first(StopSent)
    if stop is None:
        return Verdict.stopped_before("the harness sent its signal")
    name = stop.signal
    exit_seen = transcript.first(ExitSeen)
    if exit_seen is None:
        return Verdict.failed(
            f"the server did not exit within {seconds:g} s of {name}",
            expected=f"exit status 0 within {seconds:g} s",
            seen="still running at the deadline",
        )
    code = exit_seen.code
    if code != 0:
        hint = ""
        if code < 0 and signal_name(-code) == name:
            hint = f": it does not handle {name}, so it cannot clean up"
        return Verdict.failed(
            f"the server did not exit cleanly on {name}: {describe_status(code)}{hint}",
            expected="exit status 0",
            seen=f"status {code}",
        )
    left = [event.path for event in transcript.of(IpcFileLeft)]
    if left:
        files = "s" if len(left) > 1 else ""
        return Verdict.failed(
            f"the ipc file{files} the server bound {'are' if files else 'is'} still there "
            "after its exit",
            expected="no ipc file left",
            seen=", ".join(left),
        )
    return Verdict.passed()
