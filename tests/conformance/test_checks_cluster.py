"""The cluster checkers on hand-made transcripts: each failure mode is caught and explained."""

from __future__ import annotations

import functools
import json

import pytest

from conformance import containment
from conformance.checks.cluster import (
    MAX_STARTS_BLOCKED,
    check_load,
    check_online,
    check_restarts,
    check_stall,
    check_stopped,
    live_workers,
    shares,
    stalled_share,
)
from conformance.checks.messages import file_request
from conformance.facts import (
    AdoptedAtExit,
    BlockingBegan,
    BlockingEnded,
    CountingBegan,
    ExitSeen,
    GroupMemberLeft,
    KillRefused,
    PlayEnded,
    ReadyPattern,
    ReapLooked,
    SeenAlive,
    SeenGroup,
    SeenMember,
    StallRefused,
    StartBlocked,
    StopSent,
    WarmedUp,
    WorkerContinued,
    WorkerKilled,
    WorkerStalled,
)
from conformance.model import Outcome, Transcript
from conformance.properties.cluster import Orphans, Stopped

from .transcripts import content_reply, exchange, printed, started, transcript

MASTER = "filer-rep-cluster"


def online(t: Transcript, *pids: int) -> None:
    printed(t, MASTER, *(f"Worker {pid} is online." for pid in pids))


def looked_at(t: Transcript, *pids: int, alive: bool = True, member: bool = True) -> None:
    for pid in pids:
        t.record(SeenAlive, pid=pid, alive=alive)
        t.record(SeenMember, pid=pid, member=member)


def cluster(*pids: int) -> Transcript:
    t = transcript()
    started(t, MASTER, 100)
    online(t, *pids)
    printed(t, MASTER, "Listening for zmq requesters...")
    return t


# --- CLUSTER-1 ------------------------------------------------------------------------------


def test_online_passes_for_distinct_live_workers_of_the_master() -> None:
    t = cluster(201, 202, 203)
    looked_at(t, 201, 202, 203)
    t.record(PlayEnded)
    printed(t, MASTER, "Worker 999 is online.")  # after the harness looked: not counted
    assert check_online(transcript=t, process=MASTER, workers=3).outcome is Outcome.PASS


def test_online_catches_a_ready_line_before_the_workers() -> None:
    t = transcript()
    t.record(ReadyPattern, process=MASTER, pattern="Listening for zmq requesters")
    started(t, MASTER, 100)
    online(t, 201)
    printed(t, MASTER, "Listening for zmq requesters...")
    online(t, 202)
    looked_at(t, 201, 202)
    verdict = check_online(transcript=t, process=MASTER, workers=2)
    assert verdict.explanation == "the ready line came before all 2 workers were online"
    assert verdict.seen == "it is line 2, the 2th online line is line 3"


def test_online_catches_too_few_lines_a_repeated_pid_and_the_masters_own() -> None:
    t = cluster(201)
    verdict = check_online(transcript=t, process=MASTER, workers=2)
    assert verdict.explanation == "the master printed 1 of 2 online lines"
    t = cluster(201, 201)
    looked_at(t, 201)
    assert (
        "worker 201 was reported online twice"
        in check_online(transcript=t, process=MASTER, workers=2).explanation
    )
    t = cluster(201, 100)
    looked_at(t, 201, 100)
    verdict = check_online(transcript=t, process=MASTER, workers=2)
    assert verdict.explanation == "the master reported its own pid 100 as a worker"


def test_online_catches_dead_and_foreign_workers_and_extra_ones() -> None:
    t = cluster(201, 202)
    looked_at(t, 201)
    looked_at(t, 202, alive=False)
    verdict = check_online(transcript=t, process=MASTER, workers=2)
    assert verdict.explanation == "worker 202 was reported online but is not a running process"
    t = cluster(201, 202)
    looked_at(t, 201)
    looked_at(t, 202, member=False)
    assert (
        "worker 202 is not a process of the cluster"
        in check_online(transcript=t, process=MASTER, workers=2).explanation
    )
    t = cluster(201, 202, 203)
    looked_at(t, 201, 202, 203)
    verdict = check_online(transcript=t, process=MASTER, workers=2)
    assert verdict.explanation == "the master reported more workers online than WORKERS=2"


