"""filer_rep_cluster: a master with REP workers behind a ROUTER/DEALER, a drop-in replacement
for filer_rep that restarts dead workers and never leaves one behind (SPEC.md CLUSTER-1..5)."""

from __future__ import annotations

import json
import os
import re
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trio
import zmq

from conformance.procfs import alive, process_info
from conformance.zsock import AsyncSocket
from tests.reference.conftest import HELLO, MAX_SIZE
from tests.reference.sandbox import DEADLINE, Role, Sandbox, ipc_file

READY_LINE = "Listening for zmq requesters..."
ONLINE = r"Worker (\d+) is online\."


@dataclass
class Cluster:
    master: Role
    endpoint: str
    """Where requesters connect (the master's ROUTER)."""
    backend: str
    workers: list[int]
    """The pids of the online lines, in order."""


def parent_of(pid: int) -> int | None:
    info = process_info(pid)
    return None if info is None else info.ppid


async def start_cluster(sandbox: Sandbox, root: Path, transport: str, workers: int = 3) -> Cluster:
    """A cluster whose ready line has been seen, after exactly WORKERS online lines."""
    endpoint, backend = sandbox.endpoint(transport), sandbox.endpoint(transport)
    master = await sandbox.start(
        "filer_rep_cluster",
        *("--bind", endpoint, "--backend", backend, "--workers", str(workers)),
        *("--root", str(root), "--max-size", str(MAX_SIZE)),
    )
    pids = []
    for _ in range(workers):
        line = await master.readline()
        online = re.fullmatch(ONLINE, line)
        assert online, f"expected an online line, got {line!r}{master.describe()}"
        pids.append(int(online.group(1)))
        sandbox.pids.add(pids[-1])
    assert await master.readline() == READY_LINE
    return Cluster(master, endpoint, backend, pids)


async def ask(sock: AsyncSocket, path: str) -> dict[str, Any]:
    """One request on a REQ socket; the reply, decoded (within DEADLINE)."""
    with trio.fail_after(DEADLINE):
        await sock.send(json.dumps({"path": path}).encode())
        reply: dict[str, Any] = json.loads(await sock.recv())
    return reply


async def ask_with_retry(sandbox: Sandbox, endpoint: str, path: str) -> dict[str, Any]:
    """One request, retried on a fresh REQ socket if no reply comes in time ("lazy pirate"):
    a request that was queued to a worker when it died is lost, and REQ would wait for ever."""
    for _ in range(5):
        sock = sandbox.socket(zmq.REQ, connect=endpoint)
        try:
            with trio.move_on_after(DEADLINE / 4):
                return await ask(sock, path)
        finally:
            sock.close()
    raise AssertionError(f"no reply to a request for {path!r} in 5 tries")


async def test_master_prints_an_online_line_for_each_of_its_workers(
    sandbox: Sandbox, root: Path
) -> None:
    cluster = await start_cluster(sandbox, root, "ipc", workers=3)
    assert len(set(cluster.workers)) == 3
    for pid in cluster.workers:
        assert alive(pid)
        assert parent_of(pid) == cluster.master.pid


