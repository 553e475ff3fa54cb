"""Checkers of the lifecycle requirements every server shares (SPEC.md LIFE-*).

The driver records what it saw as notes under the ``*_NOTE`` keys: the ready
regex of the manifest, whether each endpoint of the role accepted a connection
right after the ready line, the server's exit status after SIGTERM or SIGINT and the ipc
files left behind. The first request after the ready line is judged from the
harness's peers, as in the pattern's own checkers.
"""

from __future__ import annotations

import re

from conformance.checks.broker import message_summary, reply_to
from conformance.checks.reqrep import check_contents, server_pids
from conformance.errors import HarnessError
from conformance.model import Outcome, Transcript, Verdict
from conformance.spec import FILERS

READY_NOTE = "ready-regex"
"""The manifest's ready regex for the role."""
NO_READY_NOTE = "no-ready"
"""The manifest gives no ready regex: the harness cannot know when the role is ready."""
BOUND_NOTE = "bound"
"""``"<placeholder> <endpoint>"``: accepted a connection right after the ready line."""
NOT_BOUND_NOTE = "not-bound"
"""``"<placeholder> <endpoint>: <error>"``: refused a connection right after the ready line."""
SIGNAL_NOTE = "signalled"
EXIT_NOTE = "exit-code"
"""The server's exit status, recorded once it exited within the deadline."""
IPC_LEFT_NOTE = "ipc-left"
"""The path of an ipc endpoint file the server bound that still exists after its exit."""

SIGNAL_NAMES = {1: "SIGHUP", 2: "SIGINT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM"}


def check_ready(*, transcript: Transcript, process: str) -> Verdict:
    """The ready line was printed, and every endpoint the role binds accepted a
    connection as soon as it was."""
    regexes = transcript.notes(READY_NOTE)
    if regexes:
        if not any(re.search(regexes[0], line) for line in transcript.printed(process)):
            return Verdict.failed(
                "the server never printed its ready line",
                expected=f"a line matching {regexes[0]!r}",
                seen=f"{len(transcript.printed(process))} other lines",
            )
    elif transcript.notes(NO_READY_NOTE):
        return Verdict(
            outcome=Outcome.NOT_IMPLEMENTED,
            explanation="the manifest gives the role no ready regex, so the harness cannot "
            "tell when it claims to be ready (docs/verdicts.md)",
        )
    else:
        return Verdict.stopped_before("the server started")
    refused = transcript.notes(NOT_BOUND_NOTE)
    if refused:
        return Verdict.failed(
            "the server printed its ready line before it was bound: a connection right "
            f"after the ready line was refused at {refused[0]}",
            expected="every endpoint bound before the ready line is printed",
            seen=f"refused: {'; '.join(refused)}",
        )
    return Verdict.passed()


def check_served(
    *, transcript: Transcript, role: str, file: str = "", text: str = "", payload: bytes = b""
) -> Verdict:
    """The one interaction the harness made right after the ready line succeeded.

    filer roles: the client asked for FILE and got TEXT; broker: the client sent
    PAYLOAD through to a harness worker and got its reply back; watcher-pub:
    the subscriber received a change message.
    """
    if role in FILERS:
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
    if role == "broker":
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
    if role == "watcher-pub":
        if not transcript.received("subscriber"):
            return Verdict.failed(
                "no change message reached a subscriber that connected after the ready line",
                expected="a message once the watched file changes",
                seen="nothing before the deadline",
            )
        return Verdict.passed()
    raise HarnessError(f"LIFE-1 does not know how to serve role {role!r}")


def describe_status(code: int) -> str:
    if code < 0:
        name = SIGNAL_NAMES.get(-code, f"signal {-code}")
        return f"it was killed by {name} (status {code})"
    return f"it exited with status {code}"


def check_stop(*, transcript: Transcript, process: str, seconds: float) -> Verdict:
    """After the signal of the SIGNAL_NOTE (SIGTERM or SIGINT) the server exited 0 within
    SECONDS and left no ipc file it bound."""
    signals = transcript.notes(SIGNAL_NOTE)
    if not signals:
        return Verdict.stopped_before("the harness sent its signal")
    name = signals[0]
    codes = transcript.notes(EXIT_NOTE)
    if not codes:
        return Verdict.failed(
            f"the server did not exit within {seconds:g} s of {name}",
            expected=f"exit status 0 within {seconds:g} s",
            seen="still running at the deadline",
        )
    code = int(codes[0])
    if code != 0:
        hint = ""
        if SIGNAL_NAMES.get(-code) == name:
            hint = f": it does not handle {name}, so it cannot clean up"
        return Verdict.failed(
            f"the server did not exit cleanly on {name}: {describe_status(code)}{hint}",
            expected="exit status 0",
            seen=f"status {code}",
        )
    left = transcript.notes(IPC_LEFT_NOTE)
    if left:
        files = "s" if len(left) > 1 else ""
        return Verdict.failed(
            f"the ipc file{files} the server bound {'are' if files else 'is'} still there "
            "after its exit",
            expected="no ipc file left",
            seen=", ".join(left),
        )
    return Verdict.passed()
