"""Checkers of the PUB/SUB requirements (SPEC.md PUBSUB-*).

What ZeroMQ guarantees and the checks rely on: once a subscription has reached
the publisher, messages below the high-water mark arrive whole and in order.
What it does not, and the checks never count: messages sent while a
subscriber is disconnected or not yet subscribed (the harness waits for the
subscription, or probes, before it counts anything).
"""

from __future__ import annotations

from collections.abc import Sequence

from conformance.checks.messages import CHANGED, contrast, decode_message, shorten
from conformance.deadlines import TIMESTAMP_SLACK_MS
from conformance.facts import WallClock, WatchedFile
from conformance.model import FileChanged, Received, Transcript, Verdict
from conformance.normative import MUST, SHOULD, Clause, Requirement

# --- what this module judges: its requirements (SPEC.md §4) and their clauses ---------------

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        id="PUBSUB-1",
        title='Each change of FILE is published as one frame of JSON {"type":"changed","file":FILE,"timestamp":<ms>}.',
        roles=("watcher-pub",),
        source="zmq-watcher-pub.js",
    ),
    Requirement(
        id="PUBSUB-2",
        title="Every change of FILE, written in place or renamed over it, reaches every connected subscriber.",
        roles=("watcher-pub",),
        source="zmq-watcher-pub.js; RFC 29 (PUB sends to all subscribers)",
    ),
    Requirement(
        id="PUBSUB-3",
        title="The subscriber subscribes to every message and prints one line per message received, in order.",
        roles=("watcher-sub",),
        source="zmq-watcher-sub.js",
    ),
    Requirement(
        id="PUBSUB-4",
        title="The subscriber keeps running across publisher restarts and receives again once the publisher is back.",
        roles=("watcher-sub",),
        source="zmq-watcher-sub.js ('it automatically reestablishes the connection')",
    ),
    Requirement(
        id="PUBSUB-5",
        title="The subscriber survives a message it cannot read and prints the next good one.",
        roles=("watcher-sub",),
        source="deviation: the book's subscriber throws on bad JSON",
        level=SHOULD,
    ),
)
"""The requirements of this module's checkers, collected by :mod:`conformance.spec`."""

CLAUSES: tuple[Clause, ...] = (
    Clause(
        id="PUBSUB-1.a",
        level=MUST,
        section="PUBSUB-1",
        text="For each change of FILE the publisher MUST send a message of exactly one frame",
        exercised_by=("PUBSUB-1",),
    ),
    Clause(
        id="PUBSUB-1.b",
        level=MUST,
        section="PUBSUB-1",
        text='holding the JSON object {"type":"changed","file":FILE,"timestamp":<ms>},',
        exercised_by=("PUBSUB-1",),
    ),
    Clause(
        id="PUBSUB-1.c",
        level=MUST,
        section="PUBSUB-1",
        text="FILE being its command-line argument unchanged.",
        exercised_by=("PUBSUB-1",),
    ),
    Clause(
        id="PUBSUB-2.a",
        level=MUST,
        section="PUBSUB-2",
        text="Every change of FILE written in place MUST produce at least one change message",
        exercised_by=("PUBSUB-2",),
    ),
    Clause(
        id="PUBSUB-2.b",
        level=MUST,
        section="PUBSUB-2",
        text="and so MUST every change made by renaming another file over it,",
        exercised_by=("PUBSUB-2",),
    ),
    Clause(
        id="PUBSUB-2.c",
        level=MUST,
        section="PUBSUB-2",
        text="a message that reaches every connected subscriber.",
        exercised_by=("PUBSUB-2",),
    ),
    Clause(
        id="PUBSUB-2.d",
        level=SHOULD,
        section="PUBSUB-2",
        text="Changes to other files in the directory SHOULD NOT be reported.",
        unexercised="not checked: the temp file of a rename-over lives in the directory, and "
        "extra messages are tolerated (PUBSUB-2)",
    ),
    Clause(
        id="PUBSUB-3.a",
        level=MUST,
        section="PUBSUB-3",
        text="The subscriber MUST subscribe to every message",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="PUBSUB-3.b",
        level=MUST,
        section="PUBSUB-3",
        text="and print, for each change message it receives, one line "
        "`File '<file>' changed at <date>`,",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="PUBSUB-3.c",
        level=MUST,
        section="PUBSUB-3",
        text="in the order received,",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="PUBSUB-3.d",
        level=MUST,
        section="PUBSUB-3",
        text="with <file> the message's `file` string exactly.",
        exercised_by=("PUBSUB-3",),
    ),
    Clause(
        id="PUBSUB-4.a",
        level=MUST,
        section="PUBSUB-4",
        text="The subscriber MUST keep running while its publisher is gone",
        exercised_by=("PUBSUB-4",),
    ),
    Clause(
        id="PUBSUB-4.b",
        level=MUST,
        section="PUBSUB-4",
        text="and MUST print the messages of the restarted publisher once it has reconnected.",
        exercised_by=("PUBSUB-4",),
    ),
    Clause(
        id="PUBSUB-5.a",
        level=SHOULD,
        section="PUBSUB-5",
        text="The subscriber SHOULD skip a message it cannot read and keep running,",
        exercised_by=("PUBSUB-5",),
    ),
    Clause(
        id="PUBSUB-5.b",
        level=SHOULD,
        section="PUBSUB-5",
        text="and print the line for the next good message.",
        exercised_by=("PUBSUB-5",),
    ),
    Clause(
        id="PUBSUB-5.c",
        level=SHOULD,
        section="PUBSUB-5",
        text="It SHOULD report a bad message as one line on stderr.",
        unexercised="not checked: stderr is never parsed (§3.6)",
    ),
)
"""Their clauses (:mod:`conformance.clauses`), in the order of each requirement's sentence."""


