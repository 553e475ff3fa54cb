"""The supervisor: ready detection, deadlines, output capture, and that nothing survives.

Every test runs its own ``trio.run`` under ``trio.fail_after``; the helper
programs in ``programs/`` live 60 s at most, whatever happens here.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
import trio

from conformance import cgroups, containment, procfs, waits
from conformance.errors import ConformanceFailure, HarnessError
from conformance.facts import Breach, StdoutCapped
from conformance.model import Exited, Signalled, Started, TimedOut, Transcript
from conformance.runner import stopwatch
from conformance.supervisor import (
    PROCESS_GROUPS,
    Command,
    Process,
    ProcessExited,
    ProcessNotReady,
    Supervisor,
    TooManyProcesses,
    kill_all_groups_now,
)
from conformance.waits import DeadlineMissed

PROGRAMS = Path(__file__).parent / "programs"
READY = re.compile(r"^ready")
T = TypeVar("T")
CGROUPS = containment.mechanism().name == containment.CGROUP
MECHANISMS = [
    pytest.param(
        containment.CGROUP,
        marks=pytest.mark.skipif(not CGROUPS, reason="this process cannot create cgroups"),
    ),
    containment.SUBREAPER,
]
"""Both ways to hold what leaves its group: cgroups, and the subreaper's sweep of /proc."""


def run(main: Callable[[], Awaitable[T]], timeout: float = 30) -> T:
    async def bounded() -> T:
        with trio.fail_after(timeout):
            return await main()

    return trio.run(bounded)


def command(program: str, *args: str) -> Command:
    return Command(
        argv=(sys.executable, str(PROGRAMS / program), *args), cwd=PROGRAMS, env=dict(os.environ)
    )


def gone(pid: int) -> bool:
    """Whether no process (not even a zombie) has this pid."""
    return not Path(f"/proc/{pid}").exists()


def grandchild_of(process: Process) -> int:
    return int(next(line for line in process.lines() if line.startswith("grandchild")).split()[1])


def test_ready_line_is_detected_and_the_run_is_recorded() -> None:
    transcript = Transcript()

    async def main() -> Process:
        async with Supervisor(transcript) as supervisor:
            process = await supervisor.start("sleeper", command("sleeper.py"), ready=READY)
            assert process.lines() == ["hello", f"ready {process.pid}"]
            assert process.returncode is None
            return process

    process = run(main)
    assert process.returncode == -signal.SIGTERM
    assert gone(process.pid)
    assert process.pid not in PROCESS_GROUPS
    started = list(transcript.of(Started))
    assert [(s.process, s.pid) for s in started] == [("sleeper", process.pid)]
    assert started[0].argv == command("sleeper.py").argv
    assert transcript.printed("sleeper") == ["hello", f"ready {process.pid}"]
    assert [(s.signal, s.group) for s in transcript.of(Signalled)] == [("SIGTERM", True)]
    assert [(e.process, e.code) for e in transcript.of(Exited)] == [("sleeper", -15)]


def test_not_ready_by_the_deadline_fails_with_a_clear_message() -> None:
    transcript = Transcript()
    pids: list[int] = []

    async def main() -> None:
        async with Supervisor(transcript) as supervisor:
            never = command("never_ready.py")

            def tails() -> str:
                return supervisor.processes["slowpoke"].tails()

            what = "slowpoke's ready line (matching '^ready')"
            with (
                pytest.raises(DeadlineMissed) as caught,
                waits.deadline(transcript, what, 0.5, hint=tails),
            ):
                await supervisor.start("slowpoke", never, ready=READY)
            pids.append(supervisor.processes["slowpoke"].pid)
            message = str(caught.value)
            for part in ("slowpoke", "'^ready'", "0.5 s", "'booting'", "'warming up'"):
                assert part in message
            assert isinstance(caught.value, ConformanceFailure)

    began = time.monotonic()
    run(main)
    assert time.monotonic() - began < 5
    assert gone(pids[0])
    [timed_out] = transcript.of(TimedOut)
    assert timed_out.seconds == 0.5
    assert "slowpoke" in timed_out.waiting_for
    assert "warming up" in transcript.stderr["slowpoke"]


