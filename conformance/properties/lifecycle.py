"""Properties every server shares (SPEC.md LIFE-*): ready means serving; SIGTERM means a
clean exit that leaves no ipc file behind.

Right after the ready line the harness connects a plain stream socket to each
endpoint the role binds (a refused connection means the line came before the
bind), then makes one interaction of the role's own pattern: a request to a
filer, a round trip through the broker, a change message from the watcher.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import trio
import zmq
from hypothesis import strategies as st

from conformance.checks.broker import reply_to
from conformance.checks.lifecycle import check_ready, check_served, check_stop
from conformance.checks.messages import file_request
from conformance.deadlines import CONNECT_TIMEOUT, REPLY_TIMEOUT, STOP_TIMEOUT
from conformance.errors import HarnessError
from conformance.facts import EndpointProbed, ExitSeen, IpcFileLeft, ReadyPattern, StopSent
from conformance.model import Outcome, Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Property
from conformance.properties.pubsub import probe
from conformance.properties.reqrep import CLUSTER_WORKERS, TEXTS, round_trip
from conformance.spec import FILERS
from conformance.supervisor import Process
from conformance.world import Launch, World

FILE = "served.txt"
"""The file a filer is asked for."""
WATCHED = "watched.txt"
"""The file the watcher watches."""
EXCHANGES = (0, 3)
"""LIFE-2: exchanges completed before SIGTERM."""
PAYLOAD_SIZE = (0, 64)
"""Bytes of the broker's request."""


@dataclass(frozen=True, kw_only=True)
class Serving(Case):
    text: str
    """The served file's content (filers)."""
    payload: bytes
    """The request sent through the broker."""
    exchanges: int = 1
    """LIFE-2: how many exchanges the harness completes before the signal."""
    signal: str = "SIGTERM"
    """LIFE-2: the signal that stops the server, one of STOP_SIGNALS."""


STOP_SIGNALS = ("SIGTERM", "SIGINT")
"""LIFE-2: the signals on which a server MUST exit cleanly (SPEC.md 5)."""


def serving(
    *, exchanges: st.SearchStrategy[int], signals: tuple[str, ...] = ("SIGTERM",)
) -> st.SearchStrategy[Serving]:
    return st.builds(
        Serving,
        transport=TRANSPORTS,
        text=TEXTS,
        payload=st.binary(min_size=PAYLOAD_SIZE[0], max_size=PAYLOAD_SIZE[1]),
        exchanges=exchanges,
        signal=st.sampled_from(signals),
    )


def sigint_ignored() -> bool:
    """Whether the harness ignores SIGINT (started in the background of a shell without job
    control, or by ``nohup``): then every process it starts inherits the ignored SIGINT, and
    a server that keeps an ignored SIGINT ignored (as shells teach) would be judged unfairly."""
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


SIGINT_IGNORED = (
    "SIGINT (SPEC.md 5): the harness runs with SIGINT ignored, which the processes it starts "
    "would inherit, so LIFE-2 sends SIGTERM only"
)


def bound_endpoints(world: World, launch: Launch) -> dict[str, str]:
    """The endpoints the role binds: those its command uses or its manifest fixes."""
    spec = world.manifest.role(launch.role)
    used = spec.placeholders_used()
    return {
        name: endpoint
        for name, endpoint in launch.endpoints.items()
        if name in used or name in spec.fixed
    }


async def prepare_and_start(world: World, role: str, case: Serving) -> tuple[Launch, Process]:
    """Write the role's files, note the ready regex, start the role (waiting for the line)."""
    values: dict[str, str] = {}
    if role in FILERS:
        world.write_file(FILE, case.text.encode())
        if role == "filer-rep-cluster":
            values["workers"] = str(CLUSTER_WORKERS)
    elif role == "watcher-pub":
        values["file"] = str(world.write_file(WATCHED, b"first"))
    launch = world.prepare(role, **values)
    ready = world.manifest.role(role).ready
    pattern = ready.pattern if ready is not None else None
    world.transcript.record(ReadyPattern, process=role, pattern=pattern)
    return launch, await world.start(launch)


async def refused(endpoint: str) -> str | None:
    """Why a plain stream connection to a zmq ENDPOINT was refused; None if it was accepted
    or the harness cannot tell (an interface name, another transport, a slow loopback)."""
    address: Any
    with trio.move_on_after(CONNECT_TIMEOUT):
        try:
            if endpoint.startswith("tcp://"):
                host, _, port = endpoint[len("tcp://") :].rpartition(":")
                host = host.strip("[]")
                host = {"*": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
                infos = await trio.socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)
                family, kind, proto, _, address = infos[0]
                stream = trio.socket.socket(family, kind, proto)
            elif endpoint.startswith("ipc://"):
                path = endpoint[len("ipc://") :]
                address = "\0" + path[1:] if path.startswith("@") else path
                stream = trio.socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            else:
                return None
            with stream:
                await stream.connect(address)
        except ConnectionRefusedError:
            return "connection refused"
        except FileNotFoundError:
            return "no such socket file"
        except (OSError, ValueError):
            return None  # e.g. a name the harness cannot resolve: no verdict
    return None


