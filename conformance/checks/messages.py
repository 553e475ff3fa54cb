"""Reading the demos' messages and transcript lines (SPEC.md, "Formats")."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

from conformance.deadlines import CASE_TIMEOUT, TIMESTAMP_SLACK_MS

TRANSCRIPT_PATTERNS: dict[str, re.Pattern[str]] = {
    "change": re.compile(r"^File '(?P<file>.*)' changed at (?P<date>.+)$"),
    "sending": re.compile(r"^Sending request for (?P<file>.*)$"),
    "sending_i": re.compile(r"^Sending request (?P<i>[1-9][0-9]*) for (?P<file>.*)$"),
    "received": re.compile(r"^Received response: (?P<reply>.*)$"),
    "online": re.compile(r"^Worker (?P<pid>[1-9][0-9]*) is online\.$"),
    "exited": re.compile(r"^Worker (?P<pid>[1-9][0-9]*) exited with code (?P<code>-?[0-9]+)$"),
}
"""The transcript lines of SPEC.md 3.6, by the names SPEC.md gives them; matched against the
whole line. The one source of these regexes: tests/test_spec_document.py compares SPEC.md's
list with this one, name for name and character for character."""
CHANGED = TRANSCRIPT_PATTERNS["change"]
RECEIVED = TRANSCRIPT_PATTERNS["received"]
WORKER_ONLINE = TRANSCRIPT_PATTERNS["online"]
WORKER_EXITED = TRANSCRIPT_PATTERNS["exited"]


REQUEST_STYLES = ("ascii", "compact", "spaced", "escaped")
"""Ways to encode the same file request; a responder must read them all (SPEC.md 3.1):
``ascii`` as Python's ``json.dumps`` writes it (non-ASCII as ``\\u`` escapes, a space after
``:``), ``compact`` as ``JSON.stringify`` (no whitespace, non-ASCII raw UTF-8), ``spaced``
(indented over several lines, raw UTF-8), ``escaped`` (every character of the path a ``\\u``
escape, ``/`` as ``\\/``)."""


def file_request(path: str, style: str = "ascii") -> bytes:
    """The request the harness sends for PATH, in one of REQUEST_STYLES (by default as
    Python's ``json.dumps`` writes it)."""
    body = {"path": path}
    if style == "ascii":
        return json.dumps(body).encode("utf-8")
    if style == "compact":
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if style == "spaced":
        return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
    if style == "escaped":
        return b'{"path":"' + escaped(path).encode("ascii") + b'"}'
    raise ValueError(f"unknown request style {style!r}; one of {REQUEST_STYLES}")


def escaped(text: str) -> str:
    """TEXT as the inside of a JSON string that escapes every character: ``\\uXXXX`` (a
    surrogate pair beyond the BMP), ``/`` as ``\\/``. Valid JSON that no encoder writes."""
    units = text.encode("utf-16-be", "surrogatepass")
    return "".join(
        "\\/" if units[i : i + 2] == b"\x00/" else f"\\u{units[i] << 8 | units[i + 1]:04x}"
        for i in range(0, len(units), 2)
    )


def request_path(frames: tuple[bytes, ...]) -> str | None:
    """The ``path`` of a one-frame request as the harness sends it (unknown keys and all);
    None if it is not one."""
    if len(frames) != 1:
        return None
    try:
        value = json.loads(frames[0])
    except (ValueError, UnicodeDecodeError):
        return None
    path = value.get("path") if isinstance(value, dict) else None
    return path if isinstance(path, str) else None


MESSAGE_STYLES = ("compact", "spaced", "reordered", "ascii")
"""Ways to encode the same change message; a subscriber must read them all (SPEC.md 3.1)."""


def changed_message(file: str, timestamp: int, style: str = "compact") -> bytes:
    """A change message, as a watcher-pub could publish it, in one of MESSAGE_STYLES."""
    body = {"type": "changed", "file": file, "timestamp": timestamp}
    if style == "compact":
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if style == "spaced":
        return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
    if style == "reordered":
        return json.dumps(dict(reversed(body.items())), ensure_ascii=False).encode("utf-8")
    if style == "ascii":
        return json.dumps(body, ensure_ascii=True).encode("ascii")
    raise ValueError(f"unknown message style {style!r}; one of {MESSAGE_STYLES}")


@dataclass(frozen=True)
class Reply:
    """A filer reply, read leniently: ``problem`` says what is wrong with it, if anything."""

    content: str | None = None
    pid: int | None = None
    timestamp: int | None = None
    error_code: str | None = None
    problem: str | None = None


REPLY_FORMAT = (
    'one frame: {"content":<text>,"timestamp":<ms>,"pid":<pid>} or '
    '{"error":{"code":<code>,"message":<text>},"timestamp":<ms>,"pid":<pid>}'
)
"""What a filer reply looks like (SPEC.md 3.4, 3.5), for failure reports."""


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_message(frame: bytes) -> tuple[Any, str | None]:
    """The JSON value of one frame of SPEC.md 3.1, or why it is not one: the bytes are decoded
    as strict UTF-8 first (Python's ``json.loads`` of bytes would take an encoded surrogate,
    ``ED A0 80``, for a character), then parsed."""
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"not UTF-8 ({error.reason} at byte {error.start}): {frame[:80]!r}"
    try:
        return json.loads(text), None
    except (ValueError, RecursionError) as error:
        return None, f"not JSON ({error}): {frame[:80]!r}"


WINDOW_BEFORE_MS = TIMESTAMP_SLACK_MS
WINDOW_AFTER_MS = round(CASE_TIMEOUT * 1000) + TIMESTAMP_SLACK_MS
"""A reply's ``timestamp`` lies from WINDOW_BEFORE_MS before the case began to WINDOW_AFTER_MS
after its last event (a case's budget plus the slack): a check of units, not of latency."""


def read_reply(frames: tuple[bytes, ...], window: tuple[int, int] | None = None) -> Reply:
    """Interpret the frames of a filer reply (SPEC.md: reply and error reply); with WINDOW
    (ms since the epoch), a ``timestamp`` outside it is a problem too."""
    if len(frames) != 1:
        return Reply(problem=f"a reply is one frame, got {len(frames)}")
    value, problem = decode_message(frames[0])
    if problem is not None:
        return Reply(problem=f"the reply is {problem}")
    if not isinstance(value, dict):
        return Reply(problem=f"the reply is not a JSON object: {frames[0][:80]!r}")
    if b"\n" in frames[0] or b"\r" in frames[0]:
        at = min(i for i in (frames[0].find(b"\n"), frames[0].find(b"\r")) if i >= 0)
        return Reply(
            problem=f"the reply holds a raw LF or CR byte (at byte {at}; SPEC.md 3.1: a reply "
            f"is printed on one line): {frames[0][max(0, at - 40) : at + 40]!r}"
        )
    pid, timestamp = value.get("pid"), value.get("timestamp")
    if not _is_int(pid) or not _is_int(timestamp):
        return Reply(problem=f"the reply lacks integer pid and timestamp: {frames[0][:120]!r}")
    if window is not None and not window[0] <= timestamp <= window[1]:
        return Reply(
            problem=f'"timestamp" {timestamp} is not within the case ({window[0]}..{window[1]} '
            "ms since the epoch): milliseconds since the epoch, as Date.now()"
        )
    if "error" in value:
        failure = value["error"]
        if not isinstance(failure, dict) or not isinstance(failure.get("code"), str):
            return Reply(problem=f'"error" is not {{"code": <string>, ...}}: {failure!r}'[:200])
        if not isinstance(failure.get("message"), str):
            return Reply(problem=f'"error" has no string "message": {failure!r}'[:200])
        return Reply(pid=pid, timestamp=timestamp, error_code=failure["code"])
    content = value.get("content")
    if not isinstance(content, str):
        return Reply(
            problem=f'the reply has neither a string "content" nor an "error": {frames[0][:120]!r}'
        )
    return Reply(content=content, pid=pid, timestamp=timestamp)


def worker_pids(lines: list[str]) -> list[int]:
    """The pids of the cluster's 'Worker <pid> is online.' lines, in order."""
    return [int(m["pid"]) for line in lines if (m := WORKER_ONLINE.match(line))]


def shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def contrast(expected: str, seen: str, limit: int = 120) -> tuple[str, str]:
    """EXPECTED and SEEN as two short reprs that show where they differ: from a little before
    the first character that differs (``…`` marks a cut), and with every non-ASCII character
    escaped when the two would otherwise look alike (NFC against NFD, U+2028 against its
    escape)."""
    first = next(
        (i for i, (a, b) in enumerate(zip(expected, seen, strict=False)) if a != b),
        min(len(expected), len(seen)),
    )
    start = max(0, first - 20)

    def view(text: str, show: Callable[[object], str]) -> str:
        return shorten(("…" if start else "") + show(text[start:]), limit)

    views = view(expected, repr), view(seen, repr)
    if unicodedata.normalize("NFKC", views[0]) == unicodedata.normalize("NFKC", views[1]):
        views = view(expected, ascii), view(seen, ascii)
    return views
