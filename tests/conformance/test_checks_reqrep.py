"""The REQ/REP checkers on hand-made transcripts: each failure mode is caught and explained."""

from __future__ import annotations

import json
import unicodedata

import pytest
import trio
import zmq
from hypothesis import find, given, settings

from conformance.checks.messages import (
    REQUEST_STYLES,
    WINDOW_AFTER_MS,
    WINDOW_BEFORE_MS,
    contrast,
    file_request,
    read_reply,
    request_path,
)
from conformance.checks.reqrep import (
    BAD_REQUESTS,
    SERVABLE,
    check_contents,
    check_error_replies,
    check_requester_lines,
    check_versions,
    reply_window,
    server_pids,
)
from conformance.facts import SendingLineMissing, SilentAtStart, Undelimited, WallClock
from conformance.model import Event, Exited, Outcome, Received, Transcript
from conformance.properties import reqrep, requesters
from conformance.properties.requesters import (
    LateResponder,
    Requests,
    judge_requester,
    reply_for,
)
from conformance.world import DelimitedPeer
from conformance.zsock import AsyncSocket

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
    assert check_requester_lines(
        lines=lines, exit_code=0, file="f", replies=[reply], numbered=False
    ).ok
    verdict = check_requester_lines(
        lines=lines, exit_code=None, file="f", replies=[reply], numbered=False
    )
    assert verdict.seen == "still running"
    verdict = check_requester_lines(
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
    assert check_requester_lines(
        lines=book, exit_code=0, file="f", replies=replies, numbered=True
    ).ok
    early = [book[2], *book[:2], book[3]]
    verdict = check_requester_lines(
        lines=early, exit_code=0, file="f", replies=replies, numbered=True
    )
    assert "line 1" in verdict.explanation
    extra = [*book, "bye"]
    verdict = check_requester_lines(
        lines=extra, exit_code=0, file="f", replies=replies, numbered=True
    )
    assert verdict.seen == "bye"
    verdict = check_requester_lines(
        lines=book[:3], exit_code=0, file="f", replies=replies, numbered=True
    )
    assert "missing" in verdict.explanation


# --- SPEC.md 3.1 on every reply: strict UTF-8, no raw LF or CR, timestamps in milliseconds ------


def reply_bytes(body: dict[str, object], **dumps: object) -> tuple[bytes, ...]:
    return (json.dumps(body, **dumps).encode("utf-8", "surrogatepass"),)  # type: ignore[arg-type]


GOOD_REPLY = {"content": "x", "timestamp": 1_700_000_000_000, "pid": 1}


def test_read_reply_refuses_raw_line_breaks() -> None:
    """Valid JSON, but a requester prints a reply on one line (SPEC.md 3.1)."""
    assert read_reply(reply_bytes(GOOD_REPLY)).problem is None
    for pretty in (
        reply_bytes(GOOD_REPLY, indent=1),
        (b'{"content":"x",\r"timestamp":1,"pid":1}',),
    ):
        problem = str(read_reply(pretty).problem)
        assert "raw LF or CR" in problem
    escaped = reply_bytes({**GOOD_REPLY, "content": "a\r\nb"})
    assert read_reply(escaped).content == "a\r\nb"  # escaped in the string: fine


def test_read_reply_decodes_strict_utf8() -> None:
    """An encoded surrogate (ED A0 80), which json.loads of bytes takes for U+D800, is not
    UTF-8: a lone surrogate must travel as a \\u escape (SPEC.md 3.1)."""
    raw = reply_bytes(
        {"error": {"code": "bad_request", "message": "\ud800"}, **GOOD_REPLY}, ensure_ascii=False
    )
    assert b"\xed\xa0\x80" in raw[0]
    assert "not UTF-8" in str(read_reply(raw).problem)
    escaped = reply_bytes({"error": {"code": "bad_request", "message": "\ud800"}, **GOOD_REPLY})
    assert read_reply(escaped).error_code == "bad_request"
    assert "not JSON" in str(read_reply((b"[" * 100_000,)).problem)


def test_read_reply_wants_milliseconds_within_the_window() -> None:
    window = (1_699_999_990_000, 1_700_000_100_000)
    assert read_reply(reply_bytes(GOOD_REPLY), window).problem is None
    seconds = reply_bytes({**GOOD_REPLY, "timestamp": 1_700_000_000})
    assert "not within the case" in str(read_reply(seconds, window).problem)
    assert read_reply(seconds).problem is None  # no window known: not judged


def wall_clock(t: Transcript, ms: int) -> None:
    t.record(WallClock, ms=ms)


def test_reply_window_spans_the_case() -> None:
    t = transcript()
    assert reply_window(t) is None
    wall_clock(t, 1_700_000_000_000)
    exchange(t, "client", (file_request("a"),), content_reply("A"))
    began, ended = reply_window(t) or (0, 0)
    assert began == 1_700_000_000_000 - WINDOW_BEFORE_MS
    assert ended >= 1_700_000_000_000 + WINDOW_AFTER_MS


def test_contents_catch_a_timestamp_in_seconds() -> None:
    t = transcript()
    wall_clock(t, 1_700_000_000_000)
    exchange(t, "client", (file_request("a"),), reply_bytes({**GOOD_REPLY, "content": "A"}))
    assert check_contents(transcript=t, peer="client", expected={"a": "A"}, pids={1}).ok
    t = transcript()
    wall_clock(t, 1_700_000_000_000)
    late = {**GOOD_REPLY, "content": "A", "timestamp": 1_700_000_000}
    exchange(t, "client", (file_request("a"),), reply_bytes(late))
    verdict = check_contents(transcript=t, peer="client", expected={"a": "A"}, pids={1})
    assert verdict.outcome is Outcome.FAIL and "not within the case" in verdict.seen


def test_contents_catch_a_second_reply() -> None:
    """A client that sees every message (a DEALER) got more replies than it sent requests."""
    t = transcript()
    exchange(t, "client", (file_request("a"),), content_reply("A"))
    t.record(Received, peer="client", frames=content_reply("A")[0:1])
    verdict = check_contents(transcript=t, peer="client", expected={"a": "A"}, pids={100})
    assert verdict.outcome is Outcome.FAIL
    assert verdict.explanation.startswith("client received 2 replies to 1 requests")


def test_contents_catch_a_reply_a_req_would_drop() -> None:
    t = transcript()
    exchange(t, "client", (file_request("a"),), content_reply("A"))
    t.record(Undelimited, peer="client")
    verdict = check_contents(transcript=t, peer="client", expected={"a": "A"}, pids={100})
    assert verdict.outcome is Outcome.FAIL and "empty delimiter" in verdict.explanation


def test_contents_show_where_texts_that_look_alike_differ() -> None:
    """NFC against NFD looks the same on screen: the texts are shown escaped."""
    t = transcript()
    exchange(t, "client", (file_request("a"),), content_reply("caf\u00e9"))
    verdict = check_contents(transcript=t, peer="client", expected={"a": "cafe\u0301"}, pids=())
    assert (verdict.expected, verdict.seen) == ("'cafe\\u0301'", "'caf\\xe9'")


def test_contrast_starts_near_the_first_difference() -> None:
    assert contrast("x" * 200 + "a", "x" * 200 + "b") == (f"…'{'x' * 20}a'", f"…'{'x' * 20}b'")
    assert contrast("ab", "ab\u2028") == ("'ab'", "'ab\\u2028'")


def test_deep_nesting_may_be_refused_or_served() -> None:
    """RFC 8259 §9: a parser may limit nesting. The deep request gets bad_request or the good
    file's content; any other code, or other content, fails."""
    steps = ("deep-nesting", "good")
    for answer in (error_reply("bad_request"), content_reply("ok")):
        t = transcript()
        exchange(t, "client", (b"[",), answer)
        exchange(t, "client", (file_request("good.txt"),), content_reply("ok"))
        assert check_error_replies(transcript=t, peer="client", steps=steps, good_text="ok").ok
    for answer, seen in (
        (error_reply("not_found"), "error 'not_found'"),
        (content_reply("?"), "'?'"),
    ):
        t = transcript()
        exchange(t, "client", (b"[",), answer)
        exchange(t, "client", (file_request("good.txt"),), content_reply("ok"))
        verdict = check_error_replies(transcript=t, peer="client", steps=steps, good_text="ok")
        assert verdict.outcome is Outcome.FAIL and verdict.seen == seen
    assert set(BAD_REQUESTS) >= SERVABLE


@pytest.mark.parametrize("style", REQUEST_STYLES)
def test_every_request_style_is_the_same_request(style: str) -> None:
    path = 'd\u00e9j\u00e0/e\u0301 \U0001f600"\\.txt'
    frame = file_request(path, style)
    assert json.loads(frame) == {"path": path}
    assert request_path((frame,)) == path
    if style in ("ascii", "escaped"):
        assert frame.isascii()
    if style == "escaped":
        assert b"txt" not in frame and b"\\/" in frame
    if style in ("compact", "spaced"):
        assert "é".encode() in frame
    with pytest.raises(ValueError, match="unknown request style"):
        file_request(path, "fancy")


# --- the requesters' Sending lines (SPEC.md 3.6: flushed, before the request is sent) -----------


def played(*lines: str, facts: tuple[Event, ...] = ()) -> Transcript:
    t = transcript()
    t.events.extend(facts)
    t.record(Received, peer="server", frames=(file_request("f"),))
    printed(t, "filer-req", *lines)
    t.record(Exited, process="filer-req", code=0)
    return t


def test_a_requester_whose_sending_line_never_came_fails() -> None:
    case = Requests(file="f", contents=("x",), ascii_only=True)
    lines = ("Sending request for f", "Received response: " + reply_for(case, 0).decode())
    assert judge_requester("filer-req", case, played(*lines), numbered=False).ok
    late = played(*lines, facts=(SendingLineMissing(at=0, request=1),))
    verdict = judge_requester("filer-req", case, late, numbered=False)
    assert verdict.outcome is Outcome.FAIL and "flushed" in verdict.explanation


def test_a_requester_silent_before_the_bind_fails_late_responder() -> None:
    case = Requests(file="f", contents=("x",), ascii_only=True, responder_first=False)
    silent = played(facts=(SilentAtStart(at=0, seconds=10),))
    verdict = LateResponder().check("filer-req", case, silent)
    assert verdict.outcome is Outcome.FAIL and "no Sending line" in verdict.explanation


# --- generated data: the sharp pieces do show up ---------------------------------------------


def test_generated_names_follow_the_rules_and_reach_the_sharp_pieces() -> None:
    @given(reqrep.FILE_NAMES)
    @settings(max_examples=200, database=None)
    def rules(name: str) -> None:
        assert reqrep.NAME_SIZE[0] <= len(name) <= reqrep.NAME_SIZE[1]
        assert not name.startswith((".", "-")) and not set(name) & {"/", "\\", "\0", "\n"}

    rules()
    # find stops at the first hit; the generous budget keeps a rare miss from failing the test
    searching = settings(database=None, max_examples=5_000)
    for changed in (
        lambda text: unicodedata.normalize("NFC", text) != text,
        lambda text: "\ufffe" in text or "\U0010ffff" in text,
    ):
        find(reqrep.FILE_NAMES, changed, settings=searching)
        find(reqrep.TEXTS, changed, settings=searching)
    find(reqrep.TEXTS, lambda text: "\u2028" in text, settings=searching)
    find(requesters.file_paths(), lambda path: path.count("/") >= 2, settings=searching)


def test_a_delimited_peer_talks_as_a_req_and_sees_a_second_reply() -> None:
    """REQREP-1 and -4's clients: the envelope a REP expects goes out, a duplicate reply that
    a REQ would drop comes in, and the transcript holds the messages without the delimiter."""

    async def play() -> Transcript:
        context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
        try:
            t = transcript()
            responder = context.socket(zmq.ROUTER)
            responder.bind("inproc://delimited")
            client = DelimitedPeer("client", AsyncSocket.open(context, zmq.DEALER), t)
            client.socket.connect("inproc://delimited")
            await client.send(b"ask")
            assert responder.poll(5000)
            identity, delimiter, body = responder.recv_multipart()
            assert (delimiter, body) == (b"", b"ask")
            for _ in range(2):
                responder.send_multipart([identity, b"", b"reply"])
            responder.send_multipart([identity, b"bare"])
            with trio.fail_after(5):
                assert await client.recv() == (b"reply",)
                assert await client.recv() == (b"reply",)
                assert await client.recv() == (b"bare",)
            client.close()
            responder.close(linger=0)
            return t
        finally:
            context.destroy(linger=0)

    t = trio.run(play)
    assert t.sent("client") == [(b"ask",)]
    assert t.received("client") == [(b"reply",), (b"reply",), (b"bare",)]
    assert [event.peer for event in t.of(Undelimited)] == ["client"]
