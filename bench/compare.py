"""Every server role beside its floor, in one run: round trips, bytes and latency, interleaved.

    python bench/compare.py [--rounds 3] [--seconds 1] [--changes 20] [--out bench/results]
        [--taskset SERVER_CPUS:CLIENT_CPUS] [--before CHECKOUT] [--tables reqrep,broker,...]
        [--sizes 100,65536,262144,1048576]

A benchmark, not a test: it asserts nothing. It starts every server once (those with a
hard-coded endpoint only around their own measurements), then measures every configuration
once per round, in an order rotated from round to round, so that a slow moment of a shared
machine spreads over all of them. Tables (printed, in results.json/.md, one PNG chart each):

- ``reqrep-<size>``: REQ/REP round trips/s for a text file of that size, with 1 and with 10
  lockstep REQ clients (a process each): the floor (bench/floors.py: a raw pyzmq REP that
  answers a fixed reply of the same size), ``filer_rep``, ``filer_rep_cluster --workers 3``,
  and the Node programs (alternates/) when their node_modules are installed;
- ``broker``: ``zmq.proxy`` (the floor) vs ``reference.broker`` (and Node's), each in front
  of a raw REP worker;
- ``pubsub``: milliseconds from a change to a subscriber: a line to a raw PUB (the floor) vs
  a write of the watched file, to a SUB's receive (and to watcher_sub's printed line);
- ``harness``: REQ/REP round trips over ipc of the trio adapter (conformance/zsock.py) vs
  blocking pyzmq: bench/zsock_roundtrips.py's clients and echo server.

``--before CHECKOUT`` adds that checkout's reference roles and trio adapter as ``(before)``
rows, run by the same Python with PYTHONPATH pointing there. Loopback TCP to the servers,
ipc behind them; every process it starts is stopped at the end, its temp folder removed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import zmq

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package
from processes import Process, Processes, parse_cpus
from servers import (
    HERE,
    NODE_FIXED,
    READY_REP,
    REPO,
    Server,
    brokers,
    port_is_free,
    publishers,
    reference,
    responders,
    tcp_endpoint,
)
from tables import Row, Table, draw, markdown, paired_ratio, write_json

START_DEADLINE = 20.0
"""Seconds a server, a client or a measurement may take beyond its own length."""
SIZES = (100, 64 * 1024, 256 * 1024, 1024 * 1024)
CLIENTS = (1, 10)
TEXT = "The quick brown fox jumps over the lazy dog; a line of a text file for timing.\n"
TABLES = ("reqrep", "broker", "pubsub", "harness")
WARMUP_ROUND_TRIPS = 200
"""What bench/zsock_roundtrips.py's clients do before their clock starts."""
HARNESS_CLIENTS = ("blocking pyzmq", "zsock on trio", "zmq.asyncio")


def size_name(size: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} B"


def clients_name(count: int) -> str:
    return f"{count} client" if count == 1 else f"{count} clients"