def test_exiting_before_ready_fails_at_once_and_keeps_the_last_line() -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript) as supervisor:
            with pytest.raises(ProcessNotReady) as caught:
                await supervisor.start("quitter", command("exit_early.py"), ready=READY)
            message = str(caught.value)
            for part in ("quitter exited with code 3", "'partial'", "'bad things happened'"):
                assert part in message

    began = time.monotonic()
    run(main)
    assert time.monotonic() - began < 5  # not the 10 s ready deadline
    assert transcript.printed("quitter") == ["first", "partial"]  # the unterminated line too
    assert [e.code for e in transcript.of(Exited)] == [3]
    assert not list(transcript.of(TimedOut))
    assert not list(transcript.of(Signalled))  # nothing left to signal


def test_wait_for_line_from_an_index_and_its_deadline() -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript) as supervisor:
            process = await supervisor.start(
                "ticker", command("sleeper.py", "--ticks", "4", "--interval", "0.05"), ready=None
            )
            index, line = await process.wait_for_line(r"^tick \d")
            assert (index, line) == (2, "tick 0")
            index, line = await process.wait_for_line(re.compile(r"^tick"), start=3)
            assert (index, line) == (3, "tick 1")
            assert await process.wait_for_line("hello") == (0, "hello")
            with (
                pytest.raises(DeadlineMissed) as caught,
                waits.deadline(transcript, "a tock", 0.5, hint=process.tails),
            ):
                await process.wait_for_line("^tock")
            assert "waited 0.5 s in vain for a tock" in str(caught.value)
            assert "'tick 3'" in str(caught.value)

    run(main)
    assert [(t.waiting_for, t.seconds) for t in transcript.of(TimedOut)] == [("a tock", 0.5)]


def test_wait_for_line_raises_when_the_process_exits_first() -> None:
    async def main() -> None:
        async with Supervisor(Transcript()) as supervisor:
            process = await supervisor.start("quitter", command("exit_early.py"), ready=None)
            with pytest.raises(ProcessExited) as caught:
                await process.wait_for_line("^never")
            assert "quitter exited with code 3 before printing" in str(caught.value)
            assert await process.wait() == 3
            assert process.returncode == 3

    run(main, timeout=10)


def test_a_wait_bounded_by_move_on_after_goes_on_and_signal_is_recorded() -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript) as supervisor:
            process = await supervisor.start("sleeper", command("sleeper.py"), ready=READY)
            with waits.move_on_after(transcript, "sleeper to exit", 0.2) as waiting:
                await process.wait()
            assert waiting.cancelled_caught
            process.signal(signal.SIGINT)
            assert await process.wait() != 0
            process.signal(signal.SIGTERM)  # reaped: a no-op, never someone else's pid

    run(main)
    assert [(s.signal, s.group) for s in transcript.of(Signalled)] == [("SIGINT", False)]
    assert [t.waiting_for for t in transcript.of(TimedOut)] == ["sleeper to exit"]


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace() -> None:
    transcript = Transcript(clock=stopwatch())
    pids: list[int] = []

    async def main() -> None:
        async with Supervisor(transcript, grace=0.5) as supervisor:
            process = await supervisor.start(
                "stubborn", command("sleeper.py", "--ignore-term"), ready=READY
            )
            pids.append(process.pid)

    run(main)
    assert gone(pids[0])
    signals = list(transcript.of(Signalled))
    assert [s.signal for s in signals] == ["SIGTERM", "SIGKILL"]
    assert signals[1].at - signals[0].at >= 0.5
    assert [e.code for e in transcript.of(Exited)] == [-signal.SIGKILL]


def test_a_grandchild_that_ignores_sigterm_dies_with_its_group() -> None:
    transcript = Transcript()
    pids: list[int] = []

    async def main() -> None:
        async with Supervisor(transcript, grace=0.3) as supervisor:
            process = await supervisor.start("family", command("grandparent.py"), ready=READY)
            pids.extend([process.pid, grandchild_of(process)])
            os.kill(pids[1], 0)  # alive so far

    run(main)
    assert all(gone(pid) for pid in pids), pids
    assert [s.signal for s in transcript.of(Signalled)] == ["SIGTERM", "SIGKILL"]
    assert [e.code for e in transcript.of(Exited)] == [-signal.SIGTERM]
    assert pids[0] not in PROCESS_GROUPS


