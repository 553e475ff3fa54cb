"""Checkers of the broker requirements (SPEC.md BROKER-*).

What they rely on (RFC 28): a ROUTER prepends exactly one identity frame to
what it receives and strips it from what it sends; a DEALER moves messages
unchanged. So a harness DEALER "worker" behind the broker's backend sees
``[identity, *frames]`` for each message a harness DEALER "client" sent to the
frontend, and the client sees exactly the frames the worker sent after that
identity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from conformance.model import Transcript, Verdict
from conformance.normative import MUST, Clause, Requirement

# --- what this module judges: its requirements (SPEC.md §4) and their clauses ---------------

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        id="BROKER-1",
        title="Multipart messages of 1..N frames, empty and large frames included, pass unchanged both ways.",
        roles=("broker",),
        source="ROUTER/DEALER forwarder; RFC 28 (ROUTER and DEALER do not modify messages)",
    ),
    Requirement(
        id="BROKER-2",
        title="With K concurrent clients and M workers every reply reaches the client that sent the request, exactly once.",
        roles=("broker",),
        source="ROUTER/DEALER forwarder ('sending responses back to the correct clients')",
    ),
)
"""The requirements of this module's checkers, collected by :mod:`conformance.spec`."""

CLAUSES: tuple[Clause, ...] = (
    Clause(
        id="BROKER-1.a",
        level=MUST,
        section="BROKER-1",
        text="The broker MUST forward every message between its frontend and its backend, in "
        "both directions,",
        exercised_by=("BROKER-1",),
    ),
    Clause(
        id="BROKER-1.b",
        level=MUST,
        section="BROKER-1",
        text="with its frames unchanged: same number, same order, same bytes, empty frames "
        "included.",
        exercised_by=("BROKER-1",),
    ),
    Clause(
        id="BROKER-1.c",
        level=MUST,
        section="BROKER-1",
        text="A message sent before any worker is connected MUST wait, not be dropped.",
        exercised_by=("BROKER-1",),
    ),
    Clause(
        id="BROKER-2.a",
        level=MUST,
        section="BROKER-2",
        text="With K concurrent clients and M workers, every reply MUST reach the client that "
        "sent the request,",
        exercised_by=("BROKER-2",),
    ),
    Clause(
        id="BROKER-2.b",
        level=MUST,
        section="BROKER-2",
        text="exactly once.",
        exercised_by=("BROKER-2",),
    ),
)
"""Their clauses (:mod:`conformance.clauses`), in the order of each requirement's sentence."""

SUMMARY_BYTES = 24
SUMMARY_FRAMES = 6


def size(count: int) -> str:
    """A byte count a reader takes in at a glance: 17 B, 3.2 KiB, 1.0 MiB."""
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1024 * 1024):.2f} MiB ({count} B)"


def frame_summary(frame: bytes) -> str:
    """One frame, short: its first bytes and its size."""
    if not frame:
        return "b'' (empty)"
    head = repr(frame[:SUMMARY_BYTES]) + ("…" if len(frame) > SUMMARY_BYTES else "")
    return f"{head} ({size(len(frame))})"


def message_summary(frames: Sequence[bytes]) -> str:
    """A message, short: frame count, total size and the first few frames; never MiBs."""
    shown = ", ".join(frame_summary(frame) for frame in frames[:SUMMARY_FRAMES])
    more = f", … {len(frames) - SUMMARY_FRAMES} more" if len(frames) > SUMMARY_FRAMES else ""
    total = sum(len(frame) for frame in frames)
    plural = "" if len(frames) == 1 else "s"
    return f"{len(frames)} frame{plural}, {size(total)} in all: [{shown}{more}]"