@dataclass
class Run:
    """One benchmark run: settings, processes, client pools and the tables being filled."""

    args: argparse.Namespace
    work: Path
    processes: Processes = field(default_factory=Processes)
    pools: dict[Path, list[Process]] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    server_cpus: set[int] | None = None
    client_cpus: set[int] | None = None
    round: int = 0

    @property
    def root(self) -> Path:
        return self.work / "root"

    # ------------------------------------------------------------------ servers

    def start(self, server: Server) -> bool:
        """Start SERVER (and its worker) and wait until it is ready; False if its fixed
        port is taken. A port taken between choosing and binding is chosen again."""
        if server.fixed_port is not None and not port_is_free(server.fixed_port):
            return False
        for attempt in range(3):
            if any("{endpoint}" in arg for arg in server.argv):
                server.endpoint = tcp_endpoint()
            process = self.processes.start(
                server.command(), cwd=server.cwd, cpus=self.server_cpus, env=server.env
            )
            server.processes = [process]
            try:
                process.wait_for(
                    server.ready.replace("{endpoint}", server.endpoint), START_DEADLINE
                )
                break
            except RuntimeError:
                self.stop(server)
                if attempt == 2 or not server.endpoint.startswith("tcp://"):
                    raise
        if server.worker:
            worker = self.processes.start(
                server.worker, cwd=server.cwd, cpus=self.server_cpus, env=server.env
            )
            worker.wait_for(READY_REP, START_DEADLINE)
            server.processes.append(worker)
        return True

    def stop(self, server: Server) -> None:
        for process in server.processes:
            self.processes.stop(process)
        server.processes = []

    @contextlib.contextmanager
    def serving(self, server: Server) -> Iterator[bool]:
        """Around one measurement: a server with a fixed port is started, then stopped."""
        if server.fixed_port is None:
            yield bool(server.processes)
            return
        try:
            yield self.start(server)
        finally:
            self.stop(server)

    # ------------------------------------------------------------------ clients

    def together(
        self, commands: list[dict[str, object]], harness: Path = HERE
    ) -> list[dict[str, float]] | None:
        """Give one client process each command, let them all go at once; their answers
        (None, reported on stderr, if any failed). HARNESS: whose zsock_roundtrips.py."""
        pool = self.pools.setdefault(harness, [])
        while len(pool) < len(commands):
            argv = [sys.executable, str(HERE / "clients.py"), str(harness)]
            pool.append(self.processes.start(argv, cwd=self.work, cpus=self.client_cpus))
        group = pool[: len(commands)]
        deadline = time.monotonic() + START_DEADLINE
        for client, command in zip(group, commands, strict=True):
            client.write(json.dumps(command))
        answers = [json.loads(client.next_line(deadline)[1]) for client in group]
        ready = [client for client, said in zip(group, answers, strict=True) if "ready" in said]
        for client in ready:
            client.write("go")
        deadline = time.monotonic() + self.args.seconds + START_DEADLINE
        results = [json.loads(client.next_line(deadline)[1]) for client in ready]
        failed = [said for said in answers + results if "error" in said]
        if failed:
            print(f"  failed: {failed}", file=sys.stderr, flush=True)
            return None
        return results

    def round_trips(self, server: Server, path: str, clients: int) -> list[float] | None:
        """[round trips/s, reply bytes/s, server CPU us/request] of CLIENTS lockstep clients
        asking for PATH. The CPU time is that of every process of the server (workers too)
        and depends much less on how busy the machine is than the rates do."""
        command = {
            "kind": "req",
            "endpoint": server.endpoint,
            "path": path,
            "seconds": self.args.seconds,
        }
        groups = {process.popen.pid for process in server.processes}
        cpu = cpu_seconds(groups)
        results = self.together([command] * clients)
        if results is None:
            return None
        requests = sum(result["count"] for result in results) + clients  # and the warm-ups
        return [
            sum(result["count"] / result["elapsed"] for result in results),
            sum(result["bytes"] / result["elapsed"] for result in results),
            (cpu_seconds(groups) - cpu) / requests * 1e6,
        ]

    def latencies(self, server: Server, printer: Process | None = None) -> list[float]:
        """Milliseconds from a change to its arrival, ``--changes`` times: a write of the
        server's file (the floor: a line to it) -> a message on a SUB (or a line of PRINTER)."""
        sub: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.SUB)
        sub.linger = 0
        sub.subscribe(b"")
        sub.connect(server.endpoint)
        samples: list[float] = []
        try:
            for number in range(-3, self.args.changes):  # 3 to warm up and join
                while sub.poll(0):
                    sub.recv()
                while printer is not None and not printer.lines.empty():
                    printer.lines.get_nowait()
                start = time.perf_counter()
                if server.file is None:
                    server.processes[0].write("change")
                else:
                    server.file.write_text(f"change {number}\n")
                if printer is not None:
                    arrived, _ = printer.next_line(time.monotonic() + 2.0)
                elif sub.poll(2000):
                    sub.recv()
                    arrived = time.perf_counter()
                else:
                    continue
                if number >= 0:
                    samples.append((arrived - start) * 1000)
                time.sleep(self.args.gap)  # the workload: separate changes, not a burst
        except TimeoutError:
            pass
        finally:
            sub.close()
        return samples


