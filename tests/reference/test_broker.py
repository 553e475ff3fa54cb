"""broker: a ROUTER/DEALER forwarder that passes every multipart message unchanged both ways
(SPEC.md BROKER-1, BROKER-2). The test plays both the clients and the workers."""

from __future__ import annotations

import re

import pytest
import trio
import zmq

from conformance.zsock import AsyncSocket
from tests.reference.sandbox import Role, Sandbox

MEBIBYTE = 1024 * 1024


async def start_broker(sandbox: Sandbox, transport: str) -> tuple[Role, str, str]:
    """A broker; its frontend and backend endpoints."""
    frontend, backend = sandbox.endpoint(transport), sandbox.endpoint(transport)
    broker = await sandbox.start(
        "broker",
        *("--frontend", frontend, "--backend", backend),
        ready=re.escape(f"Forwarding requests from {frontend} to {backend}..."),
    )
    return broker, frontend, backend


async def test_req_client_and_rep_worker_round_trip_through_the_broker(
    sandbox: Sandbox, transport: str
) -> None:
    _, frontend, backend = await start_broker(sandbox, transport)
    worker = sandbox.socket(zmq.REP, connect=backend)
    client = sandbox.socket(zmq.REQ, connect=frontend)
    with sandbox.deadline("the round trip through the broker"):
        await client.send(b"ping")
        assert await worker.recv() == b"ping"
        await worker.send(b"pong")
        assert await client.recv() == b"pong"


FRAMES = [
    pytest.param([b"one frame"], id="one-frame"),
    pytest.param([b""], id="one-empty-frame"),
    pytest.param([b"", b"", b""], id="empty-frames"),
    pytest.param([b"a", b"", b"c", b"\x00\xff" * 8], id="mixed-and-binary"),
    pytest.param([b"x" * MEBIBYTE], id="one-mebibyte"),
    pytest.param([b"head", b"\xa5" * MEBIBYTE, b"", b"tail"], id="mebibyte-among-small"),
]


@pytest.mark.parametrize("frames", FRAMES)
async def test_multipart_message_passes_unchanged_both_ways(
    sandbox: Sandbox, transport: str, frames: list[bytes]
) -> None:
    """DEALER on both sides, so that no socket adds or strips frames of its own: the
    worker sees the client's identity frame (added by the broker's ROUTER) and then
    exactly the client's frames, and the reply comes back frame for frame."""
    _, frontend, backend = await start_broker(sandbox, transport)
    worker = sandbox.socket(zmq.DEALER, connect=backend)
    client = sandbox.socket(zmq.DEALER, connect=frontend)
    with sandbox.deadline("the message through the broker and its reply"):
        await client.send_multipart(frames)
        identity, *forwarded = await worker.recv_multipart()
        assert forwarded == frames
        reply = [*reversed(frames), b"reply"]
        await worker.send_multipart([identity, *reply])
        assert await client.recv_multipart() == reply


async def test_each_reply_reaches_the_client_that_sent_the_request(sandbox: Sandbox) -> None:
    """Four REQ clients and two REP workers, all at once (BROKER-2)."""
    _, frontend, backend = await start_broker(sandbox, "tcp")
    failures: list[str] = []
    served: dict[str, int] = {"worker0": 0, "worker1": 0}

    async def worker(name: str, sock: AsyncSocket) -> None:
        while True:
            await sock.send(await sock.recv() + b" via " + name.encode())
            served[name] += 1

    async def client(number: int) -> None:
        sock = sandbox.socket(zmq.REQ, connect=frontend)
        for index in range(25):
            request = f"client {number} request {index}".encode()
            await sock.send(request)
            reply = await sock.recv()
            if not reply.startswith(request + b" via worker"):
                failures.append(f"client {number} sent {request!r}, got {reply!r}")

    with sandbox.deadline("100 replies to 4 clients"):
        async with trio.open_nursery() as workers:
            for name in served:
                workers.start_soon(worker, name, sandbox.socket(zmq.REP, connect=backend))
            async with trio.open_nursery() as clients:
                for number in range(4):
                    clients.start_soon(client, number)
            workers.cancel_scope.cancel()
    assert not failures
    assert sum(served.values()) == 100
