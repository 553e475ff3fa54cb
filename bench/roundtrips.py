"""Round trips per second of filer_rep and filer_rep_cluster, for 1 and for 10 clients.

    python bench/roundtrips.py [--rounds 3] [--seconds 2] [--workers 3]
        [--transport tcp|ipc] [--taskset SERVER_CPUS:CLIENT_CPUS]

A benchmark, not a test: it asserts nothing and prints a table. Both servers
run side by side, serving a file of about 100 bytes; the measurements are
interleaved (rep-1, cluster-1, rep-10, cluster-10, then again) so that a
slow moment of the machine spreads over every configuration instead of
spoiling one. Each client is a process of its own with its own REQ socket,
in lockstep as REQ must be: one request, wait for the reply, the next.
Loopback TCP or ipc only; every process it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import zmq

REPO = Path(__file__).resolve().parents[1]
READY = b"Listening for zmq requesters..."
START_DEADLINE = 15.0
"""Seconds a server or a client may take to come up before the benchmark gives up."""
FILE_TEXT = "The quick brown fox jumps over the lazy dog; a small file for round-trip timing.\n"
CLIENT_COUNTS = (1, 10)


# --------------------------------------------------------------------------- the client


def client_main(endpoint: str, path: str, seconds: float) -> int:
    """One client process: one warm-up round trip, 'ready', wait for 'go', then count
    round trips for SECONDS and print '<count> <elapsed>'."""
    context = zmq.Context()
    sock = context.socket(zmq.REQ)
    sock.linger = 0
    sock.rcvtimeo = sock.sndtimeo = 10_000
    request = json.dumps({"path": path}).encode()
    try:
        sock.connect(endpoint)
        sock.send(request)
        sock.recv()
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            return 1
        count = 0
        start = time.perf_counter()
        end = start + seconds
        while time.perf_counter() < end:
            sock.send(request)
            sock.recv()
            count += 1
        print(count, time.perf_counter() - start, flush=True)
    except zmq.Again:
        print("timeout", flush=True)
        return 1
    finally:
        sock.close()
        context.term()
    return 0


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def read_line(process: subprocess.Popen[bytes], deadline: float) -> bytes:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
    if not ready:
        raise RuntimeError(f"no output from {process.args!r} in time")
    return process.stdout.readline()


@dataclass
class Processes:
    """Every process the benchmark starts, so that all of them are stopped at the end."""

    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(
        self, argv: list[str], cpus: set[int] | None, *, stdin: bool = False
    ) -> subprocess.Popen[bytes]:
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO), environment.get("PYTHONPATH")])
        )
        process = subprocess.Popen(
            argv,
            cwd=REPO,
            env=environment,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=pinned(cpus),
            bufsize=0,  # unbuffered: select() on the pipe then sees every line not yet read
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        """SIGTERM, a grace period, then SIGKILL to each process group; wait for all."""
        for process in self.started:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        for process in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()


@contextlib.contextmanager
def servers(
    processes: Processes,
    root: Path,
    workers: int,
    transport: str,
    ipc_dir: Path,
    cpus: set[int] | None,
) -> Iterator[dict[str, str]]:
    """filer_rep and filer_rep_cluster, both serving ROOT; their endpoints by name."""

    def endpoint(name: str) -> str:
        return (
            f"ipc://{ipc_dir}/{name}.ipc"
            if transport == "ipc"
            else f"tcp://127.0.0.1:{free_port()}"
        )

    endpoints = {"filer_rep": endpoint("rep"), "filer_rep_cluster": endpoint("cluster")}
    python = [sys.executable, "-m"]
    rep = processes.start(
        [*python, "reference.filer_rep", "--bind", endpoints["filer_rep"], "--root", str(root)],
        cpus,
    )
    cluster = processes.start(
        [
            *python,
            "reference.filer_rep_cluster",
            *(
                "--bind",
                endpoints["filer_rep_cluster"],
                "--backend",
                f"ipc://{ipc_dir}/backend.ipc",
            ),
            *("--workers", str(workers), "--root", str(root)),
        ],
        cpus,
    )
    deadline = time.monotonic() + START_DEADLINE
    for process in (rep, cluster):
        while read_line(process, deadline).strip() != READY:
            pass
    yield endpoints


def measure(
    processes: Processes, endpoint: str, clients: int, seconds: float, cpus: set[int] | None
) -> float:
    """Round trips per second of CLIENTS concurrent client processes against ENDPOINT."""
    argv = [sys.executable, __file__, "--client-of", endpoint, "--seconds", str(seconds)]
    group = [processes.start(argv, cpus, stdin=True) for _ in range(clients)]
    deadline = time.monotonic() + START_DEADLINE
    for process in group:
        if read_line(process, deadline).strip() != b"ready":
            raise RuntimeError("a client did not get its warm-up reply")
    for process in group:
        assert process.stdin is not None
        process.stdin.write(b"go\n")
        process.stdin.flush()
    rate = 0.0
    deadline = time.monotonic() + seconds + START_DEADLINE
    for process in group:
        count, elapsed = read_line(process, deadline).split()
        rate += int(count) / float(elapsed)
        process.wait(START_DEADLINE)
    return rate


# --------------------------------------------------------------------------- main


def parse_cpus(text: str) -> set[int]:
    cpus: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    return cpus


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, choices=range(1, 11), metavar="1..10")
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement (0.2..10)")
    parser.add_argument("--workers", type=int, default=3, choices=range(1, 17), metavar="1..16")
    parser.add_argument("--transport", choices=("tcp", "ipc"), default="tcp", help="to the servers")
    parser.add_argument(
        "--taskset",
        metavar="SERVER_CPUS:CLIENT_CPUS",
        help="pin the servers and the clients to these CPUs, e.g. 0:1 or 0-1:2-3",
    )
    parser.add_argument("--client-of", metavar="ENDPOINT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 0.2 <= args.seconds <= 10:
        parser.error("--seconds must be within 0.2..10")
    if args.client_of:
        return client_main(args.client_of, "file.txt", args.seconds)
    server_cpus = client_cpus = None
    if args.taskset:
        server_text, _, client_text = args.taskset.partition(":")
        server_cpus, client_cpus = parse_cpus(server_text), parse_cpus(client_text or server_text)

    configurations = [
        (server, clients)
        for clients in CLIENT_COUNTS
        for server in ("filer_rep", "filer_rep_cluster")
    ]
    rates: dict[tuple[str, int], list[float]] = {
        configuration: [] for configuration in configurations
    }
    processes = Processes()
    workdir = Path(tempfile.mkdtemp(prefix="zb", dir="/tmp"))
    try:
        (workdir / "file.txt").write_text(FILE_TEXT)
        with servers(
            processes, workdir, args.workers, args.transport, workdir, server_cpus
        ) as endpoints:
            for round_number in range(1, args.rounds + 1):
                for server, clients in configurations:
                    rate = measure(processes, endpoints[server], clients, args.seconds, client_cpus)
                    rates[server, clients].append(rate)
                    print(
                        f"round {round_number}: {server:<18} {clients:>2} client(s)"
                        f" {rate:>9.0f} rt/s",
                        file=sys.stderr,
                        flush=True,
                    )
    finally:
        processes.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"# {platform.python_implementation()} {platform.python_version()},"
        f" pyzmq {zmq.__version__},"
        f" libzmq {zmq.zmq_version()}, {os.cpu_count()} CPUs, transport {args.transport},"
        f" {args.workers} cluster workers, {len(FILE_TEXT)}-byte file, {args.rounds} rounds"
        f" x {args.seconds:g} s, taskset {args.taskset or 'none'}"
    )
    print(f"| {'server':<18} | clients | median rt/s | min rt/s | max rt/s | spread |")
    print(f"|{'-' * 20}|--------:|------------:|---------:|---------:|-------:|")
    for server, clients in sorted(configurations, key=lambda item: (item[0], item[1])):
        values = rates[server, clients]
        median = statistics.median(values)
        spread = (max(values) - min(values)) / median * 100 if median else 0.0
        print(
            f"| {server:<18} | {clients:>7} | {median:>11.0f} | {min(values):>8.0f} |"
            f" {max(values):>8.0f} | {spread:>5.1f}% |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
