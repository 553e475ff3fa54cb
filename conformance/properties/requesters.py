"""Properties of the requester roles, filer-req and filer-req-loop (SPEC.md REQREP-5..7).

The harness plays the responder: it binds, reads each request, and answers
with replies it made up, so that the checker knows exactly what each
``Received response:`` line must show.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import trio
import zmq
from hypothesis import strategies as st

from conformance.checks.reqrep import check_requester
from conformance.checks.requesters import check_bound_late, check_one_in_flight
from conformance.deadlines import (
    LATE_BIND,
    LOCKSTEP_WINDOW,
    REPLY_TIMEOUT,
    REQUESTER_EXIT_TIMEOUT,
    SENDING_LINE_TIMEOUT,
)
from conformance.facts import (
    Counted,
    EarlyRequest,
    RunningAtBind,
    SendingLineMissing,
    SilentAtStart,
)
from conformance.model import Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Glance, Property
from conformance.properties.extras import EXAMPLE_EXTRAS, extras, with_extras
from conformance.properties.reqrep import FILE_NAMES, TEXTS
from conformance.roles import role_of
from conformance.supervisor import Process, ProcessExited
from conformance.world import Peer, World, receive

SEPARATORS = ("/", "//", "/./", "/../")
"""How the names of a generated FILE path are joined (``a/../b``: a may be missing; the
harness answers whatever the requester asks)."""
LATE_COUNT = (1, 4)
"""REQREP-6: COUNT for filer-req-loop."""
LOOP_COUNT = (0, 6)
"""REQREP-7: COUNT."""
REPLY_KEYS = ("content", "timestamp", "pid", "error")
"""The keys of a reply (SPEC.md 3.4, 3.5); unknown ones added to the replies are none of these."""


@dataclass(frozen=True, kw_only=True)
class Requests(Case):
    file: str
    contents: tuple[str, ...]
    """The content of the harness's reply to each request, in order."""
    ascii_only: bool
    """Whether the replies escape non-ASCII text (both are valid JSON)."""
    responder_first: bool = True
    """False: the requester starts before anything is bound at its endpoint."""
    bind_after: float = 0.0
    """With responder_first False: seconds between the requester's first line and the bind."""
    extras: str = ""
    """Unknown keys (JSON members) in every reply: the requester echoes them, never chokes."""


def reply_for(case: Requests, number: int) -> bytes:
    body = {"content": case.contents[number], "timestamp": 1_700_000_000_000 + number, "pid": 4242}
    reply = json.dumps(body, ensure_ascii=case.ascii_only).encode("utf-8")
    return with_extras(reply, case.extras)


@st.composite
def file_paths(draw: st.DrawFn) -> str:
    """FILE for a requester: 1..3 generated names joined by one of SEPARATORS each."""
    names = draw(st.lists(FILE_NAMES, min_size=PATH_NAMES[0], max_size=PATH_NAMES[1]))
    path = names[0]
    for name in names[1:]:
        path += draw(st.sampled_from(SEPARATORS)) + name
    return path


PATH_NAMES = (1, 3)
"""Names in a requester's FILE."""


def requests(
    *, counts: tuple[int, int], responder_first: bool | None
) -> st.SearchStrategy[Requests]:
    order = st.booleans() if responder_first is None else st.just(responder_first)
    return st.builds(
        Requests,
        transport=TRANSPORTS,
        file=file_paths(),
        contents=st.lists(TEXTS, min_size=counts[0], max_size=counts[1]).map(tuple),
        ascii_only=st.booleans(),
        responder_first=order,
        extras=extras(REPLY_KEYS),
    )


async def exit_code(world: World, process: Process) -> int | None:
    """Wait for the requester to end; None (and a TimedOut event) if it does not."""
    with world.move_on_after(f"{process.name} to exit", REQUESTER_EXIT_TIMEOUT):
        return await process.wait()
    return None


SENDING = re.compile("^Sending request")


async def sending_line(world: World, client: Process, number: int, start: int) -> int:
    """Wait for the requester's NUMBER-th Sending line (looking from line START on); the index
    after it. If none comes in SENDING_LINE_TIMEOUT seconds, a note says so (the checker
    fails it)."""
    what = f"the Sending line of request {number}"
    with world.move_on_after(what, SENDING_LINE_TIMEOUT):
        try:
            index, _ = await client.wait_for_line(SENDING, start=start)
        except ProcessExited:
            return start  # its transcript says what it printed: the checker explains
        return index + 1
    world.transcript.record(SendingLineMissing, request=number)
    return start


