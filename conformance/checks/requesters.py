"""Checkers of the requester roles, filer-req and filer-req-loop (SPEC.md REQREP-5 to -7).

The harness played the responder and made up each reply, so the requester's lines are
known byte for byte (:func:`~conformance.checks.reqrep.check_requester`, which also judges
the Sending lines that came late). Before them come
what only the driver saw, as facts: a Sending line that came late, a request sent before
the previous reply, a requester that ended before its responder bound.
"""

from __future__ import annotations

from conformance.deadlines import SENDING_LINE_TIMEOUT
from conformance.facts import EarlyRequest, RunningAtBind, SilentAtStart
from conformance.model import Transcript, Verdict
from conformance.normative import MUST, Clause, Requirement

# --- what this module judges: its requirements (SPEC.md §4) and their clauses ---------------

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        id="REQREP-5",
        title="The requester sends one request for FILE, prints the two transcript lines with the reply as received, and exits 0.",
        roles=("filer-req",),
        source="zmq-filer-req.js",
    ),
    Requirement(
        id="REQREP-6",
        title="A requester started before its responder gets its reply once the responder comes up.",
        roles=("filer-req", "filer-req-loop"),
        source="zmq.md ('it doesn't matter which endpoint starts up first')",
    ),
    Requirement(
        id="REQREP-7",
        title="The loop requester sends COUNT requests one at a time, prints COUNT replies in order, and exits 0.",
        roles=("filer-req-loop",),
        source="zmq-filer-req-loop.js (lockstep)",
    ),
)
"""The requirements of this module's checkers, collected by :mod:`conformance.spec`."""

CLAUSES: tuple[Clause, ...] = (
    Clause(
        id="REQREP-5.a",
        level=MUST,
        section="REQREP-5",
        text='The requester MUST send one request {"path":FILE} with FILE its argument unchanged,',
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="REQREP-5.b",
        level=MUST,
        section="REQREP-5",
        text="print `Sending request for FILE` and then `Received response: <reply>`",
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="REQREP-5.c",
        level=MUST,
        section="REQREP-5",
        text="with the reply exactly as received,",
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="REQREP-5.d",
        level=MUST,
        section="REQREP-5",
        text="and exit 0.",
        exercised_by=("REQREP-5",),
    ),
    Clause(
        id="REQREP-6.a",
        level=MUST,
        section="REQREP-6",
        text="A requester started before any responder has bound its endpoint MUST get its "
        "reply once a responder binds it, without being restarted.",
        exercised_by=("REQREP-6",),
    ),
    Clause(
        id="REQREP-7.a",
        level=MUST,
        section="REQREP-7",
        text="The loop requester MUST send COUNT requests,",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="REQREP-7.b",
        level=MUST,
        section="REQREP-7",
        text="each only after the reply to the previous one has arrived,",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="REQREP-7.c",
        level=MUST,
        section="REQREP-7",
        text="print `Sending request <i> for FILE` for i = 1..COUNT",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="REQREP-7.d",
        level=MUST,
        section="REQREP-7",
        text="and the COUNT replies in the order received,",
        exercised_by=("REQREP-7",),
    ),
    Clause(
        id="REQREP-7.e",
        level=MUST,
        section="REQREP-7",
        text="and exit 0.",
        exercised_by=("REQREP-7",),
    ),
)
"""Their clauses (:mod:`conformance.clauses`), in the order of each requirement's sentence."""


def check_bound_late(*, transcript: Transcript, bind_after: float) -> Verdict:
    """REQREP-6, before the lines: the requester printed its first Sending line at once, and
    still ran BIND_AFTER seconds later, when the harness bound its responder."""
    if transcript.first(SilentAtStart) is not None:
        return Verdict.failed(
            f"the requester printed no Sending line within {SENDING_LINE_TIMEOUT:g} s of its "
            "start (its request is queued from the start: SPEC.md 3.6 wants the line printed, "
            "and flushed, before the request is sent)",
            expected="Sending request ... (flushed when printed)",
            seen=f"no line within {SENDING_LINE_TIMEOUT:g} s",
        )
    at_bind = transcript.first(RunningAtBind)
    if at_bind is not None and not at_bind.running:
        return Verdict.failed(
            f"the requester ended {bind_after:g} s after its first line, before its "
            "responder came up",
            expected="it waits for the responder (ZeroMQ queues the request)",
            seen="it exited",
        )
    return Verdict.passed()


def check_one_in_flight(*, transcript: Transcript) -> Verdict:
    """REQREP-7, before the lines: no request arrived before the reply to the previous one."""
    early = transcript.first(EarlyRequest)
    if early is not None:
        return Verdict.failed(
            "the requester sent a request before the previous reply arrived",
            expected="one request in flight at a time",
            seen=f"a request before reply {early.before_reply}: {early.frames!r}",
        )
    return Verdict.passed()
