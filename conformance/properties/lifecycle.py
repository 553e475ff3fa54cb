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
from conformance.endpoint import Endpoint
from conformance.errors import HarnessError
from conformance.facts import EndpointProbed, ExitSeen, IpcFileLeft, ReadyPattern, StopSent
from conformance.model import Outcome, Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Property
from conformance.properties.pubsub import probe
from conformance.properties.reqrep import TEXTS, round_trip
from conformance.roles import Exchange, role_of
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
    values = EXCHANGES_BY_KIND[exchange_of(role)].prepare(world, case)
    launch = world.prepare(role, **values)
    ready = world.manifest.role(role).ready
    pattern = ready.pattern if ready is not None else None
    world.transcript.record(ReadyPattern, process=role, pattern=pattern)
    return launch, await world.start(launch)


def exchange_of(role: str) -> Exchange:
    """The exchange that proves ROLE serves; a role the table gives none, or one no driver
    below plays, is the harness's gap (an error), never the implementation's failure."""
    exchange = role_of(role).exchange
    if exchange is None or exchange not in EXCHANGES_BY_KIND:
        raise HarnessError(f"no exchange is known for role {role!r} ({exchange})")
    return exchange


async def refused(endpoint: str) -> str | None:
    """Why a plain stream connection to a zmq ENDPOINT was refused; None if it was accepted
    or the harness cannot tell (an interface name, another transport, a slow loopback)."""
    address: Any
    with trio.move_on_after(CONNECT_TIMEOUT):
        try:
            parsed = Endpoint.parse(endpoint)
            if parsed.transport == "tcp":
                host, port = parsed.probe_address
                host = {"::": "::1"}.get(host.strip("[]"), host.strip("[]"))
                infos = await trio.socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
                family, kind, proto, _, address = infos[0]
                stream = trio.socket.socket(family, kind, proto)
            else:
                path = parsed.path
                address = "\0" + path[1:] if parsed.abstract else path
                stream = trio.socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
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
    """The harness's side of one kind of exchange (:class:`~conformance.roles.Exchange`),
    one exchange at a time: what the role needs before it starts, the harness's peers, and
    one exchange. A silent server fails the example."""

    def __init__(self, world: World, role: str, launch: Launch, case: Serving) -> None:
        self.world, self.role, self.case = world, role, case
        self.connect(launch.endpoints)

    @classmethod
    def prepare(cls, world: World, case: Serving) -> dict[str, str]:
        """Write the files the role serves or watches; the values its command needs."""
        return {}

    def connect(self, endpoints: dict[str, str]) -> None:
        raise NotImplementedError

    async def once(self) -> None:
        raise NotImplementedError


class FileRequests(Exchanges):
    """A REQ client asks the filer for FILE."""

    @classmethod
    def prepare(cls, world: World, case: Serving) -> dict[str, str]:
        world.write_file(FILE, case.text.encode())
        return {}

    def connect(self, endpoints: dict[str, str]) -> None:
        self.client = self.world.peer("client", zmq.REQ)
        self.client.socket.connect(endpoints["endpoint"])

    async def once(self) -> None:
        await round_trip(self.world, self.client, file_request(FILE), f"the request for {FILE!r}")


class BrokerRoundTrips(Exchanges):
    """A REQ client's request goes through the broker to a harness REP worker, and back."""

    def connect(self, endpoints: dict[str, str]) -> None:
        self.worker = self.world.peer("worker", zmq.REP)
        self.worker.socket.connect(endpoints["backend"])
        self.client = self.world.peer("client", zmq.REQ)
        self.client.socket.connect(endpoints["frontend"])

    async def once(self) -> None:
        async def answer() -> None:
            frames = await self.worker.recv()
            await self.worker.send(reply_to(frames[0]), *frames[1:])

        with self.world.deadline("the reply through the broker", REPLY_TIMEOUT):
            async with trio.open_nursery() as nursery:
                nursery.start_soon(answer)
                await self.client.send(self.case.payload)
                await self.client.recv()
                nursery.cancel_scope.cancel()


class ChangeMessages(Exchanges):
    """A SUB subscriber sees a change of the watched file (probed for until it does)."""

    @classmethod
    def prepare(cls, world: World, case: Serving) -> dict[str, str]:
        return {"file": str(world.write_file(WATCHED, b"first"))}

    def connect(self, endpoints: dict[str, str]) -> None:
        self.subscriber = self.world.peer("subscriber", zmq.SUB)
        self.subscriber.socket.subscribe(b"")
        self.subscriber.socket.connect(endpoints["endpoint"])

    async def once(self) -> None:
        await probe(self.world, self.subscriber, WATCHED, b"probe")


EXCHANGES_BY_KIND: dict[Exchange, type[Exchanges]] = {
    Exchange.FILE_REQUEST: FileRequests,
    Exchange.BROKER_ROUND_TRIP: BrokerRoundTrips,
    Exchange.CHANGE_MESSAGE: ChangeMessages,
}
"""The harness's side of each exchange (the role table names a server's)."""


def exchanges_for(world: World, role: str, launch: Launch, case: Serving) -> Exchanges:
    return EXCHANGES_BY_KIND[exchange_of(role)](world, role, launch, case)


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
        await exchanges_for(world, role, launch, case).once()

    def check(self, role: str, case: Serving, transcript: Transcript) -> Verdict:
        verdict = check_ready(transcript=transcript, process=role)
        if verdict.outcome is not Outcome.PASS:
            return verdict
        return check_served(
            transcript=transcript, role=role, file=FILE, text=case.text, payload=case.payload
        )


def ipc_file(endpoint: str) -> Path | None:
    """The file of an ipc endpoint (None for other transports and abstract sockets)."""
    try:
        return Endpoint.parse(endpoint).socket_file
    except ValueError:
        return None


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
        exchanges = exchanges_for(world, role, launch, case)
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
