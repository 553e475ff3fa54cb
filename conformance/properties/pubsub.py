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
from pathlib import Path
from typing import Any, ClassVar

import trio
import zmq
from hypothesis import strategies as st

from conformance.checks.messages import (
    CHANGED,
    MESSAGE_STYLES,
    changed_message,
)
from conformance.checks.pubsub import check_printed, check_published, check_survived
from conformance.deadlines import (
    DELIVERY_TIMEOUT,
    LINES_TIMEOUT,
    PROBE_DRAIN,
    PROBE_INTERVAL,
    PROBE_TIMEOUT,
    REBIND_INTERVAL,
    REBIND_TIMEOUT,
    SUBSCRIPTION_TIMEOUT,
)
from conformance.errors import HarnessError
from conformance.facts import RunningAtEnd, WallClock, WatchedFile
from conformance.model import Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Property
from conformance.properties.extras import EXAMPLE_EXTRAS, extras, with_extras
from conformance.properties.reqrep import FILE_NAMES, TEXTS
from conformance.supervisor import Process
from conformance.world import Peer, World

SUBSCRIBERS = (1, 3)
CHANGES = (1, 5)
"""PUBSUB-2: subscribers, and changes per case."""
BATCH = (1, 8)
"""PUBSUB-3 to -5: change messages per batch."""
RESTART_BATCHES = (2, 4)
"""PUBSUB-4: batches, with a publisher restart between two."""
PATHS = (1, 2)
NAMES_PER_PATH = (1, 3)
"""The files the messages of a case name, each 1..3 generated names joined with '/'."""
TIMESTAMP_RANGE = (0, 4_102_444_800_000)
"""Milliseconds in the messages: 1970 to 2100."""
BAD_MESSAGES = (1, 3)
JUNK_BYTES = (0, 40)
JUNK_FRAMES = (2, 3)
JUNK_FRAME_BYTES = (0, 8)
"""PUBSUB-5: bad messages per case, the sizes of a random one, of a multipart one."""


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, kw_only=True)
class Changes(Case):
    file: str
    changes: tuple[tuple[str, str], ...]
    """(how, text) of each change: "write" in place or "rename" over the file."""
    subscribers: int
    spelling: str = "absolute"
    """How FILE is written on the publisher's command line (one of SPELLINGS)."""


SPELLINGS = ("absolute", "dot", "slashes", "dotdot", "symlink")
"""Ways to write the watched file's path as FILE: its absolute path; with ``/./`` or ``//``
before the name; through ``sub/../`` (an existing folder); through a symlink to the folder.
The publisher sends FILE as given: resolved or normalised, it shows (SPEC.md 3.2)."""


def spelled(path: Path, spelling: str) -> str:
    """FILE for the file at PATH (absolute), written the SPELLING way (making what it needs)."""
    folder, name = path.parent, path.name
    if spelling == "absolute":
        return str(path)
    if spelling == "dot":
        return f"{folder}/./{name}"
    if spelling == "slashes":
        return f"{folder}//{name}"
    if spelling == "dotdot":
        (folder / "sub").mkdir(exist_ok=True)
        return f"{folder}/sub/../{name}"
    if spelling == "symlink":
        link = folder.with_name(folder.name + "-link")
        if not link.is_symlink():
            link.symlink_to(folder, target_is_directory=True)
        return f"{link}/{name}"
    raise HarnessError(f"unknown spelling of FILE: {spelling!r}")


@st.composite
def changes(draw: st.DrawFn, *, subscribers: tuple[int, int]) -> Changes:
    made = draw(
        st.lists(
            st.tuples(st.sampled_from(["write", "rename"]), TEXTS),
            min_size=CHANGES[0],
            max_size=CHANGES[1],
        )
    )
    # each change writes something new: a watcher that compares sizes or contents must see it
    made = [(how, f"change {number}: {text}") for number, (how, text) in enumerate(made, 1)]
    return Changes(
        transport=draw(TRANSPORTS),
        file=draw(FILE_NAMES),
        changes=tuple(made),
        subscribers=draw(st.integers(*subscribers)),
        spelling=draw(st.sampled_from(SPELLINGS)),
    )


async def probe(world: World, subscriber: Peer, file: str, content: bytes) -> None:
    """Change FILE until SUBSCRIBER gets a message: from then on its subscription is in place."""
    what = f"a first change message at {subscriber.name} while the harness changed the file"
    with world.deadline(what, PROBE_TIMEOUT):
        while True:
            world.write_file(file, content, how="probe")
            with trio.move_on_after(PROBE_INTERVAL):
                await subscriber.recv()
                return


