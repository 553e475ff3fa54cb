"""Checkers of the REQ/REP requirements (SPEC.md REQREP-*)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from conformance.checks.messages import (
    REPLY_FORMAT,
    WINDOW_AFTER_MS,
    WINDOW_BEFORE_MS,
    Reply,
    contrast,
    file_request,
    read_reply,
    request_path,
    shorten,
    worker_pids,
)
from conformance.deadlines import SENDING_LINE_TIMEOUT
from conformance.errors import HarnessError
from conformance.facts import SendingLineMissing, Undelimited, WallClock
from conformance.model import Exited, Started, Transcript, Verdict
from conformance.normative import MUST, Clause, Requirement
from conformance.roles import FILERS, role_of

# --- what this module judges: its requirements (SPEC.md §4) and their clauses ---------------

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        id="REQREP-1",
        title='A request {"path":P} for a UTF-8 file under the root gets one frame {"content":<text>,"timestamp":<ms>,"pid":<pid>} with the file\'s exact text.',
        roles=FILERS,
        source="zmq-filer-rep.js",
    ),
    Requirement(
        id="REQREP-2",
        title="A reply carries the file's content as it is when the request arrives, not an older one.",
        roles=FILERS,
        source="zmq-filer-rep.js (reads the file for each request)",
    ),
    Requirement(
        id="REQREP-3",
        title="Every bad request gets an error reply with its documented code, and the next good request is answered.",
        roles=FILERS,
        source="deviation: the book's responder crashes or never replies on bad input",
    ),
    Requirement(
        id="REQREP-4",
        title="Concurrent requesters each get the reply to their own request, exactly once.",
        roles=FILERS,
        source="RFC 28 (REP fair-queues and routes the reply to the originating peer)",
    ),
)
"""The requirements of this module's checkers, collected by :mod:`conformance.spec`."""

CLAUSES: tuple[Clause, ...] = (
    Clause(
        id="REQREP-1.a",
        level=MUST,
        section="REQREP-1",
        text='A request {"path":P} naming a UTF-8 file under the root MUST get exactly one reply,',
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-1.b",
        level=MUST,
        section="REQREP-1",
        text="one frame",
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-1.c",
        level=MUST,
        section="REQREP-1",
        text='holding {"content":<text>,...} with <text> the file\'s exact text,',
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-1.d",
        level=MUST,
        section="REQREP-1",
        text='"timestamp":<ms>',
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-1.e",
        level=MUST,
        section="REQREP-1",
        text='and "pid":<pid>.',
        exercised_by=("REQREP-1",),
    ),
    Clause(
        id="REQREP-2.a",
        level=MUST,
        section="REQREP-2",
        text="Each reply MUST carry the file's content as it is when the request arrives, not "
        "an earlier one.",
        exercised_by=("REQREP-2",),
    ),
    Clause(
        id="REQREP-3.a",
        level=MUST,
        section="REQREP-3",
        text="Every bad request MUST get exactly one error reply "
        '{"error":{"code":C,"message":M},"timestamp":<ms>,"pid":<pid>} with the code §3.5 '
        "assigns to it,",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="REQREP-3.b",
        level=MUST,
        section="REQREP-3",
        text="and the responder MUST answer the next good request.",
        exercised_by=("REQREP-3",),
    ),
    Clause(
        id="REQREP-4.a",
        level=MUST,
        section="REQREP-4",
        text="When several requesters send at once, each request MUST get exactly one reply,",
        exercised_by=("REQREP-4", "REQREP-1"),
        unexercised="a duplicate reply is not observable on a REQ whose client always asks "
        "for the same file (REQREP-4, not checked); REQREP-1 sees the duplicate of a large "
        "reply",
    ),
    Clause(
        id="REQREP-4.b",
        level=MUST,
        section="REQREP-4",
        text="the reply to that request, delivered to the requester that sent it.",
        exercised_by=("REQREP-4",),
    ),
)
"""Their clauses (:mod:`conformance.clauses`), in the order of each requirement's sentence."""


def server_pids(role: str, process: str, transcript: Transcript) -> set[int]:
    """The pids that may answer for ROLE: the responder's own, or the cluster's workers."""
    if role_of(role).workers_answer:
        return set(worker_pids(transcript.printed(process)))
    return {event.pid for event in transcript.of(Started) if event.process == process}