def read_change(frames: tuple[bytes, ...], file: str, window: tuple[int, int]) -> str | None:
    """What is wrong with a change message for FILE stamped within WINDOW (ms), or None."""
    if len(frames) != 1:
        return f"a change message is one frame, got {len(frames)}"
    value, problem = decode_message(frames[0])
    if problem is not None:
        return shorten(problem, 200)
    if not isinstance(value, dict):
        return f"not a JSON object: {shorten(repr(frames[0]))}"
    if value.get("type") != "changed":
        return f'"type" is {value.get("type")!r}, not "changed"'
    if value.get("file") != file:
        if not isinstance(value.get("file"), str):
            return f'"file" is {value.get("file")!r}, not FILE {file!r}'
        want, seen = contrast(file, value["file"], 160)
        return f'"file" is {seen}, not FILE {want} (FILE exactly as given, SPEC.md 3.2)'
    stamp = value.get("timestamp")
    if not isinstance(stamp, int) or isinstance(stamp, bool):
        return f'"timestamp" is {stamp!r}, not an integer of milliseconds'
    if not window[0] <= stamp <= window[1]:
        return f'"timestamp" {stamp} is not within the run ({window[0]}..{window[1]} ms since the epoch)'
    return None


def check_published(
    *, transcript: Transcript, subscribers: Sequence[str], changes: int, budget: float
) -> Verdict:
    """PUBSUB-1, -2: :func:`check_deliveries` for the file the publisher's command line gave
    (its WatchedFile), each message stamped between TIMESTAMP_SLACK_MS before the case began
    and as long after the case's BUDGET (seconds) from the driver's last look at the clock."""
    watched = transcript.first(WatchedFile)
    if watched is None:
        return Verdict.stopped_before("the harness started the publisher")
    clock = [event.ms for event in transcript.of(WallClock)]
    window = (
        clock[0] - TIMESTAMP_SLACK_MS,
        clock[-1] + int(budget * 1000) + TIMESTAMP_SLACK_MS,
    )
    return check_deliveries(
        transcript=transcript,
        subscribers=subscribers,
        file=watched.file,
        window=window,
        changes=changes,
    )