def test_online_needs_every_worker_in_the_masters_process_group() -> None:
    """SPEC.md 5: a worker that leaves the group (setsid) fails CLUSTER-1 when it is announced,
    even if the master ends it in time; a group the driver could not read is not judged."""
    t = cluster(201, 202)
    t.record(SeenGroup, pid=100, pgid=100)
    looked_at(t, 201)
    t.record(SeenGroup, pid=201, pgid=100)
    looked_at(t, 202)
    t.record(SeenGroup, pid=202, pgid=202)
    verdict = check_online(transcript=t, process=MASTER, workers=2)
    assert verdict.explanation.startswith(
        "worker 202 runs in process group 202, not in the master's (100): every process MUST "
        "stay in the group"
    )
    assert (verdict.expected, verdict.seen) == (
        "process group 100",
        "process group 202 (setsid or setpgid)",
    )
    t = cluster(201, 202)
    t.record(SeenGroup, pid=100, pgid=100)
    looked_at(t, 201, 202)
    t.record(
        SeenGroup, pid=201, pgid=100
    )  # 202's group unread: it had gone (the alive note judges)
    assert check_online(transcript=t, process=MASTER, workers=2).outcome is Outcome.PASS


# --- CLUSTER-2 ------------------------------------------------------------------------------


def loaded(
    answers: dict[str, list[int]], pids: tuple[int, ...] = (201, 202), warmed: str = "201 202"
) -> Transcript:
    t = cluster(*pids)
    for client in answers:  # the warm-up: not counted
        exchange(t, client, (file_request("f"),), content_reply("text", pid=pids[0]))
    t.record(WarmedUp, pids=tuple(int(pid) for pid in warmed.split()))
    t.record(CountingBegan)
    for client, by in answers.items():
        for pid in by:
            exchange(t, client, (file_request("f"),), content_reply("text", pid=pid))
    t.record(PlayEnded)
    printed(t, MASTER, *(f"Worker {pid} exited with code 0" for pid in pids))  # teardown
    return t


def load(t: Transcript, requests: list[int], workers: int = 2) -> str:
    verdict = check_load(
        transcript=t,
        process=MASTER,
        clients=[f"client-{n}" for n in range(len(requests))],
        requests=requests,
        text="text",
        workers=workers,
    )
    return "pass" if verdict.outcome is Outcome.PASS else verdict.explanation


def test_load_passes_when_every_worker_answers_its_share() -> None:
    t = loaded({"client-0": [201, 202, 201], "client-1": [202, 201, 202]})
    assert load(t, [3, 3]) == "pass"


def test_load_catches_a_worker_idle_in_the_warm_up() -> None:
    t = loaded({"client-0": [201, 202]}, warmed="201")
    assert load(t, [2]).startswith("worker 202 answered none of the warm-up requests")


def test_warm_up_reports_a_malformed_reply_not_an_idle_worker() -> None:
    """The book's workers reply 'data', not 'content': the warm-up cannot count them, and
    says so rather than blaming a worker that did answer."""
    t = cluster(201, 202)
    book = (json.dumps({"pid": 201, "data": "text", "timestamp": 1}).encode(),)
    exchange(t, "client-0", (file_request("f"),), book)
    t.record(WarmedUp, pids=())
    assert load(t, [2]) == "client-0's warm-up reply is malformed"
    assert stalled(stall({}, {}, warmed="")).startswith("worker 201 answered none of the warm-up")


def test_load_catches_an_idle_worker_and_a_hog() -> None:
    t = loaded({"client-0": [201] * 4})
    assert load(t, [4]) == (
        "worker 202 answered none of 4 counted requests: the load does not spread over the "
        "2 workers"
    )
    t = loaded({"client-0": [201] * 8 + [202, 203]}, pids=(201, 202, 203), warmed="201 202 203")
    assert load(t, [10], workers=3) == (
        "worker 201 answered 8 of 10 requests, more than twice its fair share (6.67 with 3 workers)"
    )