def cpu_seconds(groups: set[int]) -> float:
    """User and system CPU seconds of the live processes of the process GROUPS (Linux)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
                if int(fields[2]) in groups:
                    total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------- the plan

Measurement = tuple[str, Callable[[], None]]


def reqrep_plan(run: Run, servers: list[Server]) -> list[Measurement]:
    measurements: list[Measurement] = []
    for size in run.args.sizes:
        table = run.tables.setdefault(
            f"reqrep-{size}",
            Table(
                f"reqrep-{size}", f"REQ/REP round trips, {size_name(size)} file", "round trips/s"
            ),
        )
        for clients in CLIENTS:
            for server in servers:
                row = table.row(f"{server.label} | {clients_name(clients)}", floor=server.floor)

                def measure(
                    server: Server = server,
                    size: int = size,
                    clients: int = clients,
                    row: Row = row,
                ) -> None:
                    with run.serving(server) as up:
                        result = (
                            run.round_trips(server, f"file-{size}.txt", clients) if up else None
                        )
                    if result is None:
                        row.missed.append("port taken" if not up else "failed")
                        return
                    row.add(run.round, *result)

                measurements.append((f"{table.title}: {row.label}", measure))
    return measurements


def broker_plan(run: Run, servers: list[Server]) -> list[Measurement]:
    table = run.tables.setdefault(
        "broker", Table("broker", "ROUTER/DEALER broker + raw REP worker, 100 B", "round trips/s")
    )
    measurements: list[Measurement] = []
    for clients in CLIENTS:
        for server in servers:
            row = table.row(f"{server.label} | {clients_name(clients)}", floor=server.floor)

            def measure(server: Server = server, clients: int = clients, row: Row = row) -> None:
                result = run.round_trips(server, "file-100.txt", clients)
                if result is None:
                    row.missed.append("failed")
                    return
                row.add(run.round, *result)

            measurements.append((f"broker: {row.label}", measure))
    return measurements


def pubsub_plan(run: Run, servers: list[Server]) -> list[Measurement]:
    table = run.tables.setdefault(
        "pubsub",
        Table("pubsub", "PUB/SUB: change -> subscriber latency", "ms", higher_is_better=False),
    )
    targets: list[tuple[str, Server, Process | None]] = [
        (f"{server.label}: {'line' if server.floor else 'write'} -> SUB", server, None)
        for server in servers
    ]
    watcher = next(server for server in servers if server.label == "watcher_pub")
    sub = reference(
        "watcher_sub", REPO, "watcher_sub", "--connect", watcher.endpoint, ready="", cwd=run.work
    )
    printer = run.processes.start(sub.command(), cwd=run.work, env=sub.env)
    targets.append(("watcher_pub: write -> watcher_sub line", watcher, printer))
    measurements: list[Measurement] = []
    for label, server, line_of in targets:
        row = table.row(label, floor=server.floor)
        samples: list[float] = []

        def measure(
            server: Server = server,
            line_of: Process | None = line_of,
            row: Row = row,
            samples: list[float] = samples,
        ) -> None:
            with run.serving(server) as up:
                new = run.latencies(server, line_of) if up else []
            if not new:
                row.missed.append("port taken" if not up else "no change seen")
                return
            samples.extend(new)
            row.add(run.round, statistics.median(new))
            row.p99 = statistics.quantiles(samples, n=100)[98] if len(samples) > 1 else samples[0]

        measurements.append((f"pubsub: {label}", measure))
    return measurements


def harness_plan(run: Run, echo: Server) -> list[Measurement]:
    table = run.tables.setdefault(
        "harness",
        Table("harness", "harness sockets: REQ/REP round trips over ipc, 100 B", "round trips/s"),
    )
    checkouts = [("", HERE)]
    if run.args.before and (Path(run.args.before) / "bench" / "zsock_roundtrips.py").exists():
        checkouts.append((" (before)", Path(run.args.before).resolve() / "bench"))
    measurements: list[Measurement] = []
    for client in HARNESS_CLIENTS:
        for suffix, harness in checkouts if client == "zsock on trio" else checkouts[:1]:
            row = table.row(client + suffix, floor=client == "blocking pyzmq")

            def measure(client: str = client, harness: Path = harness, row: Row = row) -> None:
                command = {
                    "kind": "zsock",
                    "client": client,
                    "endpoint": echo.endpoint,
                    "size": 100,
                    "seconds": run.args.seconds,
                }
                results = run.together([command], harness)
                if results is not None:
                    rate, cpu = results[0]["rate"], results[0]["cpu"]
                    round_trips = rate * run.args.seconds + WARMUP_ROUND_TRIPS
                    row.add(run.round, rate, None, cpu / round_trips * 1e6)
                else:
                    row.missed.append("failed")

            measurements.append((f"harness: {row.label}", measure))
    return measurements


def plan(run: Run) -> list[Measurement]:
    """Start the servers of the tables asked for; every measurement, in first-round order."""
    args, work, root = run.args, run.work, run.root
    root.mkdir()
    for size in {100, *args.sizes}:  # lines of text, as a served file would have
        (root / f"file-{size}.txt").write_text((TEXT * (size // len(TEXT) + 1))[:size])
    trees = [("", REPO)]
    if args.before:
        trees.append((" (before)", Path(args.before).resolve()))
    measurements: list[Measurement] = []
    wanted = args.tables.split(",")
    for name, servers_of, plan_of in [
        ("reqrep", responders, reqrep_plan),
        ("broker", brokers, broker_plan),
        ("pubsub", publishers, pubsub_plan),
    ]:
        if name in wanted:
            servers = servers_of(root, work, trees)
            for server in servers:
                if server.fixed_port is None:
                    run.start(server)
            measurements += plan_of(run, servers)
    if "harness" in wanted:
        endpoint = f"ipc://{work}/zsock.ipc"
        echo = Server(
            "zsock echo",
            [sys.executable, str(HERE / "zsock_roundtrips.py"), "--serve", endpoint],
            "ready",
            work,
            endpoint=endpoint,
        )
        run.start(echo)
        measurements += harness_plan(run, echo)
    return measurements


# ---------------------------------------------------------------------- the machine, the targets


def machine(args: argparse.Namespace) -> dict[str, object]:
    """What the figures depend on, recorded with them."""
    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]
    zeromq = NODE_FIXED / "node_modules" / "zeromq" / "package.json"
    node = None
    if shutil.which("node"):
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": models[0] if models else platform.processor(),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pyzmq": zmq.__version__,
        "libzmq": zmq.zmq_version(),
        "node": node,
        "node_zeromq": json.loads(zeromq.read_text())["version"] if zeromq.exists() else None,
        "taskset": args.taskset,
        "rounds": args.rounds,
        "seconds": args.seconds,
        "changes": args.changes,
        "before": args.before,
        "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "command": " ".join(["python", "bench/compare.py", *sys.argv[1:]]),
    }


def machine_line(facts: dict[str, object]) -> str:
    load = facts["load_average_at_start"]
    assert isinstance(load, list)
    return (
        f"{facts['cpus']} CPUs ({facts['cpu_model']}), load {load[0]:.2f} at start;"
        f" Python {facts['python']}, pyzmq {facts['pyzmq']}, libzmq {facts['libzmq']},"
        f" Node {facts['node'] or '-'} (zeromq {facts['node_zeromq'] or '-'});"
        f" taskset {facts['taskset'] or 'none'}; {facts['rounds']} rounds x {facts['seconds']} s"
    )


def by_round(
    tables: dict[str, Table], table: str, label: str, *, bytes_: bool = False
) -> dict[int, float]:
    for row in tables[table].rows if table in tables else []:
        if row.label == label:
            return row.bytes_by_round if bytes_ else row.by_round
    return {}


def targets(tables: dict[str, Table]) -> list[str]:
    """The figures issue 10 set targets for, as lines: each a ratio (the median of the
    per-round ratios) and its target."""
    lines = []

    def ratio(text: str, target: str, over: dict[int, float], under: dict[int, float]) -> None:
        paired = paired_ratio(over, under)
        value = "-" if paired is None else f"{paired:.2f}"
        lines.append(f"- {text}: {value} (target {target})")

    one, ten = clients_name(1), clients_name(10)
    floor = "raw pyzmq REP (floor)"
    ratio(
        "filer_rep / floor, 100 B, 1 client, round trips",
        ">= 0.8",
        by_round(tables, "reqrep-100", f"filer_rep | {one}"),
        by_round(tables, "reqrep-100", f"{floor} | {one}"),
    )
    ratio(
        "filer_rep / floor, 1 MiB, 1 client, bytes/s",
        ">= 0.9",
        by_round(tables, "reqrep-1048576", f"filer_rep | {one}", bytes_=True),
        by_round(tables, "reqrep-1048576", f"{floor} | {one}", bytes_=True),
    )
    for clients in (one, ten):
        ratio(
            f"reference.broker / zmq.proxy, {clients}",
            ">= 0.95",
            by_round(tables, "broker", f"broker + raw REP | {clients}"),
            by_round(tables, "broker", f"zmq.proxy (floor) + raw REP | {clients}"),
        )
    for size in ("262144", "100"):
        ratio(
            f"filer_rep_cluster / filer_rep, {size} B, 10 clients",
            "> 1.0 at 256 KiB",
            by_round(tables, f"reqrep-{size}", f"filer_rep_cluster | {ten}"),
            by_round(tables, f"reqrep-{size}", f"filer_rep | {ten}"),
        )
    ratio(
        "zsock on trio / blocking pyzmq",
        ">= 0.67",
        by_round(tables, "harness", "zsock on trio"),
        by_round(tables, "harness", "blocking pyzmq"),
    )
    for row in tables["pubsub"].rows if "pubsub" in tables else []:
        if row.label.startswith("watcher_pub:") and row.values:
            lines.append(
                f"- {row.label}: median of round medians {row.median:.1f} ms,"
                f" p99 {row.p99 or 0:.1f} ms (target <= 50 and <= 200)"
            )
    return lines


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every measurement")
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one measurement")
    parser.add_argument("--changes", type=int, default=20, help="changes per latency measurement")
    parser.add_argument("--gap", type=float, default=0.05, help="seconds between two changes")
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results", help="output folder"
    )
    parser.add_argument(
        "--taskset",
        metavar="SERVER_CPUS:CLIENT_CPUS",
        help="pin the servers and the clients, e.g. 0:1",
    )
    parser.add_argument("--before", metavar="CHECKOUT", help="also run this checkout's roles")
    parser.add_argument("--tables", default=",".join(TABLES), help="some of " + ",".join(TABLES))
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        type=lambda text: [int(size) for size in text.split(",")],
        help="file sizes of the reqrep tables, in bytes",
    )
    args = parser.parse_args()
    if set(args.tables.split(",")) - set(TABLES):
        parser.error(f"--tables: choose from {','.join(TABLES)}")
    if args.rounds < 1 or not 0.1 <= args.seconds <= 30 or args.changes < 1:
        parser.error("--rounds and --changes must be >= 1, --seconds within 0.1..30")
    return args


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # run `finally`
    facts = machine(args)
    line = machine_line(facts)
    print(f"# {line}", file=sys.stderr, flush=True)
    run = Run(args, Path(tempfile.mkdtemp(prefix="zbench", dir="/tmp")))
    if args.taskset:
        server, _, client = args.taskset.partition(":")
        run.server_cpus, run.client_cpus = parse_cpus(server), parse_cpus(client or server)
    try:
        measurements = plan(run)
        for number in range(args.rounds):
            run.round = number
            shift = number * len(measurements) // args.rounds
            order = measurements[shift:] + measurements[:shift]
            for name, measure in order if number % 2 == 0 else order[::-1]:
                measure()
                print(f"round {number + 1}/{args.rounds}: {name}", file=sys.stderr, flush=True)
    finally:
        run.processes.stop_all()
        shutil.rmtree(run.work, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    tables = list(run.tables.values())
    text = "\n\n".join(
        [
            f"Machine: {line}",
            *(markdown(table) for table in tables),
            "Targets (issue 10):",
            "\n".join(targets(run.tables)),
        ]
    )
    print(text)
    (args.out / "results.md").write_text(text + "\n")
    write_json(args.out / "results.json", facts, tables)
    charts = [draw(args.out / f"{table.name}.png", table, line) for table in tables]
    print(
        f"written to {args.out}/: results.json, results.md"
        + (", one PNG chart per table" if all(charts) else " (no charts: pip install .[bench])"),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