def test_an_orphaned_grandchild_is_still_killed_and_reaped() -> None:
    transcript = Transcript()
    pids: list[int] = []

    async def main() -> None:
        async with Supervisor(transcript, grace=0.3) as supervisor:
            process = await supervisor.start(
                "orphaner", command("grandparent.py", "--leave"), ready=READY
            )
            pids.extend([process.pid, grandchild_of(process)])
            # The grandchild still holds stdout: the exit is recorded after a bounded drain.
            assert await process.wait() == 0
            os.kill(pids[1], 0)
            assert pids[0] in PROCESS_GROUPS  # the group outlives its leader

    run(main)
    assert all(gone(pid) for pid in pids), pids
    assert pids[0] not in PROCESS_GROUPS
    assert [s.signal for s in transcript.of(Signalled)] == ["SIGTERM", "SIGKILL"]


def test_kill_group_kills_the_whole_group_during_the_case() -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript) as supervisor:
            process = await supervisor.start("family", command("grandparent.py"), ready=READY)
            grandchild = grandchild_of(process)
            await process.kill_group()
            assert process.returncode == -signal.SIGKILL
            assert gone(process.pid)
            assert gone(grandchild)

    run(main)
    assert [(s.signal, s.group) for s in transcript.of(Signalled)] == [("SIGKILL", True)]
    assert [e.code for e in transcript.of(Exited)] == [-signal.SIGKILL]


def test_cancelling_the_enclosing_scope_still_kills_everything() -> None:
    transcript = Transcript()
    pids: list[int] = []

    async def main() -> None:
        with trio.CancelScope() as scope:
            async with Supervisor(transcript, grace=0.3) as supervisor:
                process = await supervisor.start("family", command("grandparent.py"), ready=READY)
                pids.extend([process.pid, grandchild_of(process)])
                scope.cancel()
                await trio.sleep(20)
        assert scope.cancelled_caught

    run(main)
    assert all(gone(pid) for pid in pids), pids
    assert [e.code for e in transcript.of(Exited)] == [-signal.SIGTERM]


def test_an_exception_in_the_block_propagates_as_is_and_still_kills() -> None:
    pids: list[int] = []

    async def main() -> None:
        async with Supervisor(Transcript(), grace=0.3) as supervisor:
            process = await supervisor.start("family", command("grandparent.py"), ready=READY)
            pids.extend([process.pid, grandchild_of(process)])
            raise RuntimeError("the driver broke")

    with pytest.raises(RuntimeError, match="the driver broke"):
        run(main)
    assert all(gone(pid) for pid in pids), pids


def test_keyboard_interrupt_in_the_block_still_kills() -> None:
    pids: list[int] = []

    async def main() -> None:
        async with Supervisor(Transcript(), grace=0.3) as supervisor:
            process = await supervisor.start("family", command("grandparent.py"), ready=READY)
            pids.extend([process.pid, grandchild_of(process)])
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(main)
    assert all(gone(pid) for pid in pids), pids


