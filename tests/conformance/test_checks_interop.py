"""The interop checkers on hand-made transcripts."""

from __future__ import annotations

from conformance.checks.interop import check_requester_got, check_subscriber_saw
from conformance.model import FileChanged, Outcome, Printed

from .transcripts import transcript

REPLY = 'Received response: {"content":"hi","timestamp":1,"pid":2}'


def test_requester_needs_every_reply_with_the_text_and_exit_0() -> None:
    lines = ["Sending request 1 for f", REPLY, "Sending request 2 for f", REPLY]
    assert check_requester_got(lines=lines, exit_code=0, text="hi", count=2).ok
    assert (
        "1 of 2"
        in check_requester_got(lines=lines[:2], exit_code=0, text="hi", count=2).explanation
    )
    assert "text" in check_requester_got(lines=lines, exit_code=0, text="ho", count=2).explanation
    verdict = check_requester_got(lines=lines, exit_code=None, text="hi", count=2)
    assert verdict.outcome is Outcome.FAIL
    assert verdict.seen == "still running"


def test_subscriber_needs_a_line_after_each_counted_change() -> None:
    t = transcript()
    t.record(FileChanged, path="f", how="probe", size=1)
    t.record(Printed, process="watcher-sub", line="File 'f' changed at x")
    t.record(FileChanged, path="f", how="write", size=1)
    t.record(Printed, process="watcher-sub", line="File 'f' changed at y")
    assert check_subscriber_saw(transcript=t, subscriber="watcher-sub", changes=1).ok
    t.record(FileChanged, path="f", how="write", size=1)
    assert not check_subscriber_saw(transcript=t, subscriber="watcher-sub", changes=2).ok
