"""What the fuzz campaign (bench/fuzz.py) found in the reference filer, as regression tests.

Each was a bug of the reference, fixed; a new finding comes as a strict xfail (and a
family in bench/fuzz.py's KNOWN_DEVIATIONS) until its fix. The requests are the
campaign's, byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import zmq

from conformance.world import Peer, receive
from tests.reference.conftest import HELLO
from tests.reference.sandbox import Role, Sandbox
from tests.reference.test_filer import start_filer


async def ask(sandbox: Sandbox, peer: Peer, role: Role, frames: list[bytes]) -> dict[str, Any]:
    """Send FRAMES and return the decoded reply; fail at once if the responder exits instead."""
    with sandbox.deadline(f"the reply to {frames[0][:60]!r}..."):
        await peer.send(*frames)
        reply = await receive(peer, watching=role.process)
    if reply is None:
        pytest.fail(f"no reply to {frames[0][:60]!r}...: the responder exited{role.describe()}")
    decoded: dict[str, Any] = json.loads(reply[0])
    return decoded


async def serving(sandbox: Sandbox, root: Path) -> tuple[Role, Peer]:
    endpoint = sandbox.ipc()
    role = await start_filer(sandbox, root, endpoint)
    return role, Peer("client", sandbox.socket(zmq.REQ, connect=endpoint), sandbox.transcript)


async def test_deeply_nested_json_gets_bad_request_and_the_responder_goes_on(
    sandbox: Sandbox, root: Path
) -> None:
    role, peer = await serving(sandbox, root)
    request = b'{"path":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert (await ask(sandbox, peer, role, [request]))["error"]["code"] == "bad_request"
    assert (await ask(sandbox, peer, role, [b'{"path":"hello.txt"}']))["content"] == HELLO


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
async def test_a_frame_that_is_not_utf8_json_gets_bad_request(
    sandbox: Sandbox, root: Path, frame: bytes
) -> None:
    role, peer = await serving(sandbox, root)
    reply = await ask(sandbox, peer, role, [frame])
    assert reply.get("error", {}).get("code") == "bad_request", reply


async def test_a_path_with_a_lone_surrogate_gets_an_error_even_when_dotdot_removes_it(
    sandbox: Sandbox, root: Path
) -> None:
    role, peer = await serving(sandbox, root)
    reply = await ask(sandbox, peer, role, [b'{"path":"dir/\\udcff/../inner.txt"}'])
    assert "error" in reply, reply
