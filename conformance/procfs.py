"""Processes as Linux's /proc shows them: family, process group, session, cgroup.

Pure parsing (:func:`parse_stat`, :func:`descendants`) apart from the reads. A
process is named by its pid and start time together, so that a pid reused
meanwhile is never taken for it; signals go through a pidfd for the same reason.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessInfo:
    """One process from ``/proc/PID/stat``: its family, group, session and start time."""

    pid: int
    ppid: int
    pgid: int
    sid: int
    state: str
    starttime: int
    """Clock ticks after boot: with the pid, it names one process for good."""

    @property
    def zombie(self) -> bool:
        return self.state in ("Z", "X")


def parse_stat(text: str) -> ProcessInfo:
    """The fields of a ``/proc/PID/stat`` line that containment needs (the name may hold
    spaces and parentheses, so the fields are counted from the last ``)``)."""
    head, _, tail = text.rpartition(")")
    fields = tail.split()
    pid = int(head.split("(", 1)[0])
    return ProcessInfo(
        pid=pid,
        ppid=int(fields[1]),
        pgid=int(fields[2]),
        sid=int(fields[3]),
        state=fields[0],
        starttime=int(fields[19]),
    )


def process_info(pid: int) -> ProcessInfo | None:
    """PID's entry, or None once it is gone (reaped)."""
    try:
        return parse_stat((PROC / str(pid) / "stat").read_text())
    except (OSError, ValueError, IndexError):
        return None


def alive(pid: int) -> bool:
    """True while PID runs. A zombie counts as gone: it has exited, and an orphan's zombie
    may never be reaped under an init that does not wait for them (many containers)."""
    info = process_info(pid)
    return info is not None and not info.zombie


def group_members(pgid: int) -> list[int]:
    """The live processes of process group PGID, in pid order."""
    return sorted(
        info.pid for info in all_processes().values() if info.pgid == pgid and not info.zombie
    )


def all_processes() -> dict[int, ProcessInfo]:
    """Every process this one can see, by pid."""
    found = {}
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            info = process_info(int(entry.name))
            if info is not None:
                found[info.pid] = info
    return found


def children_of(pid: int) -> list[int]:
    """PID's children, those of each of its threads (``/proc/PID/task/*/children``); else,
    on a kernel without those files, found by a walk of /proc."""
    if not _CHILDREN_FILES:
        return [info.pid for info in all_processes().values() if info.ppid == pid]
    found: list[int] = []
    try:
        tasks = list(os.scandir(PROC / str(pid) / "task"))
    except OSError:
        return found
    for task in tasks:
        with contextlib.suppress(OSError, ValueError):
            found.extend(int(word) for word in Path(task.path, "children").read_text().split())
    return found


_CHILDREN_FILES = Path(f"/proc/self/task/{os.getpid()}/children").exists()


def family(roots: Iterable[int]) -> dict[int, ProcessInfo]:
    """ROOTS and all their descendants, by pid (zombies included)."""
    found: dict[int, ProcessInfo] = {}
    frontier = list(roots)
    while frontier:
        pid = frontier.pop()
        if pid in found:
            continue
        info = process_info(pid)
        if info is not None:
            found[pid] = info
            frontier.extend(children_of(pid))
    return found


def command_line(pid: int) -> str:
    """PID's command line, arguments joined by spaces ("" once it is gone)."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ""
    return raw.rstrip(b"\0").replace(b"\0", b" ").decode("utf-8", errors="replace")[:200]


def descendants(roots: Iterable[int], processes: Mapping[int, ProcessInfo]) -> set[int]:
    """ROOTS and every process below them in PROCESSES (pure)."""
    children: dict[int, list[int]] = {}
    for info in processes.values():
        children.setdefault(info.ppid, []).append(info.pid)
    found: set[int] = set()
    frontier = [pid for pid in roots if pid in processes]
    while frontier:
        pid = frontier.pop()
        if pid not in found:
            found.add(pid)
            frontier.extend(children.get(pid, ()))
    return found


def kill_process(info: ProcessInfo, sig: int = signal.SIGKILL) -> None:
    """Send SIG to the process INFO describes, never to another that has its pid since."""
    try:
        fd = os.pidfd_open(info.pid)
    except OSError:
        return
    try:
        now = process_info(info.pid)
        if now is not None and now.starttime == info.starttime:
            signal.pidfd_send_signal(fd, sig)
    except OSError:
        pass
    finally:
        os.close(fd)


def reap(pids: Iterable[int]) -> None:
    """Reap those of PIDS that are exited children of this process (adopted orphans)."""
    for pid in pids:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)


def cgroup_of(pid: int) -> str | None:
    """PID's cgroup v2 as ``/proc/PID/cgroup`` names it (a zombie's too), None if gone."""
    try:
        text = (PROC / str(pid) / "cgroup").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("0::"):
            return line[3:].removesuffix(" (deleted)")
    return None
