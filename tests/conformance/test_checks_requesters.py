"""The judging moved out of the properties: REQREP-4's own replies, REQREP-6 and -7's facts,
PUBSUB-1/2's window, LIFE-1's ready line, on hand-made transcripts."""

from __future__ import annotations

from conformance.checks.lifecycle import check_ready
from conformance.checks.pubsub import check_published
from conformance.checks.reqrep import check_own_replies
from conformance.checks.requesters import check_bound_late, check_one_in_flight
from conformance.facts import EarlyRequest, ReadyPattern, RunningAtBind, SilentAtStart
from conformance.model import Outcome
from conformance.roles import SERVERS

from .transcripts import content_reply, exchange, started, transcript


def test_own_replies_need_one_reply_per_request_with_the_client_s_own_file() -> None:
    t = transcript()
    started(t, "filer-rep", 100)
    for index, text in enumerate(("a", "b")):
        exchange(t, f"client-{index}", (b'{"path": "file-%d"}' % index,), content_reply(text))
    assert check_own_replies(transcript=t, texts=("a", "b"), rounds=1, pids={100}).ok
    crossed = check_own_replies(transcript=t, texts=("b", "a"), rounds=1, pids={100})
    assert crossed.outcome is Outcome.FAIL and crossed.explanation.startswith("client 0:")
    short = check_own_replies(transcript=t, texts=("a", "b"), rounds=2, pids={100})
    assert short.outcome is Outcome.FAIL and "1 replies to 2 requests" in short.explanation


def test_a_late_bind_needs_a_first_line_and_a_requester_that_still_runs() -> None:
    assert check_bound_late(transcript=transcript(), bind_after=1.0).ok
    silent = transcript()
    silent.record(SilentAtStart, seconds=10.0)
    assert check_bound_late(transcript=silent, bind_after=1.0).outcome is Outcome.FAIL
    gone = transcript()
    gone.record(RunningAtBind, running=False)
    verdict = check_bound_late(transcript=gone, bind_after=2.5)
    assert verdict.outcome is Outcome.FAIL and "2.5 s after its first line" in verdict.explanation


def test_one_request_in_flight() -> None:
    assert check_one_in_flight(transcript=transcript()).ok
    t = transcript()
    t.record(EarlyRequest, before_reply=2, frames=(b"x",))
    assert check_one_in_flight(transcript=t).outcome is Outcome.FAIL


def test_a_publisher_never_started_stops_the_case_before_it() -> None:
    verdict = check_published(
        transcript=transcript(), subscribers=["subscriber-0"], changes=1, budget=60.0
    )
    assert verdict.explanation == "the example stopped before the harness started the publisher"


def test_a_server_that_never_printed_its_ready_line_is_not_judged_on_serving() -> None:
    t = transcript()
    t.record(ReadyPattern, process=SERVERS[0], pattern="^ready$")
    verdict = check_ready(transcript=t, process=SERVERS[0])
    assert verdict.outcome is Outcome.FAIL and "ready line" in verdict.explanation
