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
from conformance.properties import TRANSPORTS, Case, Glance, Property
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
    """PUBSUB-1 and PUBSUB-2: every change, written or renamed over, reaches every subscriber.

    - The harness writes FILE (a generated name, [harness.md](harness.md#generated-data), in the
      case's own `files/` folder) with the text `first`, starts `watcher-pub` with FILE's path as
      `{file}` (spelled as in PUBSUB-1), waits for its ready line (when the manifest gives one) and
      connects S SUB sockets (S = 1..3), each subscribed to everything.
    - **Probe**: for each subscriber in turn, it rewrites FILE in place with `probe` every 0.25 s
      until that subscriber has received a message (deadline 15 s per subscriber; a miss fails the
      case). This waits out both the slow-joiner window and a watch armed late. Then it takes what
      else reaches each subscriber within 0.3 s (late duplicates). Probe messages are format-checked
      (PUBSUB-1), not counted.
    - **Count**: it then makes a generated sequence of 1..5 changes, each one of: rewrite in place
      (open, truncate, write, close); write to `.<name>.new` in the same directory and rename it
      over FILE. Change n writes `change <n>: ` followed by a generated text
      ([harness.md](harness.md#generated-data)), so every change gives FILE content it has not had
      before (its size may repeat). After each change it waits for one message at each subscriber in
      turn (5 s each) before it makes the next; a miss ends the case.
    - Pass: every message well formed (PUBSUB-1), all changes made, and for each change every
      subscriber received at least one message after the change and before the next one (or the
      end). Extra messages are allowed: an editor's save, or one write, may be reported as several
      changes.

    **Not checked.**
    - Order: change messages carry no sequence number, and the harness waits for each change's
      message before it makes the next, so the order of messages for different changes is not
      observable and not required.
    - Exactly one message per change. A late duplicate of change n arriving after change n+1 counts
      for n+1; this can hide a lost change, never fail a correct publisher.
    - Changes closer together than the watcher's batching window (the reference: 20 ms) may be
      reported once; "every change" means every change the harness waits for.
    - A change that writes nothing or the same bytes as before (not generated: a watcher that
      compares contents sees every generated change; one that compares sizes or modification times
      may miss one and fail).
    - Appending to FILE (never done); deleting FILE; changes to other files in the directory
      (PUBSUB-2.d: the temp file of a rename-over lives there, and extra messages are tolerated).
    - Note for implementers: a watch on the file's inode (Node's `fs.watch(FILE)`, inotify on the
      file) is lost when a file is renamed over it. Watch the directory and filter by name, or
      re-arm.
    """

    requirement_id: ClassVar[str] = "PUBSUB-2"
    case_type = Changes
    subscribers: ClassVar[tuple[int, int]] = SUBSCRIBERS
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("subscribers", subscribers),
            ("changes", CHANGES),
        ),
        timers=(
            ("probe every", PROBE_INTERVAL),
            ("probe, per subscriber", PROBE_TIMEOUT),
            ("late duplicates", PROBE_DRAIN),
            ("each change, per subscriber", DELIVERY_TIMEOUT),
        ),
    )

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
    """PUBSUB-1: each change is one frame of JSON with type, FILE and a timestamp in ms.

    - The cases are those of PUBSUB-2 with one subscriber (S = 1), and a fixed case that runs first
      ([cases.md](cases.md)): FILE `<case>/files/sub/../` followed by a name that NFC changes and
      that ends in `~` (`e` U+0301 U+212B ` watched.txt~`). Every message the harness subscriber
      receives (probe messages and late duplicates included) must be one frame of strict UTF-8 JSON
      holding an object with `type == "changed"`, `file` equal to the `{file}` string passed in
      argv, character for character, and `timestamp` an integer (not a float, not a boolean) from 5
      s before the case began to 65 s after the harness saw its last change delivered (the case's 60
      s budget plus 5 s): a sanity check on units, not a latency check.
    - `{file}` names the watched file (the case's folder, `files/`, and a generated name), spelled
      one of five ways (generated): its absolute path; with `/./` or `//` before the name; through
      `sub/../` (`sub` an existing folder); through a symlink `files-link` in the case's folder to
      `files/`. A publisher that resolves or normalises FILE sends something else.
    - PUBSUB-2 makes the same check on every message of each of its subscribers, so a malformed
      message fails it too.

    **Not checked.**
    - Key order, whitespace and escaping (the harness parses the JSON); extra keys.
    - That timestamps increase (wall clocks can step) or that they date the change rather than the
      send.
    """

    requirement_id: ClassVar[str] = "PUBSUB-1"
    subscribers: ClassVar[tuple[int, int]] = (1, 1)
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("subscribers", subscribers),
            ("changes", CHANGES),
        ),
        timers=(
            ("probe, per subscriber", PROBE_TIMEOUT),
            ("each change", DELIVERY_TIMEOUT),
        ),
    )

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
    r"""PUBSUB-3: one line per message received, whole and in order.

    - The harness plays the publisher with an XPUB socket bound at `{endpoint}`, before or after it
      starts `watcher-sub --connect {endpoint}` (order generated).
    - It waits (10 s) for the subscription message `\x01` (subscribe to everything, as the book's
      `subscribe('')`): proof that the subscriber's connection is up and that its subscription has
      reached the publisher. Subscriptions to prefixes may come too, before or after it; they are
      ignored. A subscriber that has subscribed only to prefixes by the deadline fails: no prefix
      covers every valid encoding of a change message (FMT-3.1.d: a message may start with
      whitespace).
    - It sends 1..8 change messages at once (far below the high-water mark), then waits up to 5 s
      for their lines; a line that is printed but not flushed does not count. Each message is one
      frame; `file` is one of 1..2 generated paths per case (1..3 generated names joined with `/`),
      so the same file repeats, as it does from a real publisher; `timestamp` is an integer in [0,
      4102444800000] (1970–2100); the encoding is generated per case: compact, indented, keys in
      another order, or non-ASCII `\u`-escaped; unknown keys are added (generated, [unknown
      keys](#unknown-keys)). A fixed case runs first ([cases.md](cases.md)): three messages, over
      ipc, with the fixed unknown keys, the third about `e` U+0301 U+212B `/nfd.txt` (which NFC
      changes).
    - Every stdout line must be a change line (the `change` pattern; SPEC.md FMT-3.6.b), one per
      message, in order, each naming that message's `file` character for character, with at least
      one character of date.

    **Not checked.**
    - The date text: the reference prints ISO 8601 UTC with milliseconds; the book's
      `Date.toString()` form passes too.
    - Timestamps outside the range above (not every date library formats them); multipart messages
      (PUBSUB-5).
    """  # noqa: RUF002 (an en dash between years, as procedure.md prints it)

    requirement_id: ClassVar[str] = "PUBSUB-3"
    case_type = Messages
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("messages", BATCH),
            ("paths", PATHS),
            ("names per path", NAMES_PER_PATH),
        ),
        timers=(
            ("subscription", SUBSCRIPTION_TIMEOUT),
            ("lines", LINES_TIMEOUT),
        ),
    )

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
    r"""PUBSUB-4: the subscriber receives again after each restart of the publisher.

    - The harness plays the publisher as in PUBSUB-3 (an XPUB bound at `{endpoint}` before or after
      `watcher-sub` starts; good change messages generated and encoded as there, unknown keys
      included), but sends 2..4 batches of 1..8 messages, restarting its publisher between batches:
      1..3 restarts, each once every message sent so far has printed its line.
    - For each batch it waits for the subscription `\x01` as in PUBSUB-3 (to everything; prefixes
      ignored; deadline 10 s), sends the batch's messages at once, and waits until the subscriber
      has printed, in all, one change line per message sent so far (deadline 5 s).
    - A restart: the harness closes its XPUB (linger 0; every connection drops, as when the
      publisher dies), binds a new XPUB at the same endpoint (retrying for up to 5 s while the
      address is still in use; a harness error if it cannot), waits for the subscription again (10
      s), then sends the next batch.
    - Pass: every stdout line is a change line, exactly one per message sent, in order, each naming
      its message's `file`. A subscriber that exits before printing its last line fails; an exit
      after it is not seen.

    **Not checked.**
    - Messages published while the subscriber is disconnected or not yet resubscribed are lost (PUB
      keeps no history); the harness sends none in that window.
    - How long reconnection takes, beyond the 10 s deadline.
    """

    requirement_id: ClassVar[str] = "PUBSUB-4"
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("batches", RESTART_BATCHES),
            ("messages per batch", BATCH),
        ),
        timers=(
            ("subscription", SUBSCRIPTION_TIMEOUT),
            ("lines", LINES_TIMEOUT),
            ("rebind", REBIND_TIMEOUT),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Messages]:
        return messages(batches=RESTART_BATCHES, garbage=False)

    def examples(self, role: str) -> list[Messages]:
        return []


