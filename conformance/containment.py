"""Containment: every process a case starts, and everything those start, ends with the case.

Process groups are not enough: a process can leave its group (``setsid``,
``setpgid``, a double fork, a daemon library). The kernel's own tracking is, so:

- **cgroup** (Linux, where this process may create cgroups v2 with
  ``cgroup.kill``): each started process runs in a cgroup of its own
  (:mod:`conformance.cgroups`), which all its descendants inherit whatever they
  do; ``pids.max`` bounds its tasks where a ``pids`` controller is usable.
- **subreaper** (Linux without cgroups): the harness is a child subreaper, so
  whatever a started process orphans is re-parented to it; a walk of /proc finds
  the descendants of the started processes and of those orphans.
- **process groups** (elsewhere): only what stays in its group is found.

:func:`mechanism` chooses once per process (``$CONFORMANCE_CONTAINMENT`` forces
``subreaper`` or ``process-groups``, for tests); :func:`notice` is the line the
run prints at its start, a warning unless it is ``cgroup``. A :class:`Containment`
serves one case: it places, counts, lists, kills and reaps that case's processes.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conformance import cgroups
from conformance.cgroups import CgroupHome, Enclosure, parse_places
from conformance.procfs import (
    ProcessInfo,
    cgroup_of,
    children_of,
    command_line,
    descendants,
    family,
    kill_process,
    process_info,
    reap,
)

CGROUP = "cgroup"
SUBREAPER = "subreaper"
PROCESS_GROUPS_ONLY = "process-groups"
MECHANISM_VARIABLE = "CONFORMANCE_CONTAINMENT"
"""Forces a weaker mechanism than the best available: ``subreaper`` or ``process-groups``."""

MAX_PROCESSES = 100
"""Processes one case may have alive at once; more fails the case ("started more than ...")."""


@dataclass(frozen=True)
class Member:
    """A live process of a case, as a report shows it."""

    pid: int
    pgid: int
    sid: int
    command: str
    owner: str
    """The started process it belongs to ("" where that cannot be told)."""

    def describe(self, leader: int | None) -> str:
        """E.g. "pid 12 (sleep 60) in a session of its own" (LEADER: the owner's pid)."""
        where = ""
        if leader is not None and self.sid != leader:
            where = " in a session of its own (setsid)"
        elif leader is not None and self.pgid != leader:
            where = " in a process group of its own (setpgid)"
        return f"pid {self.pid} ({self.command or '?'}){where}"


# -- one case ---------------------------------------------------------------------------------


class Containment:
    """The processes of one case, however they detach: placed at start, counted, listed,
    killed and reaped at the end. This base class knows process groups only."""

    mechanism = PROCESS_GROUPS_ONLY
    poll_seconds = 0.05
    """How often the supervisor counts the case's processes."""

    def __init__(self) -> None:
        self.leaders: dict[str, int] = {}
        """The started processes: name -> pid."""
        self._start_times: dict[int, int] = {}

    def preexec(self, name: str) -> Callable[[], None] | None:
        """What the child NAME runs before exec (None: nothing)."""
        return None

    def started(self, name: str, pid: int) -> None:
        self.leaders[name] = pid
        info = process_info(pid)
        self._start_times[pid] = info.starttime if info is not None else -1

    def live_leaders(self) -> list[int]:
        """The started processes that still exist (a zombie too): not a pid reused since."""
        return [
            pid
            for pid in self.leaders.values()
            if (info := process_info(pid)) is not None and info.starttime == self._start_times[pid]
        ]

    def count(self) -> dict[str, int]:
        """Live processes of the case, by the started process they belong to."""
        return {}

    def refused_forks(self) -> dict[str, int]:
        """How often the kernel refused a fork, by started process."""
        return {}

    def members(self) -> list[Member]:
        """The live processes of the case."""
        return []

    def kill(self) -> None:
        """SIGKILL every process of the case (repeat until :meth:`members` is empty)."""

    def reap(self) -> None:
        """Reap the exited processes of the case that were re-parented to the harness."""

    def close(self) -> None:
        """Release what the case held (its cgroups); call once its processes are gone."""


class CgroupContainment(Containment):
    """A cgroup per started process (see the module doc)."""

    mechanism = CGROUP

    def __init__(self, home: CgroupHome) -> None:
        super().__init__()
        self._home = home
        self._enclosures: dict[str, Enclosure] = {}

    def preexec(self, name: str) -> Callable[[], None] | None:
        enclosure = self._home.make(name)
        self._enclosures[name] = enclosure
        return enclosure.enter

    def count(self) -> dict[str, int]:
        return {name: len(e.pids()) for name, e in self._enclosures.items()}

    def refused_forks(self) -> dict[str, int]:
        return {name: e.refused_forks() for name, e in self._enclosures.items()}

    def members(self) -> list[Member]:
        found = []
        for name, enclosure in self._enclosures.items():
            for pid in enclosure.pids():
                info = process_info(pid)
                if info is not None and not info.zombie:
                    found.append(Member(pid, info.pgid, info.sid, command_line(pid), name))
        return found

    def kill(self) -> None:
        for enclosure in self._enclosures.values():
            enclosure.kill()

    def reap(self) -> None:
        names = tuple(f"{e.name}/" for e in self._enclosures.values())
        leaders = set(self.leaders.values())
        zombies = [
            pid
            for pid in children_of(os.getpid())
            if pid not in leaders and (info := process_info(pid)) is not None and info.zombie
        ]
        reap(pid for pid in zombies if f"{cgroup_of(pid)}/".startswith(names))

    def close(self) -> None:
        for enclosure in self._enclosures.values():
            enclosure.close()


class SweepContainment(Containment):
    """No cgroups: the descendants of the started processes, and of the orphans the harness
    adopted as a child subreaper, found by walking /proc."""

    mechanism = SUBREAPER
    poll_seconds = 0.2  # a walk of /proc costs more than reading a cgroup

    def __init__(self, exclude: Callable[[], set[int]]) -> None:
        super().__init__()
        self._exclude = exclude
        self._own = set(children_of(os.getpid()))
        """Children the harness had before the case: not the case's."""

    def _census(self) -> tuple[dict[int, ProcessInfo], dict[int, str]]:
        """Every process of the case (zombies too) -> the started process it belongs to."""
        leaders = set(self.leaders.values())
        skip = self._own | (self._exclude() - leaders)
        adopted = [pid for pid in children_of(os.getpid()) if pid not in skip | leaders]
        processes = family([*self.live_leaders(), *adopted])
        owners: dict[int, str] = {}
        for name, pid in self.leaders.items():
            for found in descendants([pid], processes):
                owners[found] = name
        only = next(iter(self.leaders)) if len(self.leaders) == 1 else ""
        for pid in adopted:
            orphan = processes.get(pid)
            if orphan is None or pid in owners:
                continue
            owner = next(
                (n for n, p in self.leaders.items() if p in (orphan.sid, orphan.pgid)), only
            )
            for found in descendants([pid], processes):
                owners.setdefault(found, owner)
        return processes, owners

    def count(self) -> dict[str, int]:
        processes, owners = self._census()
        counted: dict[str, int] = {}
        for pid, name in owners.items():
            if not processes[pid].zombie:
                counted[name] = counted.get(name, 0) + 1
        return counted

    def members(self) -> list[Member]:
        processes, owners = self._census()
        leaders = set(self.leaders.values())
        return [
            Member(pid, processes[pid].pgid, processes[pid].sid, command_line(pid), name)
            for pid, name in owners.items()
            if not processes[pid].zombie and pid not in leaders
        ]

    def kill(self) -> None:
        processes, owners = self._census()
        leaders = set(self.leaders.values())
        doomed = [processes[pid] for pid in owners if not processes[pid].zombie]
        for info in doomed:  # stop first, so that none forks while its siblings die
            if info.pid not in leaders:
                kill_process(info, signal.SIGSTOP)
        for info in doomed:
            kill_process(info)

    def reap(self) -> None:
        processes, owners = self._census()
        leaders = set(self.leaders.values())
        me = os.getpid()
        reap(
            pid
            for pid in owners
            if processes[pid].zombie and processes[pid].ppid == me and pid not in leaders
        )


# -- choosing the mechanism --------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """The mechanism this process uses, and why not a better one ("" if it is the best)."""

    name: str
    why_not_better: str = ""


_choice: Choice | None = None
_home: CgroupHome | None = None
_choice_lock = threading.Lock()


def mechanism() -> Choice:
    """The containment this process uses: chosen, and probed, on the first call."""
    global _choice
    with _choice_lock:
        if _choice is None:
            _choice = _choose(os.environ.get(MECHANISM_VARIABLE, ""))
        return _choice


def _choose(forced: str) -> Choice:
    global _home
    if not sys.platform.startswith("linux"):
        return Choice(PROCESS_GROUPS_ONLY, f"{sys.platform} is not Linux")
    if forced == PROCESS_GROUPS_ONLY:
        return Choice(PROCESS_GROUPS_ONLY, f"{MECHANISM_VARIABLE}={forced}")
    subreaper = become_subreaper()
    why = f"{MECHANISM_VARIABLE}={forced}" if forced == SUBREAPER else _try_cgroups()
    if not why:
        return Choice(CGROUP)
    if not subreaper:
        return Choice(PROCESS_GROUPS_ONLY, f"{why}; and prctl(PR_SET_CHILD_SUBREAPER) failed")
    return Choice(SUBREAPER, why)


def _try_cgroups() -> str:
    """ "" if cgroups work here (then :data:`_home` is set), else why not."""
    global _home
    try:
        places = parse_places(
            Path("/proc/self/mountinfo").read_text(), Path("/proc/self/cgroup").read_text()
        )
    except OSError as error:
        return f"cannot read /proc/self: {error}"
    if places is None:
        return "no cgroup v2 file system holds this process's cgroup"
    try:
        home = CgroupHome(places)
    except OSError as error:
        return f"cannot create a cgroup in {places.unified}: {error.strerror}"
    try:
        probe = home.make("probe")
        try:
            if not (probe.folder / "cgroup.kill").exists():
                return "this kernel's cgroups have no cgroup.kill (Linux 5.14+)"
            subprocess.run(
                [sys.executable, "-c", ""], preexec_fn=probe.enter, check=True, timeout=30
            )
        finally:
            probe.close()
    except (OSError, subprocess.SubprocessError) as error:
        home.remove()
        return f"cannot move a process into a cgroup under {places.unified}: {error}"
    _home = home
    return ""


def notice() -> str:
    """One line for the start of a run: the mechanism, and a warning if it is not cgroups."""
    choice = mechanism()
    if choice.name == CGROUP:
        assert _home is not None
        limit = f", pids.max {cgroups.MAX_TASKS}" if _home.task_limit else ""
        return (
            f"containment: a cgroup per started process ({_home.unified.parent}), "
            f"cgroup.kill at the end of each case{limit}"
        )
    if choice.name == SUBREAPER:
        return (
            f"WARNING: containment without cgroups ({choice.why_not_better}): the harness is a "
            "child subreaper and sweeps /proc for the descendants of each case; a process that "
            "leaves that tree another way (a daemon started through another service) is missed"
        )
    return (
        f"WARNING: containment by process groups only ({choice.why_not_better}): a process "
        "that leaves its group (setsid, setpgid) may outlive the run"
    )


def open_case(exclude: Callable[[], set[int]], forced: str | None = None) -> Containment:
    """The containment of a new case: the mechanism of :func:`mechanism`, or FORCED (a weaker
    one, or ``cgroup`` where it works; tests). EXCLUDE gives pids that belong to other
    cases (leaders other supervisors still run), which a sweep must not take for orphans."""
    choice = mechanism()
    name = forced or choice.name
    if name == CGROUP:
        if _home is None:
            raise ValueError(f"cgroups are not available here: {choice.why_not_better}")
        return CgroupContainment(_home)
    if name == SUBREAPER:
        if not become_subreaper():
            raise ValueError("this process cannot become a child subreaper")
        return SweepContainment(exclude)
    return Containment()


_subreaper = False


def become_subreaper() -> bool:
    """Make this process adopt its orphaned descendants (Linux), so that it can find and reap
    them; whether it is one."""
    global _subreaper
    if not _subreaper and sys.platform.startswith("linux"):
        pr_set_child_subreaper = 36
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            _subreaper = libc.prctl(pr_set_child_subreaper, 1, 0, 0, 0) == 0
    return _subreaper


def _forget_in_child() -> None:
    """A forked child (a started process before exec) owns no cgroup and chose nothing."""
    global _choice, _home, _choice_lock
    if _home is not None:
        atexit.unregister(_home.remove)
    _choice, _home, _choice_lock = None, None, threading.Lock()


os.register_at_fork(after_in_child=_forget_in_child)
