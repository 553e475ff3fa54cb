"""Checkers of the REQ/REP requirements (SPEC.md REQREP-*)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from conformance.checks.messages import file_request, read_reply, shorten, worker_pids
from conformance.model import Started, Transcript, Verdict


def server_pids(role: str, process: str, transcript: Transcript) -> set[int]:
    """The pids that may answer for ROLE: the responder's own, or the cluster's workers."""
    if role == "filer-rep-cluster":
        return set(worker_pids(transcript.printed(process)))
    return {event.pid for event in transcript.of(Started) if event.process == process}


def check_contents(
    *,
    transcript: Transcript,
    peer: str,
    expected: Mapping[str, str],
    pids: Collection[int],
) -> Verdict:
    """Each request PEER sent got one reply with the content EXPECTED for its path.

    ``expected`` maps each requested path to the text the file held when the
    request was sent; ``pids`` are the processes allowed to answer.
    """
    sent = transcript.sent(peer)
    received = transcript.received(peer)
    if not sent:
        return Verdict.failed("the harness sent no request (the example stopped before it)")
    by_request = {file_request(path): path for path in expected}
    for number, request in enumerate(sent, start=1):
        path = by_request.get(request[0]) if len(request) == 1 else None
        if path is None:
            return Verdict.failed(f"request {number} is not one the case made: {request!r}")
        if number > len(received):
            return Verdict.failed(
                f"request {number} for {path!r} got no reply",
                expected=f"a reply with the file's content ({len(expected[path])} characters)",
                seen="nothing before the deadline",
            )
        reply = read_reply(received[number - 1])
        if reply.problem is not None:
            return Verdict.failed(f"reply {number} (for {path!r}) is malformed: {reply.problem}")
        if reply.content != expected[path]:
            seen = (
                "error " + str(reply.error_code) if reply.content is None else repr(reply.content)
            )
            return Verdict.failed(
                f"reply {number} does not carry the content of {path!r}",
                expected=shorten(repr(expected[path])),
                seen=shorten(seen),
            )
        if pids and reply.pid not in pids:
            return Verdict.failed(
                f"reply {number} names pid {reply.pid}, which is not a responder of this case",
                expected=f"one of {sorted(pids)}",
                seen=str(reply.pid),
            )
    return Verdict.passed()


def check_versions(
    *, transcript: Transcript, peer: str, versions: tuple[str, ...], pids: Collection[int]
) -> Verdict:
    """Reply i carries VERSIONS[i]: the file's text when request i was sent."""
    received = transcript.received(peer)
    for number, text in enumerate(versions, start=1):
        if number > len(received):
            return Verdict.failed(f"request {number} got no reply", expected=shorten(repr(text)))
        reply = read_reply(received[number - 1])
        if reply.problem is not None:
            return Verdict.failed(f"reply {number} is malformed: {reply.problem}")
        if reply.content != text:
            stale = [
                i + 1 for i, older in enumerate(versions[: number - 1]) if older == reply.content
            ]
            hint = f" (that is version {stale[-1]}: stale)" if stale else ""
            return Verdict.failed(
                f"reply {number} does not carry the file as it was when requested{hint}",
                expected=shorten(repr(text)),
                seen=shorten(
                    repr(reply.content)
                    if reply.content is not None
                    else f"error {reply.error_code}"
                ),
            )
        if pids and reply.pid not in pids:
            return Verdict.failed(
                f"reply {number} names pid {reply.pid}, not a responder of this case"
            )
    return Verdict.passed()