def reply_window(transcript: Transcript) -> tuple[int, int] | None:
    """The ``timestamp``s a reply of this case may carry (ms since the epoch): from
    WINDOW_BEFORE_MS before the case began to WINDOW_AFTER_MS after its last event. None for a
    transcript that does not say when it began (hand-made ones)."""
    clock = transcript.first(WallClock)
    if clock is None:
        return None
    began = clock.ms
    lasted = round(1000 * max((event.at for event in transcript.events), default=0.0))
    return began - WINDOW_BEFORE_MS, began + lasted + WINDOW_AFTER_MS


def check_one_reply_each(*, transcript: Transcript, peer: str) -> Verdict:
    """PEER (a client that sees every message, :class:`~conformance.world.DelimitedPeer`)
    received no more replies than it sent requests, each after the empty delimiter frame a REQ
    needs: each request gets exactly one reply, which a REQ would take."""
    if any(event.peer == peer for event in transcript.of(Undelimited)):
        return Verdict.failed(
            f"{peer} received a reply without the empty delimiter frame that a REQ needs (a "
            "REP sends it; a REQ drops a message without it)",
            expected="the reply after an empty frame, as a REP sends it",
            seen="a message whose first frame is not empty",
        )
    sent, received = len(transcript.sent(peer)), len(transcript.received(peer))
    if received > sent:
        return _extra_replies(peer, received, sent)
    return Verdict.passed()


def check_contents(
    *,
    transcript: Transcript,
    peer: str,
    expected: Mapping[str, str],
    pids: Collection[int],
) -> Verdict:
    """Each request PEER sent got one reply with the content EXPECTED for its path, stamped
    within the case (:func:`reply_window`), and no request got two.

    ``expected`` maps each requested path to the text the file held when the
    request was sent; ``pids`` are the processes allowed to answer.
    """
    sent = transcript.sent(peer)
    received = transcript.received(peer)
    window = reply_window(transcript)
    if not sent:
        return Verdict.stopped_before("the first request")
    once = check_one_reply_each(transcript=transcript, peer=peer)
    if not once.ok:
        return once
    for number, request in enumerate(sent, start=1):
        path = request_path(request)
        if path is None or path not in expected:
            raise HarnessError(f"request {number} is not one the case made: {request!r}"[:300])
        if number > len(received):
            return Verdict.failed(
                f"request {number} for {path!r} got no reply",
                expected=f"a reply with the file's content ({len(expected[path])} characters)",
                seen="nothing before the deadline",
            )
        reply = read_reply(received[number - 1], window)
        if reply.problem is not None:
            return Verdict.failed(
                f"reply {number} (for {path!r}) is malformed",
                expected=REPLY_FORMAT,
                seen=reply.problem,
            )
        if reply.content != expected[path]:
            return _other_content(
                reply, expected[path], f"reply {number} does not carry the content of {path!r}"
            )
        if pids and reply.pid not in pids:
            return _foreign_pid(reply, pids, f"reply {number}", "which is not a responder")
    return Verdict.passed()


def _extra_replies(who: str, received: int, sent: int) -> Verdict:
    return Verdict.failed(
        f"{who} received {received} replies to {sent} requests: a request got more than one reply",
        expected=f"exactly one reply per request ({sent})",
        seen=f"{received} replies",
    )


def _other_content(reply: Reply, text: str, explanation: str) -> Verdict:
    """The failure of a REPLY that does not carry TEXT: where the two differ, or its error."""
    if reply.content is None:
        want, seen = shorten(repr(text)), f"error {reply.error_code}"
    else:
        want, seen = contrast(text, reply.content)
    return Verdict.failed(explanation, expected=want, seen=seen)


def _foreign_pid(reply: Reply, pids: Collection[int], which: str, is_not: str) -> Verdict:
    """The failure of a reply (WHICH) whose pid is none of PIDS."""
    return Verdict.failed(
        f"{which} names pid {reply.pid}, {is_not} of this case",
        expected=f"one of {sorted(pids)}",
        seen=str(reply.pid),
    )


def check_versions(
    *, transcript: Transcript, peer: str, versions: tuple[str, ...], pids: Collection[int]
) -> Verdict:
    """Reply i carries VERSIONS[i]: the file's text when request i was sent."""
    received = transcript.received(peer)
    window = reply_window(transcript)
    for number, text in enumerate(versions, start=1):
        if number > len(received):
            return Verdict.failed(
                f"request {number} got no reply",
                expected=shorten(repr(text)),
                seen="no reply before the deadline",
            )
        reply = read_reply(received[number - 1], window)
        if reply.problem is not None:
            return Verdict.failed(
                f"reply {number} is malformed", expected=REPLY_FORMAT, seen=reply.problem
            )
        if reply.content != text:
            stale = [
                i + 1 for i, older in enumerate(versions[: number - 1]) if older == reply.content
            ]
            hint = f" (that is version {stale[-1]}: stale)" if stale else ""
            what = f"reply {number} does not carry the file as it was when requested{hint}"
            return _other_content(reply, text, what)
        if pids and reply.pid not in pids:
            return _foreign_pid(reply, pids, f"reply {number}", "not a responder")
    return Verdict.passed()


