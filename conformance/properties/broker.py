"""Properties of the ROUTER/DEALER broker (SPEC.md BROKER-*).

The harness plays both sides: clients connect to the broker's frontend, workers
to its backend, DEALERs on both sides, so that any frames at all (empty first
frames included) cross the broker and the worker sees the client's identity
frame. The ranges and deadlines below are the numbers SPEC.md quotes
(tests/test_spec_document.py compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import trio
import zmq
from hypothesis import strategies as st

from conformance.checks.broker import check_multipart, check_routing, reply_to
from conformance.deadlines import EXTRA_POLL, LATE_WORKER, REPLY_TIMEOUT
from conformance.errors import ConformanceFailure
from conformance.model import Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Glance, Property
from conformance.world import Launch, Peer, World

LARGE = 1 << 20
"""A large frame has at least this many bytes (1 MiB)..."""
LARGE_EXTRA = 4096
"""...and at most this many more."""
LARGE_FRAMES = (0, 2)
"""How many frames of a BROKER-1 case are large."""
EXCHANGES = (1, 20)
"""BROKER-1: request-reply exchanges per case."""
FRAMES = (1, 8)
"""BROKER-1: frames per message."""
SHORT_FRAME = (1, 48)
"""Bytes of a random frame..."""
FILLED_FRAME = (49, 4096)
"""...and of a frame of one repeated byte."""
MAX_BURST = 50
"""BROKER-1: the client sends 1..MAX_BURST messages at once."""
CLIENTS = (1, 8)
WORKERS = (1, 4)
REQUESTS = (1, 20)
"""BROKER-2: clients, workers, and requests per client."""
TAG_SIZE = (0, 16)
"""BROKER-2: bytes of the tag every request ends with."""


@dataclass(frozen=True)
class Filled:
    """A frame of SIZE bytes of FILL: kept symbolic, so that a case prints short."""

    size: int
    fill: int

    def __repr__(self) -> str:
        return f"Filled({self.size} B of {self.fill:#04x})"

    def materialize(self) -> bytes:
        return bytes([self.fill]) * self.size


Frame = bytes | Filled


def materialize(frames: tuple[Frame, ...]) -> tuple[bytes, ...]:
    return tuple(frame.materialize() if isinstance(frame, Filled) else frame for frame in frames)


@dataclass(frozen=True, kw_only=True)
class Exchange:
    request: tuple[Frame, ...]
    reply: tuple[Frame, ...]


@dataclass(frozen=True, kw_only=True)
class Multipart(Case):
    exchanges: tuple[Exchange, ...]
    """Message i from the client and the worker's reply to it, in order."""
    bursts: tuple[int, ...]
    """How many messages the client sends at once, burst after burst (they sum up to all)."""
    worker_first: bool
    """False: the client sends its first burst before the worker connects."""


SMALL_FRAMES: st.SearchStrategy[Frame] = st.one_of(
    st.just(b""),
    st.binary(min_size=SHORT_FRAME[0], max_size=SHORT_FRAME[1]),
    st.builds(Filled, st.integers(*FILLED_FRAME), st.integers(0, 255)),
)
"""Frames of a message: empty in about a third of them, arbitrary bytes when short."""
MESSAGE = st.lists(SMALL_FRAMES, min_size=FRAMES[0], max_size=FRAMES[1]).map(tuple)


@st.composite
def multipart(draw: st.DrawFn) -> Multipart:
    pairs = draw(
        st.lists(st.tuples(MESSAGE, MESSAGE), min_size=EXCHANGES[0], max_size=EXCHANGES[1])
    )
    messages: list[list[Frame]] = [list(message) for pair in pairs for message in pair]
    # At most two large frames per case, each replacing one frame of some message.
    for _ in range(draw(st.integers(*LARGE_FRAMES))):
        message = messages[draw(st.integers(0, len(messages) - 1))]
        index = draw(st.integers(0, len(message) - 1))
        message[index] = Filled(
            LARGE + draw(st.integers(0, LARGE_EXTRA)), draw(st.integers(0, 255))
        )
    exchanges = tuple(
        Exchange(request=tuple(messages[2 * i]), reply=tuple(messages[2 * i + 1]))
        for i in range(len(pairs))
    )
    bursts: list[int] = []
    while sum(bursts) < len(exchanges):
        bursts.append(draw(st.integers(1, min(MAX_BURST, len(exchanges) - sum(bursts)))))
    return Multipart(
        transport=draw(TRANSPORTS),
        exchanges=exchanges,
        bursts=tuple(bursts),
        worker_first=draw(st.booleans()),
    )


async def start_broker(world: World, role: str) -> Launch:
    """Start the broker; the launch says where the harness connects (fixed ipc resolved)."""
    launch = world.prepare(role)
    await world.start(launch)
    return launch


