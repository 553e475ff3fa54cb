"""Building hand-made transcripts for checker tests (the h11 ConnectionPair idea)."""

from __future__ import annotations

import json

from conformance.model import Exited, Printed, Received, Sent, Started, Transcript


def transcript() -> Transcript:
    return Transcript()


def started(t: Transcript, process: str, pid: int) -> None:
    t.record(Started, process=process, pid=pid, argv=(process,))


def printed(t: Transcript, process: str, *lines: str) -> None:
    for line in lines:
        t.record(Printed, process=process, line=line)


def exited(t: Transcript, process: str, code: int) -> None:
    t.record(Exited, process=process, code=code)


def exchange(
    t: Transcript, peer: str, request: tuple[bytes, ...], reply: tuple[bytes, ...] | None
) -> None:
    t.record(Sent, peer=peer, frames=request)
    if reply is not None:
        t.record(Received, peer=peer, frames=reply)


def content_reply(content: str, pid: int = 100) -> tuple[bytes, ...]:
    return (json.dumps({"content": content, "timestamp": 1, "pid": pid}).encode(),)


def error_reply(code: str, pid: int = 100) -> tuple[bytes, ...]:
    body = {"error": {"code": code, "message": "m"}, "timestamp": 1, "pid": pid}
    return (json.dumps(body).encode(),)
