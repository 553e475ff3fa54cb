"""watcher_pub and watcher_sub: one JSON message per change of FILE, one line per message,
and a subscriber that outlives its publisher (SPEC.md PUBSUB-1..5).

PUB/SUB drops what is published before a subscription has reached the
publisher (the "slow joiner"), so a test that subscribes to watcher_pub first
probes: it keeps changing the file until a message arrives, and only then
asserts on the changes it makes next. Against watcher_sub the test is the
publisher, an XPUB socket, which receives the subscription itself: the test
waits for that message, never for a while.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trio
import zmq

from conformance.zsock import AsyncSocket
from tests.reference.sandbox import DEADLINE, Role, Sandbox

READY_PUB = re.escape("Listening for zmq subscribers...")
CHANGED_LINE = r"File 'target\.txt' changed at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
PROBE_INTERVAL = 0.2
"""Seconds between two probes (changes of FILE) while no message has come."""
PROBE_DRAIN = 0.3
"""Seconds the messages of earlier probes are drained for, after the first one came."""


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@contextlib.contextmanager
def watched_file(tmp_path: Path) -> Iterator[Path]:
    """FILE, alone in a directory of its own (the publisher watches the directory)."""
    directory = tmp_path / "watched"
    directory.mkdir()
    target = directory / "target.txt"
    target.write_text("initial\n")
    yield target


async def start_publisher(sandbox: Sandbox, target: Path, endpoint: str) -> Role:
    """watcher_pub run in FILE's directory with FILE as a relative path, as in the book."""
    return await sandbox.start(
        "watcher_pub", target.name, "--bind", endpoint, cwd=target.parent, ready=READY_PUB
    )


async def probe(sub: AsyncSocket, target: Path) -> list[bytes]:
    """Change FILE until the subscriber receives a message; that message's frames.

    Messages for earlier probes that are still on their way are then drained,
    so that they cannot pass for the message of a later change. (Should one
    come later still, a test could pass wrongly, never fail wrongly.)
    """
    count = 0
    frames: list[bytes] | None = None
    with trio.move_on_after(DEADLINE):
        while frames is None:
            count += 1
            target.write_text(f"probe {count}\n")
            with trio.move_on_after(PROBE_INTERVAL):
                frames = await sub.recv_multipart()
        drained = False
        while not drained:
            with trio.move_on_after(PROBE_DRAIN) as drain:
                await sub.recv_multipart()
            drained = drain.cancelled_caught
        return frames
    raise AssertionError(f"no message after {count} changes of {target}")


async def next_change_since(sub: AsyncSocket, since_ms: int) -> dict[str, Any]:
    """The first message stamped at or after SINCE_MS; earlier ones (left over from
    probing) are skipped."""
    with trio.move_on_after(DEADLINE):
        while True:
            message: dict[str, Any] = json.loads(await sub.recv())
            if message["timestamp"] >= since_ms:
                return message
    raise AssertionError(f"no message stamped at or after {since_ms}")


# --------------------------------------------------------------------------- watcher_pub


async def test_publisher_sends_one_frame_of_json_on_a_write(
    sandbox: Sandbox, tmp_path: Path, transport: str
) -> None:
    with watched_file(tmp_path) as target:
        endpoint = sandbox.endpoint(transport)
        await start_publisher(sandbox, target, endpoint)
        sub = sandbox.socket(zmq.SUB, connect=endpoint, subscribe=b"")
        before = now_ms()
        frames = await probe(sub, target)
        assert len(frames) == 1
        message = json.loads(frames[0])
        assert message.keys() == {"type", "file", "timestamp"}
        assert message["type"] == "changed"
        assert message["file"] == "target.txt", "FILE exactly as given on the command line"
        assert isinstance(message["timestamp"], int)
        assert before <= message["timestamp"] <= now_ms(), "milliseconds since the epoch"