def test_load_catches_wrong_content_unknown_pids_and_missing_replies() -> None:
    t = cluster(201, 202)
    t.record(WarmedUp, pids=(201, 202))
    t.record(CountingBegan)
    exchange(t, "client-0", (file_request("f"),), content_reply("stale", pid=201))
    assert load(t, [1]) == "client-0's counted reply 1 does not carry the file's text"
    t = cluster(201, 202)
    t.record(WarmedUp, pids=(201, 202))
    t.record(CountingBegan)
    exchange(t, "client-0", (file_request("f"),), content_reply("text", pid=7))
    assert "names pid 7, which the master did not report online" in load(t, [1])
    t = cluster(201, 202)
    t.record(WarmedUp, pids=(201, 202))
    t.record(CountingBegan)
    exchange(t, "client-0", (file_request("f"),), None)
    assert load(t, [2]) == "client-0 got 0 of its 2 counted replies"
    assert load(cluster(201, 202), [2]) == "the example stopped before the warm-up ended"
    t = cluster(201, 202)
    t.record(WarmedUp, pids=(201, 202))
    assert load(t, [2]) == "the example stopped before the counted requests"


def test_shares_split_evenly() -> None:
    assert shares(80, 3) == (27, 27, 26)
    assert sum(shares(41, 10)) == 41


# --- CLUSTER-3 ------------------------------------------------------------------------------

REQUESTS = [(file_request(f"request-{n}.txt"), f"text #{n}") for n in range(1, 5)]


def answer(
    t: Transcript, peer: str, number: int, pid: int = 201, content: str | None = None
) -> None:
    request, text = REQUESTS[number - 1]
    exchange(t, peer, (request,), content_reply(text if content is None else content, pid=pid))


def kill_and_restart(
    t: Transcript,
    victim: int,
    replacement: int | None,
    *,
    blocked: tuple[int, ...] = (300,),
    master_alive: bool = True,
) -> None:
    """The kill of VICTIM with its window of blocked starts: the master starts BLOCKED, each
    killed at once (it reports their exit as the reference does), then REPLACEMENT."""
    t.record(BlockingBegan, seconds=3.0)
    t.record(WorkerKilled, pid=victim)
    printed(t, MASTER, f"Worker {victim} exited with code -9")
    for pid in blocked:
        t.record(StartBlocked, pid=pid)
        printed(t, MASTER, f"Worker {pid} exited with code -9")
    t.record(BlockingEnded, master_alive=master_alive)
    if replacement is not None:
        online(t, replacement)


def restarts(t: Transcript, kills: int = 1) -> str:
    verdict = check_restarts(
        transcript=t, process=MASTER, workers=2, requests=REQUESTS, kills=kills, tries=5
    )
    return "pass" if verdict.outcome is Outcome.PASS else verdict.explanation


def test_restarts_pass_with_a_retry_after_a_kill() -> None:
    t = cluster(201, 202)
    answer(t, "client-1", 1, pid=201)
    answer(t, "client-1", 2, pid=202)
    kill_and_restart(t, 202, 203)
    exchange(t, "client-1", (REQUESTS[2][0],), None)  # lost with the worker: a new socket
    answer(t, "client-2", 3, pid=203)
    answer(t, "client-2", 4, pid=201)
    t.record(PlayEnded)
    printed(t, MASTER, "Worker 201 exited with code 0", "Worker 203 exited with code 0")
    assert restarts(t) == "pass"


def test_restarts_catch_a_lost_request_and_a_wrong_reply() -> None:
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    kill_and_restart(t, 201, 203)
    for peer in ("client-1", "client-2", "client-3"):
        exchange(t, peer, (REQUESTS[1][0],), None)
    assert restarts(t) == (
        "request 2 got no reply in 3 tries (after the kill of worker 201), each on a fresh REQ "
        "socket (Lazy Pirate)"
    )
    t = cluster(201, 202)
    answer(t, "client-1", 1, content="text #2")
    assert restarts(t) == "request 1 got the wrong reply (it is the reply to request 2)"