def finish(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """Wait (bounded) for the driver to exit; the rest of its stdout and its stderr."""
    try:
        proc.wait(timeout=15)
    finally:
        proc.kill()
        proc.wait()
    assert proc.stdout is not None
    assert proc.stderr is not None
    return proc.stdout.read(), proc.stderr.read()


def driver(mode: str) -> tuple[subprocess.Popen[str], list[int]]:
    """Start supervised.py in MODE; the pids it supervises once it reports them."""
    proc = subprocess.Popen(
        [sys.executable, str(PROGRAMS / "supervised.py"), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the driver gives up by itself within 20 s
    assert line.startswith("pids "), (line, proc.stderr.read() if proc.stderr else "")
    return proc, [int(pid) for pid in line.split()[1:]]


def test_ctrl_c_twice_during_trio_run_leaves_no_process() -> None:
    proc, pids = driver("interrupt")
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)  # inside the 1 s grace: the grandchild ignores SIGTERM
    proc.send_signal(signal.SIGINT)
    out, err = finish(proc)
    assert "ended by KeyboardInterrupt" in out, (out, err)  # not wrapped in a group
    assert proc.returncode == -signal.SIGINT
    assert all(gone(pid) for pid in pids), pids


def test_the_atexit_net_kills_groups_when_trio_run_never_finishes() -> None:
    proc, pids = driver("abrupt")
    out, err = finish(proc)
    assert "leaving" in out, (out, err)
    assert all(gone(pid) for pid in pids), pids


def test_kill_all_groups_now_kills_and_reaps_without_trio() -> None:
    pids: list[int] = []

    async def main() -> None:
        async with Supervisor(Transcript()) as supervisor:
            process = await supervisor.start("family", command("grandparent.py"), ready=READY)
            pids.extend([process.pid, grandchild_of(process)])
            kill_all_groups_now()  # synchronous: no checkpoint, no help from trio
            assert process.pid not in PROCESS_GROUPS
            assert all(gone(pid) for pid in pids), pids

    run(main)


def test_a_flood_of_stdout_is_read_in_full_and_does_not_hide_the_ready_line() -> None:
    count = 200_000

    async def main() -> Process:
        async with Supervisor(Transcript()) as supervisor:
            return await supervisor.start(
                "flood", command("flood.py", "lines", str(count)), ready=READY
            )

    began = time.monotonic()
    process = run(main)
    assert time.monotonic() - began < 15
    lines = process.lines()
    assert len(lines) == count + 1
    assert lines[0] == "line 000000000 " + "x" * 84
    assert lines[-2].startswith(f"line {count - 1:09d} ")


def test_an_endless_flood_neither_stalls_the_deadline_nor_teardown() -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript, grace=0.3, max_stdout_bytes=4_000_000) as supervisor:
            with (
                pytest.raises(DeadlineMissed, match=r"waited 0\.5 s in vain"),
                waits.deadline(transcript, "the flood's ready line", 0.5),
            ):
                await supervisor.start("flood", command("flood.py", "forever"), ready=READY)

    began = time.monotonic()
    run(main)
    assert time.monotonic() - began < 5
    assert len(transcript.printed("flood")) <= 4_000_000 // 100
    assert [e.code for e in transcript.of(Exited)] == [-signal.SIGTERM]


def test_stderr_is_captured_and_bounded() -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript) as supervisor:
            await supervisor.start("talker", command("sleeper.py", "--stderr", "psst"), ready=READY)
            await supervisor.start(
                "shouter", command("flood.py", "stderr", str(1 << 20)), ready=READY
            )

    run(main)
    assert transcript.stderr["talker"] == "psst\n"
    shouted = transcript.stderr["shouter"]
    assert shouted.startswith("BEGINeee")
    assert shouted.endswith("eeeEND")
    assert len(shouted) < 2 * 64 * 1024 + 100
    assert "bytes left out" in shouted


def test_bad_utf8_is_replaced() -> None:
    async def main() -> Process:
        async with Supervisor(Transcript()) as supervisor:
            return await supervisor.start("bytes", command("sleeper.py", "--bad-utf8"), ready=READY)

    assert run(main).lines()[1] == "café \ufffd\ufffd"


def test_misuse_is_a_harness_error() -> None:
    async def main() -> None:
        async with Supervisor(Transcript()) as supervisor:
            await supervisor.start("one", command("sleeper.py"), ready=None)
            with pytest.raises(HarnessError, match="'one' was started already"):
                await supervisor.start("one", command("sleeper.py"), ready=None)
            missing = Command(argv=("/nonexistent/program",), cwd=PROGRAMS, env={})
            with pytest.raises(HarnessError, match="cannot start two"):
                await supervisor.start("two", missing, ready=None)
        with pytest.raises(HarnessError, match="not open"):
            await supervisor.start("three", command("sleeper.py"), ready=None)

    run(main)


# -- containment: what leaves its group, and fork storms ------------------------------------