def difference(expected: Sequence[bytes], seen: Sequence[bytes]) -> str:
    """What is wrong with SEEN as a copy of EXPECTED, in one phrase."""
    if len(seen) != len(expected):
        sizes_expected = [len(frame) for frame in expected]
        sizes_seen = [len(frame) for frame in seen]
        hint = ""
        if list(seen) == list(expected[: len(seen)]):
            hint = " (the last frames were dropped)"
        elif [size for size in sizes_seen if size] == [size for size in sizes_expected if size]:
            hint = " (empty frames were dropped or added)"
        elif sum(sizes_seen) == sum(sizes_expected):
            hint = " (frames were merged or split)"
        return (
            f"{len(seen)} frames arrived instead of {len(expected)}{hint}; "
            f"frame sizes {_sizes(sizes_seen)} instead of {_sizes(sizes_expected)}"
        )
    for index, (want, got) in enumerate(zip(expected, seen, strict=True)):
        if want != got:
            at = next(
                (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
                min(len(want), len(got)),
            )
            return (
                f"frame {index + 1} of {len(expected)} differs from byte {at} on "
                f"({size(len(got))} instead of {size(len(want))})"
            )
    return "no difference"


def _sizes(sizes: Sequence[int]) -> str:
    shown = [str(count) for count in sizes[: SUMMARY_FRAMES * 2]]
    if len(sizes) > SUMMARY_FRAMES * 2:
        shown.append("…")
    return "[" + ", ".join(shown) + "]"


def check_multipart(
    *, transcript: Transcript, messages: int, client: str = "client", worker: str = "worker"
) -> Verdict:
    """Each of MESSAGES messages crossed the broker unchanged, both ways, in lockstep order.

    Message i is the i-th Sent of CLIENT; the worker must have received it as
    ``[identity, *frames]``; the worker's i-th Sent is ``[identity, *reply]``
    and the client's i-th Received must be ``reply``.
    """
    sent = transcript.sent(client)
    at_worker = transcript.received(worker)
    replies = transcript.sent(worker)
    at_client = transcript.received(client)
    for number in range(1, messages + 1):
        if number > len(sent):
            return Verdict.stopped_before(
                f"the harness sent all {messages} messages (it sent {len(sent)})"
            )
        request = sent[number - 1]
        if number > len(at_worker):
            return Verdict.failed(
                f"message {number} from the client never reached the worker",
                expected=message_summary(request) + " at the worker, after an identity frame",
                seen="nothing before the deadline",
            )
        arrived = at_worker[number - 1]
        if arrived[1:] != request:
            return Verdict.failed(
                f"message {number} changed on its way from the client to the worker: "
                + difference(request, arrived[1:]),
                expected="[identity] + " + message_summary(request),
                seen=message_summary(arrived),
            )
        if not arrived[0]:
            return Verdict.failed(
                f"message {number} reached the worker with an empty first frame where the "
                "broker's routing identity belongs",
                expected="[identity (not empty)] + " + message_summary(request),
                seen=message_summary(arrived),
            )
        if number > len(replies):
            return Verdict.stopped_before(
                f"the harness worker answered message {number} (it sent {len(replies)} replies)"
            )
        reply = replies[number - 1][1:]
        if number > len(at_client):
            return Verdict.failed(
                f"the reply to message {number} never reached the client",
                expected=message_summary(reply),
                seen="nothing before the deadline",
            )
        back = at_client[number - 1]
        if back != reply:
            return Verdict.failed(
                f"the reply to message {number} changed on its way from the worker to the "
                "client: " + difference(reply, back),
                expected=message_summary(reply),
                seen=message_summary(back),
            )
    if len(at_worker) > messages or len(at_client) > messages:
        return Verdict.failed(
            "the broker delivered more messages than were sent (duplicates)",
            expected=f"{messages} messages each way",
            seen=f"{len(at_worker)} at the worker, {len(at_client)} at the client",
        )
    return Verdict.passed()


REPLY_PREFIX = b"reply to "


def reply_to(request: bytes) -> bytes:
    """The harness worker's reply to REQUEST (BROKER-2)."""
    return REPLY_PREFIX + request


def _show(payload: bytes) -> str:
    return frame_summary(payload) if len(payload) > 80 else repr(payload)


def check_routing(
    *,
    transcript: Transcript,
    clients: Sequence[str],
    workers: Sequence[str],
    requests: Sequence[int],
) -> Verdict:
    """Every client got exactly the replies to its own requests, each once; every request
    reached exactly one worker, exactly once.

    Clients and workers are DEALERs: client k sends ``requests[k]`` single-frame requests,
    unique across the case; a worker receives ``[identity, request]`` and answers
    ``[identity, reply_to(request)]``.
    """
    owner: dict[bytes, tuple[str, int]] = {}
    for client in clients:
        for number, frames in enumerate(transcript.sent(client), start=1):
            owner[frames[0]] = (client, number)

    def name(request: bytes) -> str:
        client, number = owner[request]
        return f"{client}'s request {number}"

    arrivals: Counter[bytes] = Counter()
    for worker in workers:
        for frames in transcript.received(worker):
            if len(frames) != 2 or not frames[0]:
                return Verdict.failed(
                    f"{worker} received a request of {len(frames)} frames, not the identity "
                    "frame and the client's one frame",
                    expected="2 frames: [identity (not empty), request]",
                    seen=message_summary(frames),
                )
            if frames[1] not in owner:
                return Verdict.failed(
                    f"{worker} received a request that no client sent",
                    expected="only the requests the harness's clients sent",
                    seen=_show(frames[1]),
                )
            arrivals[frames[1]] += 1
    got: dict[str, Counter[bytes]] = {client: Counter() for client in clients}
    for client in clients:  # first what arrived wrongly: it explains what is missing
        for frames in transcript.received(client):
            request = frames[0][len(REPLY_PREFIX) :] if frames[0].startswith(REPLY_PREFIX) else b""
            if len(frames) != 1 or request not in owner:
                return Verdict.failed(
                    f"{client} received a message that is no reply of the harness's workers",
                    expected="one frame: 'reply to ' + one of its requests",
                    seen=message_summary(frames),
                )
            if owner[request][0] != client:
                return Verdict.failed(
                    f"{client} received the reply to {name(request)}: replies were misrouted",
                    expected=f"only replies to {client}'s own requests",
                    seen=_show(frames[0]),
                )
            got[client][request] += 1
        for request, times in got[client].items():
            if times > 1:
                return Verdict.failed(
                    f"{client} received the reply to {name(request)} {times} times",
                    expected="each reply exactly once",
                    seen=f"{times} times",
                )
    for request, times in arrivals.items():
        if times > 1:
            return Verdict.failed(
                f"{name(request)} reached the workers {times} times (duplicated by the broker)",
                expected="exactly once",
                seen=f"{times} times",
            )
    for client, count in zip(clients, requests, strict=True):
        sent = transcript.sent(client)
        for number, frames in enumerate(sent, start=1):
            if frames[0] not in got[client]:
                where = arrivals[frames[0]]
                return Verdict.failed(
                    f"{client}'s request {number} got no reply"
                    + (" (it never reached a worker)" if not where else ""),
                    expected=repr(reply_to(frames[0])),
                    seen="nothing before the deadline",
                )
        if len(sent) < count:
            return Verdict.stopped_before(
                f"{client} sent all its {count} requests (it sent {len(sent)})"
            )
    return Verdict.passed()
