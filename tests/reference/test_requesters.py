"""filer_req and filer_req_loop: their transcripts, lockstep, and a responder that comes up
late (SPEC.md REQREP-5..7)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import trio
import zmq

from tests.reference.conftest import HELLO, MAX_SIZE
from tests.reference.sandbox import Role, Sandbox

READY = re.escape("Listening for zmq requesters...")
RECEIVED = "Received response: "
LOCKSTEP_WINDOW = 0.1
"""Seconds the test watches for a second request before it answers the first: a correct
requester never sends early, so the window can only miss a broken one, never fail a correct one."""


async def start_filer(sandbox: Sandbox, root: Path, endpoint: str) -> Role:
    return await sandbox.start(
        "filer_rep",
        *("--bind", endpoint, "--root", str(root), "--max-size", str(MAX_SIZE)),
        ready=READY,
    )


def reply_in(line: str) -> dict[str, Any]:
    """The reply JSON of a ``Received response: ...`` line."""
    assert line.startswith(RECEIVED), line
    reply: dict[str, Any] = json.loads(line.removeprefix(RECEIVED))
    return reply


# --------------------------------------------------------------------------- filer_req


async def test_filer_req_prints_its_request_and_the_reply_then_exits_0(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    endpoint = sandbox.endpoint(transport)
    filer = await start_filer(sandbox, root, endpoint)
    requester = await sandbox.start("filer_req", "hello.txt", "--connect", endpoint)
    assert await requester.wait() == 0
    sending, received = await requester.read_rest()
    assert sending == "Sending request for hello.txt"
    reply = reply_in(received)
    assert reply["content"] == HELLO
    assert reply["pid"] == filer.pid


async def test_filer_req_started_before_the_responder_gets_its_reply(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    """ZeroMQ queues the request until the connection is up (REQREP-6)."""
    endpoint = sandbox.endpoint(transport)
    requester = await sandbox.start("filer_req", "hello.txt", "--connect", endpoint)
    assert await requester.readline() == "Sending request for hello.txt"
    filer = await start_filer(sandbox, root, endpoint)
    assert reply_in(await requester.readline())["pid"] == filer.pid
    assert await requester.wait() == 0
    assert await requester.read_rest() == []


async def test_filer_req_prints_an_error_reply_as_received_and_exits_0(
    sandbox: Sandbox, root: Path
) -> None:
    endpoint = sandbox.tcp()
    await start_filer(sandbox, root, endpoint)
    requester = await sandbox.start("filer_req", "missing.txt", "--connect", endpoint)
    assert await requester.wait() == 0
    _, received = await requester.read_rest()
    assert reply_in(received)["error"]["code"] == "not_found"


async def test_filer_req_prints_the_reply_bytes_exactly_as_received(sandbox: Sandbox) -> None:
    """The test plays the responder, so that it knows the exact bytes of the reply."""
    endpoint = sandbox.tcp()
    responder = sandbox.socket(zmq.REP, bind=endpoint)
    requester = await sandbox.start("filer_req", "any.txt", "--connect", endpoint)
    with sandbox.deadline("the request"):
        assert json.loads(await responder.recv()) == {"path": "any.txt"}
    reply = '{"content":"caf\N{LATIN SMALL LETTER E WITH ACUTE}\\n","timestamp":1,"pid":2}'
    await responder.send(reply.encode())
    assert await requester.wait() == 0
    assert await requester.read_rest() == ["Sending request for any.txt", RECEIVED + reply]


# --------------------------------------------------------------------------- filer_req_loop


async def test_filer_req_loop_prints_count_request_reply_pairs_and_exits_0(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    endpoint = sandbox.endpoint(transport)
    filer = await start_filer(sandbox, root, endpoint)
    requester = await sandbox.start(
        "filer_req_loop", "hello.txt", "--count", "5", "--connect", endpoint
    )
    assert await requester.wait() == 0
    lines = await requester.read_rest()
    assert lines[0::2] == [f"Sending request {number} for hello.txt" for number in range(1, 6)]
    replies = [reply_in(line) for line in lines[1::2]]
    assert len(replies) == 5
    assert all(reply["content"] == HELLO and reply["pid"] == filer.pid for reply in replies)


async def test_filer_req_loop_sends_three_requests_by_default(sandbox: Sandbox, root: Path) -> None:
    endpoint = sandbox.tcp()
    await start_filer(sandbox, root, endpoint)
    requester = await sandbox.start("filer_req_loop", "hello.txt", "--connect", endpoint)
    assert await requester.wait() == 0
    lines = await requester.read_rest()
    assert lines[0::2] == [f"Sending request {number} for hello.txt" for number in (1, 2, 3)]
    assert [reply_in(line)["content"] for line in lines[1::2]] == [HELLO] * 3


async def test_filer_req_loop_has_one_request_in_flight_at_a_time(sandbox: Sandbox) -> None:
    """Lockstep, the book's point: request i+1 leaves only after reply i has arrived.

    The test is the responder (a ROUTER, which would accept any number of
    requests at once) and looks for a second request before it answers the first.
    """
    endpoint = sandbox.tcp()
    router = sandbox.socket(zmq.ROUTER, bind=endpoint)
    requester = await sandbox.start(
        "filer_req_loop", "f.txt", "--count", "3", "--connect", endpoint
    )
    for number in (1, 2, 3):
        with sandbox.deadline(f"request {number}"):
            identity, delimiter, request = await router.recv_multipart()
        assert (delimiter, json.loads(request)) == (b"", {"path": "f.txt"})
        assert await requester.readline() == f"Sending request {number} for f.txt"
        with trio.move_on_after(LOCKSTEP_WINDOW) as window:
            await router.recv_multipart()
        assert window.cancelled_caught, "a second request arrived before the first was answered"
        reply = f'{{"content":"reply {number}","timestamp":{number},"pid":1}}'
        await router.send_multipart([identity, b"", reply.encode()])
        assert await requester.readline() == RECEIVED + reply
    assert await requester.wait() == 0
    assert await requester.read_rest() == []


async def test_filer_req_loop_started_before_the_responder_gets_every_reply(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    endpoint = sandbox.endpoint(transport)
    requester = await sandbox.start(
        "filer_req_loop", "hello.txt", "--count", "3", "--connect", endpoint
    )
    assert await requester.readline() == "Sending request 1 for hello.txt"
    filer = await start_filer(sandbox, root, endpoint)
    assert await requester.wait() == 0
    lines = await requester.read_rest()
    assert len(lines) == 5
    assert all(reply_in(line)["pid"] == filer.pid for line in lines[0::2])