BAD_REQUESTS: dict[str, str | None] = {
    # bad_request: not one frame of UTF-8 JSON {"path": <non-empty string without NUL>}
    "multipart": "bad_request",
    "multipart-empty-first": "bad_request",
    "empty-frame": "bad_request",
    "not-utf8-frame": "bad_request",
    "utf16-json": "bad_request",
    "surrogate-in-json": "bad_request",
    "json-nan": "bad_request",
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
    "deep-nesting": "bad_request",
    # forbidden: absolute, or resolving outside the root (SPEC.md 3.3's rule: a missing
    # component is popped by "..", a symlink to a directory is followed before "..")
    "absolute": "forbidden",
    "absolute-outside": "forbidden",
    "dotdot": "forbidden",
    "dotdot-nested": "forbidden",
    "outside-missing": "forbidden",
    "symlink-dir-dotdot": "forbidden",
    "file-dotdot-out": "forbidden",
    "symlink-out": "forbidden",
    "symlink-dir-out": "forbidden",
    # not_found: nothing there
    "missing": "not_found",
    "missing-dir": "not_found",
    "through-file": "not_found",
    "missing-dotdot": "not_found",
    "file-dotdot": "not_found",
    "trailing-slash": "not_found",
    "file-dot": "not_found",
    "symlink-loop": "not_found",
    "loop-dotdot": "not_found",
    "dangling-symlink": "not_found",
    # not_a_file: there, but not a regular file (and never opened)
    "directory": "not_a_file",
    "dot": "not_a_file",
    "fifo": "not_a_file",
    "socket-file": "not_a_file",
    "unreadable": "unreadable",
    # too_large, not_utf8
    "too-large": "too_large",
    "not-utf8": "not_utf8",
    "overlong-utf8": "not_utf8",
    "surrogate-utf8": "not_utf8",
    "truncated-utf8": "not_utf8",
    "not-utf8-late": "not_utf8",
    "beyond-unicode-utf8": "not_utf8",
    "five-byte-utf8": "not_utf8",
    # JSON decoders differ on a lone surrogate: any error reply will do
    "unencodable-path": None,
}
"""Each kind of bad request and the error code SPEC.md (§3.5, REQREP-3) requires for it
(None: any error reply will do)."""
SERVABLE = frozenset({"deep-nesting"})
"""Kinds that are valid requests for ``good.txt`` which a parser MAY refuse (SPEC.md 3.1: a
parser may limit nesting depth): answered with their code, or served with the good content."""
GOOD = "good"


def check_error_replies(
    *,
    transcript: Transcript,
    peer: str,
    steps: tuple[str, ...],
    good_text: str,
    pids: Collection[int] = (),
) -> Verdict:
    """Each bad step got an error reply with its code; each good step its content; every
    reply names a pid of the responder (PIDS, when known)."""
    received = transcript.received(peer)
    window = reply_window(transcript)
    for number, step in enumerate(steps, start=1):
        code = BAD_REQUESTS.get(step)
        want = (
            "the file's content"
            if step == GOOD
            else (f"error {code!r}" if code else "an error reply")
        )
        if step in SERVABLE:
            want += " or the file's content"
        if number > len(received):
            after = f" (after the {steps[number - 2]!r} request)" if number > 1 else ""
            return Verdict.failed(
                f"request {number} ({step}) got no reply{after}", expected=want, seen="no reply"
            )
        reply = read_reply(received[number - 1], window)
        if reply.problem is not None:
            return Verdict.failed(
                f"reply {number} ({step}) is malformed (it should carry {want})",
                expected=REPLY_FORMAT,
                seen=reply.problem,
            )
        if pids and reply.pid not in pids:
            return _foreign_pid(reply, pids, f"reply {number} ({step})", "not a responder")
        if step in SERVABLE and reply.error_code is None:
            if reply.content != good_text:
                return Verdict.failed(
                    f"the {step!r} request {number} was served, but not with the file's content",
                    expected=f"{want} ({shorten(repr(good_text))})",
                    seen=shorten(repr(reply.content)),
                )
            continue
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