async def test_publisher_sends_a_message_for_each_later_write(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    with watched_file(tmp_path) as target:
        endpoint = sandbox.tcp()
        await start_publisher(sandbox, target, endpoint)
        sub = sandbox.socket(zmq.SUB, connect=endpoint, subscribe=b"")
        await probe(sub, target)
        for number in range(3):
            since = now_ms()
            target.write_text(f"write {number}\n")
            message = await next_change_since(sub, since)
            assert (message["type"], message["file"]) == ("changed", "target.txt")


async def test_publisher_sees_a_file_renamed_over_file(
    sandbox: Sandbox, tmp_path: Path, transport: str
) -> None:
    """Editors save by writing a temporary file and renaming it over FILE."""
    with watched_file(tmp_path) as target:
        endpoint = sandbox.endpoint(transport)
        await start_publisher(sandbox, target, endpoint)
        sub = sandbox.socket(zmq.SUB, connect=endpoint, subscribe=b"")
        await probe(sub, target)
        since = now_ms()
        temporary = target.with_name(".target.txt.swp")
        temporary.write_text("saved by an editor\n")
        os.replace(temporary, target)
        assert (await next_change_since(sub, since))["file"] == "target.txt"


async def test_publisher_still_sees_writes_after_a_rename_over_file(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """The renamed file is a new inode: a watch on the old one would now be deaf."""
    with watched_file(tmp_path) as target:
        endpoint = sandbox.tcp()
        await start_publisher(sandbox, target, endpoint)
        sub = sandbox.socket(zmq.SUB, connect=endpoint, subscribe=b"")
        await probe(sub, target)
        temporary = target.with_name(".target.txt.swp")
        temporary.write_text("saved by an editor\n")
        os.replace(temporary, target)
        await next_change_since(sub, 0)  # the rename's own message
        since = now_ms()
        target.write_text("written in place\n")
        assert (await next_change_since(sub, since))["file"] == "target.txt"


async def test_publisher_and_subscriber_together_print_a_line_per_change(
    sandbox: Sandbox, tmp_path: Path, transport: str
) -> None:
    """The book's demo, both ends real: writes to FILE show up in the subscriber's output."""
    with watched_file(tmp_path) as target:
        endpoint = sandbox.endpoint(transport)
        await start_publisher(sandbox, target, endpoint)
        subscriber = await sandbox.start("watcher_sub", "--connect", endpoint)
        line = None
        with sandbox.deadline("a line from the subscriber"):
            while line is None:  # probe: the subscription may not have reached the publisher yet
                target.write_text("probe\n")
                with trio.move_on_after(PROBE_INTERVAL):
                    line = await subscriber.readline()
        assert re.fullmatch(CHANGED_LINE, line), line


# --------------------------------------------------------------------------- watcher_sub


@contextlib.contextmanager
def publisher(sandbox: Sandbox, endpoint: str) -> Iterator[AsyncSocket]:
    """An XPUB bound at ENDPOINT in a context of its own, gone for good when the block ends:
    terminating its context waits until the endpoint is free to bind again."""
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        xpub = sandbox.socket(zmq.XPUB, bind=endpoint, context=context)
        try:
            yield xpub
        finally:
            xpub.close()
    finally:
        context.destroy(linger=0)


def changed(file: str, timestamp: int) -> bytes:
    return json.dumps({"type": "changed", "file": file, "timestamp": timestamp}).encode()


def iso(timestamp_ms: int) -> str:
    """The date as JavaScript's Date.prototype.toISOString writes it."""
    date = dt.datetime.fromtimestamp(timestamp_ms // 1000, tz=dt.UTC)
    return date.strftime("%Y-%m-%dT%H:%M:%S") + f".{timestamp_ms % 1000:03d}Z"


async def test_subscriber_prints_one_line_per_message_in_order(
    sandbox: Sandbox, transport: str
) -> None:
    endpoint = sandbox.endpoint(transport)
    with publisher(sandbox, endpoint) as xpub:
        subscriber = await sandbox.start("watcher_sub", "--connect", endpoint)
        with sandbox.deadline("the subscription"):
            assert await xpub.recv() == b"\x01", "a subscription to every message"
        stamps = [1_700_000_000_123, 1_700_000_000_124, 0, 4_102_444_800_000]
        for stamp in stamps:
            await xpub.send(changed("target.txt", stamp))
        for stamp in stamps:
            assert await subscriber.readline() == f"File 'target.txt' changed at {iso(stamp)}"
    assert iso(1_700_000_000_123) == "2023-11-14T22:13:20.123Z"


async def test_subscriber_receives_again_after_the_publisher_restarts(
    sandbox: Sandbox, transport: str
) -> None:
    """ZeroMQ reconnects by itself, and the SUB sends its subscription again (PUBSUB-4)."""
    endpoint = sandbox.endpoint(transport)
    with publisher(sandbox, endpoint) as xpub:
        subscriber = await sandbox.start("watcher_sub", "--connect", endpoint)
        with sandbox.deadline("the subscription"):
            assert await xpub.recv() == b"\x01"
        await xpub.send(changed("before.txt", 1_000))
        assert await subscriber.readline() == f"File 'before.txt' changed at {iso(1_000)}"
    with publisher(sandbox, endpoint) as xpub:
        with sandbox.deadline("the subscription at the new publisher"):
            assert await xpub.recv() == b"\x01", (
                "the same subscriber subscribes to the new publisher"
            )
        await xpub.send(changed("after.txt", 2_000))
        assert await subscriber.readline() == f"File 'after.txt' changed at {iso(2_000)}"
    assert subscriber.process.returncode is None


async def test_subscriber_survives_messages_it_cannot_read(sandbox: Sandbox) -> None:
    """Each bad message is skipped (and reported on stderr); the next good one is printed."""
    endpoint = sandbox.tcp()
    garbage: list[list[bytes]] = [
        [b"not json"],
        [b"\xff\xfe"],
        [b""],
        [b"[]"],
        [b"{}"],
        [b'{"file": 1, "timestamp": 2}'],
        [b'{"file": "f", "timestamp": "yesterday"}'],
        [b'{"file": "f", "timestamp": true}'],
        [b'{"file": "f", "timestamp": 1e300}'],
        [b'{"file": "f", "timestamp": 100000000000000000000000}'],
        [changed("two.txt", 1), b"frames"],
    ]
    with publisher(sandbox, endpoint) as xpub:
        subscriber = await sandbox.start("watcher_sub", "--connect", endpoint)
        with sandbox.deadline("the subscription"):
            assert await xpub.recv() == b"\x01"
        for frames in garbage:
            await xpub.send_multipart(frames)
        await xpub.send(changed("good.txt", 3_000))
        assert await subscriber.readline() == f"File 'good.txt' changed at {iso(3_000)}"
        assert subscriber.process.returncode is None
