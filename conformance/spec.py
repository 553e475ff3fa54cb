"""The requirement registry: one entry per numbered requirement of SPEC.md.

Pure data. SPEC.md is the prose; this is what the harness cites. A test keeps
the two in sync (every id here has a heading there, and back).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from conformance import roles


class Level(Enum):
    """MUST requirements decide the exit status; SHOULD ones are reported too."""

    MUST = "must"
    SHOULD = "should"


ROLES, SERVERS, FILERS = roles.ROLES, roles.SERVERS, roles.FILERS
"""The roles (from the role table, :mod:`conformance.roles`), its servers and responders."""


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """One numbered, observable behaviour of one or more roles."""

    id: str
    title: str
    roles: tuple[str, ...]
    source: str
    """The demo (seed file section) or standard the requirement comes from."""
    level: Level = Level.MUST

    @property
    def pattern(self) -> str:
        return self.id.split("-")[0]


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        id="LIFE-1",
        title="A server prints its ready line once it is bound, and serves from then on.",
        roles=SERVERS,
        source="all demos; the harness's readiness contract",
    ),
    Requirement(
        id="LIFE-2",
        title="On SIGTERM or SIGINT a server exits with status 0 within 5 s and removes the ipc files it bound.",
        roles=SERVERS,
        source="deviation: the book's programs are stopped with Ctrl-C and leave ipc files",
    ),
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
        level=Level.SHOULD,
    ),
    Requirement(
        id="REQREP-1",
        title='A request {"path":P} for a UTF-8 file under the root gets one frame {"content":<text>,"timestamp":<ms>,"pid":<pid>} with the file\'s exact text.',
        roles=FILERS,
        source="zmq-filer-rep.js",
    ),
    Requirement(
        id="REQREP-2",
        title="A reply carries the file's content as it is when the request arrives, not an older one.",
        roles=FILERS,
        source="zmq-filer-rep.js (reads the file for each request)",
    ),
    Requirement(
        id="REQREP-3",
        title="Every bad request gets an error reply with its documented code, and the next good request is answered.",
        roles=FILERS,
        source="deviation: the book's responder crashes or never replies on bad input",
    ),
    Requirement(
        id="REQREP-4",
        title="Concurrent requesters each get the reply to their own request, exactly once.",
        roles=FILERS,
        source="RFC 28 (REP fair-queues and routes the reply to the originating peer)",
    ),
    Requirement(
        id="REQREP-5",
        title="The requester sends one request for FILE, prints the two transcript lines with the reply as received, and exits 0.",
        roles=("filer-req",),
        source="zmq-filer-req.js",
    ),
    Requirement(
        id="REQREP-6",
        title="A requester started before its responder gets its reply once the responder comes up.",
        roles=("filer-req", "filer-req-loop"),
        source="zmq.md ('it doesn't matter which endpoint starts up first')",
    ),
    Requirement(
        id="REQREP-7",
        title="The loop requester sends COUNT requests one at a time, prints COUNT replies in order, and exits 0.",
        roles=("filer-req-loop",),
        source="zmq-filer-req-loop.js (lockstep)",
    ),
    Requirement(
        id="BROKER-1",
        title="Multipart messages of 1..N frames, empty and large frames included, pass unchanged both ways.",
        roles=("broker",),
        source="ROUTER/DEALER forwarder; RFC 28 (ROUTER and DEALER do not modify messages)",
    ),
    Requirement(
        id="BROKER-2",
        title="With K concurrent clients and M workers every reply reaches the client that sent the request, exactly once.",
        roles=("broker",),
        source="ROUTER/DEALER forwarder ('sending responses back to the correct clients')",
    ),
    Requirement(
        id="CLUSTER-1",
        title="The master prints 'Worker <pid> is online.' for each of WORKERS live worker processes.",
        roles=("filer-rep-cluster",),
        source="zmq-filer-rep-cluster.js",
    ),
    Requirement(
        id="CLUSTER-2",
        title="Requests spread over the workers: each answers some, and none more than twice its fair share.",
        roles=("filer-rep-cluster",),
        source="zmq-filer-rep-cluster.js; RFC 28 (DEALER round-robins to available peers)",
    ),
    Requirement(
        id="CLUSTER-3",
        title="After a worker is killed the master reports its exit, starts another, and a retrying client gets every reply.",
        roles=("filer-rep-cluster",),
        source="deviation: the book's master does not restart workers",
    ),
    Requirement(
        id="CLUSTER-4",
        title="After SIGTERM of the master no worker process remains 2 s after its exit.",
        roles=("filer-rep-cluster",),
        source="zmq-filer-rep-cluster.js (workers are the master's children)",
    ),
    Requirement(
        id="CLUSTER-5",
        title="After SIGKILL of the master its workers exit on their own within 5 s.",
        roles=("filer-rep-cluster",),
        source="deviation: no orphaned workers",
        level=Level.SHOULD,
    ),
    Requirement(
        id="CLUSTER-6",
        title="A stalled worker holds up only the requests handed to it, not those of the other workers.",
        roles=("filer-rep-cluster",),
        source="zmq.md ('a ROUTER socket can handle many requests simultaneously')",
    ),
)

BY_ID: dict[str, Requirement] = {requirement.id: requirement for requirement in REQUIREMENTS}


def requirement(id: str) -> Requirement:
    """The requirement with this id; KeyError names the known ids."""
    try:
        return BY_ID[id]
    except KeyError:
        raise KeyError(f"unknown requirement {id!r}; known: {', '.join(BY_ID)}") from None