def test_restarts_catch_a_master_that_neither_reports_nor_restarts() -> None:
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    t.record(BlockingBegan, seconds=3.0)
    t.record(WorkerKilled, pid=201)
    t.record(BlockingEnded, master_alive=True)
    for number in (2, 3, 4):
        answer(t, "client-1", number, pid=202)
    t.record(PlayEnded)
    assert restarts(t).startswith(
        "the master never reported the exit of worker 201, killed after reply 1"
    )
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    kill_and_restart(t, 201, None)
    for number in (2, 3, 4):
        answer(t, "client-1", number, pid=202)
    t.record(PlayEnded)
    online(t, 203)  # too late: after the harness went on
    assert restarts(t).startswith("no new worker came online after worker 201 was killed")


def test_restarts_need_exit_code_minus_9_announced_pids_and_live_workers() -> None:
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    t.record(BlockingBegan, seconds=3.0)
    t.record(WorkerKilled, pid=201)
    t.record(BlockingEnded, master_alive=True)
    printed(t, MASTER, "Worker 201 exited with code 0")
    online(t, 203)
    for number in (2, 3, 4):
        answer(t, "client-1", number, pid=202)
    t.record(PlayEnded)
    assert (
        restarts(t) == "the master reported the wrong exit code for worker 201, killed with SIGKILL"
    )
    t = cluster(201, 202)
    answer(t, "client-1", 1, pid=999)
    assert restarts(t).startswith("the reply to request 1 names pid 999, which the master did not")
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    kill_and_restart(t, 201, 203)
    for number in (2, 3, 4):
        answer(t, "client-1", number, pid=202)
    t.record(SeenAlive, pid=202, alive=True)
    t.record(SeenAlive, pid=203, alive=False)
    t.record(PlayEnded)
    assert restarts(t).startswith("worker 203 is announced online and never reported exited")


def test_restarts_count_the_workers_at_the_end_and_the_kills_made() -> None:
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    kill_and_restart(t, 201, 203)
    online(t, 204)  # one worker too many
    for number in (2, 3, 4):
        answer(t, "client-1", number, pid=202)
    t.record(PlayEnded)
    assert restarts(t).startswith("after the kills 3 workers are online, not WORKERS=2")
    t = cluster(201, 202)
    for number in (1, 2, 3, 4):
        answer(t, "client-1", number)
    t.record(KillRefused, reason="no worker is online")
    assert restarts(t) == "the harness made 0 of the 1 kills of the schedule: no worker is online"
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    assert restarts(t) == "the example stopped before the harness sent request 2 of 4"


def blocked_case(blocked: tuple[int, ...], *, master_alive: bool = True) -> Transcript:
    """A passing CLUSTER-3 case but for what the master did while its starts were blocked."""
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    kill_and_restart(
        t, 201, 203 if master_alive else None, blocked=blocked, master_alive=master_alive
    )
    for number in (2, 3, 4):
        answer(t, "client-1", number, pid=202)
    t.record(PlayEnded)
    return t


def test_restarts_accept_a_backoff_while_starts_are_blocked() -> None:
    """Up to MAX_STARTS_BLOCKED starts pass; their exit lines (-9, never online) are accepted,
    and so is a master that reports none of them."""
    assert restarts(blocked_case(())) == "pass"
    assert restarts(blocked_case(tuple(range(300, 300 + MAX_STARTS_BLOCKED)))) == "pass"
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    t.record(BlockingBegan, seconds=3.0)
    t.record(WorkerKilled, pid=201)
    printed(t, MASTER, "Worker 201 exited with code -9")
    t.record(StartBlocked, pid=300)  # its exit not reported: no online line, nothing to replace
    t.record(BlockingEnded, master_alive=True)
    online(t, 203)
    for number in (2, 3, 4):
        answer(t, "client-1", number, pid=202)
    t.record(PlayEnded)
    assert restarts(t) == "pass"


