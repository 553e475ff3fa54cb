"""What the filer responder answers to a request: pure logic over the file system.

:meth:`Filer.answer` turns the frames of one request into the bytes of its reply.
It never raises for bad input: every request gets exactly one reply, because
a REP that does not reply wedges its requester for ever (SPEC.md REQREP-3).
It runs once per request, so it makes few system calls: one ``lstat`` per name of
the path (the resolution rule; the last one also tells the file's type and size),
then one ``open``, ``read`` and ``close``.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass, field

from reference import messages

DEFAULT_MAX_SIZE = 16 * 1024 * 1024
"""Largest file the filer serves, in bytes (``--max-size``); bigger ones get ``too_large``."""
MAX_SYMLINKS = 40
"""Symlinks one path may pass through (Linux's limit); one more is a loop: ``not_found``."""
NOT_FOUND = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP})


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON (RFC 8259)")


REQUEST_DECODER = json.JSONDecoder(parse_constant=_not_json)


class FilerError(Exception):
    """A request the filer refuses; becomes an error reply, never a crash."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def resolve_under(root: str, path: str) -> tuple[str, os.stat_result | None, bool]:
    """Where PATH leads from the real directory ROOT: THE PATH RESOLUTION RULE (SPEC.md §3.3);
    that place's ``lstat`` when the walk made one (None: it did not, or it failed); and
    whether the path is broken: a name followed by ``/`` that is missing or not a directory,
    where ``open`` would fail with ENOENT or ENOTDIR.

    Names are taken one by one: ``.`` and empty ones are skipped, ``..`` drops the last
    name (the parent of ``/`` is ``/``), a symlink is replaced by a walk of its target
    (from ``/`` if absolute), and any other name, existing or not, is kept, so that a
    broken path still ends somewhere, inside the root or not. Unlike ``os.path.realpath``,
    which stops at a symlink loop, more than MAX_SYMLINKS is an error. The walk keeps
    paths without a trailing slash: ``/`` is the empty string.
    """
    followed = 0
    broken = False

    def walk(current: str, path: str) -> tuple[str, os.stat_result | None]:
        nonlocal followed, broken
        status = None
        names = path.split("/")
        for index, name in enumerate(names):
            if name in ("", "."):
                continue
            if name == "..":
                current, status = current.rpartition("/")[0], None
                continue
            candidate = f"{current}/{name}"
            try:
                status = os.lstat(candidate)
                if stat.S_ISLNK(status.st_mode):
                    followed += 1
                    if followed > MAX_SYMLINKS:
                        raise FilerError("not_found", f"more than {MAX_SYMLINKS} symlinks: a loop")
                    target = os.readlink(candidate)
                    current, status = walk("" if target.startswith("/") else current, target)
                else:
                    current = candidate
            except OSError:  # missing (ENOENT), under a file (ENOTDIR), ...: kept as a name
                current, status = candidate, None
            if index < len(names) - 1 and not _is_directory(current, status):
                broken = True
        return current, status

    end, status = walk(root.rstrip("/"), path)
    return end or "/", status, broken


def _is_directory(path: str, status: os.stat_result | None) -> bool:
    if status is None:
        try:
            status = os.stat(path or "/")
        except OSError:
            return False
    return stat.S_ISDIR(status.st_mode)


@dataclass(frozen=True)
class Filer:
    """Serves the files under ``root`` (a real path), up to ``max_size`` bytes each."""

    root: str
    max_size: int = DEFAULT_MAX_SIZE
    pid: int = field(default_factory=os.getpid)

    @classmethod
    def at(cls, root: str | os.PathLike[str], max_size: int = DEFAULT_MAX_SIZE) -> Filer:
        return cls(os.path.realpath(root, strict=True), max_size)

    def answer(self, frames: list[bytes]) -> bytes:
        """The reply to one request, given as its list of frames."""
        try:
            content = self.read(parse_request(frames))
        except FilerError as error:
            return messages.error_reply(error.code, error.message, messages.now_ms(), self.pid)
        return messages.content_reply(content, messages.now_ms(), self.pid)

    def resolve(self, path: str) -> tuple[str, os.stat_result | None]:
        """The real path that PATH names under the root, and its lstat if the walk made one;
        refuses anything outside the root."""
        if "\0" in path or not path:
            raise FilerError("bad_request", "path must be a non-empty string without NUL")
        if path.startswith("/"):
            raise FilerError("forbidden", f"absolute paths are not served: {path!r}")
        try:
            target, status, broken = resolve_under(self.root, path)
        except ValueError:  # e.g. a lone surrogate from a "\ud800" escape: no file has that name
            raise FilerError("bad_request", f"{path!r} cannot be a file name here") from None
        if target != self.root and not target.startswith(self.root.rstrip("/") + "/"):
            raise FilerError("forbidden", f"{path!r} is outside the served root")
        if broken:
            raise FilerError("not_found", f"no such file: {path!r} (a component is not a folder)")
        return target, status

    def read(self, path: str) -> str:
        """The text of the file PATH names, or a FilerError saying why not.

        A file that is not regular is never opened (a FIFO would block); should one
        replace the file between ``stat`` and ``open``, O_NONBLOCK still keeps us going.
        """
        target, status = self.resolve(path)
        try:
            if status is None:  # the walk ended on ``..`` or on a name it could not lstat
                status = os.stat(target)
        except OSError as error:
            if error.errno in NOT_FOUND:
                raise FilerError("not_found", f"no such file: {path!r}") from None
            raise FilerError("unreadable", f"cannot stat {path!r}: {error.strerror}") from None
        if not stat.S_ISREG(status.st_mode):
            kind = "a directory" if stat.S_ISDIR(status.st_mode) else "not a regular file"
            raise FilerError("not_a_file", f"{path!r} is {kind}")
        if status.st_size > self.max_size:
            raise FilerError(
                "too_large", f"{path!r} has {status.st_size} bytes; the limit is {self.max_size}"
            )
        try:
            descriptor = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            try:
                data = os.read(descriptor, status.st_size + 1)
                if len(data) > status.st_size:  # it grew since stat: read on, to the limit
                    data += os.read(descriptor, self.max_size + 1 - len(data))
            finally:
                os.close(descriptor)
        except OSError as error:
            raise FilerError("unreadable", f"cannot read {path!r}: {error.strerror}") from None
        if len(data) > self.max_size:
            raise FilerError("too_large", f"{path!r} is over the limit of {self.max_size} bytes")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FilerError(
                "not_utf8", f"{path!r} is not UTF-8 text (byte {error.start})"
            ) from None


def parse_request(frames: list[bytes]) -> str:
    """The path a request asks for: one frame of JSON ``{"path": <string>}``."""
    if len(frames) != 1:
        raise FilerError("bad_request", f"a request is one frame, not {len(frames)}")
    try:
        request = REQUEST_DECODER.decode(frames[0].decode("utf-8"))
    except (ValueError, RecursionError) as error:  # not UTF-8, not JSON, nested too deep
        raise FilerError("bad_request", f"request is not JSON: {error}") from None
    if not isinstance(request, dict) or not isinstance(request.get("path"), str):
        raise FilerError("bad_request", 'request must be a JSON object {"path": <string>}')
    path: str = request["path"]
    return path
