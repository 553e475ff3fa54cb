"""Tests of the trio adapter for pyzmq sockets (conformance.zsock).

Each test runs one ``trio.run`` under a deadline, so a lost wake-up fails instead of
hanging. Tasks are sequenced with trio.testing.wait_all_tasks_blocked (which also
proves that a waiting task sleeps rather than polls), never with sleeps.
"""

from __future__ import annotations

import faulthandler
import os
import shutil
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, cast

import pytest
import trio
import trio.testing
import zmq

from conformance.zsock import AsyncSocket

Ctx = zmq.Context[zmq.Socket[bytes]]
DEADLINE = 20.0  # seconds per test; generous for loaded CI machines


def run(body: Callable[[], Awaitable[None]]) -> None:
    """Run ``body`` in a fresh trio.run that fails after DEADLINE seconds."""

    async def main() -> None:
        with trio.fail_after(DEADLINE):
            await body()

    trio.run(main)


@pytest.fixture(autouse=True)
def crash_instead_of_hang() -> Iterator[None]:
    """fail_after cannot stop code that blocks the event loop (a spin without checkpoint,
    a hung ctx.term()): kill the process instead, which xdist reports as a crash."""
    faulthandler.dump_traceback_later(3 * DEADLINE, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def ctx() -> Iterator[Ctx]:
    context: Ctx = zmq.Context()
    yield context
    context.destroy(linger=0)  # also closes what a failing test left open


@pytest.fixture
def ipc_dir() -> Iterator[str]:
    path = tempfile.mkdtemp(prefix="zs", dir="/tmp")  # short: ipc paths are ~100 bytes max
    yield path
    shutil.rmtree(path, ignore_errors=True)


def endpoint_for(transport: str, ipc_dir: str) -> str:
    """An endpoint to bind; tcp uses port 0 ('*'), read back with bound_endpoint."""
    if transport == "inproc":
        return f"inproc://zsock-{uuid.uuid4().hex}"
    if transport == "tcp":
        return "tcp://127.0.0.1:*"
    return f"ipc://{ipc_dir}/{uuid.uuid4().hex[:8]}"


def bound_endpoint(sock: AsyncSocket) -> str:
    last = sock.raw.getsockopt(zmq.LAST_ENDPOINT)
    assert isinstance(last, bytes)
    return last.decode()


def pair(
    ctx: Ctx,
    kinds: tuple[int, int],
    transport: str = "inproc",
    ipc_dir: str = "/tmp",
    **options: int | bytes,
) -> tuple[AsyncSocket, AsyncSocket]:
    """Two connected sockets: the first binds, the second connects."""
    server = AsyncSocket.open(ctx, kinds[0], **options)
    server.bind(endpoint_for(transport, ipc_dir))
    client = AsyncSocket.open(ctx, kinds[1], **options)
    client.connect(bound_endpoint(server))
    return server, client


TRANSPORTS = ["inproc", "tcp", "ipc"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_req_rep_round_trips(ctx: Ctx, ipc_dir: str, transport: str) -> None:
    async def body() -> None:
        rep, req = pair(ctx, (zmq.REP, zmq.REQ), transport, ipc_dir)
        async with rep, req, trio.open_nursery() as nursery:

            async def serve() -> None:
                for _ in range(200):
                    await rep.send(b"re:" + await rep.recv())

            nursery.start_soon(serve)
            for i in range(200):
                request = str(i).encode() * (i % 7)
                await req.send(request)
                assert await req.recv() == b"re:" + request

    run(body)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_multipart_with_empty_and_large_frames(ctx: Ctx, ipc_dir: str, transport: str) -> None:
    big = os.urandom(1 << 20)
    messages = [[b""], [b"", b""], [b"a", b"", b"b"], [b"", big, b""], [big], [b"x"] * 50]

    async def body() -> None:
        router, dealer = pair(ctx, (zmq.ROUTER, zmq.DEALER), transport, ipc_dir)
        async with router, dealer:
            for frames in messages:
                await dealer.send_multipart(frames)
                peer, *got = await router.recv_multipart()
                assert got == frames
                await router.send_multipart([peer, *frames])
                assert await dealer.recv_multipart() == frames

    run(body)


def test_recv_of_a_multipart_message_is_rejected(ctx: Ctx) -> None:
    async def body() -> None:
        a, b = pair(ctx, (zmq.PAIR, zmq.PAIR))
        async with a, b:
            await b.send_multipart([b"1", b"2"])
            with pytest.raises(ValueError, match="2 frames"):
                await a.recv()
            with pytest.raises(ValueError, match="at least one frame"):
                await a.send_multipart([])

    run(body)


@pytest.mark.parametrize("transport", ["inproc", "tcp"])
def test_messages_queued_before_the_receiver_starts(ctx: Ctx, ipc_dir: str, transport: str) -> None:
    """The FD's edge for all of them is gone before the first recv; none may be missed."""
    count = 2000

    async def body() -> None:
        pull, push = pair(ctx, (zmq.PULL, zmq.PUSH), transport, ipc_dir, SNDHWM=0, RCVHWM=0)
        async with pull, push:
            for i in range(count):
                await push.send(b"%d" % i)
            # Wait (without the adapter) until all arrived, eating every edge on the way.
            poller = zmq.Poller()
            poller.register(pull.raw, zmq.POLLIN)
            assert poller.poll(int(DEADLINE * 1000))
            for i in range(count):
                assert await pull.recv() == b"%d" % i

    run(body)


def test_sender_waits_for_room_and_wakes_when_the_receiver_drains(ctx: Ctx) -> None:
    async def body() -> None:
        pull, push = pair(ctx, (zmq.PULL, zmq.PUSH), SNDHWM=5, RCVHWM=5)
        async with pull, push, trio.open_nursery() as nursery:
            sent = 0

            async def produce() -> None:
                nonlocal sent
                for i in range(500):
                    await push.send(b"%d" % i)
                    sent += 1

            nursery.start_soon(produce)
            await trio.testing.wait_all_tasks_blocked()
            assert 0 < sent < 500  # blocked by the high-water mark, asleep
            for i in range(500):
                assert await pull.recv() == b"%d" % i

    run(body)


@pytest.mark.parametrize("transport", ["inproc", "tcp"])
@pytest.mark.parametrize("hwm", [0, 3])
def test_concurrent_send_and_recv_on_one_dealer(ctx: Ctx, transport: str, hwm: int) -> None:
    """One task sends 1000 messages while another receives their echoes on the same
    socket: both wait on the same FD, for different EVENTS."""
    count = 1000

    async def body() -> None:
        echo, dealer = pair(ctx, (zmq.DEALER, zmq.DEALER), transport, SNDHWM=hwm, RCVHWM=hwm)
        async with echo, dealer, trio.open_nursery() as nursery:

            async def echo_all() -> None:
                for _ in range(count):
                    await echo.send_multipart(await echo.recv_multipart())

            async def send_all() -> None:
                for i in range(count):
                    await dealer.send_multipart([b"%d" % i, b""])

            nursery.start_soon(echo_all)
            nursery.start_soon(send_all)
            for i in range(count):
                assert await dealer.recv_multipart() == [b"%d" % i, b""]

    run(body)


def test_two_receivers_on_one_socket(ctx: Ctx) -> None:
    async def body() -> None:
        pull, push = pair(ctx, (zmq.PULL, zmq.PUSH))
        got: list[bytes] = []
        async with pull, push, trio.open_nursery() as nursery:

            async def receive() -> None:
                got.append(await pull.recv())

            nursery.start_soon(receive)
            nursery.start_soon(receive)
            await trio.testing.wait_all_tasks_blocked()
            await push.send(b"one")
            await push.send(b"two")
        assert sorted(got) == [b"one", b"two"]

    run(body)


def test_a_call_that_eats_the_edge_wakes_the_waiting_task(ctx: Ctx) -> None:
    """connect() processes libzmq commands and so consumes the FD's edge that a message
    for the waiting receiver raised; the adapter must wake the receiver anyway."""

    async def body() -> None:
        a, b = pair(ctx, (zmq.DEALER, zmq.DEALER))
        async with a, b, trio.open_nursery() as nursery:
            got: list[bytes] = []

            async def receive() -> None:
                got.append(await a.recv())

            nursery.start_soon(receive)
            await trio.testing.wait_all_tasks_blocked()
            b.raw.send(b"hello")  # signals a's FD, synchronously for inproc
            a.connect(f"inproc://nowhere-{uuid.uuid4().hex}")  # eats the edge
            await trio.testing.wait_all_tasks_blocked()
            assert got == [b"hello"]

    run(body)


def test_waiter_for_input_wakes_a_sender_parked_for_output(ctx: Ctx) -> None:
    """The receiver waits on the FD for everybody: room to send must wake the sender."""

    async def body() -> None:
        peer, dealer = pair(ctx, (zmq.DEALER, zmq.DEALER), SNDHWM=2, RCVHWM=2)
        async with peer, dealer, trio.open_nursery() as nursery:

            async def send_all() -> None:
                for i in range(50):
                    await dealer.send(b"%d" % i)

            nursery.start_soon(dealer.recv)  # waits for input that never comes
            await trio.testing.wait_all_tasks_blocked()
            nursery.start_soon(send_all)  # parks behind it at the high-water mark
            await trio.testing.wait_all_tasks_blocked()
            for i in range(50):
                assert await peer.recv() == b"%d" % i
            nursery.cancel_scope.cancel()

    run(body)


def test_recv_cancelled_as_its_message_arrives_keeps_it(ctx: Ctx) -> None:
    """A recv that took a message returns it even if cancelled meanwhile."""

    async def body() -> None:
        a, b = pair(ctx, (zmq.DEALER, zmq.DEALER))
        got: list[bytes] = []
        async with a, b, trio.open_nursery() as nursery:
            scope = trio.CancelScope()

            async def receive() -> None:
                with scope:
                    got.append(await a.recv())

            nursery.start_soon(receive)
            await trio.testing.wait_all_tasks_blocked()
            await b.send(b"hello")
            a.connect(f"inproc://nowhere-{uuid.uuid4().hex}")  # wakes the receiver to recv...
            scope.cancel()  # ...which is cancelled before it runs again
        if not got:
            got.append(await a.recv())
        assert got == [b"hello"]

    run(body)


def test_cancelled_recv_loses_no_message(ctx: Ctx) -> None:
    async def body() -> None:
        pull, push = pair(ctx, (zmq.PULL, zmq.PUSH))
        async with pull, push:
            with trio.move_on_after(0.05) as scope:
                await pull.recv()
            assert scope.cancelled_caught
            # Cancelled while parked behind another waiting task, and while waiting.
            async with trio.open_nursery() as nursery:
                for _ in range(2):
                    nursery.start_soon(pull.recv_multipart)
                await trio.testing.wait_all_tasks_blocked()
                nursery.cancel_scope.cancel()
            await push.send_multipart([b"1", b"2"])
            await push.send(b"3")
            with trio.CancelScope() as scope:
                scope.cancel()
                await pull.recv()  # cancelled before trying: takes nothing
            assert await pull.recv_multipart() == [b"1", b"2"]
            assert await pull.recv() == b"3"

    run(body)


def test_operation_done_as_its_deadline_passes_is_reported(ctx: Ctx) -> None:
    """A send or recv that went through returns normally, even if its deadline expired
    during the libzmq call: a Cancelled then would lose the message (or resend it)."""
    clock = trio.testing.MockClock()

    class SlowSocket(zmq.Socket[bytes]):
        """Each libzmq call takes one (mock) second."""

        def send(self, *args: Any, **kwargs: Any) -> Any:
            result = super().send(*args, **kwargs)
            clock.jump(1)
            return result

        def recv(self, *args: Any, **kwargs: Any) -> Any:
            result = super().recv(*args, **kwargs)
            clock.jump(1)
            return result

    async def main() -> None:
        endpoint = f"inproc://slow-{uuid.uuid4().hex}"
        async with (
            AsyncSocket(ctx.socket(zmq.PULL, socket_class=SlowSocket)) as pull,
            AsyncSocket(ctx.socket(zmq.PUSH, socket_class=SlowSocket)) as push,
        ):
            pull.bind(endpoint)
            push.connect(endpoint)
            done = []
            with trio.move_on_after(0.5):
                await push.send(b"x")
                done.append("sent")
            with trio.move_on_after(0.5):
                done.append((await pull.recv()).decode())
            assert done == ["sent", "x"]

    trio.run(main, clock=clock)


def test_cancelled_send_sends_all_or_nothing(ctx: Ctx) -> None:
    async def body() -> None:
        pull, push = pair(ctx, (zmq.PULL, zmq.PUSH), SNDHWM=2, RCVHWM=2)
        async with pull, push:
            sent = []
            for i in range(30):
                with trio.move_on_after(0.01):
                    await push.send_multipart([b"%d" % i, b"tail"])
                    sent.append(b"%d" % i)
            assert 0 < len(sent) < 30  # the later sends were cancelled at the high-water mark
            with trio.CancelScope() as scope:
                scope.cancel()
                await push.send(b"cancelled before trying: never sent")
            received = []

            async def drain() -> None:
                while (frames := await pull.recv_multipart()) != [b"end", b"tail"]:
                    assert frames[1:] == [b"tail"]
                    received.append(frames[0])

            async with trio.open_nursery() as nursery:
                nursery.start_soon(drain)
                await push.send_multipart([b"end", b"tail"])
            assert received == sent

    run(body)


def test_send_that_events_misreports_stays_cancellable(ctx: Ctx) -> None:
    """With ROUTER_MANDATORY, EVENTS says POLLOUT while one peer has room, yet a send to
    a full peer fails with Again: the retry loop must keep yielding to trio."""

    async def body() -> None:
        router = AsyncSocket.open(ctx, zmq.ROUTER, ROUTER_MANDATORY=1, SNDHWM=1)
        endpoint = f"inproc://mandatory-{uuid.uuid4().hex}"
        router.bind(endpoint)
        peers = [AsyncSocket.open(ctx, zmq.DEALER, ROUTING_ID=b"p%d" % i, RCVHWM=1) for i in (0, 1)]
        async with router, peers[0], peers[1]:
            for peer in peers:
                peer.connect(endpoint)
                await peer.send(b"hello")
                assert (await router.recv_multipart())[1:] == [b"hello"]
            filled = 0
            while True:
                with trio.move_on_after(0.05) as scope:
                    await router.send_multipart([b"p0", b"fill"])
                    filled += 1
                if scope.cancelled_caught:
                    break
            assert filled > 0
            assert cast(int, router.raw.getsockopt(zmq.EVENTS)) & zmq.POLLOUT  # p1 has room
            await router.send_multipart([b"p1", b"room"])
            assert await peers[1].recv() == b"room"

    run(body)


def test_router_with_several_dealers(ctx: Ctx) -> None:
    peers, rounds = 8, 50

    async def body() -> None:
        router = AsyncSocket.open(ctx, zmq.ROUTER)
        endpoint = f"inproc://router-{uuid.uuid4().hex}"
        router.bind(endpoint)
        async with router, trio.open_nursery() as nursery:

            async def serve() -> None:
                for _ in range(peers * rounds):
                    peer, request = await router.recv_multipart()
                    await router.send_multipart([peer, peer + b":" + request])

            async def client(n: int) -> None:
                name = b"peer-%d" % n
                async with AsyncSocket.open(ctx, zmq.DEALER, ROUTING_ID=name) as dealer:
                    dealer.connect(endpoint)
                    for i in range(rounds):
                        await dealer.send(b"%d" % i)
                        assert await dealer.recv() == name + b":%d" % i

            nursery.start_soon(serve)
            async with trio.open_nursery() as clients:
                for n in range(peers):
                    clients.start_soon(client, n)

    run(body)


def test_xpub_sees_the_subscription_before_publishing(ctx: Ctx) -> None:
    async def body() -> None:
        xpub, sub = pair(ctx, (zmq.XPUB, zmq.SUB), "tcp")
        async with xpub, sub:
            sub.subscribe(b"news")
            assert await xpub.recv() == b"\x01news"  # the subscription has arrived
            for message in [b"weather", b"news 1", b"sports", b"news 2"]:
                await xpub.send(message)
            assert await sub.recv() == b"news 1"
            assert await sub.recv() == b"news 2"

    run(body)


def test_open_sets_options_and_linger_zero(ctx: Ctx) -> None:
    sock = AsyncSocket.open(ctx, zmq.DEALER)
    assert sock.raw.getsockopt(zmq.LINGER) == 0
    sock.close()
    sock = AsyncSocket.open(ctx, zmq.DEALER, linger=250, RCVHWM=7, ROUTING_ID=b"me")
    assert sock.raw.getsockopt(zmq.LINGER) == 250
    assert sock.raw.getsockopt(zmq.RCVHWM) == 7
    assert sock.raw.getsockopt(zmq.ROUTING_ID) == b"me"
    sock.close()
    with pytest.raises(ValueError, match="NO_SUCH_OPTION"):
        AsyncSocket.open(ctx, zmq.DEALER, NO_SUCH_OPTION=1)


def test_context_destroy_closes_open_sockets() -> None:
    context: Ctx = zmq.Context()
    sock = AsyncSocket.open(context, zmq.PAIR)
    context.destroy()  # would hang in term() if the context did not know the socket
    assert sock.raw.closed


def test_closed_socket_raises_and_wakes_its_waiters(ctx: Ctx) -> None:
    async def body() -> None:
        a, b = pair(ctx, (zmq.PAIR, zmq.PAIR))
        async with b:
            pass
        assert b.closed
        assert b.raw.closed
        b.close()  # idempotent
        for call in [lambda: b.send(b"x"), b.recv, b.recv_multipart]:
            with pytest.raises(trio.ClosedResourceError, match="closed"):
                await call()
        with pytest.raises(trio.ClosedResourceError):
            b.connect("inproc://x")
        errors: list[BaseException] = []

        async def receive() -> None:
            try:
                await a.recv()
            except trio.ClosedResourceError as exc:
                errors.append(exc)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(receive)  # the waiter
            nursery.start_soon(receive)  # parked behind it
            await trio.testing.wait_all_tasks_blocked()
            await a.aclose()
        assert len(errors) == 2

    run(body)
