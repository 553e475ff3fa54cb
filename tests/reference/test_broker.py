"""broker: a ROUTER/DEALER forwarder that passes every multipart message unchanged both ways
(SPEC.md BROKER-1, BROKER-2). The test plays both the clients and the workers."""

from __future__ import annotations

import re
import threading

import pytest
import zmq

from tests.reference.launch import Role, Sandbox

MEBIBYTE = 1024 * 1024


def start_broker(sandbox: Sandbox, transport: str) -> tuple[Role, str, str]:
    """A broker; its frontend and backend endpoints."""
    frontend, backend = sandbox.endpoint(transport), sandbox.endpoint(transport)
    broker = sandbox.start(
        "broker",
        *("--frontend", frontend, "--backend", backend),
        ready=re.escape(f"Forwarding requests from {frontend} to {backend}..."),
    )
    return broker, frontend, backend


def test_req_client_and_rep_worker_round_trip_through_the_broker(
    sandbox: Sandbox, transport: str
) -> None:
    _, frontend, backend = start_broker(sandbox, transport)
    worker = sandbox.socket(zmq.REP, connect=backend)
    client = sandbox.socket(zmq.REQ, connect=frontend)
    client.send(b"ping")
    assert worker.recv() == b"ping"
    worker.send(b"pong")
    assert client.recv() == b"pong"


FRAMES = [
    pytest.param([b"one frame"], id="one-frame"),
    pytest.param([b""], id="one-empty-frame"),
    pytest.param([b"", b"", b""], id="empty-frames"),
    pytest.param([b"a", b"", b"c", b"\x00\xff" * 8], id="mixed-and-binary"),
    pytest.param([b"x" * MEBIBYTE], id="one-mebibyte"),
    pytest.param([b"head", b"\xa5" * MEBIBYTE, b"", b"tail"], id="mebibyte-among-small"),
]


@pytest.mark.parametrize("frames", FRAMES)
def test_multipart_message_passes_unchanged_both_ways(
    sandbox: Sandbox, transport: str, frames: list[bytes]
) -> None:
    """DEALER on both sides, so that no socket adds or strips frames of its own: the
    worker sees the client's identity frame (added by the broker's ROUTER) and then
    exactly the client's frames, and the reply comes back frame for frame."""
    _, frontend, backend = start_broker(sandbox, transport)
    worker = sandbox.socket(zmq.DEALER, connect=backend)
    client = sandbox.socket(zmq.DEALER, connect=frontend)
    client.send_multipart(frames)
    identity, *forwarded = worker.recv_multipart()
    assert forwarded == frames
    reply = [*reversed(frames), b"reply"]
    worker.send_multipart([identity, *reply])
    assert client.recv_multipart() == reply


def test_each_reply_reaches_the_client_that_sent_the_request(sandbox: Sandbox) -> None:
    """Four REQ clients and two REP workers, all at once (BROKER-2)."""
    _, frontend, backend = start_broker(sandbox, "tcp")
    stop = threading.Event()
    failures: list[str] = []
    served: dict[str, int] = {"worker0": 0, "worker1": 0}

    def worker(name: str) -> None:
        sock = sandbox.socket(zmq.REP, connect=backend, managed=False)
        try:
            while not stop.is_set():
                if sock.poll(50):
                    sock.send(sock.recv() + b" via " + name.encode())
                    served[name] += 1
        finally:
            sock.close()

    def client(number: int) -> None:
        sock = sandbox.socket(zmq.REQ, connect=frontend, managed=False)
        try:
            for index in range(25):
                request = f"client {number} request {index}".encode()
                sock.send(request)
                reply = sock.recv()
                if not reply.startswith(request + b" via worker"):
                    failures.append(f"client {number} sent {request!r}, got {reply!r}")
        except zmq.ZMQError as error:
            failures.append(f"client {number}: {error!r}")
        finally:
            sock.close()

    workers = [threading.Thread(target=worker, args=(name,)) for name in served]
    clients = [threading.Thread(target=client, args=(number,)) for number in range(4)]
    for thread in workers + clients:
        thread.start()
    for thread in clients:
        thread.join()
    stop.set()
    for thread in workers:
        thread.join()
    assert not failures
    assert sum(served.values()) == 100
