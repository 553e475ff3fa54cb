"""The processes of one benchmark run: started in sessions of their own, all stopped at the end.

Each process's stdout is read by a thread into a queue of (arrival time, line), so that a
server never blocks on a full pipe (the book's responder logs every request) and the
coordinator can wait for a line with a deadline, and know when it came.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


def pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def parse_cpus(text: str) -> set[int]:
    """``0-1,3`` -> {0, 1, 3}."""
    cpus: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    return cpus


@dataclass
class Process:
    """One started process and the lines of its stdout, with their arrival times."""

    popen: subprocess.Popen[bytes]
    lines: queue.Queue[tuple[float, str]] = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.put((time.perf_counter(), line.decode(errors="replace").rstrip("\n")))
        self.lines.put((time.perf_counter(), ""))  # EOF

    def next_line(self, deadline: float) -> tuple[float, str]:
        """The next line and when it came; TimeoutError at the monotonic DEADLINE."""
        try:
            return self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError(f"no output from {self.popen.args!r} in time") from None

    def wait_for(self, prefix: str, seconds: float) -> None:
        """Read lines until one starts with PREFIX; RuntimeError if the process ends first."""
        deadline = time.monotonic() + seconds
        while True:
            _, line = self.next_line(deadline)
            if line.startswith(prefix):
                return
            if not line and self.popen.poll() is not None:
                raise RuntimeError(f"{self.popen.args!r} exited with {self.popen.returncode}")

    def write(self, line: str) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write(line.encode() + b"\n")
        self.popen.stdin.flush()


@dataclass
class Processes:
    """Every process the benchmark starts, so that all of them are stopped at the end."""

    started: list[Process] = field(default_factory=list)

    def start(
        self,
        argv: list[str],
        *,
        cwd: Path,
        cpus: set[int] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Process:
        popen = subprocess.Popen(
            argv,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=pinned(cpus),
        )
        process = Process(popen)
        self.started.append(process)
        return process

    def stop(self, process: Process) -> None:
        """SIGTERM, a grace period, then SIGKILL to its process group; wait for it."""
        popen = process.popen
        if popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                popen.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            popen.wait(5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(popen.pid, signal.SIGKILL)
        popen.wait()
        if popen.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                popen.stdin.close()
        if process in self.started:
            self.started.remove(process)

    def stop_all(self) -> None:
        for process in self.started:
            if process.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.popen.send_signal(signal.SIGTERM)
        for process in list(self.started):
            self.stop(process)