async def answer(
    world: World, server: Peer, case: Requests, *, router: bool, client: Process
) -> None:
    """Answer each request of the case in turn, once its Sending line is printed, watching
    for requests sent out of turn.

    A request that comes early (before the previous reply) is noted for the
    checker and then answered in its turn; a requester that exits stops the wait.
    """
    early: tuple[bytes, ...] | None = None
    lines = 0
    for number in range(1, len(case.contents) + 1):
        frames = early
        early = None
        if frames is None:
            with world.deadline(f"request {number}", REPLY_TIMEOUT):
                frames = await receive(server, watching=client)
        if frames is None:
            return  # it ended before sending everything: the checker explains
        envelope = frames[:-1] if router else ()
        if router:
            with trio.move_on_after(LOCKSTEP_WINDOW):
                early = await server.recv()
                world.transcript.record(EarlyRequest, before_reply=number, frames=early)
        if world.transcript.first(SendingLineMissing) is None:
            lines = await sending_line(world, client, number, lines)
        await server.send(*envelope, reply_for(case, number - 1))


class Requester(Property[Requests]):
    r"""REQREP-5: one request for FILE, the two transcript lines, exit 0.

    - The harness binds a REP at `{endpoint}`, then starts `filer-req` with `{file}` = FILE, a path
      of 1..3 generated names ([harness.md](harness.md#generated-data)), each after the first joined
      on by `/`, `//`, `/./` or `/../` (generated), so that FILE holds folders; no such file exists,
      the harness answers.
    - The request is awaited 10 s (less if the requester exits). Its last frame must be a JSON
      object with `path == FILE` (other frames and other keys are not looked at). The harness
      answers it only once the requester has printed its `Sending request` line (FMT-3.6.d: printed,
      and flushed, before the request is sent); if none comes within 10 s of the request, the case
      fails.
    - The harness replies with one frame `{"content": <text>, "timestamp": 1700000000000, "pid":
      4242}` as Python's `json.dumps` writes it (a space after each `:` and `,`; LF and CR escaped),
      the text generated ([harness.md](harness.md#generated-data)), non-ASCII characters raw or
      `\u`-escaped (generated), with unknown keys first (generated, [unknown keys](#unknown-keys)).
      A fixed case runs first ([cases.md](cases.md)): FILE `déjà/./vu//file name é.txt` (its last
      `é` an `e` and U+0301), a text with CR LF, U+2028, U+2029 and U+0085 sent raw, and the fixed
      [unknown keys](#unknown-keys).
    - stdout must be exactly the two lines `Sending request for FILE` then `Received response: ` +
      the reply decoded as UTF-8: the bytes as sent, not a re-encoding of the parsed JSON. Any other
      line, before, between or after them, fails (FMT-3.6.b). The process must exit 0 within 10 s of
      the reply.

    **Not checked.**
    - Replies that are not UTF-8 or not JSON (the reference prints them with backslash escapes);
      compact replies and error replies (the harness sends neither).
    - A second request (the harness reads only one).
    - That the Sending line comes before the request rather than just after it: the harness reads
      stdout and the socket apart, so it only waits for the line before it answers.
    """

    requirement_id: ClassVar[str] = "REQREP-5"
    roles: ClassVar[tuple[str, ...]] = ("filer-req",)
    case_type = Requests
    glance: ClassVar[Glance] = Glance(
        ranges=(("path names", PATH_NAMES),),
        timers=(
            ("request", REPLY_TIMEOUT),
            ("Sending line", SENDING_LINE_TIMEOUT),
            ("exit", REQUESTER_EXIT_TIMEOUT),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Requests]:
        return requests(counts=(1, 1), responder_first=True)

    def examples(self, role: str) -> list[Requests]:
        return [
            Requests(
                file="d\u00e9j\u00e0/./vu//file name e\u0301.txt",
                contents=("line 1\r\nline 2\n\u2028line 3\u2029\x85",),
                ascii_only=False,
                extras=EXAMPLE_EXTRAS,
            )
        ]

    async def run(self, world: World, role: str, case: Requests) -> None:
        await play_requester(world, role, case, router=False)

    def check(self, role: str, case: Requests, transcript: Transcript) -> Verdict:
        return judge_requester(role, case, transcript, numbered=False)


class LateResponder(Property[Requests]):
    """REQREP-6: a requester started first gets its reply once the responder binds.

    - The harness starts the requester (`filer-req`, or `filer-req-loop` with `{count}` = COUNT =
      1..4; `{file}` a generated path as in REQREP-5) while nothing is bound at `{endpoint}` (tcp:
      connections are refused; ipc: the socket file does not exist). It waits until the requester
      prints a line starting `Sending request` (deadline 10 s: the request is queued from the start
      and its line comes first, FMT-3.6.d; a requester that prints none, or does not flush it,
      fails), then a further delay: none in generated cases; 2.5 s in a fixed case that runs before
      them ([cases.md](cases.md); FILE `late.txt`, COUNT 2).
    - The requester must still be running then. The harness binds a REP at `{endpoint}` and answers
      each request as in REQREP-5 (each awaited 10 s; less if the requester exits; each answered
      once its Sending line is printed).
    - The requests, the transcript and the exit status must then be as in REQREP-5 (`filer-req`) or
      REQREP-7 (`filer-req-loop`; REQREP-7's watch for early requests is not made, a REP cannot see
      them).

    **Not checked.**
    - How long after the bind the reply comes, within the deadline.
    - A requester that checks for a peer before sending, or gives up on a refused connection, fails.
    """

    requirement_id: ClassVar[str] = "REQREP-6"
    case_type = Requests
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("COUNT", LATE_COUNT),
            ("path names", PATH_NAMES),
        ),
        timers=(
            ("Sending line", SENDING_LINE_TIMEOUT),
            ("bind after it (fixed case)", LATE_BIND),
            ("request", REPLY_TIMEOUT),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Requests]:
        counts = role_of(role).span("count", LATE_COUNT)
        return requests(counts=counts, responder_first=False)

    def examples(self, role: str) -> list[Requests]:
        count = role_of(role).span("count", (2, 2))[0]
        late = Requests(
            file="late.txt",
            contents=("x",) * count,
            ascii_only=True,
            responder_first=False,
            bind_after=LATE_BIND,
        )
        return [late]

    async def run(self, world: World, role: str, case: Requests) -> None:
        await play_requester(world, role, case, router=False)

    def check(self, role: str, case: Requests, transcript: Transcript) -> Verdict:
        verdict = check_bound_late(transcript=transcript, bind_after=case.bind_after)
        if not verdict.ok:
            return verdict
        return judge_requester(role, case, transcript, numbered=role_of(role).numbered)


