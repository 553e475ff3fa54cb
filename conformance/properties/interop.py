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
from conformance.roles import role_of
from conformance.supervisor import Process
from conformance.world import World

PAIRS: tuple[tuple[str, str], ...] = (
    ("filer-req", "filer-rep"),
    ("filer-req", "filer-rep-cluster"),
    ("filer-req-loop", "filer-rep"),
    ("filer-req-loop", "filer-rep-cluster"),
    ("watcher-sub", "watcher-pub"),
)
"""(client role, server role) pairs of the interop matrix."""


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
    server_roles: ClassVar[tuple[str, ...]] = ("filer-rep", "filer-rep-cluster")

    def cases(self, role: str) -> st.SearchStrategy[FileAndCount]:
        counts = st.integers(*role_of(role).span("count", (1, 3)))
        return st.builds(
            FileAndCount, transport=TRANSPORTS, file=FILE_NAMES, text=TEXTS, count=counts
        )

    async def run(self, world: World, role: str, case: FileAndCount) -> None:
        world.write_file(case.file, case.text.encode())
        servers = [r for r in self.server_roles if r in world.role_manifests]
        if not servers:
            raise HarnessError(f"an interop case needs one of {self.server_roles} from a peer")
        server = servers[0]
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
        shared = shared_endpoint(world, "watcher-pub", role)
        await world.start_role("watcher-pub", file=str(path), **shared)
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
