"""A run that is interrupted (Ctrl-C), meets a hung implementation or a daemon, or is even
killed, leaves nothing behind.

Each test runs ``python -m conformance run`` as a real process with a private
CONFORMANCE_TMPDIR, watches every process it starts (cluster workers are its
grandchildren; a daemon is re-parented to it, the subreaper), and afterwards
finds none of them alive, and no file in the private temp dir.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance import containment, procfs

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "conformance" / "manifests" / "reference.toml"
HUNG = Path(__file__).with_name("hung.toml")
DAEMONIZES = ROOT / "tests" / "hostile" / "manifests" / "daemonizes.toml"
pytestmark = pytest.mark.slow


def descendants(pid: int) -> set[int]:
    return procfs.descendants([pid], procfs.all_processes()) - {pid}


command_line = procfs.command_line


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if procfs.alive(pid)}


@pytest.fixture
def private_tmp() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="zt-", dir="/tmp"))
    yield path
    leftovers = list(path.iterdir())
    for item in leftovers:
        subprocess.run(["rm", "-rf", str(item)], check=False)
    path.rmdir()
    assert not leftovers, f"the run left {leftovers}"


def start_run(tmp: Path, *args: str) -> subprocess.Popen[bytes]:
    environment = dict(os.environ, CONFORMANCE_TMPDIR=str(tmp), PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "-j", "0", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def finish(run: subprocess.Popen[bytes], timeout: float) -> tuple[int, str]:
    try:
        output, _ = run.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        output, _ = run.communicate()
        pytest.fail(f"the run did not end within {timeout} s:\n{output.decode()[-3000:]}")
    return run.returncode, output.decode()


def test_ctrl_c_during_a_cluster_case_leaves_no_process_and_no_file(private_tmp: Path) -> None:
    run = start_run(private_tmp, "--impl", str(REFERENCE), "-k", "REQREP-4 and cluster")
    seen: set[int] = set()
    deadline = time.monotonic() + 60
    while not any("--connect" in command_line(pid) for pid in seen):
        assert time.monotonic() < deadline, "no cluster worker started within 60 s"
        assert run.poll() is None, "the run ended before a cluster worker started"
        seen |= descendants(run.pid)
        time.sleep(0.02)  # polling /proc: there is no event for "a grandchild started"
    os.killpg(run.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    code, output = finish(run, timeout=60)
    assert code != 0, output
    assert not alive(seen), f"left running: {[command_line(pid) for pid in alive(seen)]}"


def test_a_hung_implementation_fails_its_case_and_is_killed(private_tmp: Path) -> None:
    run = start_run(private_tmp, "--impl", str(HUNG), "-k", "REQREP-1")
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while run.poll() is None and time.monotonic() < deadline:
        seen |= descendants(run.pid)
        time.sleep(0.05)
    code, output = finish(run, timeout=5)
    assert code == 1, output
    assert "FAIL: REQREP-1 [filer-rep of hung]" in output
    assert "no reply" in output
    assert not alive(seen), f"left running: {[command_line(pid) for pid in alive(seen)]}"


def wait_for_daemon(run: subprocess.Popen[bytes], seen: set[int]) -> int:
    """The pid of the `sleep 3600` the daemonizing filer-rep starts (polling /proc, as there
    is no event for a process starting elsewhere)."""
    deadline = time.monotonic() + 60
    while True:
        daemons = [pid for pid in seen if command_line(pid) == "sleep 3600"]
        if daemons:
            return daemons[0]
        assert time.monotonic() < deadline, "no daemon started within 60 s"
        assert run.poll() is None, "the run ended before its daemon started"
        seen |= descendants(run.pid)
        time.sleep(0.02)


def test_ctrl_c_while_a_daemon_runs_leaves_nothing(private_tmp: Path) -> None:
    run = start_run(private_tmp, "--impl", str(DAEMONIZES), "-k", "LIFE-2 and filer-rep")
    seen: set[int] = set()
    daemon = wait_for_daemon(run, seen)
    os.killpg(run.pid, signal.SIGINT)  # the daemon, in a session of its own, gets no SIGINT
    code, output = finish(run, timeout=60)
    assert code != 0, output
    assert not alive(seen | {daemon}), f"left: {[command_line(p) for p in alive(seen)]}"


@pytest.mark.skipif(
    containment.mechanism().name != containment.CGROUP, reason="needs cgroups: they outlive it"
)
def test_the_next_run_ends_what_a_run_killed_with_sigkill_left(private_tmp: Path) -> None:
    killed = private_tmp / "killed"  # SIGKILL skips all cleanup: its case folder stays here
    killed.mkdir()
    run = start_run(killed, "--impl", str(DAEMONIZES), "-k", "LIFE-2 and filer-rep")
    seen: set[int] = set()
    daemon = wait_for_daemon(run, seen)
    try:
        os.killpg(run.pid, signal.SIGKILL)  # no teardown, no atexit
        finish(run, timeout=10)
        subprocess.run(["rm", "-rf", str(killed)], check=False)
        assert alive({daemon}), "the daemon died with the run: nothing to show"
        later = start_run(private_tmp, "--impl", str(REFERENCE), "-k", "LIFE-1 and filer-rep")
        code, output = finish(later, timeout=120)
        assert code == 0, output
        assert not alive({daemon}), "the next run did not end the stale cgroup's daemon"
    finally:
        for pid in alive({daemon}):
            os.kill(pid, signal.SIGKILL)
