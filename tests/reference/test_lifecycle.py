"""Every role stops cleanly: on SIGINT or SIGTERM it exits 0, and a server removes the ipc
files it bound (SPEC.md LIFE-1, LIFE-2). Servers here bind ipc endpoints only, so that
"removes its ipc file" can be seen."""

from __future__ import annotations

import re
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import zmq

from tests.reference.sandbox import Role, Sandbox, ipc_file

READY_REP = re.escape("Listening for zmq requesters...")
READY_PUB = re.escape("Listening for zmq subscribers...")

Starter = Callable[[Sandbox, Path], Awaitable[tuple[Role, list[str]]]]
"""Starts a server and waits for its ready line; the server and the endpoints it bound."""


async def start_filer_rep(sandbox: Sandbox, tmp_path: Path) -> tuple[Role, list[str]]:
    endpoint = sandbox.ipc()
    role = await sandbox.start(
        "filer_rep", "--bind", endpoint, "--root", str(tmp_path), ready=READY_REP
    )
    return role, [endpoint]


async def start_broker(sandbox: Sandbox, tmp_path: Path) -> tuple[Role, list[str]]:
    frontend, backend = sandbox.ipc(), sandbox.ipc()
    ready = re.escape(f"Forwarding requests from {frontend} to {backend}...")
    role = await sandbox.start("broker", "--frontend", frontend, "--backend", backend, ready=ready)
    return role, [frontend, backend]


async def start_cluster(sandbox: Sandbox, tmp_path: Path) -> tuple[Role, list[str]]:
    endpoint, backend = sandbox.ipc(), sandbox.ipc()
    role = await sandbox.start(
        "filer_rep_cluster",
        *("--bind", endpoint, "--backend", backend, "--workers", "2", "--root", str(tmp_path)),
        ready=READY_REP,
    )
    for line in role.lines:
        if online := re.fullmatch(r"Worker (\d+) is online\.", line):
            sandbox.pids.add(int(online.group(1)))
    assert len(sandbox.pids) == 2, role.lines
    return role, [endpoint, backend]


async def start_watcher_pub(sandbox: Sandbox, tmp_path: Path) -> tuple[Role, list[str]]:
    endpoint = sandbox.ipc()
    (tmp_path / "target.txt").write_text("watched\n")
    role = await sandbox.start("watcher_pub", "target.txt", "--bind", endpoint, ready=READY_PUB)
    return role, [endpoint]


SERVERS = [
    pytest.param(start_filer_rep, id="filer_rep"),
    pytest.param(start_broker, id="broker"),
    pytest.param(start_cluster, id="filer_rep_cluster"),
    pytest.param(start_watcher_pub, id="watcher_pub"),
]
SIGNALS = [
    pytest.param(signal.SIGINT, id="SIGINT"),
    pytest.param(signal.SIGTERM, id="SIGTERM"),
]


@pytest.mark.parametrize("start", SERVERS)
async def test_server_has_bound_its_endpoints_when_it_prints_its_ready_line(
    sandbox: Sandbox, tmp_path: Path, start: Starter
) -> None:
    _, endpoints = await start(sandbox, tmp_path)
    for endpoint in endpoints:
        assert ipc_file(endpoint).exists(), endpoint


@pytest.mark.parametrize("signum", SIGNALS)
@pytest.mark.parametrize("start", SERVERS)
async def test_server_exits_0_and_removes_its_ipc_files_on_signal(
    sandbox: Sandbox, tmp_path: Path, start: Starter, signum: signal.Signals
) -> None:
    server, endpoints = await start(sandbox, tmp_path)
    server.send_signal(signum)
    assert await server.wait() == 0, server.describe()
    for endpoint in endpoints:
        assert not ipc_file(endpoint).exists(), endpoint


@pytest.mark.parametrize("signum", SIGNALS)
async def test_filer_req_waiting_for_a_reply_exits_0_on_signal(
    sandbox: Sandbox, signum: signal.Signals
) -> None:
    """No responder ever comes: a REQ waits for ever, until it is told to stop."""
    requester = await sandbox.start("filer_req", "hello.txt", "--connect", sandbox.ipc())
    assert await requester.readline() == "Sending request for hello.txt"
    requester.send_signal(signum)
    assert await requester.wait() == 0, requester.describe()


@pytest.mark.parametrize("signum", SIGNALS)
async def test_watcher_sub_exits_0_on_signal(sandbox: Sandbox, signum: signal.Signals) -> None:
    endpoint = sandbox.ipc()
    xpub = sandbox.socket(zmq.XPUB, bind=endpoint)
    subscriber = await sandbox.start("watcher_sub", "--connect", endpoint)
    with sandbox.deadline("the subscription"):
        assert await xpub.recv() == b"\x01", "subscribed, so it is running and its handlers are set"
    subscriber.send_signal(signum)
    assert await subscriber.wait() == 0, subscriber.describe()


async def test_filer_rep_stops_on_a_signal_that_comes_right_after_a_reply(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Regression: blocked in recv, the responder missed a SIGTERM that arrived between
    its reply and its next recv (about one time in seven), and ran on. Ten tries."""
    (tmp_path / "hello.txt").write_text("hello\n")
    for _ in range(10):
        endpoint = sandbox.ipc()
        server = await sandbox.start(
            "filer_rep", "--bind", endpoint, "--root", str(tmp_path), ready=READY_REP
        )
        client = sandbox.socket(zmq.REQ, connect=endpoint)
        with sandbox.deadline("the reply"):
            await client.send(b'{"path": "hello.txt"}')
            await client.recv()
        server.send_signal(signal.SIGTERM)
        assert await server.wait() == 0, server.describe()