async def receive(world: World, peer: Peer, what: str) -> tuple[bytes, ...]:
    """The next message at PEER; a silent broker fails the example, naming WHAT."""
    with world.deadline(what, REPLY_TIMEOUT):
        frames = await peer.recv()
    return frames


async def send(world: World, peer: Peer, frames: tuple[bytes, ...], what: str) -> None:
    """Send FRAMES from PEER; it blocks only while nothing is connected, so not for long."""
    with world.deadline(f"room to send {what}", REPLY_TIMEOUT):
        await peer.send(*frames)


class Unchanged(Property[Multipart]):
    """BROKER-1: multipart messages, empty and large frames included, pass unchanged.

    - The harness starts the broker (waiting for its ready line when the manifest gives one) and
      connects a client DEALER to `{frontend}` and a worker DEALER to `{backend}`. In about half the
      cases (generated) the worker connects only 0.5 s after the client has sent its first burst, so
      that the burst reaches a broker with no worker (BROKER-1.c).
    - A case has 1..20 exchanges, each a request and a reply of 1..8 frames. A frame is empty (about
      a third of them), 1..48 random bytes, or 49..4096 copies of one byte; up to two frames of the
      case are replaced by 1 MiB to 1 MiB + 4096 copies of one byte.
    - The client sends the requests in bursts of 1..50 messages (generated). For each burst the
      worker receives every message (10 s each), then answers each with `[identity, *reply]`, then
      the client receives every reply (10 s each).
    - The worker's i-th message must be `[identity, *frames]`, with `frames` exactly the client's
      i-th message: one frame more, in front, not empty (the broker's routing identity, otherwise
      opaque). The client's i-th message must be exactly the i-th `reply`. A lost, reordered or
      duplicated message shows as a mismatch.
    - Catches: a forwarder that drops the last frame or the MORE flag (one message becomes several),
      drops empty frames, or decodes frames as text.

    **Not checked.**
    - A reply for a client that has gone, or whose queue is at the high-water mark: ROUTER drops it
      silently. The harness keeps clients connected and reading, well under the mark.
    - A duplicate of the case's last message (the harness reads no further).
    """

    requirement_id: ClassVar[str] = "BROKER-1"
    case_type = Multipart
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("exchanges", EXCHANGES),
            ("frames", FRAMES),
            ("burst", (1, MAX_BURST)),
            ("short frame bytes", SHORT_FRAME),
            ("filled frame bytes", FILLED_FRAME),
            ("1 MiB frames", LARGE_FRAMES),
        ),
        timers=(
            ("late worker connects after", LATE_WORKER),
            ("each message", REPLY_TIMEOUT),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Multipart]:
        return multipart()

    async def run(self, world: World, role: str, case: Multipart) -> None:
        launch = await start_broker(world, role)
        worker = world.peer("worker", zmq.DEALER)
        client = world.peer("client", zmq.DEALER)
        if case.worker_first:
            worker.socket.connect(launch.endpoints["backend"])
        client.socket.connect(launch.endpoints["frontend"])
        done = 0
        try:
            for size in case.bursts:
                burst = case.exchanges[done : done + size]
                for number, exchange in enumerate(burst, start=done + 1):
                    await send(world, client, materialize(exchange.request), f"message {number}")
                if not case.worker_first and done == 0:
                    await trio.sleep(LATE_WORKER)  # the burst reaches a broker with no worker
                    worker.socket.connect(launch.endpoints["backend"])
                arrived = [
                    await receive(world, worker, f"message {number} at the worker")
                    for number in range(done + 1, done + size + 1)
                ]
                for number, (frames, exchange) in enumerate(
                    zip(arrived, burst, strict=True), start=done + 1
                ):
                    reply = (*frames[:1], *materialize(exchange.reply))
                    await send(world, worker, reply, f"the reply to message {number}")
                for number in range(done + 1, done + size + 1):
                    await receive(world, client, f"the reply to message {number} at the client")
                done += size
        except ConformanceFailure:
            return  # the checker names what is missing, from the transcript

    def check(self, role: str, case: Multipart, transcript: Transcript) -> Verdict:
        return check_multipart(transcript=transcript, messages=len(case.exchanges))


@dataclass(frozen=True, kw_only=True)
class Routing(Case):
    requests: tuple[int, ...]
    """How many requests each client sends (one client per entry)."""
    workers: int
    order: tuple[int, ...]
    """A permutation of all requests: the workers answer the i-th request to arrive at
    position order[i], so replies go back in another order than requests came."""
    tag: bytes
    """Appended to every request, so that payloads are not all text."""


