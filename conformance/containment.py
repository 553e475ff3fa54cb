"""Containment: every process a case starts, and everything those start, ends with the case.

Process groups are not enough: a process can leave its group (``setsid``,
``setpgid``, a double fork, a daemon library). The kernel's own tracking is, so:

- **cgroup** (Linux, where this process may create cgroups v2 with
  ``cgroup.kill``): each started process is moved, before it execs, into a
  cgroup of its own (``zmq-conformance-<pid>-<start>/<n>-<name>`` under the
  harness's own cgroup), which all its descendants inherit whatever they do. The
  case ends with ``cgroup.kill`` and ``rmdir``. Where a ``pids`` controller is
  usable (v2 delegated, or v1 mounted) ``pids.max`` caps its tasks, so that a
  fork bomb cannot take the machine.
- **subreaper** (Linux without cgroups): the harness is a child subreaper, so
  whatever a started process orphans is re-parented to it; a sweep of /proc finds
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
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

CGROUP = "cgroup"
SUBREAPER = "subreaper"
PROCESS_GROUPS_ONLY = "process-groups"
MECHANISM_VARIABLE = "CONFORMANCE_CONTAINMENT"
"""Forces a weaker mechanism than the best available: ``subreaper`` or ``process-groups``."""

MAX_PROCESSES = 100
"""Processes one case may have alive at once; more fails the case ("started more than ...")."""
MAX_TASKS = 2000
"""``pids.max`` of each started process's cgroup: processes and threads (a JVM has dozens of
threads). A kernel bound against fork bombs, well above what :data:`MAX_PROCESSES` allows."""
PREFIX = "zmq-conformance-"
PROC = Path("/proc")


# -- processes as /proc shows them -------------------------------------------------------------


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


# -- finding the cgroup file systems ---------------------------------------------------------


@dataclass(frozen=True)
class CgroupPlaces:
    """Where this process may make cgroups: its own cgroup v2 folder, and its v1 ``pids``
    folder (None if that controller is not mounted)."""

    unified: Path
    pids: Path | None
    unified_name: str = "/"
    """Our cgroup v2 as ``/proc/PID/cgroup`` names it."""


def parse_places(mountinfo: str, cgroups: str) -> CgroupPlaces | None:
    """This process's cgroup folders, from ``/proc/self/mountinfo`` and ``/proc/self/cgroup``
    (pure); None without a cgroup v2 mount that holds our cgroup."""
    mounts: dict[str, tuple[str, str]] = {}  # "unified" or "pids" -> (root in the fs, mount)
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        fields, after = left.split(), right.split()
        if len(fields) < 5 or len(after) < 3:
            continue
        root, point = _unescape(fields[3]), _unescape(fields[4])
        if after[0] == "cgroup2":
            mounts.setdefault("unified", (root, point))
        elif after[0] == "cgroup" and "pids" in after[2].split(","):
            mounts.setdefault("pids", (root, point))
    paths: dict[str, str] = {}
    for line in cgroups.splitlines():
        number, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if number == "0" and controllers == "":
            paths["unified"] = path
        elif "pids" in controllers.split(","):
            paths["pids"] = path
    unified = _folder(mounts.get("unified"), paths.get("unified"))
    if unified is None:
        return None
    return CgroupPlaces(unified, _folder(mounts.get("pids"), paths.get("pids")), paths["unified"])


def _folder(mount: tuple[str, str] | None, path: str | None) -> Path | None:
    if mount is None or path is None:
        return None
    root, point = mount
    if path != root and not path.startswith(root.rstrip("/") + "/"):
        return None  # our cgroup lies outside what is mounted
    return Path(point) / path[len(root) :].lstrip("/")


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), field)


# -- the cgroups of this harness process -------------------------------------------------------


class CgroupHome:
    """This harness process's cgroup folders (v2, and v1 ``pids`` if mounted), each started
    process's cgroup below them; removed at exit, and stale ones of dead harnesses on creation."""

    def __init__(self, places: CgroupPlaces) -> None:
        stat = process_info(os.getpid())
        name = f"{PREFIX}{os.getpid()}-{stat.starttime if stat else 0}"
        self.unified = places.unified / name
        self.name = f"{places.unified_name.rstrip('/')}/{name}"
        """As ``/proc/PID/cgroup`` names it."""
        self.pids: Path | None = None
        self._serial = 0
        self._lock = threading.Lock()
        _sweep_stale(places.unified)
        self.unified.mkdir()
        self._v2_pids = "pids" in _words(self.unified / "cgroup.controllers")
        if self._v2_pids:
            try:
                (self.unified / "cgroup.subtree_control").write_text("+pids")
            except OSError:
                self._v2_pids = False
        if not self._v2_pids and places.pids is not None:
            _sweep_stale(places.pids)
            with contextlib.suppress(OSError):
                (places.pids / name).mkdir()
                self.pids = places.pids / name
        atexit.register(self.remove)

    @property
    def task_limit(self) -> bool:
        """Whether each cgroup gets ``pids.max``."""
        return self._v2_pids or self.pids is not None

    def make(self, label: str) -> Enclosure:
        """A new cgroup (pair) for one started process, named after LABEL."""
        with self._lock:
            self._serial += 1
            name = f"{self._serial}-{re.sub(r'[^A-Za-z0-9_.-]', '_', label)[:40]}"
        unified = self.unified / name
        unified.mkdir()
        pids = None
        if self._v2_pids:
            _write_limit(unified)
        elif self.pids is not None:
            with contextlib.suppress(OSError):
                (self.pids / name).mkdir()
                pids = self.pids / name
                _write_limit(pids)
        limited = pids if pids is not None else unified if self._v2_pids else None
        return Enclosure(unified, limited, f"{self.name}/{name}")

    def remove(self) -> None:
        """Kill what is still in our cgroups and remove them (at exit)."""
        for folder in (self.unified, self.pids):
            if folder is not None and folder.exists():
                _kill_and_remove(folder)


