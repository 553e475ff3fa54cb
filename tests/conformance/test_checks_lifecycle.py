"""The lifecycle checkers on hand-made transcripts: each failure mode is caught and explained."""

from __future__ import annotations

import signal
from types import SimpleNamespace

import pytest

from conformance.checks.broker import reply_to
from conformance.checks.lifecycle import (
    check_ready,
    check_served,
    check_stop,
)
from conformance.checks.messages import file_request
from conformance.errors import HarnessError
from conformance.facts import EndpointProbed, ExitSeen, IpcFileLeft, ReadyPattern, StopSent
from conformance.model import Outcome, Received, Sent, Transcript
from conformance.properties.lifecycle import (
    SIGINT_IGNORED,
    CleanStop,
    Serving,
    exchanges_for,
    sigint_ignored,
)

from .transcripts import content_reply, exchange, printed, started, transcript


def ready(role: str = "filer-rep", *, line: str = "Listening for zmq requesters...") -> Transcript:
    t = transcript()
    t.record(ReadyPattern, process=role, pattern="Listening for zmq requesters")
    started(t, role, 100)
    printed(t, role, line)
    return t


# --- LIFE-1 ---------------------------------------------------------------------------------


def test_ready_passes_when_the_line_came_after_the_bind() -> None:
    t = ready()
    t.record(EndpointProbed, placeholder="endpoint", endpoint="tcp://127.0.0.1:5433")
    assert check_ready(transcript=t, process="filer-rep").outcome is Outcome.PASS


def test_ready_without_a_ready_regex_is_not_implemented() -> None:
    t = transcript()
    t.record(ReadyPattern, process="filer-rep", pattern=None)
    assert check_ready(transcript=t, process="filer-rep").outcome is Outcome.NOT_IMPLEMENTED
    verdict = check_ready(transcript=transcript(), process="filer-rep")
    assert verdict.explanation == "the example stopped before the server started"


def test_ready_catches_a_line_printed_before_the_bind() -> None:
    t = ready()
    t.record(
        EndpointProbed,
        placeholder="endpoint",
        endpoint="tcp://127.0.0.1:5433",
        refused="ConnectionRefusedError: Connection refused",
    )
    verdict = check_ready(transcript=t, process="filer-rep")
    assert verdict.outcome is Outcome.FAIL
    assert verdict.explanation.startswith("the server printed its ready line before it was bound")
    assert "tcp://127.0.0.1:5433" in verdict.explanation
    verdict = check_ready(transcript=ready(line="Starting..."), process="filer-rep")
    assert verdict.explanation == "the server never printed its ready line"


def test_served_filer_needs_the_files_content() -> None:
    t = ready()
    exchange(t, "client", (file_request("served.txt"),), content_reply("hello", pid=100))
    assert check_served(transcript=t, role="filer-rep", file="served.txt", text="hello").ok
    t = ready()
    exchange(t, "client", (file_request("served.txt"),), None)
    verdict = check_served(transcript=t, role="filer-rep", file="served.txt", text="hello")
    assert verdict.explanation == (
        "the first request after the ready line was not served: "
        "request 1 for 'served.txt' got no reply"
    )


def test_served_broker_needs_the_workers_reply() -> None:
    t = ready("broker")
    exchange(t, "client", (b"ping",), (b"pong",))
    verdict = check_served(transcript=t, role="broker", payload=b"ping")
    assert (
        verdict.explanation
        == "the first request through the broker got a reply that is not the worker's"
    )
    t = ready("broker")
    t.record(Sent, peer="client", frames=(b"ping",))
    verdict = check_served(transcript=t, role="broker", payload=b"ping")
    assert verdict.explanation.endswith("got no reply (it never reached the worker)")
    t = ready("broker")
    t.record(Sent, peer="client", frames=(b"ping",))
    t.record(Received, peer="worker", frames=(b"ping",))
    t.record(Sent, peer="worker", frames=(reply_to(b"ping"),))
    t.record(Received, peer="client", frames=(reply_to(b"ping"),))
    assert check_served(transcript=t, role="broker", payload=b"ping").outcome is Outcome.PASS


def test_served_watcher_needs_a_message() -> None:
    t = ready("watcher-pub")
    verdict = check_served(transcript=t, role="watcher-pub")
    assert verdict.explanation.startswith("no change message reached a subscriber")
    t.record(Received, peer="subscriber", frames=(b"{}",))
    assert check_served(transcript=t, role="watcher-pub").outcome is Outcome.PASS


