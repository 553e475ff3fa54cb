"""Interop: each implementation's clients against each implementation's servers.

Not requirements of their own: they show that two implementations talk,
which the per-role requirements (played against the harness) cannot. The
pairs, and what each checks, are in SPEC.md ("Interop").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import trio
from hypothesis import strategies as st

from conformance.checks.interop import check_requester_got, check_subscriber_saw
from conformance.checks.messages import CHANGED
from conformance.deadlines import (
    INTEROP_EXIT_TIMEOUT,
    INTEROP_LINE_TIMEOUT,
    INTEROP_PROBE_INTERVAL,
    INTEROP_PROBE_TIMEOUT,
)
from conformance.endpoint import Endpoint
from conformance.errors import HarnessError
from conformance.facts import counted
from conformance.model import Exited, Transcript, Verdict
from conformance.properties import TRANSPORTS, Case, Property
from conformance.properties.reqrep import FILE_NAMES, TEXTS
from conformance.roles import TABLE, role_of
from conformance.supervisor import Process
from conformance.world import World

PAIRS: tuple[tuple[str, str], ...] = tuple(
    (role.name, peer) for role in TABLE for peer in role.peers
)
"""(client role, server role) pairs of the interop matrix: each client with its peers (the
role table's)."""


def peer_of(world: World, role: str) -> str:
    """The server role of the other implementation that the client ROLE is played against."""
    peers = role_of(role).peers
    servers = [peer for peer in peers if peer in world.role_manifests]
    if not servers:
        raise HarnessError(f"an interop case of {role} needs one of {peers} from a peer")
    return servers[0]


@dataclass(frozen=True, kw_only=True)
class FileAndCount(Case):
    file: str
    text: str
    count: int


def shared_endpoint(world: World, *roles: str) -> dict[str, str]:
    """The endpoint both sides must use when either hard-codes one (e.g. the book's 5433):
    the other side is given it too (bound on 127.0.0.1 where it says localhost)."""
    for role in roles:
        fixed = world.manifest_of(role).role(role).fixed.get("endpoint")
        if fixed is not None:
            endpoint = Endpoint.parse(fixed)  # the manifest's validation parsed it already
            if endpoint.transport == "tcp" and endpoint.host == "localhost":
                endpoint = replace(endpoint, host="127.0.0.1")
            return {"endpoint": str(endpoint)}
    return {}


class RequesterToResponder(Property[FileAndCount]):
    """A client asks another implementation's responder for a file and prints its text."""

    requirement_id: ClassVar[str] = "INTEROP-REQREP"
    roles: ClassVar[tuple[str, ...]] = ("filer-req", "filer-req-loop")
    case_type = FileAndCount

    def cases(self, role: str) -> st.SearchStrategy[FileAndCount]:
        counts = st.integers(*role_of(role).span("count", (1, 3)))
        return st.builds(
            FileAndCount, transport=TRANSPORTS, file=FILE_NAMES, text=TEXTS, count=counts
        )

    async def run(self, world: World, role: str, case: FileAndCount) -> None:
        world.write_file(case.file, case.text.encode())
        server = peer_of(world, role)
        shared = shared_endpoint(world, server, role)
        await world.start_role(server, **shared)
        count = world.number(role, "count", case.count)
        values = {"file": case.file, "count": str(count), **shared}
        client = await world.start_role(role, **values)
        with world.move_on_after(f"{role} to exit", INTEROP_EXIT_TIMEOUT):
            await client.wait()

    def check(self, role: str, case: FileAndCount, transcript: Transcript) -> Verdict:
        exits = [event.code for event in transcript.of(Exited) if event.process == role]
        count = counted(transcript, "count", case.count)
        return check_requester_got(
            lines=transcript.printed(role),
            exit_code=exits[0] if exits else None,
            text=case.text,
            count=count,
        )


@dataclass(frozen=True, kw_only=True)
class Edits(Case):
    file: str
    changes: int


class SubscriberToPublisher(Property[Edits]):
    """A subscriber prints a line for each change another implementation's publisher sees."""

    requirement_id: ClassVar[str] = "INTEROP-PUBSUB"
    roles: ClassVar[tuple[str, ...]] = ("watcher-sub",)
    case_type = Edits

    def cases(self, role: str) -> st.SearchStrategy[Edits]:
        return st.builds(Edits, transport=TRANSPORTS, file=FILE_NAMES, changes=st.integers(1, 4))

    async def run(self, world: World, role: str, case: Edits) -> None:
        path = world.write_file(case.file, b"first", how="probe")  # created: not a change
        publisher = peer_of(world, role)
        shared = shared_endpoint(world, publisher, role)
        await world.start_role(publisher, file=str(path), **shared)
        subscriber = await world.start_role(role, **shared)
        await probe(world, subscriber, case.file)
        for number in range(1, case.changes + 1):
            seen = len(subscriber.lines())
            world.write_file(case.file, f"change {number}".encode())
            what = f"a line for change {number}"
            with world.move_on_after(what, INTEROP_LINE_TIMEOUT) as waiting:
                await subscriber.wait_for_line(CHANGED, start=seen)
            if waiting.cancelled_caught:
                return

    def check(self, role: str, case: Edits, transcript: Transcript) -> Verdict:
        return check_subscriber_saw(transcript=transcript, subscriber=role, changes=case.changes)


async def probe(world: World, subscriber: Process, file: str) -> None:
    """Change FILE until the subscriber prints a first line: from then on it is connected."""
    what = f"a first line at {subscriber.name} while the harness changed the file"
    with world.deadline(what, INTEROP_PROBE_TIMEOUT):
        while True:
            world.write_file(file, b"probe", how="probe")
            with trio.move_on_after(INTEROP_PROBE_INTERVAL):
                await subscriber.wait_for_line(CHANGED)
                return


PROPERTIES: list[type[Property[Any]]] = [RequesterToResponder, SubscriberToPublisher]


BY_PATTERN: dict[str, type[Property[Any]]] = {
    "REQREP": RequesterToResponder,
    "PUBSUB": SubscriberToPublisher,
}
"""The interop property of a client role, by its pattern (the role table's)."""


def property_for_pair(client_role: str) -> type[Property[Any]]:
    pattern = role_of(client_role).pattern
    if pattern not in BY_PATTERN:
        raise HarnessError(f"no interop property is known for {client_role}'s pattern {pattern}")
    return BY_PATTERN[pattern]
