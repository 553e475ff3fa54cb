"""Properties of the watcher publisher and subscriber (SPEC.md PUBSUB-*).

Against watcher-pub the harness subscribes and edits the watched file; it
"probes" (changes the file until a first message arrives) before it counts,
because a subscription takes a moment to reach the publisher. Against
watcher-sub the harness publishes from an XPUB and waits for the
subscription message, so nothing it counts is sent into the void.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, ClassVar

import trio
import zmq
from hypothesis import strategies as st

from conformance.checks.messages import MESSAGE_STYLES, changed_message
from conformance.checks.pubsub import check_printed, check_published, check_survived
from conformance.errors import ConformanceFailure
from conformance.model import Note, TimedOut, Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Property
from conformance.properties.reqrep import FILE_NAMES, TEXTS
from conformance.supervisor import Process
from conformance.world import Peer, World

DELIVERY_TIMEOUT = 5.0
PROBE_INTERVAL = 0.25
PROBE_TIMEOUT = 15.0
SUBSCRIPTION_TIMEOUT = 10.0
LINE_TIMEOUT = 5.0
WINDOW_SLACK_MS = 5_000


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, kw_only=True)
class Changes(Case):
    file: str
    changes: tuple[tuple[str, str], ...]
    """(how, text) of each change: "write" in place or "rename" over the file."""
    subscribers: int


@st.composite
def changes(draw: st.DrawFn, *, subscribers: tuple[int, int]) -> Changes:
    made = draw(
        st.lists(st.tuples(st.sampled_from(["write", "rename"]), TEXTS), min_size=1, max_size=5)
    )
    # each change writes something new: a watcher that compares sizes or contents must see it
    made = [(how, f"change {number}: {text}") for number, (how, text) in enumerate(made, 1)]
    return Changes(
        transport=draw(TRANSPORTS),
        file=draw(FILE_NAMES),
        changes=tuple(made),
        subscribers=draw(st.integers(*subscribers)),
    )


async def probe(world: World, subscriber: Peer, file: str, content: bytes) -> None:
    """Change FILE until SUBSCRIBER gets a message: from then on its subscription is in place."""
    with trio.move_on_after(PROBE_TIMEOUT):
        while True:
            world.write_file(file, content, how="probe")
            with trio.move_on_after(PROBE_INTERVAL):
                await subscriber.recv()
                return
    world.transcript.record(
        TimedOut, waiting_for=f"a first message at {subscriber.name}", seconds=PROBE_TIMEOUT
    )
    raise ConformanceFailure(
        f"no change message reached {subscriber.name} while the harness "
        f"changed the file for {PROBE_TIMEOUT:g} s"
    )


async def drain(subscriber: Peer, seconds: float) -> None:
    """Receive whatever else is already on its way (late duplicates of the probes)."""
    with trio.move_on_after(seconds):
        while True:
            await subscriber.recv()


class Published(Property[Changes]):
    """PUBSUB-1 and PUBSUB-2: every change, written or renamed over, reaches every subscriber."""

    requirement_id: ClassVar[str] = "PUBSUB-2"
    case_type = Changes
    subscribers: ClassVar[tuple[int, int]] = (1, 3)

    def cases(self, role: str) -> st.SearchStrategy[Changes]:
        return changes(subscribers=self.subscribers)

    async def run(self, world: World, role: str, case: Changes) -> None:
        path = world.write_file(case.file, b"first", how="probe")  # created: not a change
        world.transcript.record(Note, key="file", text=str(path))
        world.transcript.record(Note, key="wall-clock", text=str(wall_ms()))
        await world.start_role(role, file=str(path))
        subscribers = [world.peer(f"subscriber-{n}", zmq.SUB) for n in range(case.subscribers)]
        for subscriber in subscribers:
            subscriber.socket.subscribe(b"")
            subscriber.socket.connect(world.address(role))
        for subscriber in subscribers:
            await probe(world, subscriber, case.file, b"probe")
        for subscriber in subscribers:
            await drain(subscriber, 0.3)
        for number, (how, text) in enumerate(case.changes, start=1):
            world.write_file(case.file, text.encode(), how=how)
            for subscriber in subscribers:
                with trio.move_on_after(DELIVERY_TIMEOUT):
                    await subscriber.recv()
                    continue
                world.transcript.record(
                    TimedOut,
                    waiting_for=f"change {number} at {subscriber.name}",
                    seconds=DELIVERY_TIMEOUT,
                )
                return
        world.transcript.record(Note, key="wall-clock", text=str(wall_ms()))

    def check(self, role: str, case: Changes, transcript: Transcript) -> Verdict:
        clock = [int(text) for text in transcript.notes("wall-clock")]
        if not clock:
            return Verdict.failed("the example stopped before it began")
        window = (
            clock[0] - WINDOW_SLACK_MS,
            clock[-1] + int(self.timeout * 1000) + WINDOW_SLACK_MS,
        )
        file = transcript.notes("file")[0]
        return check_published(
            transcript=transcript,
            subscribers=[f"subscriber-{n}" for n in range(case.subscribers)],
            file=file,
            window=window,
            changes=len(case.changes),
        )


class MessageFormat(Published):
    """PUBSUB-1: each change is one frame of JSON with type, FILE and a timestamp in ms."""

    requirement_id: ClassVar[str] = "PUBSUB-1"
    subscribers: ClassVar[tuple[int, int]] = (1, 1)


@dataclass(frozen=True, kw_only=True)
class Messages(Case):
    batches: tuple[tuple[tuple[str, int], ...], ...]
    """Batches of (file, timestamp) change messages; the publisher restarts between batches."""
    garbage: tuple[bytes | tuple[bytes, ...], ...] = ()
    """Unreadable messages sent before each good one (PUBSUB-5)."""
    style: str = "compact"
    """How the JSON of the good messages is written (checks.messages.MESSAGE_STYLES)."""
    subscriber_first: bool = False
    """Start the subscriber before the harness binds its publisher."""


TIMESTAMPS = st.integers(0, 4_102_444_800_000)  # 1970 .. 2100


async def await_subscription(world: World, publisher: Peer) -> None:
    """Wait for the subscriber's subscription to reach the harness's XPUB."""
    with trio.move_on_after(SUBSCRIPTION_TIMEOUT):
        while True:
            frames = await publisher.recv()
            if frames and frames[0] == b"\x01":  # subscribe to everything, as subscribe('')
                return
            if frames and frames[0][:1] == b"\x01":
                raise ConformanceFailure(
                    f"the subscriber subscribed to the prefix {frames[0][1:]!r}, not to every "
                    "message: change messages would be filtered"
                )
    world.transcript.record(TimedOut, waiting_for="the subscription", seconds=SUBSCRIPTION_TIMEOUT)
    raise ConformanceFailure(f"the subscriber did not subscribe within {SUBSCRIPTION_TIMEOUT:g} s")


async def bind_publisher(world: World, name: str, endpoint: str) -> Peer:
    """Bind an XPUB at ENDPOINT, retrying briefly while the previous one lets go of it."""
    publisher = world.peer(name, zmq.XPUB)
    with trio.move_on_after(5.0):
        while True:
            try:
                publisher.socket.bind(endpoint)
                return publisher
            except zmq.ZMQError as error:
                if error.errno != zmq.EADDRINUSE:
                    raise
            await trio.sleep(0.05)
    raise ConformanceFailure(f"the harness could not bind {endpoint} again within 5 s")


async def await_lines(world: World, process: Process, count: int) -> None:
    """Wait until PROCESS has printed COUNT change lines in all."""
    with trio.move_on_after(LINE_TIMEOUT):
        found = 0
        index = 0
        while found < count:
            index, _ = await process.wait_for_line(
                r"^File '.*' changed at ", start=index, timeout=LINE_TIMEOUT
            )
            index += 1
            found += 1
        return
    world.transcript.record(TimedOut, waiting_for=f"{count} change lines", seconds=LINE_TIMEOUT)
    raise ConformanceFailure(
        f"{process.name} had not printed {count} change lines {LINE_TIMEOUT:g} s after the "
        "messages were sent (each line must be flushed when it is printed)"
    )


async def play_subscriber(world: World, role: str, case: Messages) -> Process:
    launch = world.prepare(role)
    endpoint = launch.endpoints["endpoint"]
    if case.subscriber_first:  # it connects to nothing yet: ZeroMQ retries until we bind
        process = await world.start(launch)
        publisher = await bind_publisher(world, "publisher-1", endpoint)
    else:
        publisher = await bind_publisher(world, "publisher-1", endpoint)
        process = await world.start(launch)
    sent = 0
    for number, batch in enumerate(case.batches, start=1):
        if number > 1:
            publisher.close()
            publisher = await bind_publisher(world, f"publisher-{number}", endpoint)
        await await_subscription(world, publisher)
        for index, (file, stamp) in enumerate(batch):
            if case.garbage:
                bad = case.garbage[(sent + index) % len(case.garbage)]
                await publisher.send(*(bad if isinstance(bad, tuple) else (bad,)))
            await publisher.send(changed_message(file, stamp, case.style))
        sent += len(batch)
        await await_lines(world, process, sent)
    return process


JUNK = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"[1, 2]", b'{"file": 3, "timestamp": "x"}', b"null", b'"changed"']),
    st.lists(st.binary(max_size=8), min_size=2, max_size=3).map(tuple),
)


@st.composite
def messages(draw: st.DrawFn, *, batches: tuple[int, int], garbage: bool) -> Messages:
    """Batches of change messages about one or two files, as a real publisher sends them.

    A real watcher-pub sends the same FILE again and again, so messages repeat
    file names (a subscriber that drops repeats must show).
    """
    path = st.lists(FILE_NAMES, min_size=1, max_size=3).map("/".join)
    pool = draw(st.lists(path, min_size=1, max_size=2, unique=True))
    message = st.tuples(st.sampled_from(pool), TIMESTAMPS)
    made = draw(
        st.lists(
            st.lists(message, min_size=1, max_size=8).map(tuple),
            min_size=batches[0],
            max_size=batches[1],
        )
    )
    junk = draw(st.lists(JUNK, min_size=1, max_size=3)) if garbage else []
    return Messages(
        transport=draw(TRANSPORTS),
        batches=tuple(made),
        garbage=tuple(junk),
        style=draw(st.sampled_from(MESSAGE_STYLES)),
        subscriber_first=draw(st.booleans()),
    )


class Printed(Property[Messages]):
    """PUBSUB-3: one line per message received, whole and in order."""

    requirement_id: ClassVar[str] = "PUBSUB-3"
    case_type = Messages

    def cases(self, role: str) -> st.SearchStrategy[Messages]:
        return messages(batches=(1, 1), garbage=False)

    async def run(self, world: World, role: str, case: Messages) -> None:
        await play_subscriber(world, role, case)

    def check(self, role: str, case: Messages, transcript: Transcript) -> Verdict:
        files = [file for batch in case.batches for file, _ in batch]
        return check_printed(lines=transcript.printed(role), files=files)


class Reconnects(Printed):
    """PUBSUB-4: the subscriber receives again after each restart of the publisher."""

    requirement_id: ClassVar[str] = "PUBSUB-4"

    def cases(self, role: str) -> st.SearchStrategy[Messages]:
        return messages(batches=(2, 4), garbage=False)


class SurvivesGarbage(Property[Messages]):
    """PUBSUB-5: unreadable messages do not stop the subscriber."""

    requirement_id: ClassVar[str] = "PUBSUB-5"
    case_type = Messages

    def cases(self, role: str) -> st.SearchStrategy[Messages]:
        return messages(batches=(1, 1), garbage=True)

    async def run(self, world: World, role: str, case: Messages) -> None:
        try:
            await play_subscriber(world, role, case)
        finally:
            running = all(
                process.returncode is None for process in world.supervisor.processes.values()
            )
            world.transcript.record(Note, key="running", text=str(running))

    def check(self, role: str, case: Messages, transcript: Transcript) -> Verdict:
        files = [file for batch in case.batches for file, _ in batch]
        exited = transcript.notes("running") != ["True"]
        return check_survived(lines=transcript.printed(role), files=files, exited=exited)


PROPERTIES: list[type[Property[Any]]] = [
    MessageFormat,
    Published,
    Printed,
    Reconnects,
    SurvivesGarbage,
]
