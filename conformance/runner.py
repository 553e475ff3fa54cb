"""Run one example: one ``trio.run`` with a supervisor and a world, then the pure check.

:func:`run_case` never hangs and never leaks: the whole example sits under the
property's deadline, the supervisor kills every process of the case on the way
out (also those that left their group), and the endpoints' temp folder is
removed. A deadline or a :class:`ConformanceFailure` stops the example and
becomes part of the verdict; so does a breach of containment (a process that
outlived the case outside its group, too many processes), whatever the checker
says; a checker that raises is an ERROR of that case, not of the run. The
verdict's texts are made safe to print (:mod:`conformance.safe_text`).
"""

from __future__ import annotations

import errno
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import trio
import zmq

from conformance import waits
from conformance.endpoint import Endpoint
from conformance.endpoints import Endpoints, fixed_endpoint_lock
from conformance.errors import ConformanceFailure
from conformance.facts import Breach, FrameCut
from conformance.manifest import Manifest
from conformance.model import Outcome, Transcript, Verdict
from conformance.properties import Case, Property
from conformance.safe_text import clip, visible
from conformance.supervisor import Supervisor, TooManyProcesses
from conformance.world import World

CONTAINED = (
    "every process of the case in the process group it was started in and ended with the "
    "case, at most 100 at once, the harness's endpoints left to the harness (docs/harness.md, SPEC.md §5)"
)
"""What a breach's verdict expected."""
MAX_VERDICT_CHARS = 20_000
"""Characters kept of each of a verdict's texts (a reply of 100 MiB is not shown whole)."""


@dataclass(frozen=True)
class CaseResult:
    """One example, as run: what was generated, what happened, what it means."""

    requirement: str
    role: str
    manifest: Manifest
    case: Case
    transcript: Transcript
    verdict: Verdict
    peers: Mapping[str, Manifest] = field(default_factory=dict)
    """Roles played by other implementations (interop)."""


def run_case(
    prop: Property[Any],
    role: str,
    manifest: Manifest,
    case: Case,
    *,
    role_manifests: Mapping[str, Manifest] | None = None,
) -> CaseResult:
    """Run CASE of PROP against MANIFEST's ROLE and judge it.

    ROLE_MANIFESTS names other implementations for other roles of the case
    (interop: one implementation's client against another's server).
    """
    transcript = Transcript(clock=stopwatch())
    stopped: str | None = None
    try:
        trio.run(_play, prop, role, manifest, case, transcript, dict(role_manifests or {}))
    except BaseException as error:
        taken = _taken_endpoint(error)
        if taken is not None:
            transcript.record(Breach, reason=taken)
        stopped = _conformance_message(error)
        if stopped is None:
            raise
        stopped = stopped or None  # only a breach stopped it: the transcript's note says it
    try:
        verdict = prop.check(role, case, transcript)
    except Exception:  # a checker's own bug is an error of this case, not of the run
        verdict = Verdict(
            outcome=Outcome.ERROR,
            explanation="the checker raised an exception (a bug in the harness):\n"
            + traceback.format_exc(),
        )
    if stopped is not None and verdict.outcome is Outcome.PASS:
        verdict = Verdict.failed(
            f"the example stopped early: {stopped}",
            expected="the case played to its end",
            seen=stopped,
        )
    elif stopped is not None and verdict.outcome is Outcome.FAIL:
        verdict = Verdict.failed(
            f"{verdict.explanation}\n(the example stopped early: {stopped})",
            expected=verdict.expected,
            seen=verdict.seen,
        )
    breaches = [event.reason for event in transcript.of(Breach)]
    if breaches:
        verdict = _breached(breaches, verdict)
    cut = [event.describe() for event in transcript.of(FrameCut)]
    if cut and verdict.outcome is Outcome.FAIL:
        counted = {note: cut.count(note) for note in cut}
        verdict = Verdict.failed(
            "\n".join(
                [
                    verdict.explanation,
                    *(f"({note}{f'; {n} times' if n > 1 else ''})" for note, n in counted.items()),
                ]
            ),
            expected=verdict.expected,
            seen=verdict.seen,
        )
    return CaseResult(
        prop.requirement_id,
        role,
        manifest,
        case,
        transcript,
        _showable(verdict),
        dict(role_manifests or {}),
    )


