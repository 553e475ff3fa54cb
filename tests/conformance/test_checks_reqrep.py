"""The REQ/REP checkers on hand-made transcripts: each failure mode is caught and explained."""

from __future__ import annotations

import json

from conformance.checks.messages import file_request, read_reply
from conformance.checks.reqrep import (
    check_contents,
    check_error_replies,
    check_requester,
    check_versions,
    server_pids,
)
from conformance.model import Outcome

from .transcripts import content_reply, error_reply, exchange, printed, started, transcript


def test_contents_pass_when_each_reply_carries_its_file() -> None:
    t = transcript()
    exchange(t, "client", (file_request("a"),), content_reply("A"))
    exchange(t, "client", (file_request("b"),), content_reply("B"))
    verdict = check_contents(transcript=t, peer="client", expected={"a": "A", "b": "B"}, pids={100})
    assert verdict.outcome is Outcome.PASS


def test_contents_catch_a_swapped_reply() -> None:
    t = transcript()
    exchange(t, "client", (file_request("a"),), content_reply("B"))
    verdict = check_contents(transcript=t, peer="client", expected={"a": "A", "b": "B"}, pids={100})
    assert verdict.outcome is Outcome.FAIL
    assert "'a'" in verdict.explanation and verdict.expected == "'A'" and verdict.seen == "'B'"


def test_contents_catch_a_missing_reply_and_a_foreign_pid() -> None:
    t = transcript()
    exchange(t, "client", (file_request("a"),), None)
    assert (
        "got no reply"
        in check_contents(transcript=t, peer="client", expected={"a": "A"}, pids=()).explanation
    )
    t = transcript()
    exchange(t, "client", (file_request("a"),), content_reply("A", pid=7))
    assert (
        "pid 7"
        in check_contents(transcript=t, peer="client", expected={"a": "A"}, pids={100}).explanation
    )


def test_read_reply_explains_malformed_replies() -> None:
    assert read_reply((b"{}", b"")).problem == "a reply is one frame, got 2"
    assert "not JSON" in str(read_reply((b"{",)).problem)
    assert "integer pid" in str(read_reply((json.dumps({"content": "x"}).encode(),)).problem)
    assert read_reply(error_reply("not_found")).error_code == "not_found"


def test_versions_name_a_stale_reply() -> None:
    t = transcript()
    exchange(t, "client", (file_request("f"),), content_reply("v1"))
    exchange(t, "client", (file_request("f"),), content_reply("v1"))
    verdict = check_versions(transcript=t, peer="client", versions=("v1", "v2"), pids=())
    assert verdict.outcome is Outcome.FAIL and "stale" in verdict.explanation


def test_error_replies_need_the_documented_code_and_a_good_reply_after() -> None:
    t = transcript()
    exchange(t, "client", (b"{",), error_reply("bad_request"))
    exchange(t, "client", (file_request("good.txt"),), content_reply("ok"))
    steps = ("not-json", "good")
    assert check_error_replies(transcript=t, peer="client", steps=steps, good_text="ok").ok
    t = transcript()
    exchange(t, "client", (b"{",), error_reply("oops"))
    verdict = check_error_replies(transcript=t, peer="client", steps=steps, good_text="ok")
    assert verdict.outcome is Outcome.FAIL and verdict.seen == "error 'oops'"
    t = transcript()
    exchange(t, "client", (b"{",), error_reply("bad_request"))
    exchange(t, "client", (file_request("good.txt"),), None)
    verdict = check_error_replies(transcript=t, peer="client", steps=steps, good_text="ok")
    assert "after the 'not-json' request" in verdict.explanation


def test_requester_transcript_lines_and_exit() -> None:
    reply = b'{"content":"x"}'
    lines = ["Sending request for f", 'Received response: {"content":"x"}']
    assert check_requester(lines=lines, exit_code=0, file="f", replies=[reply], numbered=False).ok
    verdict = check_requester(
        lines=lines, exit_code=None, file="f", replies=[reply], numbered=False
    )
    assert verdict.seen == "still running"
    verdict = check_requester(
        lines=[*lines[:1], "Received response: {'content': 'x'}"],
        exit_code=0,
        file="f",
        replies=[reply],
        numbered=False,
    )
    assert "exactly as received" in verdict.explanation


def test_server_pids_of_a_cluster_come_from_its_online_lines() -> None:
    t = transcript()
    started(t, "filer-rep-cluster", 1)
    printed(t, "filer-rep-cluster", "Worker 11 is online.", "Worker 12 is online.")
    assert server_pids("filer-rep-cluster", "filer-rep-cluster", t) == {11, 12}
    assert server_pids("filer-rep", "filer-rep-cluster", t) == {1}


def test_requester_lines_may_interleave_but_keep_their_order() -> None:
    replies = [b'{"content":"a"}', b'{"content":"b"}']
    book = [
        "Sending request 1 for f",
        "Sending request 2 for f",
        'Received response: {"content":"a"}',
        'Received response: {"content":"b"}',
    ]
    assert check_requester(lines=book, exit_code=0, file="f", replies=replies, numbered=True).ok
    early = [book[2], *book[:2], book[3]]
    verdict = check_requester(lines=early, exit_code=0, file="f", replies=replies, numbered=True)
    assert "line 1" in verdict.explanation
    extra = [*book, "bye"]
    verdict = check_requester(lines=extra, exit_code=0, file="f", replies=replies, numbered=True)
    assert verdict.seen == "bye"
    verdict = check_requester(lines=book[:3], exit_code=0, file="f", replies=replies, numbered=True)
    assert "missing" in verdict.explanation