def check_deliveries(
    *,
    transcript: Transcript,
    subscribers: Sequence[str],
    file: str,
    window: tuple[int, int],
    changes: int,
) -> Verdict:
    """Every counted change reached every subscriber (at least once), as a well-formed message.

    Changes are the FileChanged events whose ``how`` is not "probe"; change i
    is delivered if a message arrives after it and before change i+1 is made
    (the driver waits for that before it makes the next change).
    """
    for subscriber in subscribers:
        for frames in transcript.received(subscriber):
            problem = read_change(frames, file, window)
            if problem is not None:
                return Verdict.failed(
                    f"{subscriber} received a malformed change message",
                    expected='one frame {"type":"changed","file":FILE,"timestamp":<ms>}',
                    seen=problem,
                )
    counted = 0
    pending: set[str] = set()
    for event in transcript.events:
        if isinstance(event, FileChanged) and event.how != "probe":
            if pending:
                return Verdict.failed(
                    f"change {counted} ({event.how}) reached no message at {', '.join(sorted(pending))}",
                    expected="a change message for every change",
                    seen="none before the next change",
                )
            counted += 1
            pending = set(subscribers)
        elif isinstance(event, Received) and counted:
            pending.discard(event.peer)
    if pending:
        return Verdict.failed(
            f"change {counted} reached no message at {', '.join(sorted(pending))}",
            expected="a change message for every change",
            seen="none before the deadline",
        )
    if counted < changes:
        return Verdict.stopped_before(f"the harness made all {changes} changes (it made {counted})")
    return Verdict.passed()


def check_only_transcript_lines(lines: Sequence[str]) -> Verdict:
    """Every stdout line of the subscriber is a change line (SPEC.md 3.6: a client role
    prints nothing on stdout but its transcript lines; diagnostics go to stderr)."""
    for number, line in enumerate(lines, start=1):
        if not CHANGED.match(line):
            return Verdict.failed(
                f"stdout line {number} is not a transcript line: a client role prints nothing "
                "else on stdout (SPEC.md 3.6; diagnostics go to stderr)",
                expected="only lines File '<file>' changed at <date>",
                seen=shorten(repr(line)),
            )
    return Verdict.passed()


def check_printed(*, lines: Sequence[str], files: Sequence[str]) -> Verdict:
    """The subscriber printed one 'File ... changed at ...' line per message, in order, and
    nothing else (SPEC.md 3.6)."""
    only = check_only_transcript_lines(lines)
    if not only.ok:
        return only
    printed = [m for line in lines if (m := CHANGED.match(line))]
    for number, file in enumerate(files, start=1):
        if number > len(printed):
            return Verdict.failed(
                f"message {number} (file {file!r}) printed no line",
                expected=f"File '{file}' changed at <date>",
                seen=f"{len(printed)} change lines in all",
            )
        if printed[number - 1]["file"] != file:
            want, seen = contrast(file, printed[number - 1]["file"])
            return Verdict.failed(
                f"change line {number} names the wrong file (a message lost, split or out of "
                "order? or not its file string exactly)",
                expected=f"File '<file>' changed at <date>, <file> = {want}",
                seen=f"<file> = {seen}",
            )
    if len(printed) > len(files):
        return Verdict.failed(
            f"{len(printed) - len(files)} change lines more than messages sent",
            expected=f"{len(files)} lines",
            seen=shorten(printed[len(files)].group(0)),
        )
    return Verdict.passed()


def check_survived(*, lines: Sequence[str], files: Sequence[str], exited: bool) -> Verdict:
    """After unreadable messages the subscriber still runs and printed every good one, in order;
    lines for the bad ones may be change lines, never other text (SPEC.md 3.6)."""
    only = check_only_transcript_lines(lines)
    if not only.ok:
        return only
    if exited:
        return Verdict.failed(
            "the subscriber exited after an unreadable message",
            expected="it keeps running",
            seen="it exited",
        )
    printed = iter(m["file"] for line in lines if (m := CHANGED.match(line)))
    for number, file in enumerate(files, start=1):
        if not any(found == file for found in printed):
            return Verdict.failed(
                f"good message {number} (file {file!r}) printed no line after the unreadable ones",
                expected=shorten(f"File '{file}' changed at <date>"),
                seen="no such line, in order, among "
                f"{sum(1 for line in lines if CHANGED.match(line))} change lines",
            )
    return Verdict.passed()