@pytest.mark.slow
async def test_300_requests_from_10_concurrent_clients_are_all_answered_by_several_workers(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    cluster = await start_cluster(sandbox, root, transport)
    answered_by: list[int] = []
    failures: list[str] = []

    async def client(number: int) -> None:
        sock = sandbox.socket(zmq.REQ, connect=cluster.endpoint)
        for _ in range(30):
            reply = await ask(sock, "hello.txt")
            if reply.get("content") != HELLO:
                failures.append(f"client {number} got {reply}")
            answered_by.append(reply["pid"])

    async with trio.open_nursery() as clients:
        for number in range(10):
            clients.start_soon(client, number)
    assert not failures
    assert len(answered_by) == 300
    assert set(answered_by) <= set(cluster.workers)
    assert len(set(answered_by)) > 1


async def test_cluster_is_a_drop_in_replacement_for_filer_rep(sandbox: Sandbox, root: Path) -> None:
    """The book's filer_req, unchanged, gets its reply from a worker."""
    cluster = await start_cluster(sandbox, root, "tcp", workers=2)
    requester = await sandbox.start("filer_req", "hello.txt", "--connect", cluster.endpoint)
    assert await requester.wait() == 0
    sending, received = await requester.read_rest()
    assert sending == "Sending request for hello.txt"
    reply = json.loads(received.removeprefix("Received response: "))
    assert reply["content"] == HELLO
    assert reply["pid"] in cluster.workers


async def test_cluster_answers_bad_requests_with_error_replies_and_goes_on(
    sandbox: Sandbox, root: Path
) -> None:
    cluster = await start_cluster(sandbox, root, "ipc", workers=2)
    client = sandbox.socket(zmq.REQ, connect=cluster.endpoint)
    for path, code in [("../secret.txt", "forbidden"), ("missing.txt", "not_found"),
                       ("big.txt", "too_large"), ("latin1.txt", "not_utf8")]:  # fmt: skip
        reply = await ask(client, path)
        assert reply["error"]["code"] == code, reply
        assert reply["pid"] in cluster.workers
    with sandbox.deadline("the reply to a request that is not JSON"):
        await client.send(b"not json")
        assert json.loads(await client.recv())["error"]["code"] == "bad_request"
    assert (await ask(client, "hello.txt"))["content"] == HELLO


async def test_worker_killed_with_sigkill_is_reported_restarted_and_the_cluster_keeps_answering(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    cluster = await start_cluster(sandbox, root, transport)
    victim = cluster.workers[0]
    os.kill(victim, signal.SIGKILL)
    await cluster.master.expect(re.escape(f"Worker {victim} exited with code -9"))
    replacement = int((await cluster.master.expect(ONLINE)).group(1))
    sandbox.pids.add(replacement)
    assert replacement not in cluster.workers
    assert not alive(victim)
    survivors = {*cluster.workers[1:], replacement}
    seen: set[int] = set()
    for _ in range(30):
        reply = await ask_with_retry(sandbox, cluster.endpoint, "hello.txt")
        assert reply["content"] == HELLO
        seen.add(reply["pid"])
    assert seen <= survivors
    with trio.move_on_after(DEADLINE):  # the new worker's connection may still be coming up
        while replacement not in seen:
            seen.add((await ask_with_retry(sandbox, cluster.endpoint, "hello.txt"))["pid"])
    assert replacement in seen, "the restarted worker never answered"


async def test_sigterm_to_the_master_ends_every_worker_and_removes_the_ipc_files(
    sandbox: Sandbox, root: Path
) -> None:
    cluster = await start_cluster(sandbox, root, "ipc")
    assert ipc_file(cluster.endpoint).exists()
    assert ipc_file(cluster.backend).exists()
    cluster.master.send_signal(signal.SIGTERM)
    assert await cluster.master.wait() == 0
    exited = {
        int(match.group(1))
        for line in await cluster.master.read_rest()
        if (match := re.fullmatch(r"Worker (\d+) exited with code -?\d+", line))
    }
    assert exited == set(cluster.workers)
    assert [pid for pid in cluster.workers if alive(pid)] == []
    assert not ipc_file(cluster.endpoint).exists()
    assert not ipc_file(cluster.backend).exists()


async def test_workers_exit_on_their_own_when_the_master_is_killed(
    sandbox: Sandbox, root: Path
) -> None:
    """SIGKILL gives the master no chance to stop its workers: they must notice (CLUSTER-5)."""
    cluster = await start_cluster(sandbox, root, "ipc")
    cluster.master.send_signal(signal.SIGKILL)
    assert await cluster.master.wait() == -signal.SIGKILL
    await sandbox.until_gone(cluster.workers)
    # A killed process cannot unlink its ipc files; clear them so the sandbox check
    # looks only for files that a clean exit should have removed.
    ipc_file(cluster.endpoint).unlink()
    ipc_file(cluster.backend).unlink()
