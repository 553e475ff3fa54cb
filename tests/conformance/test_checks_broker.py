"""The broker checkers on hand-made transcripts: each failure mode is caught and explained."""

from __future__ import annotations

from conformance.checks.broker import (
    check_multipart,
    check_routing,
    difference,
    message_summary,
    reply_to,
)
from conformance.model import Outcome, Received, Sent, TimedOut, Transcript

from .transcripts import transcript

IDENTITY = b"\x00k\x8bEg"
BIG = b"x" * (1 << 20) + b"tail"


def crossing(
    t: Transcript,
    request: tuple[bytes, ...],
    reply: tuple[bytes, ...],
    *,
    at_worker: tuple[bytes, ...] | None = None,
    at_client: tuple[bytes, ...] | None = None,
) -> None:
    """One lockstep exchange through the broker, as the BROKER-1 driver records it."""
    t.record(Sent, peer="client", frames=request)
    t.record(
        Received, peer="worker", frames=(IDENTITY, *request) if at_worker is None else at_worker
    )
    t.record(Sent, peer="worker", frames=(IDENTITY, *reply))
    t.record(Received, peer="client", frames=reply if at_client is None else at_client)


def test_multipart_passes_when_every_frame_crosses_unchanged_both_ways() -> None:
    t = transcript()
    crossing(t, (b"",), (b"",))
    crossing(t, (b"a", b"", BIG, b""), (b"", BIG, b"z"))
    assert check_multipart(transcript=t, messages=2).outcome is Outcome.PASS


def test_multipart_catches_a_dropped_last_frame_and_says_so_without_dumping_mibs() -> None:
    t = transcript()
    crossing(t, (b"a", BIG), (b"r",), at_worker=(IDENTITY, b"a"))
    verdict = check_multipart(transcript=t, messages=1)
    assert verdict.outcome is Outcome.FAIL
    assert "message 1 changed on its way from the client to the worker" in verdict.explanation
    assert "1 frames arrived instead of 2 (the last frames were dropped)" in verdict.explanation
    assert "1.00 MiB" in verdict.expected
    assert len(verdict.expected) < 300
    assert len(verdict.seen) < 300


def test_multipart_catches_a_dropped_empty_frame_and_a_changed_reply() -> None:
    t = transcript()
    crossing(t, (b"a", b"", b"b"), (b"r",), at_worker=(IDENTITY, b"a", b"b"))
    assert "empty frames were dropped" in check_multipart(transcript=t, messages=1).explanation
    t = transcript()
    crossing(t, (b"a",), (b"", BIG), at_client=(b"", BIG[:-1] + b"?"))
    verdict = check_multipart(transcript=t, messages=1)
    assert (
        "reply to message 1 changed on its way from the worker to the client" in verdict.explanation
    )
    assert f"frame 2 of 2 differs from byte {len(BIG) - 1} on" in verdict.explanation


def test_multipart_names_the_message_that_never_arrived() -> None:
    t = transcript()
    crossing(t, (b"one",), (b"r1",))
    t.record(Sent, peer="client", frames=(b"two", b""))
    t.record(TimedOut, waiting_for="message 2 at the worker", seconds=10)
    verdict = check_multipart(transcript=t, messages=2)
    assert verdict.explanation == "message 2 from the client never reached the worker"
    assert verdict.expected.startswith("2 frames, 3 B in all")
    t = transcript()
    t.record(Sent, peer="client", frames=(b"one",))
    t.record(Received, peer="worker", frames=(IDENTITY, b"one"))
    t.record(Sent, peer="worker", frames=(IDENTITY, b"r1"))
    verdict = check_multipart(transcript=t, messages=1)
    assert verdict.explanation == "the reply to message 1 never reached the client"


def test_multipart_catches_an_empty_identity() -> None:
    t = transcript()
    crossing(t, (b"a",), (b"r",), at_worker=(b"", b"a"))
    verdict = check_multipart(transcript=t, messages=1)
    assert "empty first frame where the broker's routing identity belongs" in verdict.explanation


def test_multipart_catches_duplicates_and_an_early_stop() -> None:
    t = transcript()
    crossing(t, (b"one",), (b"r1",))
    t.record(Received, peer="worker", frames=(IDENTITY, b"one"))
    assert "duplicates" in check_multipart(transcript=t, messages=1).explanation
    assert "stopped before" in check_multipart(transcript=transcript(), messages=1).explanation