def test_restarts_catch_a_master_that_spins_while_starts_are_blocked() -> None:
    spinning = tuple(range(300, 301 + MAX_STARTS_BLOCKED))
    assert restarts(blocked_case(spinning)) == (
        f"the master started {len(spinning)} processes in the 3 s after the kill of worker 201, "
        "each killed at once (a worker that cannot start): it restarts workers without a "
        "backoff and spins (LIFECYCLE-5.i)"
    )
    verdict = check_restarts(
        transcript=blocked_case(spinning),
        process=MASTER,
        workers=2,
        requests=REQUESTS,
        kills=1,
        tries=5,
    )
    assert verdict.expected == f"at most {MAX_STARTS_BLOCKED} starts in 3 s (a backoff)"
    assert verdict.seen == f"{len(spinning)} starts ({len(spinning) / 3:.0f} a second)"


def test_restarts_catch_a_master_gone_while_starts_are_blocked() -> None:
    assert restarts(blocked_case((300,), master_alive=False)).startswith(
        "the master was gone at the end of the 3 s after the kill of worker 201"
    )


def test_restarts_need_the_window_of_blocked_starts_to_end() -> None:
    t = cluster(201, 202)
    answer(t, "client-1", 1)
    t.record(BlockingBegan, seconds=3.0)
    t.record(WorkerKilled, pid=201)
    assert restarts(t) == "the example stopped before the window of blocked starts ended"


# --- CLUSTER-4 and CLUSTER-5 ----------------------------------------------------------------


def stopped(
    *,
    exit: str | None = "0",
    alive: dict[int, bool] | None = None,
    others: tuple[str, ...] = (),
    adopted: dict[int, bool] | None = None,
) -> Transcript:
    """Workers 201 and 202, then the stop; ADOPTED (pid -> zombie): the harness looked at its
    children at the master's exit and found these."""
    t = cluster(201, 202)
    t.record(StopSent, process=MASTER, signal="SIGTERM")
    if adopted is not None:
        t.record(ReapLooked)
        for pid, zombie in adopted.items():
            t.record(AdoptedAtExit, pid=pid, zombie=zombie)
    if exit is not None:
        printed(t, MASTER, "Worker 201 exited with code 0")
        t.record(ExitSeen, process=MASTER, code=int(exit))
    for pid, running in (alive or {201: False, 202: False}).items():
        t.record(SeenAlive, pid=pid, alive=running)
    for other in others:
        pid, _, command = other.partition(" ")
        t.record(GroupMemberLeft, pid=int(pid), command=command)
    t.record(PlayEnded)
    return t


def stop(t: Transcript, *, how: str = "SIGTERM of the master") -> str:
    verdict = check_stopped(transcript=t, process=MASTER, how=how, exit_within=5, gone_within=2)
    return "pass" if verdict.outcome is Outcome.PASS else verdict.explanation


def test_stopped_passes_when_no_process_is_left() -> None:
    assert stop(stopped()) == "pass"
    assert stop(stopped(exit="-9"), how="SIGKILL of the master") == "pass"


def test_stopped_catches_survivors_announced_or_not() -> None:
    t = stopped(alive={201: False, 202: True})
    assert stop(t, how="SIGKILL of the master") == (
        "1 of 2 announced workers still run 2 s after the master exited (SIGKILL of the master)"
    )
    t = stopped(others=("303 python -m worker",))
    assert stop(t) == (
        "1 other processes of its group still run 2 s after the master exited "
        "(SIGTERM of the master)"
    )
    verdict = check_stopped(transcript=t, process=MASTER, how="x", exit_within=5, gone_within=2)
    assert verdict.seen == "running: 303 python -m worker"


