"""The stage of one case: the implementation's processes and the harness's sockets.

A :class:`World` exists for one ``trio.run``. It starts the implementation's
roles from the manifest (placeholders filled with endpoints that never
collide), opens the harness's own sockets, edits files, and records all of it
in the case's :class:`~conformance.model.Transcript`. Drivers talk to the world;
they never build a command line or an endpoint themselves.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trio
import zmq

from conformance import waits
from conformance.deadlines import READY_TIMEOUT
from conformance.endpoints import Endpoints
from conformance.errors import HarnessError
from conformance.facts import Counted, FrameCut, Undelimited, WallClock
from conformance.manifest import Manifest, resolve_endpoint
from conformance.model import FileChanged, Received, Sent, Transcript
from conformance.roles import ENDPOINT_PLACEHOLDERS, role_of
from conformance.supervisor import Command, Process, Supervisor
from conformance.zsock import AsyncSocket

MAX_RECORDED_FRAME = 32 << 20
"""A received frame longer than this (no requirement needs one over about 13 MiB: 1 MiB of
astral characters, JSON-escaped) is recorded cut to its first :data:`KEPT_OF_A_HUGE_FRAME`
bytes, and a :class:`~conformance.facts.FrameCut` says so: a reply of 100 MiB must not
become 100 MiB of every case file."""
KEPT_OF_A_HUGE_FRAME = 64 << 10


@dataclass(frozen=True)
class Launch:
    """A role ready to start: the command with every placeholder filled in."""

    role: str
    name: str
    command: Command
    endpoints: dict[str, str]
    """The endpoint placeholders as the harness must use them (relative ipc resolved)."""


class Peer:
    """One of the harness's sockets; everything it sends and receives is recorded."""

    def __init__(self, name: str, socket: AsyncSocket, transcript: Transcript) -> None:
        self.name = name
        self.socket = socket
        self._transcript = transcript

    async def send(self, *frames: bytes) -> None:
        await self.socket.send_multipart(frames)
        self._transcript.record(Sent, peer=self.name, frames=tuple(frames))

    async def recv(self) -> tuple[bytes, ...]:
        frames = tuple(await self.socket.recv_multipart())
        self._transcript.record(Received, peer=self.name, frames=self._recordable(frames))
        return frames

    def _recordable(self, frames: tuple[bytes, ...]) -> tuple[bytes, ...]:
        """FRAMES, a huge one cut (and a FrameCut saying so)."""
        if all(len(frame) <= MAX_RECORDED_FRAME for frame in frames):
            return frames
        for number, frame in enumerate(frames, start=1):
            if len(frame) > MAX_RECORDED_FRAME:
                self._transcript.record(
                    FrameCut,
                    peer=self.name,
                    frame=number,
                    size=len(frame),
                    kept=KEPT_OF_A_HUGE_FRAME,
                )
        return tuple(
            frame[:KEPT_OF_A_HUGE_FRAME] if len(frame) > MAX_RECORDED_FRAME else frame
            for frame in frames
        )

    def close(self) -> None:
        self.socket.close()


class DelimitedPeer(Peer):
    """A DEALER that talks to a REP as a REQ would (an empty delimiter frame before each
    request, stripped from each reply) without the REQ's lockstep: every message that comes
    is received and recorded, a second reply to one request too, where a REQ would drop it.
    The transcript holds the messages without the delimiter, as a REQ's."""

    async def send(self, *frames: bytes) -> None:
        await self.socket.send_multipart((b"", *frames))
        self._transcript.record(Sent, peer=self.name, frames=tuple(frames))

    async def recv(self) -> tuple[bytes, ...]:
        frames = tuple(await self.socket.recv_multipart())
        if frames[:1] == (b"",):
            frames = frames[1:]
        else:  # a REQ would drop it: the checker says so
            self._transcript.record(Undelimited, peer=self.name)
        self._transcript.record(Received, peer=self.name, frames=self._recordable(frames))
        return frames