class Lockstep(Property[Requests]):
    """REQREP-7: COUNT requests, one at a time, COUNT replies printed in order, exit 0.

    - The harness binds a ROUTER at `{endpoint}`, so that it can see a request that comes too early,
      and starts `filer-req-loop` with `{count}` = COUNT = 0..6 and `{file}` = FILE (a generated
      path as in REQREP-5). A role without `{count}` runs the book's 3
      ([harness.md](harness.md#a-case)).
    - Each request is awaited 10 s (less if the requester exits); its last frame must be a JSON
      object with `path == FILE`. Before replying the harness watches the ROUTER for 0.05 s; a
      further request arriving then fails the case. Then it waits for the requester's i-th `Sending
      request` line (10 s, as in REQREP-5) and replies as in REQREP-5 with a generated text; reply i
      carries the timestamp `1700000000000 + i - 1`, so no two replies are alike.
    - stdout must be exactly the lines `Sending request <i> for FILE` with i = 1..COUNT in
      increasing order and `Received response: <reply i>` in the order of the replies, each
      `Received` line after the `Sending` line of the same i, and no other line (FMT-3.6.b). How the
      two kinds interleave is free (the book prints all `Sending` lines first). The process must
      exit 0 within 10 s of the last reply.

    **Not checked.**
    - A pipelined request that reaches the harness after its 0.05 s watch is missed; the check can
      let an offender through, never fail a correct requester.
    - A request sent after the last reply (the harness reads no more).
    - A responder that restarts between two of the loop's requests: not specified (SPEC.md says so
      under REQREP-7). The seed says endpoints reconnect when a process restarts, and the REQ does
      reconnect (libzmq), but the loop sends request i + 1 the moment reply i arrives, so a
      responder that goes away after a reply may take that request down with its connection: RFC
      28's REQ sends each request once and never resends, and it cannot send another before a reply
      (EFSM), so the loop then waits for ever however right its code is
      (`tests/test_zeromq_claims.py`: a REQ whose REP died mid-request). Only a client that times
      out and resends on a fresh socket survives that (the Lazy Pirate of CLUSTER-3), which neither
      the book nor SPEC.md asks of `filer-req-loop`. Reconnection itself is checked: REQREP-6 (the
      REQ), PUBSUB-4 (the SUB), CLUSTER-3.
    """

    requirement_id: ClassVar[str] = "REQREP-7"
    case_type = Requests
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("COUNT", LOOP_COUNT),
            ("path names", PATH_NAMES),
        ),
        timers=(
            ("request", REPLY_TIMEOUT),
            ("early request", LOCKSTEP_WINDOW),
            ("Sending line", SENDING_LINE_TIMEOUT),
            ("exit", REQUESTER_EXIT_TIMEOUT),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[Requests]:
        return requests(counts=LOOP_COUNT, responder_first=True)

    async def run(self, world: World, role: str, case: Requests) -> None:
        await play_requester(world, role, case, router=True)

    def check(self, role: str, case: Requests, transcript: Transcript) -> Verdict:
        verdict = check_one_in_flight(transcript=transcript)
        if not verdict.ok:
            return verdict
        return judge_requester(role, case, transcript, numbered=True)


BOOK_COUNT = role_of("filer-req-loop").book["count"]
"""Requests the book's loop sends: what a filer-req-loop without ``{count}`` must send."""


def with_count(case: Requests, count: int) -> Requests:
    """CASE with exactly COUNT replies (generated ones first, then made-up ones)."""
    made = tuple(f"reply {number}" for number in range(1, count + 1))
    return replace(case, contents=(case.contents + made[len(case.contents) :])[:count])


def as_played(role: str, case: Requests, transcript: Transcript) -> Requests:
    """The case as the driver played it: with the book's count if the role takes none."""
    fixed = [e.value for e in transcript.of(Counted) if e.placeholder == "count" and e.book]
    return with_count(case, fixed[0]) if fixed else case


async def play_requester(world: World, role: str, case: Requests, *, router: bool) -> None:
    """Start the requester and answer it, the responder bound before or after it starts."""
    count = world.number(role, "count", len(case.contents))
    values = {"file": case.file, "count": str(count)}
    case = with_count(case, count)
    launch = world.prepare(role, **values)
    server = world.peer("server", zmq.ROUTER if router else zmq.REP)
    if case.responder_first:
        server.socket.bind(launch.endpoints["endpoint"])
        process = await world.start(launch)
    else:
        process = await world.start(launch)
        # Bind once it has sent (its line comes first); if it ends first, the checker explains.
        what = "the first Sending line"
        with (
            world.move_on_after(what, SENDING_LINE_TIMEOUT) as waiting,
            contextlib.suppress(ProcessExited),
        ):
            await process.wait_for_line(SENDING)
        if waiting.cancelled_caught:
            world.transcript.record(SilentAtStart, seconds=SENDING_LINE_TIMEOUT)
            return
        await trio.sleep(case.bind_after)  # the case's point: the responder comes up later
        world.transcript.record(RunningAtBind, running=process.returncode is None)
        server.socket.bind(launch.endpoints["endpoint"])
    await answer(world, server, case, router=router, client=process)
    await exit_code(world, process)


def judge_requester(
    role: str, case: Requests, transcript: Transcript, *, numbered: bool
) -> Verdict:
    """The requester's run judged (checks.requesters), with the case as the driver played it."""
    case = as_played(role, case, transcript)
    return check_requester(
        transcript=transcript,
        process=role,
        file=case.file,
        replies=[reply_for(case, number) for number in range(len(case.contents))],
        numbered=numbered,
    )


PROPERTIES: list[type[Property[Any]]] = [Requester, LateResponder, Lockstep]