# --- LIFE-2 ---------------------------------------------------------------------------------


def stop(code: int | None, *left: str, signal: str = "SIGTERM") -> Transcript:
    t = ready()
    t.record(StopSent, process="filer-rep", signal=signal)
    if code is not None:
        t.record(ExitSeen, process="filer-rep", code=code)
    for path in left:
        t.record(IpcFileLeft, path=path)
    return t


def test_stop_passes_on_a_clean_exit() -> None:
    assert check_stop(transcript=stop(0), process="filer-rep", seconds=5).outcome is Outcome.PASS


def test_stop_catches_a_hang_a_bad_status_and_an_unhandled_sigterm() -> None:
    verdict = check_stop(transcript=stop(None), process="filer-rep", seconds=5)
    assert verdict.explanation == "the server did not exit within 5 s of SIGTERM"
    verdict = check_stop(transcript=stop(1), process="filer-rep", seconds=5)
    assert (
        verdict.explanation == "the server did not exit cleanly on SIGTERM: it exited with status 1"
    )
    verdict = check_stop(transcript=stop(-15), process="filer-rep", seconds=5)
    assert verdict.explanation == (
        "the server did not exit cleanly on SIGTERM: it was killed by SIGTERM (status -15): "
        "it does not handle SIGTERM, so it cannot clean up"
    )
    verdict = check_stop(transcript=ready(), process="filer-rep", seconds=5)
    assert verdict.explanation == "the example stopped before the harness sent its signal"


def test_stop_names_the_signal_it_sent() -> None:
    """LIFE-2 sends SIGINT as well as SIGTERM (SPEC.md 5): a server killed by it fails, so does
    one that hangs, and the texts name SIGINT."""
    verdict = check_stop(transcript=stop(-2, signal="SIGINT"), process="filer-rep", seconds=5)
    assert verdict.explanation == (
        "the server did not exit cleanly on SIGINT: it was killed by SIGINT (status -2): "
        "it does not handle SIGINT, so it cannot clean up"
    )
    verdict = check_stop(transcript=stop(None, signal="SIGINT"), process="filer-rep", seconds=5)
    assert verdict.explanation == "the server did not exit within 5 s of SIGINT"
    verdict = check_stop(transcript=stop(-15, signal="SIGINT"), process="filer-rep", seconds=5)
    assert verdict.explanation == (
        "the server did not exit cleanly on SIGINT: it was killed by SIGTERM (status -15)"
    )
    assert check_stop(transcript=stop(0, signal="SIGINT"), process="filer-rep", seconds=5).ok


def test_life_2_sends_sigterm_when_the_harness_ignores_sigint() -> None:
    """A harness started with SIGINT ignored passes that on to its children: LIFE-2 then says
    that SIGINT was not exercised, rather than judge a server that kept it ignored."""
    prop = CleanStop()
    assert prop.not_exercised("filer-rep") == []
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert sigint_ignored()
        assert prop.not_exercised("filer-rep") == [SIGINT_IGNORED]
    finally:
        signal.signal(signal.SIGINT, previous)
    assert {case.signal for case in prop.examples("filer-rep")} == {"SIGINT"}


def test_stop_catches_ipc_files_left_behind() -> None:
    verdict = check_stop(
        transcript=stop(0, "/tmp/x/a.ipc", "/tmp/x/b.ipc"), process="filer-rep", seconds=5
    )
    assert verdict.explanation == "the ipc files the server bound are still there after its exit"
    assert verdict.seen == "/tmp/x/a.ipc, /tmp/x/b.ipc"


# --- harness bugs are errors, not failures ---------------------------------------------------


def test_a_role_life_1_cannot_serve_is_a_harness_error() -> None:
    """A checker that raises makes the case an ERROR (runner.run_case), never a FAIL."""
    with pytest.raises(HarnessError, match="does not know how to check 'watcher-sub' serving"):
        check_served(transcript=ready(), role="watcher-sub")


def test_a_role_without_an_exchange_is_a_harness_error() -> None:
    launch = SimpleNamespace(endpoints={})
    case = Serving(text="", payload=b"")
    with pytest.raises(HarnessError, match="no exchange is known for role 'filer-req'"):
        exchanges_for(SimpleNamespace(), "filer-req", launch, case)  # type: ignore[arg-type]