BAD_REQUESTS: dict[str, str | None] = {
    # bad_request: not one frame of UTF-8 JSON {"path": <non-empty string without NUL>}
    "multipart": "bad_request",
    "multipart-empty-first": "bad_request",
    "empty-frame": "bad_request",
    "not-utf8-frame": "bad_request",
    "not-json": "bad_request",
    "json-array": "bad_request",
    "json-string": "bad_request",
    "json-number": "bad_request",
    "json-null": "bad_request",
    "not-object": "bad_request",
    "no-path": "bad_request",
    "path-not-string": "bad_request",
    "path-null": "bad_request",
    "path-list": "bad_request",
    "empty-path": "bad_request",
    "nul-in-path": "bad_request",
    # forbidden: absolute, or resolving outside the root
    "absolute": "forbidden",
    "absolute-outside": "forbidden",
    "dotdot": "forbidden",
    "dotdot-nested": "forbidden",
    "symlink-out": "forbidden",
    "symlink-dir-out": "forbidden",
    # not_found: nothing there
    "missing": "not_found",
    "missing-dir": "not_found",
    "through-file": "not_found",
    "symlink-loop": "not_found",
    "dangling-symlink": "not_found",
    # not_a_file: there, but not a regular file (and never opened)
    "directory": "not_a_file",
    "dot": "not_a_file",
    "fifo": "not_a_file",
    # too_large, not_utf8
    "too-large": "too_large",
    "not-utf8": "not_utf8",
    "overlong-utf8": "not_utf8",
    "surrogate-utf8": "not_utf8",
    "truncated-utf8": "not_utf8",
    # JSON decoders differ on a lone surrogate: any error reply will do
    "unencodable-path": None,
}
"""Each kind of bad request and the error code SPEC.md (§3.5, REQREP-3) requires for it
(None: any error reply will do)."""
GOOD = "good"


def check_error_replies(
    *, transcript: Transcript, peer: str, steps: tuple[str, ...], good_text: str
) -> Verdict:
    """Each bad step got an error reply with its code; each good step its content."""
    received = transcript.received(peer)
    for number, step in enumerate(steps, start=1):
        code = BAD_REQUESTS.get(step)
        want = (
            "the file's content"
            if step == GOOD
            else (f"error {code!r}" if code else "an error reply")
        )
        if number > len(received):
            after = f" (after the {steps[number - 2]!r} request)" if number > 1 else ""
            return Verdict.failed(
                f"request {number} ({step}) got no reply{after}", expected=want, seen="no reply"
            )
        reply = read_reply(received[number - 1])
        if reply.problem is not None:
            return Verdict.failed(
                f"reply {number} ({step}) is malformed: {reply.problem}", expected=want
            )
        if step == GOOD and reply.content != good_text:
            seen = (
                repr(reply.content) if reply.error_code is None else f"error {reply.error_code!r}"
            )
            return Verdict.failed(
                f"the good request {number} was not answered with the file's content",
                expected=shorten(repr(good_text)),
                seen=shorten(seen),
            )
        if step != GOOD and (reply.error_code is None or (code and reply.error_code != code)):
            seen = f"error {reply.error_code!r}" if reply.error_code else "a content reply"
            return Verdict.failed(
                f"the {step!r} request {number} did not get its error reply",
                expected=want,
                seen=seen,
            )
    return Verdict.passed()


def check_requester(
    *,
    lines: list[str],
    exit_code: int | None,
    file: str,
    replies: list[bytes],
    numbered: bool,
) -> Verdict:
    """The requester printed a Sending line and the reply as received, per request, then exited 0."""
    expected: list[str] = []
    for number, reply in enumerate(replies, start=1):
        sending = (
            f"Sending request {number} for {file}" if numbered else f"Sending request for {file}"
        )
        expected += [sending, "Received response: " + reply.decode("utf-8", "backslashreplace")]
    for index, want in enumerate(expected):
        if index >= len(lines):
            return Verdict.failed(
                f"stdout line {index + 1} is missing", expected=shorten(want), seen="end of output"
            )
        if lines[index] != want:
            if want.startswith("Received response: ") and lines[index].startswith(
                "Received response: "
            ):
                return Verdict.failed(
                    f"stdout line {index + 1} does not show the reply exactly as received",
                    expected=shorten(want),
                    seen=shorten(lines[index]),
                )
            return Verdict.failed(
                f"stdout line {index + 1} is not the transcript line SPEC.md requires",
                expected=shorten(want),
                seen=shorten(lines[index]),
            )
    if exit_code != 0:
        return Verdict.failed(
            "the requester did not exit 0 after its last reply",
            expected="exit status 0",
            seen="still running" if exit_code is None else f"exit status {exit_code}",
        )
    return Verdict.passed()