def test_summaries_are_short_and_differences_precise() -> None:
    summary = message_summary([b""] * 10 + [BIG])
    assert summary.startswith("11 frames, 1.00 MiB (1048580 B) in all: [b'' (empty)")
    assert "… 5 more" in summary
    assert len(summary) < 300
    assert "merged or split" in difference([b"ab", b"c"], [b"abc"])
    assert (
        difference([b"abc"], [b"abd"]) == "frame 1 of 1 differs from byte 2 on (3 B instead of 3 B)"
    )


def request(t: Transcript, client: str, payload: bytes) -> None:
    t.record(Sent, peer=client, frames=(payload,))


def arrive(t: Transcript, worker: str, payload: bytes) -> None:
    t.record(Received, peer=worker, frames=(IDENTITY, payload))


def reply(t: Transcript, client: str, payload: bytes) -> None:
    t.record(Received, peer=client, frames=(reply_to(payload),))


A1, A2, B1 = b"client 0 request 1", b"client 0 request 2", b"client 1 request 1"
CLIENTS = ["client-0", "client-1"]
WORKERS = ["worker-0", "worker-1"]


def routing(t: Transcript, requests: tuple[int, ...] = (2, 1)) -> str:
    verdict = check_routing(transcript=t, clients=CLIENTS, workers=WORKERS, requests=requests)
    return "pass" if verdict.outcome is Outcome.PASS else verdict.explanation


def all_sent() -> Transcript:
    t = transcript()
    request(t, "client-0", A1)
    request(t, "client-0", A2)
    request(t, "client-1", B1)
    arrive(t, "worker-0", A1)
    arrive(t, "worker-1", A2)
    arrive(t, "worker-0", B1)
    return t


def test_routing_passes_when_each_client_gets_its_own_replies_in_any_order() -> None:
    t = all_sent()
    reply(t, "client-1", B1)
    reply(t, "client-0", A2)
    reply(t, "client-0", A1)
    assert routing(t) == "pass"


def test_routing_catches_a_misrouted_reply_and_names_whose_reply_it_was() -> None:
    t = all_sent()
    reply(t, "client-0", B1)
    verdict = check_routing(transcript=t, clients=CLIENTS, workers=WORKERS, requests=(2, 1))
    assert verdict.outcome is Outcome.FAIL
    assert verdict.explanation == (
        "client-0 received the reply to client-1's request 1: replies were misrouted"
    )
    assert verdict.seen == repr(reply_to(B1))


def test_routing_catches_duplicates_both_ways_and_a_missing_reply() -> None:
    t = all_sent()
    for payload in (B1, A1, A1, A2):
        reply(t, "client-1" if payload == B1 else "client-0", payload)
    assert routing(t) == "client-0 received the reply to client-0's request 1 2 times"
    t = all_sent()
    arrive(t, "worker-1", A2)
    for payload in (B1, A1, A2):
        reply(t, "client-1" if payload == B1 else "client-0", payload)
    assert (
        routing(t) == "client-0's request 2 reached the workers 2 times (duplicated by the broker)"
    )
    t = transcript()
    request(t, "client-0", A1)
    assert routing(t, (1, 0)) == "client-0's request 1 got no reply (it never reached a worker)"


def test_routing_catches_mangled_requests_stray_messages_and_an_early_stop() -> None:
    t = transcript()
    request(t, "client-0", A1)
    t.record(Received, peer="worker-0", frames=(A1,))
    assert routing(t, (1, 0)).startswith("worker-0 received a request of 1 frames")
    t = transcript()
    arrive(t, "worker-0", b"nobody sent this")
    assert routing(t, (0, 0)) == "worker-0 received a request that no client sent"
    t = all_sent()
    t.record(Received, peer="client-1", frames=(b"hello",))
    assert routing(t) == "client-1 received a message that is no reply of the harness's workers"
    t = transcript()
    request(t, "client-0", A1)
    arrive(t, "worker-0", A1)
    reply(t, "client-0", A1)
    assert (
        routing(t, (3, 0))
        == "the example stopped before client-0 sent all its 3 requests (it sent 1)"
    )
