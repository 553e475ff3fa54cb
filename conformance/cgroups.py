"""The cgroups of a harness process: where it may make them, one per started process.

Under the harness's own cgroup v2 (found in /proc/self/mountinfo and
/proc/self/cgroup), a :class:`CgroupHome` ``zmq-conformance-<pid>-<start time>``
holds an :class:`Enclosure` per started process: the child moves itself into it
before it execs (``cgroup.procs``), so everything it ever starts is there,
whatever session or group it joins; ``cgroup.kill`` ends them all. Where a
``pids`` controller is usable (v2 delegated, or v1 mounted) each enclosure gets
``pids.max``. A home is removed at exit; the homes of harness processes that died
without cleanup (SIGKILL) are killed and removed when the next one is made.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import signal
import threading
from dataclasses import dataclass
from pathlib import Path

from conformance.procfs import process_info

MAX_TASKS = 2000
"""``pids.max`` of each started process's cgroup: processes and threads (a JVM has dozens of
threads). A kernel bound against fork bombs, well above what a case may have alive."""
PREFIX = "zmq-conformance-"


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