class SurvivesGarbage(Property[Messages]):
    """PUBSUB-5: unreadable messages do not stop the subscriber.

    - As PUBSUB-3 (one batch of 1..8 good change messages, unknown keys included), with 1..3
      generated bad messages: before each good message the harness sends one bad one, taking them in
      turn. A bad message is one of: 0..40 random bytes (mostly not UTF-8 or not JSON; possibly
      empty); the JSON texts `[1, 2]`, `null`, `"changed"` (not an object) or `{"file": 3,
      "timestamp": "x"}` (no string `file`, no integer `timestamp`); a message of 2..3 frames of
      0..8 random bytes each.
    - The harness waits (5 s) until the subscriber has printed as many change lines as good messages
      were sent. Then the process must still be running, every stdout line must be a change line (a
      diagnostic about a bad message goes to stderr), and the good messages' files must appear, in
      order, among the change lines; change lines printed for bad messages are ignored.

    **Not checked.**
    - What the subscriber reports for a bad message (PUBSUB-5.c: one line on stderr; the reference
      writes `ignored a message: <reason>`).
    - That it is still running after each bad message: it is looked at once, after the batch.
    """

    requirement_id: ClassVar[str] = "PUBSUB-5"
    case_type = Messages
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("good messages", BATCH),
            ("bad messages", BAD_MESSAGES),
            ("junk bytes", JUNK_BYTES),
            ("junk frames", JUNK_FRAMES),
        ),
        timers=(("lines", LINES_TIMEOUT),),
    )

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