def test_stopped_leaves_the_masters_exit_to_life_2() -> None:
    """One bug, one failure: the master's exit status and deadline are LIFE-2's; CLUSTER-4
    judges only what is left of the cluster, also when the master does not exit."""
    assert stop(stopped(exit="-15")) == "pass"
    assert stop(stopped(exit="1")) == "pass"
    assert stop(stopped(exit=None)) == "pass"
    assert stop(stopped(exit=None, alive={201: True, 202: True})) == (
        "2 of 2 announced workers still run 7 s after SIGTERM of the master, the master still "
        "running (SIGTERM of the master)"
    )
    assert "before the harness signalled the master" in stop(cluster(201))


def test_stopped_catches_workers_the_master_did_not_reap() -> None:
    """LIFECYCLE-5.e: a worker announced online that the harness, a child subreaper, had as
    its child when the master's exit was seen was left unreaped by the master, running or a
    zombie, even though it is gone 2 s later."""
    assert stop(stopped(adopted={})) == "pass"
    assert stop(stopped(adopted={999: True, 998: False})) == "pass"  # not announced workers
    t = stopped(adopted={202: True})
    assert stop(t) == (
        "1 of 2 announced workers were not reaped by the master (SIGTERM of the master): "
        "worker 202 was a zombie nobody reaped when the master exited, and so became the "
        "harness's child"
    )
    verdict = check_stopped(transcript=t, process=MASTER, how="x", exit_within=5, gone_within=2)
    assert verdict.expected == "every worker reaped by the master before it exits (LIFECYCLE-5.e)"
    t = stopped(adopted={201: False, 202: True})
    verdict = check_stopped(transcript=t, process=MASTER, how="x", exit_within=5, gone_within=2)
    assert verdict.seen == (
        "worker 201 still running (now the harness's child); worker 202 a zombie nobody "
        "reaped (now the harness's child) when the master exited"
    )
    # survivors 2 s later are CLUSTER-4.a's failure first: the worse bug
    t = stopped(alive={201: True, 202: False}, adopted={201: False})
    assert stop(t).startswith("1 of 2 announced workers still run 2 s after the master exited")


def test_stopped_without_a_look_judges_only_the_survivors() -> None:
    """No ReapLooked (not a subreaper, or the master did not exit in time): the adopted
    children are not judged; only CLUSTER-4.a is."""
    t = stopped()
    t.record(AdoptedAtExit, pid=201, zombie=True)  # never recorded without a look; ignored
    assert stop(t) == "pass"


def test_only_sigterm_looks_for_unreaped_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLUSTER-4 says when it cannot see unreaped workers (containment by process groups
    only: not a subreaper); CLUSTER-5's SIGKILLed master has no chance to reap."""
    assert Stopped.looks_for_unreaped and not Orphans.looks_for_unreaped
    for name in (containment.CGROUP, containment.SUBREAPER):
        monkeypatch.setattr(containment, "mechanism", functools.partial(containment.Choice, name))
        assert Stopped().not_exercised(MASTER) == []
    weak = containment.Choice(containment.PROCESS_GROUPS_ONLY, "darwin is not Linux")
    monkeypatch.setattr(containment, "mechanism", lambda: weak)
    (note,) = Stopped().not_exercised(MASTER)
    assert note.startswith("LIFECYCLE-5.e") and "(darwin is not Linux)" in note
    assert Orphans().not_exercised(MASTER) == []


def test_live_workers_are_online_and_not_exited() -> None:
    lines = ["Worker 1 is online.", "Worker 2 is online.", "Worker 1 exited with code -9",
             "Worker 3 is online.", "Worker 4 exited with code null"]  # fmt: skip
    assert live_workers(lines) == [2, 3]


# --- CLUSTER-6 ------------------------------------------------------------------------------

BURST = [f"client-{n}" for n in range(6)]