def pids_printed(transcript: Transcript, name: str, word: str) -> list[int]:
    return [int(line.split()[1]) for line in transcript.printed(name) if line.startswith(word)]


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_a_daemon_that_left_the_group_is_a_breach_and_is_killed(mechanism: str) -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript, grace=0.3, mechanism=mechanism) as supervisor:
            process = await supervisor.start("daemonizer", command("daemon.py"), ready=READY)
            await process.wait_for_line("^daemon")

    run(main)
    [daemon] = pids_printed(transcript, "daemonizer", "daemon")
    assert gone(daemon)  # killed, and reaped by the harness, its subreaper
    [breach] = [event.reason for event in transcript.of(Breach)]
    assert re.fullmatch(
        rf"daemonizer left 1 process running outside the process group it was started in, "
        rf"after the end of the case: pid {daemon} \(\S+ \S+daemon\.py\) in a session of its "
        r"own \(setsid\)\. SPEC\.md §5: every process of an implementation MUST stay in the "
        r"process group the harness started it in \(no setsid, no setpgid\), so that the "
        r"harness's cleanup reaches it\. The harness killed it\.",
        breach,
    ), breach


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_a_process_outside_the_group_that_ends_with_it_is_no_breach(mechanism: str) -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript, grace=1.0, mechanism=mechanism) as supervisor:
            follower = command("daemon.py", "--follow")
            process = await supervisor.start("daemonizer", follower, ready=READY)
            await process.wait_for_line("^daemon")

    run(main)
    [daemon] = pids_printed(transcript, "daemonizer", "daemon")
    assert gone(daemon)
    assert list(transcript.of(Breach)) == []


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_a_fork_storm_stops_the_case_and_every_child_is_killed(mechanism: str) -> None:
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript, grace=0.3, mechanism=mechanism) as supervisor:
            await supervisor.start("forker", command("forker.py", "150"), ready=None)
            await trio.sleep_forever()  # until the supervisor stops the case

    with pytest.raises(BaseExceptionGroup) as caught:
        run(main)
    assert caught.group_contains(TooManyProcesses)
    [breach] = [event.reason for event in transcript.of(Breach)]
    found = re.fullmatch(
        r"forker started more than 100 processes \((\d+) at once in this case\); "
        r"the harness killed them all",
        breach,
    )
    assert found, breach
    assert int(found[1]) > 100
    children = pids_printed(transcript, "forker", "child")
    assert children
    assert all(gone(pid) for pid in children)
    [started] = transcript.of(Started)
    assert gone(started.pid)


@pytest.mark.skipif(not CGROUPS, reason="this process cannot create cgroups")
def test_the_kernel_limit_on_tasks_stops_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    home = containment._home
    assert home is not None
    if not home.task_limit:
        pytest.skip("no pids controller here")
    monkeypatch.setattr(cgroups, "MAX_TASKS", 20)
    transcript = Transcript()

    async def main() -> None:
        async with Supervisor(transcript, grace=0.3) as supervisor:
            await supervisor.start("forker", command("forker.py", "60"), ready=None)
            await trio.sleep_forever()

    with pytest.raises(BaseExceptionGroup) as caught:
        run(main)
    assert caught.group_contains(TooManyProcesses, match="started more than 20 processes and")
    children = pids_printed(transcript, "forker", "child")
    assert len(children) <= 19  # the leader and 19 children are 20 tasks: no more forked
    assert all(gone(pid) for pid in children)


def test_stdout_that_never_ends_a_line_is_bounded() -> None:
    transcript = Transcript()
    cap = 4_000_000

    async def main() -> None:
        async with Supervisor(transcript, max_stdout_bytes=cap) as supervisor:
            flood = command("flood.py", "noline", str(50 << 20))
            process = await supervisor.start("flood", flood, ready=READY)
            assert await process.wait() == 0

    run(main)
    assert transcript.printed("flood") == ["ready"]
    assert [(e.process, e.limit) for e in transcript.of(StdoutCapped)] == [("flood", cap)]


@pytest.mark.skipif(not CGROUPS, reason="this process cannot create cgroups")
def test_each_started_process_gets_a_cgroup_that_is_removed_after_the_case() -> None:
    folders: list[Path] = []

    async def main() -> None:
        async with Supervisor(Transcript()) as supervisor:
            process = await supervisor.start("sleeper", command("sleeper.py"), ready=READY)
            name = procfs.cgroup_of(process.pid)
            assert name is not None
            home = containment._home
            assert home is not None
            assert name.startswith(f"{home.name}/")
            folders.append(home.unified / name.rsplit("/", 1)[1])
            assert folders[0].is_dir()

    run(main)
    assert not folders[0].exists()
