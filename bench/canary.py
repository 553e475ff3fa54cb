"""A watch on files that no server may open: inotify, IN_OPEN and IN_ACCESS.

Linux reports every open and every read of a watched file, by any process,
through any path to it (a symlink, ``..``, ``/proc/self/root``); a watched
folder reports them for each file in it and for itself. stat, lstat and
readlink are not reported, so a server may resolve paths through the
canaries, and be caught the moment it opens one. inotify does not say who
opened: the campaign must open nothing there itself while the watch is armed.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from inotify_simple import INotify, flags  # type: ignore[import-untyped]

MASK = flags.OPEN | flags.ACCESS


class CanaryWatch:
    """Watches PATHS (files or folders) for opens and reads until closed."""

    def __init__(self, paths: tuple[Path, ...]) -> None:
        self._inotify = INotify()
        self._paths = {self._inotify.add_watch(path, MASK): path for path in paths}
        self.seen: list[str] = []
        """Every event so far, as text: what was opened or read."""

    def poll(self) -> list[str]:
        """The events since the last poll (without waiting); also kept in ``seen``."""
        new = []
        for event in self._inotify.read(timeout=0):
            where = self._paths.get(event.wd, Path("?"))
            what = "|".join(str(flag.name) for flag in flags.from_mask(event.mask))
            new.append(f"{where / event.name if event.name else where}: {what}")
        self.seen += new
        return new

    def close(self) -> None:
        self._inotify.close()

    def __enter__(self) -> CanaryWatch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
