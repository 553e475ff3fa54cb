"""What the filer responder answers to a request: pure logic over the file system.

:func:`answer` turns the frames of one request into the frames of its reply.
It never raises for bad input: every request gets exactly one reply, because
a REP that does not reply wedges its requester for ever (SPEC.md REQREP-3).
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from reference import messages

DEFAULT_MAX_SIZE = 16 * 1024 * 1024
"""Largest file the filer serves, in bytes (``--max-size``); bigger ones get ``too_large``."""


class FilerError(Exception):
    """A request the filer refuses; becomes an error reply, never a crash."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Filer:
    """Serves the files under ``root`` (resolved), up to ``max_size`` bytes each."""

    root: Path
    max_size: int = DEFAULT_MAX_SIZE

    @classmethod
    def at(cls, root: str | os.PathLike[str], max_size: int = DEFAULT_MAX_SIZE) -> Filer:
        return cls(Path(root).resolve(strict=True), max_size)

    def answer(self, frames: list[bytes]) -> bytes:
        """The reply to one request, given as its list of frames."""
        try:
            content = self.read(parse_request(frames))
        except FilerError as error:
            return messages.encode_json(
                {
                    "error": {"code": error.code, "message": error.message},
                    "timestamp": messages.now_ms(),
                    "pid": os.getpid(),
                }
            )
        return messages.encode_json(
            {"content": content, "timestamp": messages.now_ms(), "pid": os.getpid()}
        )

    def resolve(self, path: str) -> Path:
        """The file that PATH names under the root; refuses anything outside it.

        SPEC.md 3.3's resolution rule: a walk over the components that follows symlinks
        (at most 40) and keeps a missing component as a plain name, which a later ``..``
        pops; the end point decides.
        """
        if "\0" in path or not path:
            raise FilerError("bad_request", "path must be a non-empty string without NUL")
        if os.path.isabs(path):
            raise FilerError("forbidden", f"absolute paths are not served: {path!r}")
        try:
            target = Path(walk(str(self.root), path))
        except ValueError:  # e.g. a lone surrogate from a "\ud800" escape: no file has that name
            raise FilerError("bad_request", f"{path!r} cannot be a file name here") from None
        except SymlinkLoop:
            raise FilerError("not_found", f"{path!r} meets a symlink loop") from None
        if not target.is_relative_to(self.root):
            raise FilerError("forbidden", f"{path!r} is outside the served root")
        return target

    def read(self, path: str) -> str:
        """The text of the file PATH names, or a FilerError saying why not."""
        target = self.resolve(path)
        try:
            status = target.stat()
        except (FileNotFoundError, NotADirectoryError):
            raise FilerError("not_found", f"no such file: {path!r}") from None
        except OSError as error:
            raise FilerError("unreadable", f"cannot stat {path!r}: {error.strerror}") from None
        if target.is_dir():
            raise FilerError("not_a_file", f"{path!r} is a directory")
        if not target.is_file():
            raise FilerError("not_a_file", f"{path!r} is not a regular file")
        if status.st_size > self.max_size:
            raise FilerError(
                "too_large", f"{path!r} has {status.st_size} bytes; the limit is {self.max_size}"
            )
        try:
            with target.open("rb") as file:
                data = file.read(self.max_size + 1)
        except OSError as error:
            raise FilerError("unreadable", f"cannot read {path!r}: {error.strerror}") from None
        if len(data) > self.max_size:  # it grew since stat
            raise FilerError("too_large", f"{path!r} is over the limit of {self.max_size} bytes")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FilerError(
                "not_utf8", f"{path!r} is not UTF-8 text (byte {error.start})"
            ) from None


MAX_SYMLINKS = 40
"""Symlinks followed in one resolution before it counts as a loop (SPEC.md 3.3)."""


class SymlinkLoop(Exception):
    """A resolution followed more than MAX_SYMLINKS symlinks."""


def walk(root: str, path: str) -> str:
    """Where PATH leads from ROOT by SPEC.md 3.3's rule (ROOT is a real path)."""
    current, followed = root, 0
    pending = list(reversed(path.split("/")))
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            current = os.path.dirname(current)
            continue
        candidate = os.path.join(current, part)
        try:
            is_link = stat.S_ISLNK(os.lstat(candidate).st_mode)
        except OSError:  # missing, or under a non-directory: a plain name, judged at the end
            is_link = False
        if not is_link:
            current = candidate
            continue
        followed += 1
        if followed > MAX_SYMLINKS:
            raise SymlinkLoop(path)
        target = os.readlink(candidate)
        if target.startswith("/"):
            current = "/"
        pending.extend(reversed(target.split("/")))
    return current


def parse_request(frames: list[bytes]) -> str:
    """The path a request asks for: one frame of JSON ``{"path": <string>}``."""
    if len(frames) != 1:
        raise FilerError("bad_request", f"a request is one frame, not {len(frames)}")
    try:
        request = json.loads(frames[0])
    except (ValueError, UnicodeDecodeError) as error:
        raise FilerError("bad_request", f"request is not JSON: {error}") from None
    if not isinstance(request, dict) or not isinstance(request.get("path"), str):
        raise FilerError("bad_request", 'request must be a JSON object {"path": <string>}')
    path: str = request["path"]
    return path