@st.composite
def routing(draw: st.DrawFn) -> Routing:
    requests = draw(st.lists(st.integers(*REQUESTS), min_size=CLIENTS[0], max_size=CLIENTS[1]))
    return Routing(
        transport=draw(TRANSPORTS),
        requests=tuple(requests),
        workers=draw(st.integers(*WORKERS)),
        order=tuple(draw(st.permutations(range(sum(requests))))),
        tag=draw(st.binary(min_size=TAG_SIZE[0], max_size=TAG_SIZE[1])),
    )


def request_payload(case: Routing, client: int, number: int) -> bytes:
    return f"client {client} request {number} ".encode() + case.tag


class Routed(Property[Routing]):
    """BROKER-2: K clients x M workers, every reply reaches its own client, exactly once.

    - The harness starts the broker, connects M = 1..4 worker DEALERs to `{backend}`, then K = 1..8
      client DEALERs to `{frontend}`. Client k sends 1..20 one-frame requests: the text `client <k>
      request <n>` and a space, followed by a generated tag of 0..16 random bytes (one tag per
      case); the clients send one after the other.
    - The workers take every request as it arrives and answer none until all have arrived (10 s),
      then answer them in a generated permutation of their arrival order, each with `[identity,
      "reply to " + request]`; so replies come back in another order than requests went out.
    - Each request must reach the workers exactly once, as two frames: a non-empty identity and the
      request. Each client must receive (within 10 s) one reply to each of its own requests, one
      frame each, and nothing else; after its last reply the harness watches it 0.2 s more for stray
      ones.
    - Catches: a broker that routes replies by arrival order instead of identity, or that swaps
      replies under concurrency.

    **Not checked.**
    - Which worker gets which request (CLUSTER-2 checks the spread); the order across clients.
    """

    requirement_id: ClassVar[str] = "BROKER-2"
    case_type = Routing
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("workers", WORKERS),
            ("clients", CLIENTS),
            ("requests per client", REQUESTS),
            ("tag bytes", TAG_SIZE),
        ),
        timers=(
            ("requests, replies", REPLY_TIMEOUT),
            ("stray", EXTRA_POLL),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Routing]:
        return routing()

    async def run(self, world: World, role: str, case: Routing) -> None:
        launch = await start_broker(world, role)
        workers = [world.peer(f"worker-{n}", zmq.DEALER) for n in range(case.workers)]
        for worker in workers:
            worker.socket.connect(launch.endpoints["backend"])
        clients = [world.peer(f"client-{n}", zmq.DEALER) for n in range(len(case.requests))]
        for client in clients:
            client.socket.connect(launch.endpoints["frontend"])
        total = sum(case.requests)
        try:
            for index, (client, count) in enumerate(zip(clients, case.requests, strict=True)):
                for number in range(1, count + 1):
                    payload = request_payload(case, index, number)
                    await send(world, client, (payload,), f"{client.name}'s request {number}")
        except ConformanceFailure:
            return
        held = await hold(world, workers, total)
        # Answer in the generated order: the i-th request to arrive goes at position order[i]
        # (any beyond the case's count, duplicates of a broken broker, go last).
        answers = sorted(range(len(held)), key=lambda i: case.order[i] if i < total else i)
        try:
            for i in answers:
                worker, frames = held[i]
                await send(world, worker, (*frames[:-1], reply_to(frames[-1])), "a reply")
        except ConformanceFailure:
            return
        async with trio.open_nursery() as nursery:
            for client, count in zip(clients, case.requests, strict=True):
                nursery.start_soon(collect, world, client, count)

    def check(self, role: str, case: Routing, transcript: Transcript) -> Verdict:
        return check_routing(
            transcript=transcript,
            clients=[f"client-{n}" for n in range(len(case.requests))],
            workers=[f"worker-{n}" for n in range(case.workers)],
            requests=case.requests,
        )


async def hold(
    world: World, workers: list[Peer], total: int
) -> list[tuple[Peer, tuple[bytes, ...]]]:
    """Receive TOTAL requests across WORKERS, in arrival order, before any is answered."""
    held: list[tuple[Peer, tuple[bytes, ...]]] = []

    async def take(worker: Peer, done: trio.CancelScope) -> None:
        while True:
            held.append((worker, await worker.recv()))
            if len(held) >= total:
                done.cancel()

    with world.move_on_after(f"all {total} requests at the workers", REPLY_TIMEOUT):
        async with trio.open_nursery() as nursery:
            for worker in workers:
                nursery.start_soon(take, worker, nursery.cancel_scope)
    return held


async def collect(world: World, client: Peer, count: int) -> None:
    """Receive COUNT replies at CLIENT, then watch it a moment longer for stray ones."""
    with world.move_on_after(f"{count} replies at {client.name}", REPLY_TIMEOUT) as waiting:
        for _ in range(count):
            await client.recv()
    if waiting.cancelled_caught:
        return
    with trio.move_on_after(EXTRA_POLL):
        while True:
            await client.recv()


PROPERTIES: list[type[Property[Any]]] = [Unchanged, Routed]
