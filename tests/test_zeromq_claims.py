"""SPEC.md's claims about ZeroMQ, tested against the installed libzmq (issue 13).

Every "ZeroMQ guarantees" bullet of SPEC.md §4, and the ZeroMQ statements of §2, §5, §6
and the book's notes, is a claim an implementer will rely on; each test here exercises one
of them through pyzmq, on loopback tcp and ipc only, and quotes it in its docstring
(requirement id and sentence). A claim that libzmq does not honour is tested for what
libzmq really does, with a ``FALSE:`` note; a claim that holds in libzmq but is not an
RFC 23/28/29 guarantee says ``libzmq behaviour``. SPEC.md's Appendix A has the corrected
text of each; docs/zeromq-claims.md lists every claim with its tests.

Every wait has a deadline: ``RCVTIMEO``/``poll`` for messages, a socket monitor for
connections, and :func:`wait_until` (a 10 ms poll of a condition, bounded) only where
libzmq offers no event. Absence is checked over a short window (``QUIET``), which a true
claim passes whatever the machine's speed. Nothing times libzmq.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import selectors
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zmq
from zmq.utils.monitor import recv_monitor_message

from conformance.endpoints import Endpoints

DEADLINE = 10.0
"""Seconds any awaited event gets (a reply, a connection, a subscription)."""
QUIET = 0.3
"""Seconds a socket is watched to show that nothing arrives."""
PROBE_EVERY = 0.02
"""Seconds between probes while a publisher waits for a subscription to land."""
BURST = 20_000
"""Messages of a burst sent to a peer that does not read: far past 2 x 1000 queued."""
KIB = b"k" * 1024
FITS = 500
"""Messages of a burst that always fit the sender's queue of 1000: libzmq tells a sender of
its peer's reads in batches of half the high-water mark, so up to 499 earlier messages (the
probes) may still count against it."""


# --- fixtures and helpers -----------------------------------------------------------------


@pytest.fixture
def ctx() -> Iterator[zmq.Context[zmq.Socket[bytes]]]:
    """A context of the test's own; destroyed (every socket closed, no linger) afterwards."""
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        yield context
    finally:
        context.destroy(linger=0)


@pytest.fixture
def endpoints() -> Iterator[Endpoints]:
    """The harness's endpoints: a private ipc folder under /tmp (removed) and claimed ports."""
    with Endpoints() as chosen:
        yield chosen


@pytest.fixture(params=["tcp", "ipc"])
def address(request: pytest.FixtureRequest, endpoints: Endpoints) -> str:
    """One fresh endpoint, once on loopback tcp and once over ipc."""
    return endpoints.endpoint(str(request.param), "claim")


def ipc_path(endpoint: str) -> Path:
    return Path(endpoint.removeprefix("ipc://"))


@contextlib.contextmanager
def separate_context() -> Iterator[zmq.Context[zmq.Socket[bytes]]]:
    """A second libzmq context: sockets with their own I/O thread, as in another process.

    Destroying it (``destroy(linger=0)``) is how a test makes a peer die abruptly.
    """
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        yield context
    finally:
        context.destroy(linger=0)


def recv_within(
    sock: zmq.Socket[bytes],
    seconds: float = DEADLINE,
    *,
    poke: zmq.Socket[bytes] | None = None,
) -> list[bytes]:
    """The next message on SOCK, or an AssertionError after SECONDS.

    POKE is a peer socket in this thread that must process its commands for the message
    to come (libzmq does that only when the application calls into the socket, as a
    program blocked in recv does): it is poked every 10 ms.
    """
    deadline = time.monotonic() + seconds
    sock.rcvtimeo = 10 if poke is not None else int(seconds * 1000)
    try:
        while True:
            if poke is not None:
                poke.getsockopt(zmq.EVENTS)
            with contextlib.suppress(zmq.Again):
                return sock.recv_multipart()
            if time.monotonic() > deadline:
                raise AssertionError(f"no message within {seconds} s")
    finally:
        sock.rcvtimeo = -1


def assert_quiet(sock: zmq.Socket[bytes], seconds: float = QUIET) -> None:
    """Nothing can be received on SOCK for SECONDS."""
    sock.rcvtimeo = int(seconds * 1000)
    try:
        message = sock.recv_multipart()
    except zmq.Again:
        return
    finally:
        sock.rcvtimeo = -1
    raise AssertionError(f"expected nothing, received {message!r}")


def drain(sock: zmq.Socket[bytes]) -> list[int]:
    """The numbers (first frames) of a burst's messages that arrive at SOCK, in order.

    The first FITS must come (within DEADLINE each); then whatever else arrives until the
    socket has been quiet for QUIET.
    """
    numbers = [int(recv_within(sock)[0]) for _ in range(FITS)]
    while sock.poll(int(QUIET * 1000)):
        numbers.append(int(sock.recv_multipart()[0]))
    return numbers


def monitor(sock: zmq.Socket[bytes]) -> zmq.Socket[bytes]:
    """A monitor of SOCK's connections (connected, accepted, handshakes, disconnects)."""
    return sock.get_monitor_socket()


def await_event(
    watch: zmq.Socket[bytes],
    event: int,
    count: int = 1,
    *,
    poke: zmq.Socket[bytes] | None = None,
) -> None:
    """Wait (up to DEADLINE) until the monitor WATCH has reported EVENT COUNT times.

    POKE is a socket whose pending commands must be processed for the event to happen
    (libzmq processes them only when the application calls into the socket): it is
    poked every 10 ms.
    """
    deadline = time.monotonic() + DEADLINE
    seen = 0
    while seen < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{zmq.Event(event).name} seen {seen} of {count} times")
        if poke is not None:
            poke.getsockopt(zmq.EVENTS)
        if watch.poll(10) and recv_monitor_message(watch)["event"] == event:
            seen += 1


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll CONDITION every 10 ms until it holds, for states libzmq reports by no event."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {DEADLINE} s: {what}")
        time.sleep(0.01)