async def drain(subscriber: Peer, seconds: float) -> None:
    """Receive whatever else is already on its way (late duplicates of the probes)."""
    with trio.move_on_after(seconds):
        while True:
            await subscriber.recv()


class Published(Property[Changes]):
    """PUBSUB-1 and PUBSUB-2: every change, written or renamed over, reaches every subscriber."""

    requirement_id: ClassVar[str] = "PUBSUB-2"
    case_type = Changes
    subscribers: ClassVar[tuple[int, int]] = SUBSCRIBERS

    def cases(self, role: str) -> st.SearchStrategy[Changes]:
        return changes(subscribers=self.subscribers)

    async def run(self, world: World, role: str, case: Changes) -> None:
        path = world.write_file(case.file, b"first", how="probe")  # created: not a change
        file = spelled(path, case.spelling)
        world.transcript.record(WatchedFile, file=file)
        await world.start_role(role, file=file)
        subscribers = [world.peer(f"subscriber-{n}", zmq.SUB) for n in range(case.subscribers)]
        for subscriber in subscribers:
            subscriber.socket.subscribe(b"")
            subscriber.socket.connect(world.address(role))
        for subscriber in subscribers:
            await probe(world, subscriber, case.file, b"probe")
        for subscriber in subscribers:
            await drain(subscriber, PROBE_DRAIN)
        for number, (how, text) in enumerate(case.changes, start=1):
            world.write_file(case.file, text.encode(), how=how)
            for subscriber in subscribers:
                what = f"change {number} at {subscriber.name}"
                with world.move_on_after(what, DELIVERY_TIMEOUT) as waiting:
                    await subscriber.recv()
                if waiting.cancelled_caught:
                    return
        world.transcript.record(WallClock, ms=wall_ms())

    def check(self, role: str, case: Changes, transcript: Transcript) -> Verdict:
        return check_published(
            transcript=transcript,
            subscribers=[f"subscriber-{n}" for n in range(case.subscribers)],
            changes=len(case.changes),
            budget=self.timeout,
        )


class MessageFormat(Published):
    """PUBSUB-1: each change is one frame of JSON with type, FILE and a timestamp in ms."""

    requirement_id: ClassVar[str] = "PUBSUB-1"
    subscribers: ClassVar[tuple[int, int]] = (1, 1)

    def examples(self, role: str) -> list[Changes]:
        return [
            Changes(
                transport="ipc",
                file="e\u0301\u212b watched.txt~",  # NFC changes it; watchers may drop *~
                changes=(("write", "change 1: fixed"),),
                subscribers=1,
                spelling="dotdot",  # realpath changes this path
            )
        ]


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
    extras: str = ""
    """Unknown keys (JSON members) in every good message, which the subscriber must ignore."""


TIMESTAMPS = st.integers(*TIMESTAMP_RANGE)
CHANGE_KEYS = ("type", "file", "timestamp")
"""The keys of a change message (SPEC.md 3.2); the unknown ones added are none of these."""


async def await_subscription(world: World, publisher: Peer) -> None:
    """Wait for the subscriber's subscription to everything (the empty prefix, as the book's
    ``subscribe('')``) to reach the harness's XPUB. Subscriptions to prefixes may come too,
    before or after it: they add nothing to it (SPEC.md PUBSUB-3)."""
    prefixes: list[bytes] = []

    def only() -> str:
        listed = f", only to the prefixes {', '.join(map(repr, prefixes))}" if prefixes else ""
        return f" (it did not subscribe to every message{listed}: those it filters out are lost)"

    with world.deadline("the subscription to every message", SUBSCRIPTION_TIMEOUT, hint=only):
        while True:
            frames = await publisher.recv()
            if frames and frames[0] == b"\x01":
                return
            if frames and frames[0][:1] == b"\x01":
                prefixes.append(frames[0][1:])


async def bind_publisher(world: World, name: str, endpoint: str) -> Peer:
    """Bind an XPUB at ENDPOINT, retrying briefly while the previous one lets go of it."""
    publisher = world.peer(name, zmq.XPUB)
    with trio.move_on_after(REBIND_TIMEOUT):
        while True:
            try:
                publisher.socket.bind(endpoint)
                return publisher
            except zmq.ZMQError as error:
                if error.errno != zmq.EADDRINUSE:
                    raise
            await trio.sleep(REBIND_INTERVAL)
    raise HarnessError(f"the harness could not bind {endpoint} again within {REBIND_TIMEOUT:g} s")


