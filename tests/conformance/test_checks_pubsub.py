"""The PUB/SUB checkers on hand-made transcripts."""

from __future__ import annotations

from conformance.checks.messages import changed_message
from conformance.checks.pubsub import check_printed, check_published, check_survived, read_change
from conformance.model import FileChanged, Outcome, Received

from .transcripts import transcript

WINDOW = (1000, 2000)


def test_read_change_accepts_the_spec_format_only() -> None:
    assert read_change((changed_message("f", 1500),), "f", WINDOW) is None
    assert "one frame" in str(read_change((b"a", b"b"), "f", WINDOW))
    assert '"file"' in str(read_change((changed_message("g", 1500),), "f", WINDOW))
    assert "not within" in str(read_change((changed_message("f", 5),), "f", WINDOW))


def test_published_needs_a_message_per_change_and_subscriber() -> None:
    t = transcript()
    t.record(FileChanged, path="f", how="probe", size=1)
    t.record(Received, peer="s0", frames=(changed_message("f", 1500),))
    for _ in range(2):
        t.record(FileChanged, path="f", how="write", size=1)
        t.record(Received, peer="s0", frames=(changed_message("f", 1500),))
    assert check_published(transcript=t, subscribers=["s0"], file="f", window=WINDOW, changes=2).ok
    t.record(FileChanged, path="f", how="rename", size=1)
    verdict = check_published(transcript=t, subscribers=["s0"], file="f", window=WINDOW, changes=3)
    assert verdict.outcome is Outcome.FAIL and "change 3" in verdict.explanation


def test_printed_lines_must_match_messages_in_order() -> None:
    lines = ["File 'a' changed at 2026-01-01T00:00:00.000Z", "File 'b' changed at x"]
    assert check_printed(lines=lines, files=["a", "b"]).ok
    assert "wrong file" in check_printed(lines=lines[::-1], files=["a", "b"]).explanation
    assert "printed no line" in check_printed(lines=lines[:1], files=["a", "b"]).explanation
    assert "more than" in check_printed(lines=lines, files=["a"]).explanation


def test_survived_needs_the_process_alive_and_the_good_lines() -> None:
    lines = ["File 'undefined' changed at Invalid Date", "File 'a' changed at x"]
    assert check_survived(lines=lines, files=["a"], exited=False).ok
    assert check_survived(lines=lines, files=["a"], exited=True).outcome is Outcome.FAIL
    assert check_survived(lines=lines[:1], files=["a"], exited=False).outcome is Outcome.FAIL
