"""The servers the benchmark compares: floors, reference roles (of this and another checkout)
and the Node programs, as data: what to run, where, and the line that says it is ready.

``{endpoint}`` (``{frontend}`` for brokers) in an argv is replaced by a free loopback
endpoint when the server starts; a server with a ``fixed_port`` has its endpoint built in.
"""

from __future__ import annotations

import random
import shutil
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from processes import Process

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NODE_FIXED = REPO / "alternates" / "node-fixed"
NODE_BOOK = REPO / "alternates" / "node"
READY_REP = "Listening for zmq requesters..."
READY_PUB = "Listening for zmq subscribers..."


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as libzmq binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def tcp_endpoint() -> str:
    """A loopback endpoint on a port below the ephemeral range, so that the clients' own
    connections cannot take it; free now, though another program may take it first."""
    for _ in range(100):
        port = random.randrange(20_000, 30_000)
        if port_is_free(port):
            return f"tcp://127.0.0.1:{port}"
    raise RuntimeError("no free loopback port")


@dataclass
class Server:
    """How to start one server, and its processes once started."""

    label: str
    argv: list[str]
    ready: str
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    floor: bool = False
    endpoint: str = ""
    fixed_port: int | None = None
    """Its endpoint is built in: it runs only around its own measurements, if the port is free."""
    worker: list[str] | None = None
    """A raw REP worker to start once it is ready (behind a broker)."""
    file: Path | None = None
    """The file a publisher watches."""
    processes: list[Process] = field(default_factory=list)

    def command(self) -> list[str]:
        return [arg.replace("{endpoint}", self.endpoint) for arg in self.argv]


def have_node(folder: Path) -> bool:
    return (folder / "node_modules").is_dir() and shutil.which("node") is not None


def floor(label: str, kind: str, *args: str, ready: str, cwd: Path) -> Server:
    return Server(
        label, [sys.executable, str(HERE / "floors.py"), kind, *args], ready, cwd, floor=True
    )


def reference(label: str, tree: Path, module: str, *args: str, ready: str, cwd: Path) -> Server:
    argv = [sys.executable, "-m", f"reference.{module}", *args]
    return Server(label, argv, ready, cwd, env={"PYTHONPATH": str(tree)})


def node(label: str, folder: Path, script: str, *args: str, ready: str, cwd: Path) -> Server:
    return Server(label, ["node", str(folder / script), *args], ready, cwd)


def responders(root: Path, work: Path, trees: list[tuple[str, Path]]) -> list[Server]:
    """REQ/REP servers of ROOT's files: the floor, each tree's filer_rep and cluster, Node's."""
    served = ("--bind", "{endpoint}", "--root", str(root))
    servers = [floor("raw pyzmq REP (floor)", "echo", *served, ready=READY_REP, cwd=work)]
    for suffix, tree in trees:
        servers.append(
            reference(f"filer_rep{suffix}", tree, "filer_rep", *served, ready=READY_REP, cwd=work)
        )
        backend = f"ipc://{work}/cluster{len(servers)}.ipc"
        servers.append(
            reference(
                f"filer_rep_cluster{suffix}",
                tree,
                "filer_rep_cluster",
                *served,
                "--backend",
                backend,
                "--workers",
                "3",
                ready=READY_REP,
                cwd=work,
            )
        )
    if have_node(NODE_FIXED):
        servers.append(
            node(
                "node-fixed filer-rep",
                NODE_FIXED,
                "zmq-filer-rep.js",
                *served,
                ready=READY_REP,
                cwd=work,
            )
        )
        servers.append(
            node(
                "node-fixed cluster",
                NODE_FIXED,
                "zmq-filer-rep-cluster.js",
                *served,
                "--backend",
                f"ipc://{work}/node-cluster.ipc",
                "--workers",
                "3",
                ready=READY_REP,
                cwd=work,
            )
        )
    if have_node(NODE_BOOK):  # binds tcp://127.0.0.1:5433, serves its working directory
        book = node("node-book filer-rep", NODE_BOOK, "zmq-filer-rep.js", ready=READY_REP, cwd=root)
        book.endpoint, book.fixed_port = "tcp://127.0.0.1:5433", 5433
        servers.append(book)
    return servers


def brokers(root: Path, work: Path, trees: list[tuple[str, Path]]) -> list[Server]:
    """ROUTER/DEALER brokers, each with a raw REP worker: zmq.proxy (the floor), the trees'
    reference.broker, Node's."""
    ready = "Forwarding requests from {endpoint}"
    backend = f"ipc://{work}/broker0.ipc"
    pairs = [(floor("zmq.proxy", "proxy", "{endpoint}", backend, ready=ready, cwd=work), backend)]
    for suffix, tree in trees:
        backend = f"ipc://{work}/broker{len(pairs)}.ipc"
        ends = ("--frontend", "{endpoint}", "--backend", backend)
        pairs.append(
            (reference(f"broker{suffix}", tree, "broker", *ends, ready=ready, cwd=work), backend)
        )
    if have_node(NODE_FIXED):
        backend = f"ipc://{work}/broker{len(pairs)}.ipc"
        ends = ("--frontend", "{endpoint}", "--backend", backend)
        script = "zmq-router-dealer.js"
        pairs.append(
            (node("node-fixed broker", NODE_FIXED, script, *ends, ready=ready, cwd=work), backend)
        )
    for server, backend in pairs:
        server.label += " (floor) + raw REP" if server.floor else " + raw REP"
        server.worker = [
            sys.executable,
            str(HERE / "floors.py"),
            "echo",
            "--root",
            str(root),
            "--connect",
            backend,
        ]
    return [server for server, _ in pairs]


def publishers(root: Path, work: Path, trees: list[tuple[str, Path]]) -> list[Server]:
    """PUB servers: the floor (publishes per line of stdin) and the watchers, each of its own
    file (``file``), the trees' watcher_pub and Node's."""
    bind = ("--bind", "{endpoint}")
    servers = [floor("raw pyzmq PUB (floor)", "pub", *bind, ready=READY_PUB, cwd=work)]
    for suffix, tree in trees:
        file = work / f"watched{len(servers)}.txt"
        servers.append(
            reference(
                f"watcher_pub{suffix}",
                tree,
                "watcher_pub",
                str(file),
                *bind,
                ready=READY_PUB,
                cwd=work,
            )
        )
        servers[-1].file = file
    if have_node(NODE_FIXED):
        file = work / f"watched{len(servers)}.txt"
        servers.append(
            node(
                "node-fixed watcher-pub",
                NODE_FIXED,
                "zmq-watcher-pub.js",
                str(file),
                *bind,
                ready=READY_PUB,
                cwd=work,
            )
        )
        servers[-1].file = file
    if have_node(NODE_BOOK):  # binds tcp://127.0.0.1:5432, watches target.txt in its cwd
        book = node(
            "node-book watcher-pub",
            NODE_BOOK,
            "zmq-watcher-pub.js",
            "target.txt",
            ready=READY_PUB,
            cwd=root,
        )
        book.endpoint, book.fixed_port, book.file = (
            "tcp://127.0.0.1:5432",
            5432,
            root / "target.txt",
        )
        servers.append(book)
    for server in servers:
        if server.file is not None:
            server.file.write_text("first\n")
    return servers
