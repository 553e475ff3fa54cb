"""The PUB/SUB checkers on hand-made transcripts."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from unittest.mock import patch

import pytest
import trio
import zmq

from conformance import waits
from conformance.checks.messages import changed_message
from conformance.checks.pubsub import check_deliveries, check_printed, check_survived, read_change
from conformance.errors import ConformanceFailure, HarnessError
from conformance.model import FileChanged, Outcome, Received
from conformance.properties import pubsub

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
    assert check_deliveries(transcript=t, subscribers=["s0"], file="f", window=WINDOW, changes=2).ok
    t.record(FileChanged, path="f", how="rename", size=1)
    verdict = check_deliveries(transcript=t, subscribers=["s0"], file="f", window=WINDOW, changes=3)
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


def test_a_subscriber_prints_nothing_but_change_lines() -> None:
    """SPEC.md 3.6: a client role prints only its transcript lines, and PUBSUB-3 to -5 say so."""
    good = "File 'a' changed at x"
    for extra in ("connected to tcp://127.0.0.1:5432", "", "File 'a' changed at "):
        verdict = check_printed(lines=[extra, good], files=["a"])
        assert verdict.outcome is Outcome.FAIL and "not a transcript line" in verdict.explanation
        assert verdict.expected and verdict.seen == repr(extra)
        survived = check_survived(lines=[good, extra], files=["a"], exited=False)
        assert survived.outcome is Outcome.FAIL and "stdout line 2" in survived.explanation


class FakePublisher:
    """An XPUB's receiving side: the subscription messages a subscriber sent, in order."""

    def __init__(self, *messages: bytes) -> None:
        self.messages = list(messages)

    async def recv(self) -> tuple[bytes, ...]:
        if self.messages:
            return (self.messages.pop(0),)
        await trio.sleep_forever()
        raise AssertionError("unreachable")


class FakeWorld:
    def __init__(self) -> None:
        self.transcript = transcript()

    def deadline(
        self, what: str, seconds: float, *, hint: Callable[[], str] | None = None
    ) -> AbstractContextManager[trio.CancelScope]:
        return waits.deadline(self.transcript, what, seconds, hint=hint)


def subscribe(*messages: bytes, seconds: float = 0.2) -> str | None:
    """What await_subscription raises (None: nothing) for these subscription messages."""

    async def main() -> str | None:
        try:
            await pubsub.await_subscription(FakeWorld(), FakePublisher(*messages))  # type: ignore[arg-type]
        except ConformanceFailure as failure:
            return str(failure)
        return None

    with patch.object(pubsub, "SUBSCRIPTION_TIMEOUT", seconds):
        return trio.run(main)


def test_a_prefix_before_or_after_everything_is_fine() -> None:
    """PUBSUB-3: the subscriber must subscribe to everything; prefixes besides add nothing."""
    assert subscribe(b"\x01") is None
    assert subscribe(b'\x01{"type"', b"\x01") is None
    assert subscribe(b"\x01", b'\x01{"type"') is None


def test_only_prefixes_fail_once_the_deadline_passes() -> None:
    failure = subscribe(b'\x01{"type"', b"\x01{")
    assert failure is not None and "did not subscribe to every message" in failure
    assert "'{\"type\"'" in failure and "'{'" in failure


class Busy:
    """A socket whose endpoint stays in use."""

    def bind(self, endpoint: str) -> None:
        raise zmq.ZMQError(zmq.EADDRINUSE)


class BusyPeer:
    socket = Busy()


class BusyWorld(FakeWorld):
    def peer(self, name: str, kind: int) -> BusyPeer:
        return BusyPeer()


def test_a_publisher_the_harness_cannot_bind_again_is_a_harness_error() -> None:
    """Not the subscriber's fault: an error verdict, never a fail (issue 8 part 4)."""

    async def main() -> None:
        await pubsub.bind_publisher(BusyWorld(), "publisher-2", "tcp://127.0.0.1:1")  # type: ignore[arg-type]

    with patch.object(pubsub, "REBIND_TIMEOUT", 0.1), pytest.raises(HarnessError, match="again"):
        trio.run(main)


def test_read_change_decodes_strict_utf8_and_compares_file_exactly() -> None:
    """SPEC.md 3.1: an encoded surrogate is not UTF-8, whatever json.loads of bytes makes of
    it; 3.2: FILE exactly as given, so NFC of it is another file (shown escaped)."""
    wtf8 = b'{"type":"changed","file":"\xed\xa0\x80","timestamp":1500}'
    assert "not UTF-8" in str(read_change((wtf8,), "\ud800", WINDOW))
    problem = str(read_change((changed_message("caf\u00e9", 1500),), "cafe\u0301", WINDOW))
    assert "'caf\\xe9'" in problem and "'cafe\\u0301'" in problem


def test_printed_lines_name_the_file_exactly() -> None:
    lines = ["File 'caf\u00e9' changed at x"]
    verdict = check_printed(lines=lines, files=["cafe\u0301"])
    assert verdict.outcome is Outcome.FAIL
    assert verdict.seen == "<file> = 'caf\\xe9'" and "'cafe\\u0301'" in verdict.expected


@pytest.mark.parametrize("spelling", pubsub.SPELLINGS)
def test_every_spelling_of_file_names_the_same_file(tmp_path: Path, spelling: str) -> None:
    path = tmp_path / "files" / "w.txt"
    path.parent.mkdir()
    path.write_text("x")
    file = pubsub.spelled(path, spelling)
    assert Path(file).resolve() == path.resolve()
    assert (file == str(path)) == (spelling == "absolute")
