"""What the fuzz campaign (bench/fuzz.py) found in the reference filer, as regression tests.

Each was a bug of the reference, fixed; a new finding comes as a strict xfail (and a
family in bench/fuzz.py's KNOWN_DEVIATIONS) until its fix. The requests are the
campaign's, byte for byte.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import zmq

from tests.reference.conftest import HELLO
from tests.reference.launch import DEADLINE, Role, Sandbox
from tests.reference.test_filer import start_filer


def ask(sock: zmq.Socket[bytes], role: Role, frames: list[bytes]) -> dict[str, Any]:
    """Send FRAMES and return the decoded reply; fail at once if the responder exits instead."""
    sock.send_multipart(frames)
    exited = os.pidfd_open(role.pid)
    try:
        poller = zmq.Poller()
        poller.register(sock, zmq.POLLIN)
        poller.register(exited, zmq.POLLIN)
        events = dict(poller.poll(int(DEADLINE * 1000)))
    finally:
        os.close(exited)
    if sock not in events:
        code = role.process.poll()
        pytest.fail(
            f"no reply to {frames[0][:60]!r}...: "
            + (f"the responder exited with {code}" if code is not None else "none in time")
            + f"; stderr: {role.stderr[-500:]!r}"
        )
    reply: dict[str, Any] = json.loads(sock.recv())
    return reply


def serving(sandbox: Sandbox, root: Path) -> tuple[Role, zmq.Socket[bytes]]:
    endpoint = sandbox.ipc()
    role = start_filer(sandbox, root, endpoint)
    return role, sandbox.socket(zmq.REQ, connect=endpoint)


def test_deeply_nested_json_gets_bad_request_and_the_responder_goes_on(
    sandbox: Sandbox, root: Path
) -> None:
    role, sock = serving(sandbox, root)
    request = b'{"path":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert ask(sock, role, [request])["error"]["code"] == "bad_request"
    assert ask(sock, role, [b'{"path":"hello.txt"}'])["content"] == HELLO


NOT_UTF8_JSON = {
    "utf-16": '{"path":"hello.txt"}'.encode("utf-16-le"),
    "utf-16-bom": '{"path":"hello.txt"}'.encode("utf-16"),
    "utf-32": '{"path":"hello.txt"}'.encode("utf-32-be"),
    "encoded-surrogate": b'{"path":"hello.txt","x":"\xed\xa0\x80"}',
    "nan": b'{"path":"hello.txt","x":NaN}',
    "infinity": b'{"path":"hello.txt","x":-Infinity}',
}
"""Frames that are not UTF-8 JSON (SPEC.md §3.5: bad_request), which Python's json.loads on
bytes accepts: it guesses UTF-16/32 from the NUL bytes, decodes with 'surrogatepass', and
takes NaN and Infinity."""


@pytest.mark.parametrize("frame", NOT_UTF8_JSON.values(), ids=NOT_UTF8_JSON.keys())
def test_a_frame_that_is_not_utf8_json_gets_bad_request(
    sandbox: Sandbox, root: Path, frame: bytes
) -> None:
    role, sock = serving(sandbox, root)
    reply = ask(sock, role, [frame])
    assert reply.get("error", {}).get("code") == "bad_request", reply


def test_a_path_with_a_lone_surrogate_gets_an_error_even_when_dotdot_removes_it(
    sandbox: Sandbox, root: Path
) -> None:
    role, sock = serving(sandbox, root)
    reply = ask(sock, role, [b'{"path":"dir/\\udcff/../inner.txt"}'])
    assert "error" in reply, reply