class Exchanges:
    """The harness's side of the role's pattern, for one exchange at a time: a request to a
    filer, a round trip through the broker with a harness worker, a change message from the
    watcher (probed for). A silent server fails the example."""

    def __init__(self, world: World, role: str, launch: Launch, case: Serving) -> None:
        self.world, self.role, self.case = world, role, case
        endpoints = launch.endpoints
        if role in FILERS:
            self.client = world.peer("client", zmq.REQ)
            self.client.socket.connect(endpoints["endpoint"])
        elif role == "broker":
            self.worker = world.peer("worker", zmq.REP)
            self.worker.socket.connect(endpoints["backend"])
            self.client = world.peer("client", zmq.REQ)
            self.client.socket.connect(endpoints["frontend"])
        elif role == "watcher-pub":
            self.subscriber = world.peer("subscriber", zmq.SUB)
            self.subscriber.socket.subscribe(b"")
            self.subscriber.socket.connect(endpoints["endpoint"])
        else:
            raise HarnessError(f"no exchange is known for role {role!r}")

    async def once(self) -> None:
        if self.role in FILERS:
            what = f"the request for {FILE!r}"
            await round_trip(self.world, self.client, file_request(FILE), what)
        elif self.role == "broker":
            await self.through_broker()
        else:
            await probe(self.world, self.subscriber, WATCHED, b"probe")

    async def through_broker(self) -> None:
        async def answer() -> None:
            frames = await self.worker.recv()
            await self.worker.send(reply_to(frames[0]), *frames[1:])

        with self.world.deadline("the reply through the broker", REPLY_TIMEOUT):
            async with trio.open_nursery() as nursery:
                nursery.start_soon(answer)
                await self.client.send(self.case.payload)
                await self.client.recv()
                nursery.cancel_scope.cancel()


class Ready(Property[Serving]):
    """LIFE-1: the ready line comes once the server is bound, and it serves from then on."""

    requirement_id: ClassVar[str] = "LIFE-1"
    case_type = Serving

    def cases(self, role: str) -> st.SearchStrategy[Serving]:
        return serving(exchanges=st.just(1))

    async def run(self, world: World, role: str, case: Serving) -> None:
        if world.manifest.role(role).ready is None:  # "ready" is no event: not implemented
            world.transcript.record(ReadyPattern, process=role, pattern=None)
            return
        launch, _ = await prepare_and_start(world, role, case)
        for name, endpoint in bound_endpoints(world, launch).items():  # at once, no retry
            why = await refused(endpoint)
            world.transcript.record(
                EndpointProbed, placeholder=name, endpoint=endpoint, refused=why
            )
        await Exchanges(world, role, launch, case).once()

    def check(self, role: str, case: Serving, transcript: Transcript) -> Verdict:
        verdict = check_ready(transcript=transcript, process=role)
        if verdict.outcome is not Outcome.PASS:
            return verdict
        return check_served(
            transcript=transcript, role=role, file=FILE, text=case.text, payload=case.payload
        )


def ipc_file(endpoint: str) -> Path | None:
    """The file of an ipc endpoint (None for other transports and abstract sockets)."""
    if not endpoint.startswith("ipc://") or endpoint.startswith("ipc://@"):
        return None
    return Path(endpoint[len("ipc://") :])


class CleanStop(Property[Serving]):
    """LIFE-2: on SIGTERM (or SIGINT, SPEC.md 5) the server exits 0 within 5 s and removes the
    ipc files it bound."""

    requirement_id: ClassVar[str] = "LIFE-2"
    case_type = Serving

    def cases(self, role: str) -> st.SearchStrategy[Serving]:
        return serving(exchanges=st.integers(*EXCHANGES), signals=STOP_SIGNALS)

    def examples(self, role: str) -> list[Serving]:
        return [Serving(transport="ipc", text="stopped by SIGINT", payload=b"", signal="SIGINT")]

    def not_exercised(self, role: str) -> list[str]:
        return [SIGINT_IGNORED] if sigint_ignored() else []

    async def run(self, world: World, role: str, case: Serving) -> None:
        launch, process = await prepare_and_start(world, role, case)
        # Without a ready line only a served request shows that the server is up.
        exchanges = Exchanges(world, role, launch, case)
        at_least = 0 if world.manifest.role(role).ready is not None else 1
        for _ in range(max(case.exchanges, at_least)):
            await exchanges.once()
        name = "SIGTERM" if case.signal == "SIGINT" and sigint_ignored() else case.signal
        world.transcript.record(StopSent, process=role, signal=name)
        process.signal(signal.Signals[name])
        with world.move_on_after(f"{role} to exit", STOP_TIMEOUT) as waiting:
            code = await process.wait()
        if waiting.cancelled_caught:
            return
        world.transcript.record(ExitSeen, process=role, code=code)
        for endpoint in bound_endpoints(world, launch).values():
            path = ipc_file(endpoint)
            with contextlib.suppress(OSError):
                if path is not None and path.exists():
                    world.transcript.record(IpcFileLeft, path=str(path))

    def check(self, role: str, case: Serving, transcript: Transcript) -> Verdict:
        return check_stop(transcript=transcript, process=role, seconds=STOP_TIMEOUT)


PROPERTIES: list[type[Property[Any]]] = [Ready, CleanStop]
