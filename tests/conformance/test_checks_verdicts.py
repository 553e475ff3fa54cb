"""Every failure says what was expected and what was seen: a FAIL without both cannot be made."""

from __future__ import annotations

import pytest

from conformance.checks.messages import file_request
from conformance.checks.reqrep import check_versions
from conformance.model import Outcome, Verdict

from .transcripts import content_reply, exchange, transcript


def test_a_failure_needs_expected_and_seen() -> None:
    with pytest.raises(TypeError):
        Verdict.failed("wrong")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Verdict.failed("wrong", expected="x")  # type: ignore[call-arg]
    for expected, seen in (("", "y"), ("x", ""), ("x", "  ")):
        with pytest.raises(ValueError, match="expected and a seen"):
            Verdict.failed("wrong", expected=expected, seen=seen)
    with pytest.raises(ValueError, match="expected and a seen"):
        Verdict(outcome=Outcome.FAIL, explanation="built by hand")
    verdict = Verdict.failed("wrong", expected="x", seen="y")
    assert (verdict.outcome, verdict.expected, verdict.seen) == (Outcome.FAIL, "x", "y")


def test_other_outcomes_need_neither() -> None:
    assert Verdict.passed().ok
    assert Verdict(outcome=Outcome.ERROR, explanation="a harness bug").outcome is Outcome.ERROR


def test_an_example_that_stopped_early_says_what_it_missed() -> None:
    verdict = Verdict.stopped_before("the harness sent SIGTERM")
    assert verdict.outcome is Outcome.FAIL
    assert verdict.expected == "the harness sent SIGTERM"
    assert verdict.seen == "the example stopped first"


def test_a_wrong_pid_in_reqrep_2_says_which_pids_were_expected() -> None:
    """Issue 13 item 6: the failure that had neither."""
    t = transcript()
    exchange(t, "client", (file_request("f"),), content_reply("v1", pid=7))
    verdict = check_versions(transcript=t, peer="client", versions=("v1",), pids={100, 101})
    assert verdict.outcome is Outcome.FAIL and "pid 7" in verdict.explanation
    assert (verdict.expected, verdict.seen) == ("one of [100, 101]", "7")