@dataclass
class World:
    """Everything one case may touch, owned by one trio.run; see the module doc."""

    manifest: Manifest
    transcript: Transcript
    supervisor: Supervisor
    endpoints: Endpoints
    context: zmq.Context[zmq.Socket[bytes]]
    transport: str = "tcp"
    """How the harness connects processes in this case: "tcp" or "ipc"."""
    role_manifests: dict[str, Manifest] = field(default_factory=dict)
    """Roles played by another implementation than ``manifest`` (interop cases)."""
    _chosen: dict[str, str] = field(default_factory=dict)
    _peers: list[Peer] = field(default_factory=list)
    _launched: dict[str, Launch] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """The wall clock when the case began, which timestamps are checked against."""
        self.transcript.record(WallClock, ms=time.time_ns() // 1_000_000)

    @property
    def files(self) -> Path:
        """A folder for the case's files: the filer's root, watched files."""
        path = self.endpoints.directory / "files"
        path.mkdir(exist_ok=True)
        return path

    def manifest_of(self, role: str) -> Manifest:
        """The implementation that plays ROLE in this case."""
        return self.role_manifests.get(role, self.manifest)

    def endpoint(self, placeholder: str = "endpoint") -> str:
        """The endpoint of this case for PLACEHOLDER (one per placeholder and case)."""
        if placeholder not in self._chosen:
            self._chosen[placeholder] = self.endpoints.endpoint(self.transport, placeholder)
        return self._chosen[placeholder]

    def address(self, role: str, placeholder: str = "endpoint") -> str:
        """Where the harness reaches ROLE's PLACEHOLDER endpoint: the one it was started with
        (a fixed endpoint of the manifest, relative ipc resolved), else this case's."""
        launch = self._launched.get(role)
        if launch is not None and placeholder in launch.endpoints:
            return launch.endpoints[placeholder]
        return self.manifest_of(role).role(role).endpoint(placeholder, self.endpoint(placeholder))

    def prepare(self, role: str, name: str | None = None, **values: str) -> Launch:
        """Fill in the role's command: endpoints, a fresh {tmp}, the role's default numbers
        (the role table's), and VALUES."""
        manifest = self.manifest_of(role)
        spec = manifest.role(role)
        tmp = Path(tempfile.mkdtemp(prefix="p-", dir=self.endpoints.directory))
        filled = {"tmp": str(tmp), "root": str(self.files)}
        filled.update({name: str(value) for name, value in role_of(role).defaults.items()})
        used = spec.placeholders_used() | set(spec.fixed)
        for placeholder in ENDPOINT_PLACEHOLDERS:
            if placeholder in used:
                filled[placeholder] = spec.endpoint(placeholder, self.endpoint(placeholder))
        filled.update(values)
        invocation = manifest.invocation(role, filled)
        endpoints = {
            placeholder: resolve_endpoint(filled[placeholder], invocation.cwd)
            for placeholder in ENDPOINT_PLACEHOLDERS
            if placeholder in filled
        }
        command = Command(
            argv=invocation.argv,
            cwd=invocation.cwd,
            env={**inherited_environment(), **invocation.env},
        )
        return Launch(role=role, name=name or role, command=command, endpoints=endpoints)

    async def start(self, launch: Launch) -> Process:
        """Start a prepared role; wait for its ready line if the manifest gives one (at most
        READY_TIMEOUT seconds)."""
        self._launched[launch.role] = launch
        ready = self.manifest_of(launch.role).role(launch.role).ready
        if ready is None:
            return await self.supervisor.start(launch.name, launch.command)

        def tails() -> str:
            process = self.supervisor.processes.get(launch.name)
            return process.tails() if process is not None else ""

        what = f"{launch.name}'s ready line (matching {ready.pattern!r})"
        with self.deadline(what, READY_TIMEOUT, hint=tails):
            process = await self.supervisor.start(launch.name, launch.command, ready=ready)
        return process

    def deadline(
        self, what: str, seconds: float, *, hint: Callable[[], str] | None = None
    ) -> contextlib.AbstractContextManager[trio.CancelScope]:
        """A cancel scope of SECONDS; if they pass first, a TimedOut event names WHAT and
        :class:`~conformance.waits.DeadlineMissed` stops the example (trio's ``fail_after``,
        recorded)."""
        return waits.deadline(self.transcript, what, seconds, hint=hint)

    def move_on_after(
        self, what: str, seconds: float
    ) -> contextlib.AbstractContextManager[trio.CancelScope]:
        """A cancel scope of SECONDS; if they pass first, a TimedOut event names WHAT and the
        caller goes on (trio's ``move_on_after``, recorded; see ``cancelled_caught``)."""
        return waits.move_on_after(self.transcript, what, seconds)

    def number(self, role: str, placeholder: str, wanted: int) -> int:
        """How many of PLACEHOLDER (``workers``, ``count``) ROLE will run if given WANTED: WANTED
        if its templates take the placeholder, else the book's number (the role table's). A
        :class:`~conformance.facts.Counted` tells the checker which."""
        takes = placeholder in self.manifest_of(role).role(role).placeholders_used()
        value = role_of(role).number(placeholder, takes, wanted)
        self.transcript.record(Counted, placeholder=placeholder, value=value, book=not takes)
        return value

    async def start_role(self, role: str, name: str | None = None, **values: str) -> Process:
        return await self.start(self.prepare(role, name, **values))

    def peer(self, name: str, kind: int, **options: int | bytes) -> Peer:
        """A harness socket that records what it sends and receives under NAME."""
        peer = Peer(name, AsyncSocket.open(self.context, kind, **options), self.transcript)
        self._peers.append(peer)
        return peer

    def requester(self, name: str) -> Peer:
        """A harness client of a REP that sees every reply (a :class:`DelimitedPeer`)."""
        socket = AsyncSocket.open(self.context, zmq.DEALER)
        peer = DelimitedPeer(name, socket, self.transcript)
        self._peers.append(peer)
        return peer

    def write_file(self, relative: str, content: bytes, *, how: str = "write") -> Path:
        """Change a file under :attr:`files`: written in place ("write", or a "probe" that
        does not count), or written aside and renamed over ("rename")."""
        path = self.files / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if how in ("write", "probe"):
            path.write_bytes(content)
        elif how == "rename":
            aside = path.with_name(f".{path.name}.new")
            aside.write_bytes(content)
            os.replace(aside, path)
        else:
            raise HarnessError(f"unknown way to change a file: {how!r}")
        self.transcript.record(FileChanged, path=relative, how=how, size=len(content))
        return path

    def close_peers(self) -> None:
        for peer in self._peers:
            peer.close()
        self._peers.clear()


UNINHERITED = ("PYTHONUNBUFFERED",)
"""Variables of the harness's environment that implementations do not get (unless their
manifest sets them): a Python implementation must flush its lines itself (SPEC.md 3.6)."""


def inherited_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in UNINHERITED}


async def receive(peer: Peer, *, watching: Process | None = None) -> tuple[bytes, ...] | None:
    """The next message at PEER; None if WATCHING exits first. No deadline of its own: the
    caller bounds the wait.

    Racing the process's exit means a crashed implementation fails its case at
    once instead of after the whole deadline.
    """
    received: list[tuple[bytes, ...]] = []
    async with trio.open_nursery() as nursery:

        async def get() -> None:
            received.append(await peer.recv())
            nursery.cancel_scope.cancel()

        async def watch(process: Process) -> None:
            await process.wait()
            nursery.cancel_scope.cancel()

        nursery.start_soon(get)
        if watching is not None:
            nursery.start_soon(watch, watching)
    return received[0] if received else None