def _words(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except OSError:
        return []


def _write_limit(folder: Path) -> None:
    with contextlib.suppress(OSError):
        (folder / "pids.max").write_text(str(MAX_TASKS))


def _sweep_stale(parent: Path) -> None:
    """Remove the cgroups of harness processes that are gone (killed without cleanup)."""
    try:
        entries = list(parent.glob(f"{PREFIX}*"))
    except OSError:
        return
    for folder in entries:
        match = re.fullmatch(rf"{PREFIX}(\d+)-(\d+)", folder.name)
        if match is None:
            continue
        owner = process_info(int(match[1]))
        if owner is None or owner.starttime != int(match[2]):
            _kill_and_remove(folder)


def _kill_and_remove(folder: Path) -> None:
    """cgroup.kill FOLDER (v2) and rmdir it with its sub-folders, deepest first."""
    kill = folder / "cgroup.kill"
    if kill.exists():
        with contextlib.suppress(OSError):
            kill.write_text("1")
    else:  # v1: no cgroup.kill; its processes are in v2 cgroups too, killed there
        for leaf in [folder, *folder.iterdir()]:
            for pid in _words(leaf / "cgroup.procs") if leaf.is_dir() else []:
                with contextlib.suppress(OSError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        _rmdir(sub)
    _rmdir(folder)


def _rmdir(folder: Path, attempts: int = 200) -> None:
    """rmdir a cgroup; its killed processes may take a moment to leave it."""
    for _ in range(attempts):
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            threading.Event().wait(0.01)  # only at exit or for a stale folder: no event to await


class Enclosure:
    """The cgroup of one started process and of everything it starts."""

    def __init__(self, unified: Path, pids: Path | None, name: str) -> None:
        self.folder = unified
        self.name = name
        """As ``/proc/PID/cgroup`` names it."""
        self._pids = pids
        # Opened here, written by the child between fork and exec.
        self._fds = [os.open(unified / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC)]
        if pids is not None and pids != unified:
            self._fds.append(os.open(pids / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC))

    def enter(self) -> None:
        """Run in the child before exec: move it into the cgroup(s) ("0" means oneself)."""
        for fd in self._fds:
            os.write(fd, b"0")

    def pids(self) -> list[int]:
        """The live processes in the cgroup (zombies are not listed)."""
        return [int(word) for word in _words(self.folder / "cgroup.procs")]

    def refused_forks(self) -> int:
        """How often the kernel refused a fork at ``pids.max``."""
        if self._pids is None:
            return 0
        try:
            text = (self._pids / "pids.events").read_text()
        except OSError:
            return 0
        match = re.search(r"^max (\d+)", text, re.M)
        return int(match[1]) if match else 0

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            (self.folder / "cgroup.kill").write_text("1")

    def close(self) -> None:
        """Close our handles and remove the cgroup(s) (a no-op while processes remain)."""
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds.clear()
        for folder in {self.folder, self._pids} - {None}:
            assert folder is not None
            with contextlib.suppress(OSError):
                folder.rmdir()


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

    def preexec(self, name: str) -> Callable[[], None] | None:
        """What the child NAME runs before exec (None: nothing)."""
        return None

    def started(self, name: str, pid: int) -> None:
        self.leaders[name] = pid

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
        processes = family([*leaders, *adopted])
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
        limit = f", pids.max {MAX_TASKS}" if _home.task_limit else ""
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
