"""pyzmq sockets for trio tasks: no thread per socket, no busy polling.

pyzmq has no trio integration, so :class:`AsyncSocket` wraps a plain ``zmq.Socket``:
every operation is first tried with ``zmq.NOBLOCK``; on ``zmq.Again`` it waits for the
socket's ``ZMQ_FD`` with ``trio.lowlevel.wait_readable`` and tries again.

That file descriptor is edge-triggered: it signals that ``ZMQ_EVENTS`` *may have changed*,
not that a message is there, and any call into the socket (send, recv, reading EVENTS,
even bind or connect) may consume the edge. Hence the rules kept here:

- always try the operation before waiting, and read ``ZMQ_EVENTS`` before waiting
  (which also re-arms the descriptor); wait only if it says "not ready";
- trio lets one task at a time wait on a descriptor, so one task (the *waiter*) waits
  for everybody and reads EVENTS for the flags the others want; the others park;
- every call into the socket may have eaten the waiter's edge, so it *kicks* the waiter
  (cancels its wait), which then re-reads EVENTS.

Sends and receives are atomic under cancellation: a NOBLOCK call moves a whole
(multipart) message or nothing, and once it has, no cancellation is delivered.
See http://api.zeromq.org/4-3:zmq-getsockopt (ZMQ_FD, ZMQ_EVENTS).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar, cast

import trio
import zmq

__all__ = ["AsyncSocket"]

T = TypeVar("T")

# Plain ints: operators on pyzmq's enum flags cost more than the libzmq calls they modify.
NOBLOCK, SNDMORE = int(zmq.NOBLOCK), int(zmq.SNDMORE)
POLLIN, POLLOUT = int(zmq.POLLIN), int(zmq.POLLOUT)
EVENTS, RCVMORE = int(zmq.EVENTS), int(zmq.RCVMORE)


class AsyncSocket:
    """A ``zmq.Socket`` usable from trio tasks; several tasks may share one socket."""

    def __init__(self, socket: zmq.Socket[bytes]) -> None:
        self._socket = socket
        self._fd: int = socket.FD
        self._kind = zmq.SocketType(cast(int, socket.getsockopt(zmq.TYPE))).name
        self._closed = False
        self._waiter: trio.CancelScope | None = None  # the one task in wait_readable
        self._wanted = 0  # EVENTS flags the parked tasks wait for
        self._parked = trio.lowlevel.ParkingLot()

    @classmethod
    def open(cls, context: zmq.Context[Any], kind: int, **options: int | bytes) -> AsyncSocket:
        """A new socket of ``kind`` (``zmq.REQ``...) with options by name (``RCVHWM=10``).

        LINGER is 0 unless given, so closing never waits for unsent messages.
        """
        # A plain (blocking-API) socket even from a zmq.asyncio context, registered with the
        # context so that context.destroy() closes it too.
        socket: zmq.Socket[bytes] = context.socket(kind, socket_class=zmq.Socket)
        try:
            for name, value in {"LINGER": 0, **options}.items():
                try:
                    option = zmq.SocketOption[name.upper()]
                except KeyError:
                    raise ValueError(f"unknown zmq socket option {name!r}") from None
                socket.setsockopt(option, value)
        except BaseException:
            socket.close(linger=0)
            raise
        return cls(socket)

    @property
    def raw(self) -> zmq.Socket[bytes]:
        """The wrapped socket. Calling into it directly may consume the FD's edge: while
        tasks wait on this wrapper, use the wrapper's methods instead."""
        return self._socket

    @property
    def closed(self) -> bool:
        return self._closed

    # Synchronous calls: each may process libzmq commands, so each kicks the waiter.

    def bind(self, endpoint: str) -> None:
        self._call(self._socket.bind, endpoint)

    def connect(self, endpoint: str) -> None:
        self._call(self._socket.connect, endpoint)

    def unbind(self, endpoint: str) -> None:
        self._call(self._socket.unbind, endpoint)

    def disconnect(self, endpoint: str) -> None:
        self._call(self._socket.disconnect, endpoint)

    def subscribe(self, prefix: bytes) -> None:
        """Subscribe a SUB socket to messages starting with ``prefix`` (b"" for all)."""
        self._call(self._socket.setsockopt, zmq.SUBSCRIBE, prefix)

    # Messages.

    async def send(self, data: bytes) -> None:
        await self.send_multipart([data])

    async def send_multipart(self, frames: Sequence[bytes]) -> None:
        """Send one message of ``frames``; when cancelled, either all were sent or none."""
        if not frames:
            raise ValueError("a message has at least one frame")
        await self._io(POLLOUT, lambda: self._send_frames(frames))

    async def recv(self) -> bytes:
        """The next message, which must have a single frame (else it is consumed and
        ValueError raised: use recv_multipart where several frames may come)."""
        frames = await self.recv_multipart()
        if len(frames) != 1:
            raise ValueError(f"expected a single-frame message, got {len(frames)} frames")
        return frames[0]

    async def recv_multipart(self) -> list[bytes]:
        """The next message's frames; when cancelled, no message was taken."""
        return await self._io(POLLIN, self._recv_frames)

    # Closing.

    def close(self, linger: int | None = 0) -> None:
        """Close the socket (idempotent); tasks waiting on it get ClosedResourceError."""
        if self._closed:
            return
        self._closed = True
        try:
            trio.lowlevel.notify_closing(self._fd)
            self._parked.unpark_all()
        except RuntimeError:
            pass  # outside trio.run: nobody can be waiting
        self._socket.close(linger=linger)

    async def aclose(self) -> None:
        self.close()
        await trio.lowlevel.checkpoint()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"fd={self._fd}"
        return f"<AsyncSocket {self._kind} {state}>"

    # Internals.

    def _check_open(self) -> None:
        if self._closed:
            raise trio.ClosedResourceError("this zmq socket was closed")

    def _kick(self) -> None:
        """Make the waiter re-read EVENTS: our call into libzmq may have eaten its edge."""
        if self._waiter is not None:
            self._waiter.cancel()

    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        self._check_open()
        try:
            return fn(*args)
        finally:
            self._kick()

    def _send_frames(self, frames: Sequence[bytes]) -> bool:
        last = len(frames) - 1
        self._socket.send(frames[0], NOBLOCK | (SNDMORE if last else 0))
        # ZeroMQ takes multipart messages atomically: once the first frame is in, the rest
        # go in too. Again here would be a libzmq bug; raise rather than half-send.
        for i, frame in enumerate(frames[1:], start=1):
            more = SNDMORE if i < last else 0
            self._after_first(self._socket.send, frame, NOBLOCK | more)
        return True

    def _recv_frames(self) -> list[bytes] | None:
        """The next message, or None if there is none yet. EVENTS is asked first: most
        receives find nothing yet, and a recv that fails (zmq.Again) costs twice as much."""
        if not cast(int, self._socket.getsockopt(EVENTS)) & POLLIN:
            return None
        frames = [self._socket.recv(NOBLOCK)]
        while self._socket.getsockopt(RCVMORE):
            frames.append(self._after_first(self._socket.recv, NOBLOCK))
        return frames

    @staticmethod
    def _after_first(fn: Callable[..., T], *args: Any) -> T:
        try:
            return fn(*args)
        except zmq.Again as exc:
            raise RuntimeError("libzmq split a multipart message") from exc

    async def _io(self, flag: int, attempt: Callable[[], T | None]) -> T:
        """Run the non-blocking ``attempt`` until it succeeds (returns something, not None
        and not zmq.Again), waiting for ``flag`` in between."""
        await trio.lowlevel.checkpoint_if_cancelled()
        waited = False
        while True:
            self._check_open()
            try:
                result = attempt()
            except zmq.Again:
                result = None
            self._kick()
            if result is None:
                await self._wait(flag)
                waited = True
                continue
            if not waited:  # a checkpoint yields; don't let cancellation lose the message
                await trio.lowlevel.cancel_shielded_checkpoint()
            return result

    async def _wait(self, flag: int) -> None:
        """Return once EVENTS may have ``flag``: wait on the FD, or park behind the waiter."""
        if self._waiter is not None:
            self._wanted |= flag
            await self._parked.park()
            return
        try:
            waited = False
            while not cast(int, self._socket.getsockopt(EVENTS)) & (flag | self._wanted):
                with trio.CancelScope() as self._waiter:
                    await trio.lowlevel.wait_readable(self._fd)
                waited = True
                self._check_open()
        finally:
            self._waiter = None
            self._wanted = 0
            if self._parked:
                self._parked.unpark_all()
        if not waited:
            # EVENTS says ready although the attempt failed (a race, or ROUTER_MANDATORY
            # towards a full peer): let other tasks run, never spin without a checkpoint.
            await trio.lowlevel.checkpoint()
