"""Endpoints never collide, ipc folders vanish, and fixed endpoints are used one case at a time."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
import trio

from conformance.endpoints import PORTS, Endpoints, fixed_endpoint_lock, worker_ports
from conformance.errors import HarnessError

PROGRAMS = Path(__file__).parent / "programs"
TCP = re.compile(r"tcp://127\.0\.0\.1:(\d+)")
T = TypeVar("T")


def run(main: Callable[[], Awaitable[T]], timeout: float = 20) -> T:
    async def bounded() -> T:
        with trio.fail_after(timeout):
            return await main()

    return trio.run(bounded)


def port_of(endpoint: str) -> int:
    match = TCP.fullmatch(endpoint)
    assert match, endpoint
    return int(match[1])


def bindable(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


def unique_ipc() -> str:
    return f"ipc:///tmp/zc-test-{uuid.uuid4().hex}.ipc"  # never bound: only its lock matters


def test_ipc_endpoints_are_short_distinct_and_removed_with_their_folder() -> None:
    with Endpoints() as endpoints:
        directory = endpoints.directory
        assert directory.parent == Path("/tmp")
        assert directory.name.startswith("zc-")
        found = [
            endpoints.ipc("frontend"),
            endpoints.ipc("frontend"),
            endpoints.ipc("backend"),
            endpoints.endpoint("ipc", "backend"),
        ]
        assert found[:3] == [
            f"ipc://{directory}/frontend.ipc",
            f"ipc://{directory}/frontend-2.ipc",
            f"ipc://{directory}/backend.ipc",
        ]
        assert len(set(found)) == len(found)
        sockets = []
        for endpoint in found:
            path = endpoint.removeprefix("ipc://")
            assert len(path.encode()) < 100
            unix = socket.socket(socket.AF_UNIX)
            unix.bind(path)  # a real socket file, left behind as a crashed server would
            sockets.append(unix)
        (directory / "files").mkdir()
        (directory / "files" / "notes.txt").write_text("per-case file")
    assert not directory.exists()
    for unix in sockets:
        unix.close()


def test_the_folder_is_removed_when_the_case_fails() -> None:
    directories: list[Path] = []

    def failing_case() -> None:
        with socket.socket(socket.AF_UNIX) as unix, Endpoints() as endpoints:
            directories.append(endpoints.directory)
            unix.bind(endpoints.ipc("endpoint").removeprefix("ipc://"))
            raise RuntimeError("case failed")

    with pytest.raises(RuntimeError, match="case failed"):
        failing_case()
    assert not directories[0].exists()


def test_bad_names_and_transports_are_harness_errors() -> None:
    with Endpoints() as endpoints:
        for name in ("", "a/b", "../up", "x" * 40, "space d"):
            with pytest.raises(HarnessError, match="bad ipc endpoint name"):
                endpoints.ipc(name)
        with pytest.raises(HarnessError, match="unknown transport 'udp'"):
            endpoints.endpoint("udp", "endpoint")
    with pytest.raises(HarnessError, match="closed"):
        endpoints.tcp()


def test_tcp_endpoints_are_loopback_free_distinct_and_in_this_workers_slice() -> None:
    seen: set[int] = set()
    for _ in range(3):  # one Endpoints per case, as in a run
        with Endpoints() as endpoints:
            found = [endpoints.tcp() for _ in range(20)] + [endpoints.endpoint("tcp", "frontend")]
            ports = [port_of(endpoint) for endpoint in found]
            assert not seen & set(ports)
            seen |= set(ports)
            for port in ports:
                assert port in worker_ports()
                assert bindable(port)
    assert len(seen) == 63


def test_worker_slices_are_disjoint_and_below_the_ephemeral_range() -> None:
    assert worker_ports(environ={}) == PORTS
    assert PORTS.start >= 1024
    assert PORTS.stop <= 32768
    for count in (1, 2, 3, 8, 64):
        slices = [
            worker_ports(
                environ={
                    "PYTEST_XDIST_WORKER": f"gw{index}",
                    "PYTEST_XDIST_WORKER_COUNT": str(count),
                }
            )
            for index in range(count)
        ]
        ports = [port for part in slices for port in part]
        assert len(ports) == len(set(ports))
        assert set(ports) <= set(PORTS)
        assert all(len(part) >= len(PORTS) // count for part in slices)


def test_a_port_that_is_taken_or_claimed_is_skipped() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        taken = listener.getsockname()[1]
        with (
            Endpoints(ports=range(taken, taken + 1)) as endpoints,
            pytest.raises(HarnessError, match=f"no free TCP port in {taken}..{taken}"),
        ):
            endpoints.tcp()
    with Endpoints() as first:
        claimed = port_of(first.tcp())
        with Endpoints(ports=range(claimed, claimed + 1)) as second:
            with pytest.raises(HarnessError, match="no free TCP port"):
                second.tcp()  # nothing listens there, but another case claimed it
            first.close()
            assert port_of(second.tcp()) == claimed


def test_concurrent_endpoints_in_threads_get_distinct_ports() -> None:
    results: list[list[int]] = []
    barrier = threading.Barrier(4)

    def claim() -> None:
        with Endpoints() as endpoints:
            barrier.wait(timeout=10)
            results.append([port_of(endpoints.tcp()) for _ in range(25)])
            barrier.wait(timeout=10)  # all hold their ports at once

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    ports = [port for part in results for port in part]
    assert len(ports) == 100
    assert len(set(ports)) == 100


def test_concurrent_processes_of_the_same_worker_get_distinct_ports() -> None:
    env = {**os.environ, "PYTEST_XDIST_WORKER": "gw0", "PYTEST_XDIST_WORKER_COUNT": "64"}
    procs = [
        subprocess.Popen(
            [sys.executable, str(PROGRAMS / "claim_ports.py"), "40"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(2)
    ]
    claimed: list[int] = []
    try:
        for proc in procs:
            assert proc.stdout is not None
            lines = [proc.stdout.readline().strip() for _ in range(41)]
            assert lines[-1] == "claimed", lines
            claimed += [port_of(endpoint) for endpoint in lines[:-1]]
        # Both hold their 40 ports now; a third claimant in this process avoids them too.
        slice_ = worker_ports(environ=env)
        with Endpoints(ports=slice_) as endpoints:
            mine = [port_of(endpoints.tcp()) for _ in range(40)]
    finally:
        for proc in procs:
            proc.communicate(timeout=10)
    assert all(port in slice_ for port in claimed)
    assert len(set(claimed + mine)) == 120
    assert all(proc.returncode == 0 for proc in procs)


def test_fixed_endpoint_lock_serialises_two_processes() -> None:
    endpoint = unique_ipc()
    procs = [
        subprocess.Popen(
            [sys.executable, str(PROGRAMS / "hold_fixed_lock.py"), endpoint, "0.4"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    spans = []
    for proc in procs:
        out, _ = proc.communicate(timeout=20)
        assert proc.returncode == 0
        times = dict(line.split() for line in out.splitlines())
        spans.append((float(times["acquired"]), float(times["released"])))
    first, second = sorted(spans)
    assert second[0] >= first[1]  # the second got the lock only after the first let go


def test_fixed_endpoint_lock_times_out_naming_the_endpoint() -> None:
    endpoint = unique_ipc()

    async def main() -> None:
        async with fixed_endpoint_lock([endpoint]):
            with pytest.raises(HarnessError) as caught:
                async with fixed_endpoint_lock([endpoint], timeout=0.3):
                    pytest.fail("got a lock that is held")
            assert endpoint in str(caught.value)
            assert "0.3 s" in str(caught.value)
        async with fixed_endpoint_lock([endpoint], timeout=0.3):
            pass  # released on the way out

    run(main)


def test_tcp_endpoints_on_one_port_share_a_lock_whatever_the_host() -> None:
    port = 40000 + uuid.uuid4().int % 20000

    async def main() -> None:
        async with fixed_endpoint_lock([f"tcp://*:{port}"]):
            with pytest.raises(HarnessError, match=f"127.0.0.1:{port}"):
                async with fixed_endpoint_lock([f"tcp://127.0.0.1:{port}"], timeout=0.2):
                    pass

    run(main)


def test_fixed_endpoint_locks_in_any_order_do_not_deadlock_and_are_released_on_errors() -> None:
    a, b = unique_ipc(), unique_ipc()
    inside: list[str] = []

    async def hold(name: str, endpoints: list[str]) -> None:
        for _ in range(5):
            async with fixed_endpoint_lock(endpoints, timeout=10):
                inside.append(name)
                assert len(inside) == 1
                await trio.sleep(0.01)
                inside.remove(name)

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(hold, "ab", [a, b])
            nursery.start_soon(hold, "ba", [b, a, b])
        with pytest.raises(KeyError):
            async with fixed_endpoint_lock([a, b]):
                raise KeyError("case failed")
        async with fixed_endpoint_lock([b], timeout=0.2), fixed_endpoint_lock([a], timeout=0.2):
            pass
        async with fixed_endpoint_lock([]):
            pass

    run(main)
