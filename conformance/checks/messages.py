"""Reading the demos' messages and transcript lines (SPEC.md, "Formats")."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

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


def file_request(path: str) -> bytes:
    """The request the harness sends for PATH, as filer-req would."""
    return json.dumps({"path": path}).encode("utf-8")


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


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_reply(frames: tuple[bytes, ...]) -> Reply:
    """Interpret the frames of a filer reply (SPEC.md: reply and error reply)."""
    if len(frames) != 1:
        return Reply(problem=f"a reply is one frame, got {len(frames)}")
    try:
        value = json.loads(frames[0])
    except (ValueError, UnicodeDecodeError) as error:
        return Reply(problem=f"the reply is not JSON ({error}): {frames[0][:80]!r}")
    if not isinstance(value, dict):
        return Reply(problem=f"the reply is not a JSON object: {frames[0][:80]!r}")
    pid, timestamp = value.get("pid"), value.get("timestamp")
    if not _is_int(pid) or not _is_int(timestamp):
        return Reply(problem=f"the reply lacks integer pid and timestamp: {frames[0][:120]!r}")
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