def check_requester_lines(
    *,
    lines: list[str],
    exit_code: int | None,
    file: str,
    replies: list[bytes],
    numbered: bool,
) -> Verdict:
    """The requester printed a Sending line and the reply as received per request, then exited 0.

    The Sending lines come in order, the Received lines in order, each Received
    line after its Sending line; how the two interleave is free (the book's
    loop prints every Sending line first). No other line may appear (SPEC.md 3.6).
    """
    count = len(replies)
    sending = [
        f"Sending request {number} for {file}" if numbered else f"Sending request for {file}"
        for number in range(1, count + 1)
    ]
    received = ["Received response: " + r.decode("utf-8", "backslashreplace") for r in replies]
    sent = got = 0
    for index, line in enumerate(lines, start=1):
        if sent < count and line == sending[sent]:
            sent += 1
        elif got < sent and line == received[got]:
            got += 1
        elif got < count and line.startswith("Received response: ") and got < sent:
            want, seen = contrast(received[got], line)
            return Verdict.failed(
                f"stdout line {index} does not show reply {got + 1} exactly as received",
                expected=want,
                seen=seen,
            )
        else:
            wants = [want for want in (sending[sent : sent + 1] + received[got : got + 1]) if want]
            return Verdict.failed(
                f"stdout line {index} is not a transcript line SPEC.md allows here",
                expected=shorten(" or ".join(wants) or "no more lines"),
                seen=shorten(line) or "an empty line",
            )
    if sent < count or got < count:
        want = sending[sent] if sent < count else received[got]
        return Verdict.failed(
            f"stdout ended after {len(lines)} lines: a transcript line is missing",
            expected=shorten(want),
            seen="end of output",
        )
    if exit_code != 0:
        return Verdict.failed(
            "the requester did not exit 0 after its last reply",
            expected="exit status 0",
            seen="still running" if exit_code is None else f"exit status {exit_code}",
        )
    return Verdict.passed()


def check_own_replies(
    *, transcript: Transcript, texts: Sequence[str], rounds: int, pids: Collection[int]
) -> Verdict:
    """REQREP-4: client N (``client-N``) sent ROUNDS requests for ``file-N``, which holds
    TEXTS[N], and got exactly one reply to each, its own file's text, from PIDS."""
    for index, text in enumerate(texts):
        got = len(transcript.received(f"client-{index}"))
        if got > rounds:
            return _extra_replies(f"client {index}", got, rounds)
        verdict = check_contents(
            transcript=transcript,
            peer=f"client-{index}",
            expected={f"file-{index}": text},
            pids=pids,
        )
        if not verdict.ok:
            return Verdict.failed(
                f"client {index}: {verdict.explanation}",
                expected=verdict.expected,
                seen=verdict.seen,
            )
        got = len(transcript.received(f"client-{index}"))
        if got != rounds:
            return Verdict.failed(
                f"client {index} got {got} replies to {rounds} requests",
                expected=f"{rounds} replies",
                seen=f"{got} replies",
            )
    return Verdict.passed()


def check_requester(
    *, transcript: Transcript, process: str, file: str, replies: list[bytes], numbered: bool
) -> Verdict:
    """REQREP-5 to -7: each Sending line was printed before its request arrived, each request
    asked for FILE, and PROCESS printed its lines for REPLIES (the harness's, in order) and
    exited 0."""
    unflushed = transcript.first(SendingLineMissing)
    if unflushed is not None:
        return Verdict.failed(
            f"a request arrived, but the Sending line of request {unflushed.request} had not "
            f"been printed {SENDING_LINE_TIMEOUT:g} s later: SPEC.md 3.6 wants each line "
            "flushed when printed, and the Sending line printed before its request is sent",
            expected=("Sending request <i> for FILE" if numbered else "Sending request for FILE")
            + " on stdout before the reply",
            seen=f"no such line within {SENDING_LINE_TIMEOUT:g} s of the request",
        )
    for number, frames in enumerate(transcript.received("server"), start=1):
        payload = frames[-1]
        if payload != file_request(file) and _path_of(payload) != file:
            return Verdict.failed(
                f"request {number} does not ask for FILE",
                expected=f'{{"path": {file!r}}}',
                seen=repr(payload[:120]),
            )
    exits = [event.code for event in transcript.of(Exited) if event.process == process]
    return check_requester_lines(
        lines=transcript.printed(process),
        exit_code=exits[0] if exits else None,
        file=file,
        replies=replies,
        numbered=numbered,
    )


def _path_of(payload: bytes) -> Any:
    try:
        value = json.loads(payload)
    except ValueError:
        return None
    return value.get("path") if isinstance(value, dict) else None