def probe_until_subscribed(pub: zmq.Socket[bytes], *subs: zmq.Socket[bytes]) -> None:
    """Publish ``probe`` until each of SUBS has received one (the slow joiner is past)."""
    deadline = time.monotonic() + DEADLINE
    waiting = list(subs)
    while waiting:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(waiting)} subscriber(s) never received a probe")
        pub.send(b"probe")
        waiting = [sub for sub in waiting if not sub.poll(int(PROBE_EVERY * 1000))]
    for sub in subs:  # what follows the probes, once they are read
        while sub.poll(int(QUIET * 1000)):
            assert sub.recv_multipart() == [b"probe"]


def efsm(action: Callable[[], object]) -> bool:
    """Whether ACTION fails with EFSM (the socket's state machine refuses it)."""
    try:
        action()
    except zmq.ZMQError as error:
        return error.errno == zmq.EFSM
    return False


SERVER = """
import sys, zmq
context = zmq.Context()
rep = context.socket(zmq.REP)
rep.bind(sys.argv[1])
print("ready", flush=True)
while True:
    rep.recv()
    rep.send(sys.argv[2].encode())
"""
"""A second process: binds a REP at argv[1], answers argv[2] to everything, never cleans up."""


@contextlib.contextmanager
def server_process(endpoint: str, answer: str) -> Iterator[subprocess.Popen[str]]:
    """Run SERVER in a child process until the block ends; it is killed and reaped then."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, endpoint, answer],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(DEADLINE), f"no ready line within {DEADLINE} s"
        assert process.stdout.readline() == "ready\n"
        yield process
    finally:
        process.kill()
        process.wait(DEADLINE)
        if process.stdout is not None:
            process.stdout.close()


def tcp_port(endpoint: str) -> int:
    return int(endpoint.rsplit(":", 1)[1])


def in_time_wait(port: int) -> bool:
    """Whether a TCP connection with local port PORT on 127.0.0.1 is in TIME_WAIT."""
    local = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as table:
        next(table)
        return any(
            fields[1] == local and fields[3] == "06" for fields in (line.split() for line in table)
        )


# --- LIFE-1: ready line only once bound ---------------------------------------------------


def test_bind_returns_with_the_listener_in_place(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """LIFE-1: "`zmq_bind` on tcp and ipc returns once the listening socket exists, so
    printing after bind is enough."

    True (libzmq behaviour: the RFCs do not describe bind): a plain stream connect made
    the moment bind returns, with no retry, is accepted.
    """
    rep = ctx.socket(zmq.REP)
    rep.bind(address)
    if address.startswith("tcp://"):
        raw = socket.create_connection(("127.0.0.1", tcp_port(address)), timeout=DEADLINE)
    else:
        raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        raw.settimeout(DEADLINE)
        raw.connect(str(ipc_path(address)))
    raw.close()


def test_reconnect_interval_defaults_to_100_ms(ctx: zmq.Context[zmq.Socket[bytes]]) -> None:
    """LIFE-1: "libzmq retries a failed connect every 100 ms (`ZMQ_RECONNECT_IVL`)."

    True of libzmq's defaults (RFC 23 says only that a peer SHOULD reconnect "after a
    suitable delay"): ZMQ_RECONNECT_IVL is 100 ms and ZMQ_RECONNECT_IVL_MAX 0 (no
    backoff), read from the options, not timed.
    """
    for kind in (zmq.REQ, zmq.SUB, zmq.REP, zmq.DEALER):
        sock = ctx.socket(kind)
        assert sock.getsockopt(zmq.RECONNECT_IVL) == 100
        assert sock.getsockopt(zmq.RECONNECT_IVL_MAX) == 0
        sock.close(linger=0)


def test_connect_before_bind_is_retried_until_it_succeeds(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """LIFE-1: "A peer that connects early is not refused for good: libzmq retries a failed
    connect."

    True (RFC 23: "All sockets SHALL establish connections opportunistically"; the retry
    on a refused or missing endpoint is libzmq's): a SUB connected before anything is
    bound receives from a PUB bound afterwards.
    """
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"")
    sub.connect(address)  # nothing listens yet: refused (tcp) or no such file (ipc)
    assert_quiet(sub)
    pub = ctx.socket(zmq.PUB)
    pub.bind(address)
    probe_until_subscribed(pub, sub)


# --- LIFE-2: clean exit on SIGTERM --------------------------------------------------------


@pytest.mark.parametrize("how", ["close", "unbind then close", "context destroy"])
def test_closing_a_bound_socket_leaves_its_ipc_file(endpoints: Endpoints, how: str) -> None:
    """LIFE-2: "Closing a bound socket (`zmq_close`, then context termination) unlinks its
    ipc file. A program that closes its sockets on SIGTERM gets the cleanup for free."

    FALSE with libzmq 4.3.x: the socket file is still there after close(), unbind() and
    the context's termination, which waits for the listener to be closed. (libzmq
    removes only the files of wildcard ``ipc://*`` binds, which it creates itself.) A
    program must unlink the file of each ipc endpoint it bound, as the reference does.
    """
    endpoint = endpoints.ipc("bound")
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        rep = context.socket(zmq.REP)
        rep.bind(endpoint)
        assert stat.S_ISSOCK(ipc_path(endpoint).stat().st_mode)
        if how == "unbind then close":
            rep.unbind(endpoint)
        if how == "context destroy":
            context.destroy(linger=0)
        else:
            rep.close(linger=0)
            context.term()
    finally:
        context.destroy(linger=0)
    assert stat.S_ISSOCK(ipc_path(endpoint).stat().st_mode), "libzmq removed the file"


def test_wildcard_ipc_bind_is_the_one_libzmq_cleans_up(
    ctx: zmq.Context[zmq.Socket[bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LIFE-2 (the exception to the above): libzmq unlinks the socket file, and its folder,
    only for ``ipc://*``, where it chose the path itself.

    libzmq behaviour. Not a way out for LIFE-2: the manifest names the endpoint.
    """
    monkeypatch.chdir(tmp_path)  # a relative temp folder for the wildcard is made here
    rep = ctx.socket(zmq.REP)
    rep.bind("ipc://*")
    chosen = Path(rep.getsockopt_string(zmq.LAST_ENDPOINT).removeprefix("ipc://")).absolute()
    assert chosen.exists()
    rep.close(linger=0)
    wait_until(lambda: not chosen.parent.exists(), f"libzmq removes {chosen} and its folder")


def test_a_server_killed_by_a_signal_leaves_its_ipc_file(endpoints: Endpoints) -> None:
    """LIFE-2: "one that dies of the default signal action leaves the file." (Also §6 D13:
    "Ctrl-C kills the programs by the default signal action: ... `filer-dealer.ipc` stays.")

    True (nothing runs in a process that a signal ends).
    """
    endpoint = endpoints.ipc("killed")
    with server_process(endpoint, "A") as process:
        process.send_signal(signal.SIGTERM)  # Python's default: terminate, no cleanup
        assert process.wait(DEADLINE) == -signal.SIGTERM
    assert stat.S_ISSOCK(ipc_path(endpoint).stat().st_mode)


def test_bind_replaces_a_stale_ipc_file(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """LIFE-2: "libzmq unlinks a stale file before binding an ipc path, so a leftover file
    does not stop the next run." (Also CLUSTER-5: "libzmq replaces it at the next bind".)

    True, libzmq behaviour (ipc_listener unlinks the path unconditionally before bind):
    a socket file left by a killed server is replaced, and so is a plain file, whatever
    it held.
    """
    left = endpoints.ipc("left")
    with server_process(left, "A") as process:
        process.kill()
        process.wait(DEADLINE)
    plain = endpoints.ipc("plain")
    ipc_path(plain).write_text("not a socket")
    for endpoint in (left, plain):
        rep = ctx.socket(zmq.REP)
        rep.bind(endpoint)
        assert stat.S_ISSOCK(ipc_path(endpoint).stat().st_mode)
        req = ctx.socket(zmq.REQ)
        req.connect(endpoint)
        req.send(b"anyone?")
        assert recv_within(rep) == [b"anyone?"]
        rep.close(linger=0)
        req.close(linger=0)


def test_a_second_process_binding_the_same_ipc_path_takes_it_over(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """LIFE-2: "a second process binding the same path silently takes it over."

    True, libzmq behaviour: the second bind succeeds (no EADDRINUSE, unlike tcp); new
    connections reach the second process; the first is not told, and keeps serving the
    clients it had.
    """
    endpoint = endpoints.ipc("shared")
    with server_process(endpoint, "first"):
        old_client = ctx.socket(zmq.REQ)
        old_client.connect(endpoint)
        old_client.send(b"who?")
        assert recv_within(old_client) == [b"first"]
        second = ctx.socket(zmq.REP)
        second.bind(endpoint)  # would raise ZMQError(EADDRINUSE) if libzmq refused it
        new_client = ctx.socket(zmq.REQ)
        new_client.connect(endpoint)
        new_client.send(b"who?")
        assert recv_within(second) == [b"who?"]
        second.send(b"second")
        assert recv_within(new_client) == [b"second"]
        old_client.send(b"still there?")
        assert recv_within(old_client) == [b"first"]


# --- PUBSUB-1..5 --------------------------------------------------------------------------

FRAMES = [b"", b"\x00", b"\xff\xfe not UTF-8", b"x" * 255, b"y" * 256, os.urandom(1 << 20)]
"""Frames of every kind: empty, binary, short and long ZMTP frames, 1 MiB."""


def test_messages_arrive_whole_with_every_frame(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """PUBSUB-1: "Messages are delivered whole or not at all: the frames and bytes the
    subscriber sees are those the publisher sent." (PUBSUB-5: "PUB/SUB carries any bytes";
    the book: ZeroMQ "delivers only whole messages".)

    True, RFC 23 ("A message SHALL be sent or received atomically") and RFC 29 (PUB and
    SUB "SHALL not modify" messages).
    """
    pub = ctx.socket(zmq.PUB)
    pub.bind(address)
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"")
    sub.connect(address)
    probe_until_subscribed(pub, sub)
    messages = [[b"changed", *FRAMES], FRAMES, [b"\xc0\xaf"], [b"{}", b""]]
    for message in messages:
        pub.send_multipart(message)
    for message in messages:
        assert recv_within(sub) == message


def test_pub_sends_every_message_to_every_subscriber_in_order(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """PUBSUB-2: "PUB sends each message to every subscriber whose subscription it has
    received, in order, over a connection that stays up."

    True, RFC 29 (PUB keeps a queue per subscriber and drops only when it is full) and
    RFC 23 ("All messages between two immediate peers SHALL be delivered in order").
    """
    pub = ctx.socket(zmq.PUB)
    pub.bind(address)
    subs = [ctx.socket(zmq.SUB) for _ in range(3)]
    for sub in subs:
        sub.subscribe(b"")
        sub.connect(address)
    probe_until_subscribed(pub, *subs)
    sent = [f"change {i}".encode() for i in range(200)]
    for text in sent:
        pub.send(text)
    for sub in subs:
        assert [recv_within(sub)[0] for _ in sent] == sent


def test_pub_drops_messages_sent_before_the_subscription_arrived(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """PUBSUB-2: "PUB drops, silently, what a subscriber cannot take: messages sent before
    its subscription reached the publisher (the slow joiner)".

    True, RFC 29 (PUB filters by the subscriptions it has received). Shown without a race:
    the SUB is connected (the publisher accepted it) but has not subscribed yet.
    """
    pub = ctx.socket(zmq.PUB)
    watch = monitor(pub)
    pub.bind(address)
    sub = ctx.socket(zmq.SUB)
    sub.connect(address)
    await_event(watch, zmq.EVENT_HANDSHAKE_SUCCEEDED)
    pub.send(b"early")  # the connection is up, the subscription is not
    sub.subscribe(b"")
    probe_until_subscribed(pub, sub)
    pub.send(b"late")
    assert recv_within(sub) == [b"late"]


def test_pub_drops_messages_while_the_subscriber_is_disconnected(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """PUBSUB-2: PUB drops messages sent to a subscriber "while it is disconnected";
    PUBSUB-4: "Messages published while the subscriber is disconnected or not yet
    resubscribed are lost (PUB keeps no history)".

    True, RFC 29 ("If this subscriber disconnects, the PUB socket SHALL destroy its queue
    and SHALL discard any messages it contains").
    """
    pub = ctx.socket(zmq.PUB)
    watch = monitor(pub)
    pub.bind(address)
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"")
    sub.connect(address)
    probe_until_subscribed(pub, sub)
    sub.disconnect(address)  # takes effect as the SUB processes its commands
    await_event(watch, zmq.EVENT_DISCONNECTED, poke=sub)
    pub.send(b"while away")
    sub.connect(address)
    probe_until_subscribed(pub, sub)
    pub.send(b"back")
    assert recv_within(sub) == [b"back"]


def test_high_water_marks_default_to_1000_messages(ctx: zmq.Context[zmq.Socket[bytes]]) -> None:
    """PUBSUB-2: "the high-water mark (1000 messages by default)"; CLUSTER-2: "a high-water
    mark of 1000".

    True of libzmq's defaults (ZMQ_SNDHWM and ZMQ_RCVHWM; RFC 28/29 ask only for "a
    runtime-configurable limit"), read from the options.
    """
    for kind in (zmq.PUB, zmq.SUB, zmq.REQ, zmq.REP, zmq.DEALER, zmq.ROUTER):
        sock = ctx.socket(kind)
        assert (sock.getsockopt(zmq.SNDHWM), sock.getsockopt(zmq.RCVHWM)) == (1000, 1000)
        sock.close(linger=0)


def test_pub_drops_a_burst_past_the_high_water_mark(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """PUBSUB-2: PUB drops "past the high-water mark (...: a fast burst loses messages even
    with the subscriber connected)."

    True, RFC 29 (PUB "SHALL silently drop the message if the queue for a subscriber is
    full" and "SHALL NOT block"). Over ipc, whose socket buffers hold a few hundred KiB,
    a burst of 20 000 messages of 1 KiB to a subscriber that does not read loses most of
    them; those that arrive are in order, and the first ones always arrive (:data:`FITS`).
    """
    address = endpoints.ipc("burst")
    pub = ctx.socket(zmq.PUB)
    pub.bind(address)
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"")
    sub.connect(address)
    probe_until_subscribed(pub, sub)
    for i in range(BURST):
        pub.send_multipart([str(i).encode(), KIB], zmq.NOBLOCK)  # never raises: PUB drops
    received = drain(sub)
    assert received[:FITS] == list(range(FITS))
    assert len(received) < BURST
    assert received == sorted(received)


def test_high_water_mark_counts_messages_not_bytes(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """REQREP-1: "the high-water mark counts messages, not bytes."

    True of libzmq (its HWM options are numbers of messages): a burst of 8 messages of
    2 MiB each to a subscriber that is not reading yet all arrive.
    """
    pub = ctx.socket(zmq.PUB)
    pub.bind(address)
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"")
    sub.connect(address)
    probe_until_subscribed(pub, sub)
    big = [bytes([i]) * (2 << 20) for i in range(8)]
    for body in big:
        pub.send(body)
    assert [recv_within(sub)[0] for _ in big] == big


def test_xpub_that_has_the_subscription_delivers_everything(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """PUBSUB-3: "Once the XPUB has received the subscription, the pipe to that subscriber
    exists: every message sent while the connection stays up is delivered, whole and in
    order."

    True: libzmq behaviour (the subscription is read from the subscriber's own pipe, so
    that pipe is attached when the application sees it); RFC 29 says XPUB delivers
    subscriptions to the application.
    """
    xpub = ctx.socket(zmq.XPUB)
    xpub.bind(address)
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"")
    sub.connect(address)
    assert recv_within(xpub) == [b"\x01"]  # subscribe to everything
    sent = [[f"message {i}".encode(), b"tail"] for i in range(100)]
    for message in sent:
        xpub.send_multipart(message)
    assert [recv_within(sub) for _ in sent] == sent


def test_sub_reconnects_and_resends_its_subscriptions(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """PUBSUB-4: "A connecting socket reconnects by itself (every 100 ms by default) and
    re-sends its subscriptions on each new connection; the subscriber needs no code for it."
    (The book: endpoints "automatically reconnect if they become unhitched".)

    True. Reconnecting is RFC 23 ("SHOULD reconnect after a suitable delay"); re-sending
    every subscription on the new connection is libzmq behaviour. A publisher that dies
    and is replaced on the same endpoint receives both subscriptions again, and the
    subscriber then receives its messages.
    """
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"A")
    sub.subscribe(b"B")
    with separate_context() as first:
        old = first.socket(zmq.XPUB)
        old.bind(address)
        sub.connect(address)
        assert {recv_within(old)[0] for _ in range(2)} == {b"\x01A", b"\x01B"}
    new = ctx.socket(zmq.XPUB)
    new.bind(address)
    resent = {recv_within(new, poke=sub)[0] for _ in range(2)}  # the SUB is waiting, as in recv
    assert resent == {b"\x01A", b"\x01B"}
    new.send(b"A after the restart")
    assert recv_within(sub) == [b"A after the restart"]


def test_tcp_port_can_be_bound_again_at_once(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """PUBSUB-4: "libzmq sets `SO_REUSEADDR` on tcp listeners, so the same port can be bound
    again at once."

    True, libzmq behaviour. The publisher closes first, so its side of the connection
    lingers in TIME_WAIT; a plain socket then cannot bind the port (EADDRINUSE), libzmq
    can.
    """
    address = endpoints.tcp()
    port = tcp_port(address)
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"")
    with separate_context() as first:
        pub = first.socket(zmq.PUB)
        pub.bind(address)
        sub.connect(address)
        probe_until_subscribed(pub, sub)
    wait_until(lambda: in_time_wait(port), f"a connection on port {port} is in TIME_WAIT")
    with socket.socket() as plain, pytest.raises(OSError, match="Address already in use"):
        plain.bind(("127.0.0.1", port))
    again = ctx.socket(zmq.PUB)
    again.bind(address)
    probe_until_subscribed(again, sub)


# --- REQREP-1..7 --------------------------------------------------------------------------


def test_rep_takes_one_request_at_a_time_and_replies_to_its_sender(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """REQREP-1: "REP takes one request at a time and sends its reply to the peer the
    request came from." REQREP-3: "REP is lockstep: until it sends a reply it cannot
    receive the next request". (The book: ZeroMQ sends "responses back to the correct
    clients".)

    True, RFC 28 (REP "SHALL receive and then send exactly one message at a time" and
    "SHALL deliver this message back to the originating peer"): a second recv before
    the reply fails with EFSM.
    """
    rep = ctx.socket(zmq.REP)
    rep.bind(address)
    clients = {name: ctx.socket(zmq.REQ) for name in (b"alice", b"bob", b"carol")}
    for name, req in clients.items():
        req.connect(address)
        req.send(name)
    for _ in clients:
        [request] = recv_within(rep)
        assert efsm(rep.recv)
        rep.send(b"reply to " + request)
    for name, req in clients.items():
        assert recv_within(req) == [b"reply to " + name]


def test_large_messages_arrive_whole_both_ways(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """REQREP-1: "Messages of any size (≥ 1 MiB here) are delivered whole".

    True, RFC 23 (long frames up to 2^63-1 octets; atomic delivery): 4 MiB each way.
    """
    rep = ctx.socket(zmq.REP)
    rep.bind(address)
    req = ctx.socket(zmq.REQ)
    req.connect(address)
    request, reply = os.urandom(4 << 20), os.urandom(4 << 20)
    req.send(request)
    assert recv_within(rep) == [request]
    rep.send(reply)
    assert recv_within(req) == [reply]


def test_req_whose_rep_died_mid_request_waits_for_ever(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """REQREP-3: "the REQ that sent the request waits for ever. A responder that skips a
    reply, or dies, wedges its requester". CLUSTER-3: "A REQ waiting for one of them waits
    for ever: it neither times out nor resends". (Also §2's "wait for ever, as REQ does".)

    True. No timeout by default (ZMQ_RCVTIMEO is -1: libzmq); no resend (RFC 28 has REQ
    send each request once). The REP dies after receiving the request; a new REP on the
    same endpoint is connected to at once and never gets the request; the REQ has no
    reply and still refuses a second request (EFSM).
    """
    req = ctx.socket(zmq.REQ)
    assert req.getsockopt(zmq.RCVTIMEO) == -1
    with separate_context() as doomed:
        rep = doomed.socket(zmq.REP)
        rep.bind(address)
        req.connect(address)
        req.send(b"question")
        assert recv_within(rep) == [b"question"]
    successor = ctx.socket(zmq.REP)
    watch = monitor(successor)
    successor.bind(address)
    await_event(watch, zmq.EVENT_HANDSHAKE_SUCCEEDED)  # the REQ reconnected to it
    assert_quiet(successor)
    assert_quiet(req)
    assert efsm(lambda: req.send(b"another question"))


def test_rep_returns_the_envelope_to_the_originating_peer(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """REQREP-4: "REP fair-queues requests from all its peers, strips and stores the
    envelope, and sends the reply with that envelope back to the peer the request came
    from (RFC 28)."

    True, RFC 28, for the envelope and the routing: each DEALER peer gets back its own
    envelope around the reply, and the application never sees it. Fair queueing is not
    tested: which queued request REP takes next cannot be observed without a race
    (libzmq's own test of it is disabled for that reason).
    """
    rep = ctx.socket(zmq.REP)
    rep.bind(address)
    envelopes = {b"one": [b"X", b"Y", b""], b"two": [b""], b"three": [b"\x00id", b""]}
    peers = {}
    for body, envelope in envelopes.items():
        peers[body] = dealer = ctx.socket(zmq.DEALER)
        dealer.connect(address)
        dealer.send_multipart([*envelope, body])
    for _ in envelopes:
        [body] = recv_within(rep)
        rep.send_multipart([b"answer", body])
    for body, dealer in peers.items():
        assert recv_within(dealer) == [*envelopes[body], b"answer", body]


def test_req_discards_early_replies_and_takes_a_late_one(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """REQREP-4 (not guaranteed): "A REQ socket discards whatever arrived since its last
    reply when it sends its next request, and takes the first message after that as the
    reply".

    True, libzmq behaviour (RFC 28 only says REQ accepts messages from the peer it last
    sent to). The deterministic half: a duplicate of reply 1 that the ROUTER sends after
    it has request 2 is taken as the reply to request 2. With ZMQ_REQ_RELAXED and
    ZMQ_REQ_CORRELATE a REQ can tell: it drops a reply whose request id is not the last.
    """
    router = ctx.socket(zmq.ROUTER)
    router.bind(address)
    req = ctx.socket(zmq.REQ)
    req.connect(address)
    req.send(b"request 1")
    first = recv_within(router)
    router.send_multipart([*first[:-1], b"reply 1"])
    assert recv_within(req) == [b"reply 1"]
    req.send(b"request 2")
    second = recv_within(router)
    router.send_multipart([*first[:-1], b"reply 1 again"])
    router.send_multipart([*second[:-1], b"reply 2"])
    assert recv_within(req) == [b"reply 1 again"]

    correlating = ctx.socket(zmq.REQ)
    correlating.setsockopt(zmq.REQ_RELAXED, 1)
    correlating.setsockopt(zmq.REQ_CORRELATE, 1)
    correlating.connect(address)
    correlating.send(b"request 1")
    first = recv_within(router)
    correlating.send(b"request 2")  # relaxed: no EFSM; request 1 is abandoned
    second = recv_within(router)
    assert first[1] != second[1]  # the request ids
    router.send_multipart([*first[:-1], b"late reply 1"])
    router.send_multipart([*second[:-1], b"reply 2"])
    assert recv_within(correlating) == [b"reply 2"]


def test_req_accepts_only_the_reply_to_its_request(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """REQREP-5: "REQ sends one request and accepts only the reply to it (RFC 28)."

    True, RFC 28 ("SHALL accept an incoming message only from the last peer that it sent
    a request to" and "SHALL discard silently any messages received from other peers"). A
    REQ connected to two ROUTERs sends to one; the other sends a stray reply, which has
    arrived when the REQ polls readable, yet recv() returns nothing until the real reply.
    """
    routers = [ctx.socket(zmq.ROUTER) for _ in range(2)]
    req = ctx.socket(zmq.REQ)
    req.setsockopt(zmq.ROUTING_ID, b"client")
    for router in routers:
        router.setsockopt(zmq.ROUTER_MANDATORY, 1)
        address = endpoints.ipc("router")
        router.bind(address)
        req.connect(address)
        wait_until(lambda r=router: r.poll(0, zmq.POLLOUT) != 0, "the ROUTER has the REQ")
    req.send(b"request")
    poller = zmq.Poller()
    for router in routers:
        poller.register(router, zmq.POLLIN)
    ready = dict(poller.poll(int(DEADLINE * 1000)))
    asked = next(router for router in routers if router in ready)
    other = next(router for router in routers if router is not asked)
    assert recv_within(asked) == [b"client", b"", b"request"]
    other.send_multipart([b"client", b"", b"stray"])
    assert req.poll(int(DEADLINE * 1000), zmq.POLLIN)  # the stray has arrived
    assert_quiet(req)  # ... and is discarded
    asked.send_multipart([b"client", b"", b"reply"])
    assert recv_within(req) == [b"reply"]


def test_a_late_reply_to_a_closed_req_is_dropped(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """CLUSTER-3: "The reply to a request that was retried after all is dropped by the
    ROUTER or discarded with the closed socket." (The Lazy Pirate client: close the REQ,
    open a new one, send again.)

    True, RFC 28 (ROUTER routes by the identity of the connection the request came on; the
    new REQ is a new connection): the new REQ gets the reply to its own request only.
    """
    router = ctx.socket(zmq.ROUTER)
    router.bind(address)
    gave_up = ctx.socket(zmq.REQ)
    gave_up.connect(address)
    gave_up.send(b"request")
    first = recv_within(router)
    gave_up.close(linger=0)
    retry = ctx.socket(zmq.REQ)
    retry.connect(address)
    retry.send(b"request")
    second = recv_within(router)
    router.send_multipart([*first[:-1], b"late reply"])  # no error: dropped or discarded
    router.send_multipart([*second[:-1], b"reply"])
    assert recv_within(retry) == [b"reply"]


def test_req_queues_its_request_until_the_peer_binds(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """REQREP-6: "`zmq_connect` succeeds with no peer. With `ZMQ_IMMEDIATE` off (the default)
    the REQ queues the request on the pipe the connect created, libzmq retries the
    connection every 100 ms, and the request goes out when it succeeds."

    True. ZMQ_IMMEDIATE off by default is libzmq's; a queue that exists from the connect
    on is RFC 28 ("SHALL create a double queue when initiating an outgoing connection ...
    whether or not the connection is established", stated for DEALER and ROUTER; libzmq's
    REQ is built on its DEALER). With ZMQ_IMMEDIATE on, the same send fails with EAGAIN.
    """
    req = ctx.socket(zmq.REQ)
    assert req.getsockopt(zmq.IMMEDIATE) == 0
    req.connect(address)
    req.send(b"early", zmq.NOBLOCK)  # accepted: queued on the connect's pipe
    impatient = ctx.socket(zmq.REQ)
    impatient.setsockopt(zmq.IMMEDIATE, 1)
    impatient.connect(address)
    with pytest.raises(zmq.Again):
        impatient.send(b"early", zmq.NOBLOCK)
    impatient.close(linger=0)
    rep = ctx.socket(zmq.REP)
    rep.bind(address)
    assert recv_within(rep) == [b"early"]
    rep.send(b"late reply")
    assert recv_within(req) == [b"late reply"]


def test_req_cannot_send_again_before_the_reply(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """REQREP-7: "A REQ socket cannot send again before it has received the reply (EFSM):
    lockstep is the socket's. ... A requester on a DEALER ... can pipeline". (§6 D7: "a
    blocking REQ cannot queue: a second send is EFSM".)

    True, RFC 28 (REQ "SHALL send and then receive exactly one message at a time"; DEALER
    has no such rule): the second send fails with EFSM, and the ROUTER has one request;
    a DEALER's three requests all reach the ROUTER before any reply.
    """
    router = ctx.socket(zmq.ROUTER)
    router.bind(address)
    req = ctx.socket(zmq.REQ)
    req.connect(address)
    req.send(b"request 1")
    assert efsm(lambda: req.send(b"request 2"))
    assert recv_within(router)[-1] == b"request 1"
    assert_quiet(router)
    dealer = ctx.socket(zmq.DEALER)
    dealer.connect(address)
    for i in range(3):
        dealer.send_multipart([b"", f"pipelined {i}".encode()])
    assert [recv_within(router)[-1] for _ in range(3)] == [
        b"pipelined 0",
        b"pipelined 1",
        b"pipelined 2",
    ]


# --- BROKER-1, BROKER-2 -------------------------------------------------------------------


def test_router_and_dealer_pass_frames_unchanged(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """BROKER-1: "ROUTER and DEALER do not modify messages; ROUTER prepends the peer's
    identity on receive and strips the first frame, routing by it, on send."

    True, RFC 28 (DEALER "SHALL not filter or modify"; ROUTER prefixes the identity of
    the originating queue and removes the first frame to route).
    """
    router = ctx.socket(zmq.ROUTER)
    router.bind(address)
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.ROUTING_ID, b"peer-7")
    dealer.connect(address)
    dealer.send_multipart(FRAMES)
    assert recv_within(router) == [b"peer-7", *FRAMES]
    router.send_multipart([b"peer-7", *reversed(FRAMES)])
    assert recv_within(dealer) == list(reversed(FRAMES))


def test_a_frame_by_frame_forwarder_keeps_messages_whole(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """BROKER-1: "Multipart messages are atomic: a forwarder that copies each frame with its
    MORE flag preserves them."

    True, RFC 23 ("A message SHALL be sent or received atomically; ... the peer SHALL queue
    all frames of a message in memory until the final frame is sent"): the worker behind
    a hand-written ROUTER-to-DEALER forwarder gets the client's frames, and once it has
    the first frame the others are there (non-blocking receives succeed).
    """
    frontend, backend = endpoints.ipc("frontend"), endpoints.ipc("backend")
    router, dealer = ctx.socket(zmq.ROUTER), ctx.socket(zmq.DEALER)
    router.bind(frontend)
    dealer.bind(backend)
    worker = ctx.socket(zmq.DEALER)
    worker.connect(backend)
    client = ctx.socket(zmq.DEALER)
    client.setsockopt(zmq.ROUTING_ID, b"client")
    client.connect(frontend)
    client.send_multipart(FRAMES)
    assert router.poll(int(DEADLINE * 1000))
    while True:  # the forwarder: frame by frame, MORE flag kept
        frame = router.recv()
        more = router.getsockopt(zmq.RCVMORE)
        dealer.send(frame, zmq.SNDMORE if more else 0)
        if not more:
            break
    assert worker.poll(int(DEADLINE * 1000))
    received = [worker.recv(zmq.NOBLOCK)]
    while worker.getsockopt(zmq.RCVMORE):
        received.append(worker.recv(zmq.NOBLOCK))  # zmq.Again here would break atomicity
    assert received == [b"client", *FRAMES]


def test_dealer_with_no_peer_blocks_and_drops_nothing(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """BROKER-1: "A DEALER with no connected peer holds messages (RFC 28: it blocks; it does
    not drop)."

    True as RFC 28 puts it ("SHALL block on sending, or return a suitable error, when it
    has no available peers" and "SHALL not accept further messages"), imprecise as
    written: a bound DEALER with no peer does not hold the message, it refuses it (a
    non-blocking send fails with EAGAIN, a blocking send waits, here until SNDTIMEO);
    the message stays with the sender. Once a peer connects, the next send goes through
    and the refused ones never appear.
    """
    dealer = ctx.socket(zmq.DEALER)
    dealer.bind(address)
    with pytest.raises(zmq.Again):
        dealer.send_multipart([b"", b"refused"], zmq.NOBLOCK)
    dealer.sndtimeo = int(QUIET * 1000)
    with pytest.raises(zmq.Again):
        dealer.send_multipart([b"", b"refused too"])
    worker = ctx.socket(zmq.REP)
    worker.connect(address)
    assert dealer.poll(int(DEADLINE * 1000), zmq.POLLOUT)
    dealer.send_multipart([b"", b"accepted"])
    assert recv_within(worker) == [b"accepted"]
    worker.send(b"ok")
    assert recv_within(dealer) == [b"", b"ok"]
    assert_quiet(worker)


def test_router_drops_replies_it_cannot_route(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """BROKER-1 (not guaranteed): "A reply for a client that has gone ...: ROUTER drops it
    silently."

    True, RFC 28 ("SHALL either silently drop the message, or return an error, depending
    on configuration, if the queue does not exist"): by default the send succeeds and
    nothing is delivered; with ZMQ_ROUTER_MANDATORY it fails with EHOSTUNREACH, for an
    unknown identity at once and for a client that has gone once the ROUTER has dropped
    its queue.
    """
    router = ctx.socket(zmq.ROUTER)
    watch = monitor(router)
    router.bind(address)
    router.send_multipart([b"nobody", b"", b"reply"])  # silently dropped
    with separate_context() as client_context:
        client = client_context.socket(zmq.DEALER)
        client.setsockopt(zmq.ROUTING_ID, b"gone")
        client.connect(address)
        client.send(b"hello")
        assert recv_within(router) == [b"gone", b"hello"]
    await_event(watch, zmq.EVENT_DISCONNECTED)
    router.send_multipart([b"gone", b"reply"])  # silently dropped
    router.setsockopt(zmq.ROUTER_MANDATORY, 1)
    with pytest.raises(zmq.ZMQError) as unknown:
        router.send_multipart([b"nobody", b"reply"])
    assert unknown.value.errno == zmq.EHOSTUNREACH

    def refused() -> bool:
        try:
            router.send_multipart([b"gone", b"reply"])
        except zmq.ZMQError as error:
            return error.errno == zmq.EHOSTUNREACH
        return False

    wait_until(refused, "the ROUTER dropped the queue of the client that has gone")


def test_router_drops_replies_past_the_high_water_mark(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """BROKER-1 (not guaranteed): a reply for a client "whose queue is at the high-water
    mark: ROUTER drops it silently."

    True, RFC 28 (ROUTER drops or errs "if the queue ... is full" and "SHALL NOT block on
    sending"): a burst of 20 000 replies of 1 KiB to a client that does not read raises
    nothing and loses most; with ZMQ_ROUTER_MANDATORY the send fails with EAGAIN instead.
    """
    address = endpoints.ipc("router")
    router = ctx.socket(zmq.ROUTER)
    router.bind(address)
    client = ctx.socket(zmq.DEALER)
    client.setsockopt(zmq.ROUTING_ID, b"slow")
    client.connect(address)
    client.send(b"hello")
    assert recv_within(router) == [b"slow", b"hello"]
    for i in range(BURST):
        router.send_multipart([b"slow", str(i).encode(), KIB], zmq.NOBLOCK)
    received = drain(client)
    assert received[:FITS] == list(range(FITS))
    assert len(received) < BURST
    router.setsockopt(zmq.ROUTER_MANDATORY, 1)
    with pytest.raises(zmq.Again):  # noqa: PT012 -- the burst is what raises
        for i in range(10 * BURST):
            router.send_multipart([b"slow", str(i).encode(), KIB], zmq.NOBLOCK)


def test_router_routes_each_reply_by_the_echoed_identity(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """BROKER-2: "ROUTER routes each reply by the identity frame the worker echoes; DEALER
    round-robins requests over connected workers and fair-queues their replies."

    True, RFC 28. Through a broker (ROUTER, then DEALER) to two REP workers, four clients'
    requests come back each to its own client. (The round robin itself: CLUSTER-2's test.)
    """
    frontend, backend = endpoints.ipc("frontend"), endpoints.ipc("backend")
    router, dealer = ctx.socket(zmq.ROUTER), ctx.socket(zmq.DEALER)
    router.bind(frontend)
    dealer.bind(backend)
    workers = [ctx.socket(zmq.REP) for _ in range(2)]
    for worker in workers:
        worker.connect(backend)
    clients = [ctx.socket(zmq.REQ) for _ in range(4)]
    for number, client in enumerate(clients):
        client.connect(frontend)
        client.send(f"client {number}".encode())
    for _ in clients:
        dealer.send_multipart(recv_within(router))
    poller = zmq.Poller()
    for worker in workers:
        poller.register(worker, zmq.POLLIN)
    answered = 0
    while answered < len(clients):
        ready = dict(poller.poll(int(DEADLINE * 1000)))
        assert ready, "a request did not reach a worker"
        for worker in ready:
            [request] = worker.recv_multipart()
            worker.send(b"reply to " + request)
            router.send_multipart(recv_within(dealer))
            answered += 1
    for number, client in enumerate(clients):
        assert recv_within(client) == [f"reply to client {number}".encode()]


# --- CLUSTER-2..4 -------------------------------------------------------------------------


def test_dealer_round_robins_in_strict_rotation(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """CLUSTER-2: "DEALER round-robins outgoing messages over its connected peers whose
    queues are not full, in strict rotation (RFC 28; libzmq's load balancer)."

    True: RFC 28 ("SHALL route outgoing messages to available peers using a round-robin
    strategy"). Rotation over *attached* peers is libzmq's: a worker counts once its
    handshake is done and the DEALER has processed the attach, which any send, poll or
    ZMQ_EVENTS read does. With three REP workers attached, nine requests go 3-3-3,
    worker k getting requests k, k+3, k+6.
    """
    address = endpoints.ipc("backend")
    dealer = ctx.socket(zmq.DEALER)
    watch = monitor(dealer)
    dealer.bind(address)
    workers = [ctx.socket(zmq.REP) for _ in range(3)]
    for worker in workers:
        worker.connect(address)
    await_event(watch, zmq.EVENT_HANDSHAKE_SUCCEEDED, count=3)
    dealer.getsockopt(zmq.EVENTS)  # process the pending attach commands
    for i in range(9):
        dealer.send_multipart([b"", str(i).encode()])
    got: dict[int, list[int]] = {}
    for index, worker in enumerate(workers):
        for _ in range(3):
            got.setdefault(index, []).append(int(recv_within(worker)[0]))
            worker.send(b"ok")
    assert sorted(sorted(values) for values in got.values()) == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]


def test_dealer_drops_a_dead_workers_pipe_and_holds_until_a_replacement(
    ctx: zmq.Context[zmq.Socket[bytes]], endpoints: Endpoints
) -> None:
    """CLUSTER-3: "When a worker dies its connection closes; the master's DEALER drops that
    pipe with the requests queued in it, and sends later requests to the remaining workers
    (with W = 1 it holds them until the replacement connects)."

    True, RFC 28 ("If this peer disconnects, the DEALER socket SHALL destroy its double
    queue and SHALL discard any messages it contains"; with no peer left it refuses
    sends, see BROKER-1). The only worker dies with two requests queued; once the DEALER
    has dropped its pipe, sends fail with EAGAIN; the replacement gets the next request
    and never the two lost ones.
    """
    address = endpoints.ipc("backend")
    dealer = ctx.socket(zmq.DEALER)
    watch = monitor(dealer)
    dealer.bind(address)
    with separate_context() as doomed:
        worker = doomed.socket(zmq.REP)
        worker.connect(address)
        await_event(watch, zmq.EVENT_HANDSHAKE_SUCCEEDED)
        dealer.send_multipart([b"", b"lost 1"])
        dealer.send_multipart([b"", b"lost 2"])
    await_event(watch, zmq.EVENT_DISCONNECTED)
    wait_until(
        lambda: not dealer.getsockopt(zmq.EVENTS) & zmq.POLLOUT,
        "the DEALER dropped the dead worker's pipe",
    )
    with pytest.raises(zmq.Again):
        dealer.send_multipart([b"", b"refused"], zmq.NOBLOCK)
    replacement = ctx.socket(zmq.REP)
    replacement.connect(address)
    assert dealer.poll(int(DEADLINE * 1000), zmq.POLLOUT)
    dealer.send_multipart([b"", b"after"])
    assert recv_within(replacement) == [b"after"]
    replacement.send(b"ok")
    assert_quiet(replacement)


def test_rep_keeps_reconnecting_after_its_dealer_goes(
    ctx: zmq.Context[zmq.Socket[bytes]], address: str
) -> None:
    """CLUSTER-4: "a REP whose DEALER has gone keeps reconnecting for ever; a worker does
    not end on its own because its master's sockets closed."

    True, libzmq behaviour (RFC 23: "SHOULD reconnect"): no backoff limit by default
    (ZMQ_RECONNECT_IVL_MAX 0), nothing fails at the REP when its peer goes, and a new
    DEALER on the same endpoint gets it back.
    """
    worker = ctx.socket(zmq.REP)
    assert worker.getsockopt(zmq.RECONNECT_IVL_MAX) == 0
    with separate_context() as master:
        dealer = master.socket(zmq.DEALER)
        dealer.bind(address)
        worker.connect(address)
        dealer.send_multipart([b"", b"before"])
        assert recv_within(worker) == [b"before"]
        worker.send(b"ok")
        assert recv_within(dealer) == [b"", b"ok"]
    assert_quiet(worker)  # no error, no message: it waits
    successor = ctx.socket(zmq.DEALER)
    successor.bind(address)
    successor.sndtimeo = int(DEADLINE * 1000)
    successor.send_multipart([b"", b"after"])
    assert recv_within(worker) == [b"after"]


# --- §5: abstract endpoints ---------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets are Linux's")
def test_abstract_ipc_endpoint_has_no_file(
    ctx: zmq.Context[zmq.Socket[bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§5: "`ipc://@name` abstract endpoints have no file".

    True on Linux (libzmq maps a leading ``@`` to the abstract namespace): the socket is
    listed in /proc/net/unix, and nothing appears in the working directory.
    """
    monkeypatch.chdir(tmp_path)
    name = f"zc-claims-{secrets.token_hex(8)}"
    rep = ctx.socket(zmq.REP)
    rep.bind(f"ipc://@{name}")
    assert list(tmp_path.iterdir()) == []
    assert f"@{name}" in Path("/proc/net/unix").read_text()
    req = ctx.socket(zmq.REQ)
    req.connect(f"ipc://@{name}")
    req.send(b"there?")
    assert recv_within(rep) == [b"there?"]
