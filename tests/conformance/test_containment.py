"""Containment's pure parts (reading /proc and mount tables, choosing the mechanism) and
what a breach does to a verdict. The processes themselves: test_supervisor.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import zmq

from conformance import containment, procfs
from conformance.cgroups import CgroupPlaces, parse_places
from conformance.containment import Member
from conformance.model import Outcome, Verdict
from conformance.procfs import ProcessInfo, descendants, parse_stat
from conformance.runner import CONTAINED, _breached, _conformance_message, _taken_endpoint
from conformance.supervisor import TooManyProcesses

HYBRID_MOUNTS = """\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
"""
HYBRID_CGROUPS = """\
8:pids:/
4:memory:/process_api/b2b8
0::/
"""
SYSTEMD_MOUNTS = "27 22 0:24 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
SYSTEMD_CGROUPS = "0::/user.slice/user-1000.slice/session-3.scope\n"


def test_the_cgroup_folders_of_a_hybrid_layout() -> None:
    assert parse_places(HYBRID_MOUNTS, HYBRID_CGROUPS) == CgroupPlaces(
        Path("/sys/fs/cgroup/unified"), Path("/sys/fs/cgroup/pids"), "/"
    )


def test_the_cgroup_folder_of_a_pure_v2_layout() -> None:
    places = parse_places(SYSTEMD_MOUNTS, SYSTEMD_CGROUPS)
    assert places == CgroupPlaces(
        Path("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope"),
        None,
        "/user.slice/user-1000.slice/session-3.scope",
    )


def test_no_cgroup_folder_without_a_v2_mount_or_outside_the_mounted_part() -> None:
    assert parse_places(HYBRID_MOUNTS.replace("cgroup2 cgroup2", "tmpfs tmpfs"), "0::/\n") is None
    bound = "41 31 0:38 /machine /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
    assert parse_places(bound, "0::/elsewhere\n") is None
    assert parse_places(bound, "0::/machine/a\n") == CgroupPlaces(
        Path("/sys/fs/cgroup/a"), None, "/machine/a"
    )


def test_a_stat_line_whose_name_holds_spaces_and_parentheses() -> None:
    line = "4242 (evil) (name 2) S 1 4240 4240 0 -1 4194560 " + "0 " * 12 + "987654 0 0"
    assert parse_stat(line) == ProcessInfo(
        pid=4242, ppid=1, pgid=4240, sid=4240, state="S", starttime=987654
    )


def test_the_stat_of_this_process() -> None:
    info = procfs.process_info(os.getpid())
    assert info is not None
    assert info.ppid == os.getppid()
    assert info.pgid == os.getpgrp()
    assert not info.zombie


def test_descendants_follow_parents_and_skip_what_is_gone() -> None:
    def info(pid: int, ppid: int) -> ProcessInfo:
        return ProcessInfo(pid=pid, ppid=ppid, pgid=pid, sid=pid, state="S", starttime=0)

    table = {p.pid: p for p in [info(10, 1), info(11, 10), info(12, 11), info(13, 1), info(14, 13)]}
    assert descendants([10], table) == {10, 11, 12}
    assert descendants([10, 13, 99], table) == {10, 11, 12, 13, 14}


def test_a_member_says_how_it_left_its_group() -> None:
    assert Member(7, 7, 7, "sleep 60", "filer-rep").describe(5) == (
        "pid 7 (sleep 60) in a session of its own (setsid)"
    )
    assert (
        Member(7, 7, 5, "x", "r").describe(5) == "pid 7 (x) in a process group of its own (setpgid)"
    )
    assert Member(7, 5, 5, "", "r").describe(5) == "pid 7 (?)"


@pytest.mark.parametrize(
    ("forced", "name", "warning"),
    [
        (containment.SUBREAPER, containment.SUBREAPER, "WARNING: containment without cgroups"),
        (
            containment.PROCESS_GROUPS_ONLY,
            containment.PROCESS_GROUPS_ONLY,
            "WARNING: containment by process groups only",
        ),
    ],
)
def test_a_weaker_mechanism_can_be_forced_and_is_warned_about(
    forced: str, name: str, warning: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    choice = containment._choose(forced)
    assert choice == containment.Choice(name, f"CONFORMANCE_CONTAINMENT={forced}")
    monkeypatch.setattr(containment, "_choice", choice)
    assert containment.notice().startswith(warning)
    assert f"CONFORMANCE_CONTAINMENT={forced}" in containment.notice()


def test_the_notice_names_the_mechanism_in_use() -> None:
    choice = containment.mechanism()
    notice = containment.notice()
    if choice.name == containment.CGROUP:
        assert notice.startswith("containment: a cgroup per started process")
    else:
        assert notice.startswith("WARNING: containment")
        assert choice.why_not_better in notice


# -- what a breach does to the verdict (conformance.runner) -------------------------------------


def test_a_breach_fails_a_passing_case() -> None:
    verdict = _breached(["filer-rep left 1 process running"], Verdict.passed())
    assert verdict == Verdict.failed(
        "filer-rep left 1 process running",
        expected=CONTAINED,
        seen="filer-rep left 1 process running",
    )


def test_a_breach_comes_before_the_checker_s_own_failure() -> None:
    failed = Verdict.failed("wrong content\n(the example stopped early: x)", expected="a", seen="b")
    verdict = _breached(["too many"], failed)
    assert verdict.outcome is Outcome.FAIL
    assert verdict.explanation == "too many\nBesides: wrong content\n(the example stopped early: x)"
    assert (verdict.expected, verdict.seen) == ("a", "b")


def test_a_checker_error_stays_an_error() -> None:
    error = Verdict(outcome=Outcome.ERROR, explanation="checker bug")
    assert _breached(["too many"], error) == Verdict(
        outcome=Outcome.ERROR, explanation="checker bug\ntoo many"
    )


def test_a_taken_endpoint_is_the_implementation_s_failure_not_the_harness_s() -> None:
    taken = zmq.ZMQError(zmq.EADDRINUSE, "Address already in use (addr='tcp://127.0.0.1:1')")
    group = BaseExceptionGroup("case", [taken])
    message = _taken_endpoint(group)
    assert message is not None
    assert message.startswith("the harness could not bind its own endpoint: Address already in")
    assert _conformance_message(group) == ""  # the transcript's note says it
    assert _taken_endpoint(zmq.ZMQError(zmq.EINVAL)) is None
    assert _conformance_message(zmq.ZMQError(zmq.EINVAL)) is None  # a harness error


def test_a_fork_storm_stops_the_example_without_a_second_message() -> None:
    assert _conformance_message(BaseExceptionGroup("x", [TooManyProcesses("storm")])) == ""