async def await_lines(world: World, process: Process, count: int) -> None:
    """Wait until PROCESS has printed COUNT change lines in all."""
    what = f"{count} change lines of {process.name} after the messages were sent"
    with world.deadline(what, LINES_TIMEOUT, hint=lambda: FLUSHED):
        index = -1
        for _line in range(count):
            index, _ = await process.wait_for_line(CHANGED, start=index + 1)


FLUSHED = " (each line must be flushed when it is printed)"


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
            await publisher.send(with_extras(changed_message(file, stamp, case.style), case.extras))
        sent += len(batch)
        await await_lines(world, process, sent)
    return process


JUNK = st.one_of(
    st.binary(min_size=JUNK_BYTES[0], max_size=JUNK_BYTES[1]),
    st.sampled_from([b"[1, 2]", b'{"file": 3, "timestamp": "x"}', b"null", b'"changed"']),
    st.lists(
        st.binary(min_size=JUNK_FRAME_BYTES[0], max_size=JUNK_FRAME_BYTES[1]),
        min_size=JUNK_FRAMES[0],
        max_size=JUNK_FRAMES[1],
    ).map(tuple),
)


@st.composite
def messages(draw: st.DrawFn, *, batches: tuple[int, int], garbage: bool) -> Messages:
    """Batches of change messages about one or two files, as a real publisher sends them.

    A real watcher-pub sends the same FILE again and again, so messages repeat
    file names (a subscriber that drops repeats must show).
    """
    path = st.lists(FILE_NAMES, min_size=NAMES_PER_PATH[0], max_size=NAMES_PER_PATH[1])
    pool = draw(st.lists(path.map("/".join), min_size=PATHS[0], max_size=PATHS[1], unique=True))
    message = st.tuples(st.sampled_from(pool), TIMESTAMPS)
    made = draw(
        st.lists(
            st.lists(message, min_size=BATCH[0], max_size=BATCH[1]).map(tuple),
            min_size=batches[0],
            max_size=batches[1],
        )
    )
    junk = (
        draw(st.lists(JUNK, min_size=BAD_MESSAGES[0], max_size=BAD_MESSAGES[1])) if garbage else []
    )
    return Messages(
        transport=draw(TRANSPORTS),
        batches=tuple(made),
        garbage=tuple(junk),
        style=draw(st.sampled_from(MESSAGE_STYLES)),
        subscriber_first=draw(st.booleans()),
        extras=draw(extras(CHANGE_KEYS)),
    )


class Printed(Property[Messages]):
    """PUBSUB-3: one line per message received, whole and in order."""

    requirement_id: ClassVar[str] = "PUBSUB-3"
    case_type = Messages

    def cases(self, role: str) -> st.SearchStrategy[Messages]:
        return messages(batches=(1, 1), garbage=False)

    def examples(self, role: str) -> list[Messages]:
        batch = (
            ("target.txt", 1_795_696_126_485),
            ("d\u00e9j\u00e0/vu.txt", 0),
            ("e\u0301\u212b/nfd.txt", 1),  # NFC changes this name
        )
        return [Messages(transport="ipc", batches=(batch,), extras=EXAMPLE_EXTRAS)]

    async def run(self, world: World, role: str, case: Messages) -> None:
        await play_subscriber(world, role, case)

    def check(self, role: str, case: Messages, transcript: Transcript) -> Verdict:
        files = [file for batch in case.batches for file, _ in batch]
        return check_printed(lines=transcript.printed(role), files=files)


class Reconnects(Printed):
    """PUBSUB-4: the subscriber receives again after each restart of the publisher."""

    requirement_id: ClassVar[str] = "PUBSUB-4"

    def cases(self, role: str) -> st.SearchStrategy[Messages]:
        return messages(batches=RESTART_BATCHES, garbage=False)

    def examples(self, role: str) -> list[Messages]:
        return []


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
            world.transcript.record(RunningAtEnd, running=running)

    def check(self, role: str, case: Messages, transcript: Transcript) -> Verdict:
        files = [file for batch in case.batches for file, _ in batch]
        end = transcript.first(RunningAtEnd)
        exited = end is None or not end.running
        return check_survived(lines=transcript.printed(role), files=files, exited=exited)


PROPERTIES: list[type[Property[Any]]] = [
    MessageFormat,
    Published,
    Printed,
    Reconnects,
    SurvivesGarbage,
]