def stall(
    early: dict[str, int],
    late: dict[str, int],
    *,
    warmed: str = "201 202",
    continued: bool = True,
) -> Transcript:
    """Workers 201 and 202 warmed up, 202 stopped; EARLY replies (client -> pid) before the
    SIGCONT, LATE ones after it."""
    t = cluster(201, 202)
    for client in BURST:
        exchange(t, client, (file_request("f"),), content_reply("text", pid=201))
    t.record(WarmedUp, pids=tuple(int(pid) for pid in warmed.split()))
    t.record(WorkerStalled, pid=202)
    for client in BURST:
        exchange(t, client, (file_request("f"),), None)
    for client, pid in early.items():
        exchange(t, client, (), content_reply("text", pid=pid))
    if continued:
        t.record(WorkerContinued, replies=len(early))
    for client, pid in late.items():
        exchange(t, client, (), content_reply("text", pid=pid))
    t.record(PlayEnded)
    return t


def stalled(t: Transcript, clients: list[str] = BURST, workers: int = 2) -> str:
    verdict = check_stall(
        transcript=t, process=MASTER, clients=clients, text="text", workers=workers, window=10
    )
    return "pass" if verdict.outcome is Outcome.PASS else verdict.explanation


def test_stall_share_is_round_robins_most() -> None:
    assert [stalled_share(c, 2) for c in (4, 5, 6, 7, 8)] == [2, 3, 3, 4, 4]
    assert [stalled_share(c, 3) for c in (6, 7, 12)] == [2, 3, 4]


def test_stall_passes_when_the_other_worker_answers_its_share_at_once() -> None:
    round_robin = stall(
        {"client-0": 201, "client-2": 201, "client-4": 201},
        {"client-1": 202, "client-3": 202, "client-5": 202},
    )
    assert stalled(round_robin) == "pass"
    # a least-recently-used master gives the stopped worker one request at most
    lru = stall({c: 201 for c in BURST[:5]}, {"client-5": 202})
    assert stalled(lru) == "pass"


def test_stall_catches_a_master_that_waits_for_each_reply() -> None:
    """cluster_one_at_a_time: the first request to the stopped worker holds up the rest."""
    t = stall({"client-0": 201}, {c: 201 for c in BURST[1:]})
    verdict = check_stall(
        transcript=t, process=MASTER, clients=BURST, text="text", workers=2, window=10
    )
    assert verdict.explanation == (
        "1 of 6 requests, sent at once, were answered within 10 s while worker 202 was stopped "
        "(SIGSTOP): a stalled worker holds up requests that the master could hand to its 1 "
        "other workers"
    )
    assert verdict.expected == (
        "at least 3 replies (round robin hands the stopped worker at most 3 of 6)"
    )
    assert verdict.seen == "1 replies before SIGCONT"


def test_stall_catches_replies_that_never_come_or_are_wrong() -> None:
    t = stall({"client-0": 201, "client-2": 201, "client-4": 201}, {"client-1": 202})
    assert stalled(t) == (
        "client-3 got no reply after worker 202 was continued (SIGCONT); 2 of 6 requests were "
        "never answered"
    )
    t = stall({"client-0": 999}, {})
    assert stalled(t) == "client-0's reply names pid 999, which the master did not report online"
    t = cluster(201, 202)
    t.record(WarmedUp, pids=(201, 202))
    t.record(WorkerStalled, pid=202)
    exchange(t, "client-0", (file_request("f"),), content_reply("stale", pid=201))
    assert stalled(t) == "client-0's reply does not carry the file's text"


def test_stall_needs_the_warm_up_and_the_stop() -> None:
    assert stalled(stall({}, {}, warmed="201")).startswith(
        "worker 202 answered none of the warm-up requests"
    )
    t = cluster(201, 202)
    t.record(WarmedUp, pids=(201, 202))
    t.record(StallRefused, reason="worker 202 is not a live process of the cluster")
    assert stalled(t) == (
        "the harness could not stop a worker: worker 202 is not a live process of the cluster"
    )
    assert stalled(cluster(201)) == "the example stopped before 2 workers were online"
    t = cluster(201, 202)
    t.record(WarmedUp, pids=(201, 202))
    assert stalled(t) == "the example stopped before the harness stopped a worker"
    t = stall({"client-0": 201}, {}, continued=False)
    assert stalled(t) == "the example stopped before the harness continued worker 202"
