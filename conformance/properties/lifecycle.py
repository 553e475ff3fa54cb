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
from conformance.deadlines import (
    CONNECT_TIMEOUT,
    PROBE_TIMEOUT,
    READY_TIMEOUT,
    REPLY_TIMEOUT,
    STOP_TIMEOUT,
)
from conformance.endpoint import Endpoint
from conformance.errors import HarnessError
from conformance.facts import EndpointProbed, ExitSeen, IpcFileLeft, ReadyPattern, StopSent
from conformance.model import Outcome, Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Glance, Property
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
    """LIFE-1: the ready line comes once the server is bound, and it serves from then on.

    - The harness writes the role's file (filers: `served.txt` under `{root}`, with a generated
      text; `watcher-pub`: `watched.txt` holding `first`, its absolute path as `{file}`), starts the
      role (`filer-rep-cluster` with `{workers}` = 2) and reads stdout until a line matches the
      manifest's `ready` regex (`re.search`; deadline 15 s). A role that exits first, or prints no
      such line in time, fails.
    - At once, with no retry, it opens a plain stream connection to every endpoint the role binds,
      that is every endpoint placeholder the role's templates use or its manifest fixes (TCP connect
      to the endpoint's host and port, `*` and `0.0.0.0` read as `127.0.0.1`; `AF_UNIX` connect to
      the ipc path; for the broker `{frontend}` and `{backend}`, for the cluster `{endpoint}`, and
      `{backend}` when the manifest uses or fixes it). A refused connection, or an ipc socket file
      that does not exist, fails the case; any other error, or no answer within 2 s, is not judged.
    - Then one exchange, its reply awaited 10 s (the watcher's probe 15 s): `filer-rep`,
      `filer-rep-cluster`: a harness REQ asks for `served.txt` and must get one frame holding its
      text as `content`, a `timestamp` and a `pid` as in REQREP-2 (strict UTF-8, no raw LF or CR);
      `broker`: a harness REQ on `{frontend}` sends one frame of 0..64 random bytes, a harness REP
      on `{backend}` answers `reply to ` followed by those bytes, and the REQ must receive exactly
      that frame; `watcher-pub`: a harness SUB connects and the harness probes as in PUBSUB-2 until
      a message arrives (its content is judged by PUBSUB-1, not here).
    - That the cluster's ready line follows its online lines is checked by CLUSTER-1, not here.

    **Not checked.**
    - `watcher-pub`: that its file watch is armed when the ready line appears (LIFE-1.c). A change
      lost to a late watch cannot be told apart from one lost to the slow joiner; the probe waits
      past both (the reference prints its ready line on the watcher's first report).
    - The exact text of the ready line: the harness matches the manifest's regex; the texts of
      SPEC.md §3.6 are what the book and the reference print.
    - Endpoints the role binds without the manifest naming them (a cluster's hard-coded, undeclared
      `{backend}`).
    - A role whose manifest entry has no `ready` gets "not implemented" for LIFE-1; the harness then
      relies on ZeroMQ's queueing of messages sent before the connection is up, and on probing.
    """

    requirement_id: ClassVar[str] = "LIFE-1"
    case_type = Serving
    glance: ClassVar[Glance] = Glance(
        ranges=(("broker payload bytes", PAYLOAD_SIZE),),
        timers=(
            ("ready line", READY_TIMEOUT),
            ("connect", CONNECT_TIMEOUT),
            ("reply", REPLY_TIMEOUT),
            ("watcher's probe", PROBE_TIMEOUT),
        ),
    )

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
    ipc files it bound.

    - The harness starts the role as in LIFE-1 (without the connection test) and completes k of
      LIFE-1's exchanges (k generated, 0..3; at least 1 when the manifest gives no `ready`, since
      then only a served request shows that the server is up). Then it sends the case's signal,
      SIGTERM or SIGINT (generated; a fixed case sends SIGINT, [cases.md](cases.md)), to the started
      process (not its group) and waits up to 5 s for it to exit.
    - The exit status must be 0: death by the signal (status -15 or -2) fails, and so does a process
      still running after 5 s.
    - When the harness itself runs with SIGINT ignored (started by `nohup`, or in the background of
      a shell without job control), every process it starts inherits the ignored SIGINT; it then
      sends SIGTERM instead, and the report says that SIGINT was not exercised.
    - Then, for every ipc endpoint the role bound (those of `{endpoint}`, `{frontend}`, `{backend}`
      that its templates use or its manifest fixes; a relative path resolved against the role's
      working directory; `ipc://@name` has no file) the socket file must be gone.
    - `filer-rep-cluster` runs with `{workers}` = 2; its workers are checked by CLUSTER-4, a case of
      its own.

    **Not checked.**
    - That a tcp port is free after exit; client roles' exit on signals; the ipc file of an endpoint
      the manifest does not name.
    - Linger: messages still queued at the signal may be dropped.
    """

    requirement_id: ClassVar[str] = "LIFE-2"
    case_type = Serving
    glance: ClassVar[Glance] = Glance(
        ranges=(("exchanges", EXCHANGES),), timers=(("exit", STOP_TIMEOUT),)
    )

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
