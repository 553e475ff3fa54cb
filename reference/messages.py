"""Wire formats and stdout transcript lines of the demos (SPEC.md, "Formats").

Pure functions, no sockets: what a message means lives here once, and the
roles only move bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import orjson

READY_PUB = "Listening for zmq subscribers..."
READY_REP = "Listening for zmq requesters..."


def now_ms() -> int:
    """Milliseconds since the epoch, as JavaScript's ``Date.now()``."""
    return time.time_ns() // 1_000_000


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON, one line (newlines inside strings are escaped).

    Text that cannot be UTF-8 (a lone surrogate from a ``\\ud800`` escape in a
    request) falls back to ASCII escapes, so encoding never fails.
    """
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def content_reply(content: str, timestamp: int, pid: int) -> bytes:
    """The filer's reply with a file's text, as ``encode_json`` would make it.

    orjson escapes a big text about three times as fast as the standard library; text
    decoded from UTF-8 holds no lone surrogate, the one thing it refuses.
    """
    return orjson.dumps({"content": content, "timestamp": timestamp, "pid": pid})


def error_reply(code: str, message: str, timestamp: int, pid: int) -> bytes:
    """The filer's reply to a request it refuses (SPEC.md §3.5)."""
    return encode_json(
        {"error": {"code": code, "message": message}, "timestamp": timestamp, "pid": pid}
    )


def changed(file: str, timestamp: int) -> bytes:
    """The publisher's message for one change of FILE."""
    return encode_json({"type": "changed", "file": file, "timestamp": timestamp})


def file_request(path: str) -> bytes:
    """The requester's message asking for the content of PATH."""
    return encode_json({"path": path})


def changed_line(file: str, timestamp: int) -> str:
    """The subscriber's transcript line for one change message.

    The date is ISO 8601 in UTC with milliseconds, as JavaScript's
    ``Date.prototype.toISOString``.
    """
    date = dt.datetime.fromtimestamp(timestamp / 1000, tz=dt.UTC)
    return (
        f"File '{file}' changed at {date.isoformat(timespec='milliseconds').replace('+00:00', 'Z')}"
    )


def sending_line(file: str) -> str:
    return f"Sending request for {file}"


def sending_numbered_line(number: int, file: str) -> str:
    return f"Sending request {number} for {file}"


def received_line(reply: bytes) -> str:
    """The requester's transcript line: the reply exactly as received."""
    return "Received response: " + reply.decode("utf-8", errors="backslashreplace")


def worker_online_line(pid: int) -> str:
    return f"Worker {pid} is online."


def worker_exited_line(pid: int, code: int) -> str:
    return f"Worker {pid} exited with code {code}"


def broker_ready_line(frontend: str, backend: str) -> str:
    return f"Forwarding requests from {frontend} to {backend}..."
