"""Checkers of the interop cases: one implementation's client against another's server.

The harness only starts both and changes files; what the client printed must
show that the server answered (SPEC.md, "Interop").
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from conformance.checks.messages import CHANGED, RECEIVED, shorten
from conformance.model import FileChanged, Printed, Transcript, Verdict


def check_requester_got(
    *, lines: Sequence[str], exit_code: int | None, text: str, count: int
) -> Verdict:
    """The client printed COUNT replies carrying TEXT, and exited 0."""
    replies = [m["reply"] for line in lines if (m := RECEIVED.match(line))]
    if len(replies) < count:
        return Verdict.failed(
            f"the client printed {len(replies)} of {count} 'Received response:' lines",
            expected=f"{count} replies",
            seen=shorten(" | ".join(lines[-4:])) or "no output",
        )
    for number, reply in enumerate(replies[:count], start=1):
        try:
            value = json.loads(reply)
        except ValueError:
            return Verdict.failed(
                f"reply {number} as printed is not JSON",
                expected="a JSON object with the file's text as content",
                seen=shorten(reply) or "an empty reply",
            )
        content = value.get("content") if isinstance(value, dict) else None
        if content != text:
            return Verdict.failed(
                f"reply {number} does not carry the file's text",
                expected=shorten(repr(text)),
                seen=shorten(reply) or "an empty reply",
            )
    if exit_code != 0:
        seen = "still running" if exit_code is None else f"exit status {exit_code}"
        return Verdict.failed("the client did not exit 0", expected="exit status 0", seen=seen)
    return Verdict.passed()


def check_subscriber_saw(*, transcript: Transcript, subscriber: str, changes: int) -> Verdict:
    """After its first line, the subscriber printed a line after each counted change."""
    counted = 0
    pending = False
    for event in transcript.events:
        if isinstance(event, FileChanged) and event.how != "probe":
            if pending:
                break
            counted += 1
            pending = True
        elif (
            isinstance(event, Printed) and event.process == subscriber and CHANGED.match(event.line)
        ):
            pending = False
    if not pending and counted < changes:
        return Verdict.stopped_before(f"the harness made all {changes} changes (it made {counted})")
    if pending:
        return Verdict.failed(
            f"change {counted} printed no line at the subscriber",
            expected=f"a 'File ... changed at ...' line for each of {changes} changes",
            seen=f"no line for change {counted}",
        )
    return Verdict.passed()