def stopwatch() -> Callable[[], float]:
    """A clock for a transcript: monotonic seconds since it was made."""
    began = time.monotonic()
    return lambda: time.monotonic() - began


def _breached(breaches: list[str], verdict: Verdict) -> Verdict:
    """The verdict when the case broke containment (or took the harness's endpoint): a
    failure that says so first, whatever the checker found (which follows)."""
    if verdict.outcome is Outcome.ERROR:
        return Verdict(
            outcome=Outcome.ERROR, explanation="\n".join([verdict.explanation, *breaches])
        )
    if verdict.outcome is Outcome.FAIL:
        return Verdict.failed(
            "\n".join([*breaches, f"Besides: {verdict.explanation}"]),
            expected=verdict.expected,
            seen=verdict.seen,
        )
    return Verdict.failed("\n".join(breaches), expected=CONTAINED, seen="; ".join(breaches))


def _showable(verdict: Verdict) -> Verdict:
    """VERDICT with its texts safe for a terminal: controls escaped, long texts clipped."""
    return Verdict(
        outcome=verdict.outcome,
        explanation=visible(clip(verdict.explanation, MAX_VERDICT_CHARS)),
        expected=visible(clip(verdict.expected, MAX_VERDICT_CHARS)),
        seen=visible(clip(verdict.seen, MAX_VERDICT_CHARS)),
    )


async def _play(
    prop: Property[Any],
    role: str,
    manifest: Manifest,
    case: Case,
    transcript: Transcript,
    role_manifests: dict[str, Manifest],
) -> None:
    with Endpoints() as endpoints:
        manifests = [manifest, *role_manifests.values()]
        async with fixed_endpoint_lock(_colliding_endpoints(manifests)):
            context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
            try:
                with waits.deadline(transcript, "the example to finish", prop.timeout):
                    async with Supervisor(transcript) as supervisor:
                        world = World(
                            manifest=manifest,
                            transcript=transcript,
                            supervisor=supervisor,
                            endpoints=endpoints,
                            context=context,
                            transport=case.transport,
                            role_manifests=role_manifests,
                        )
                        try:
                            await prop.run(world, role, case)
                        finally:
                            world.close_peers()
            finally:
                context.destroy(linger=0)


def _colliding_endpoints(manifests: list[Manifest]) -> list[str]:
    """Hard-coded endpoints that two cases at once would fight over.

    A relative ipc endpoint is a file in the process's own fresh {tmp}: it
    cannot collide, so it needs no lock.
    """
    found = set()
    for spec in (spec for manifest in manifests for spec in manifest.roles.values()):
        for endpoint in spec.fixed.values():
            if Endpoint.parse(endpoint).shared:
                found.add(endpoint)
    return sorted(found)


def _conformance_message(error: BaseException) -> str | None:
    """What stopped the example, if the implementation did: the message of a
    ConformanceFailure, also inside an exception group ("" for what the transcript holds as
    a breach); else None (the harness's own error)."""
    if isinstance(error, TooManyProcesses) or _is_taken(error):
        return ""
    if isinstance(error, ConformanceFailure):
        return str(error)
    if isinstance(error, BaseExceptionGroup):
        messages = [_conformance_message(inner) for inner in error.exceptions]
        if messages and all(message is not None for message in messages):
            return "; ".join(message for message in messages if message)
    return None


def _is_taken(error: BaseException) -> bool:
    return isinstance(error, zmq.ZMQError) and error.errno == errno.EADDRINUSE


def _taken_endpoint(error: BaseException) -> str | None:
    """Why the harness could not bind its own endpoint (in ERROR or a group), if so: every
    endpoint is checked free and claimed when a case begins, so a process of the case took
    it."""
    if _is_taken(error):
        return (
            f"the harness could not bind its own endpoint: {error}. It was free when the case "
            "began, so a process of the case took it: a role MUST connect to the endpoints it "
            "is given to connect to, not bind them (SPEC.md §2)"
        )
    if isinstance(error, BaseExceptionGroup):
        found = (_taken_endpoint(inner) for inner in error.exceptions)
        return next((message for message in found if message is not None), None)
    return None
