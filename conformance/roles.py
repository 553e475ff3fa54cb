"""The roles of the suite, as one table: every module reads a role from here.

A role is one program of the book (SPEC.md §2). Its record says what the harness gives it
and expects of it: client or server, the endpoint placeholders the harness fills (and which
of them it binds), the other placeholders its templates may use, the numbers the harness
picks when a case does not draw one and the book's fixed numbers when the templates take
none, the line the book prints when ready (§3.6; the manifest's ``ready`` regex finds the
implementation's) and the exchange that proves a server serves (LIFE-1). Per-role behaviour
dispatches on these fields (a dict keyed by :class:`Exchange`, a field's value), never on
a role's name: a new role is one more row, and a table without a handler for it is a
harness error, never the implementation's failure.

Pure data (tests/conformance/test_purity.py).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class Kind(enum.Enum):
    """A server binds and is stopped by the harness; a client connects and ends by itself
    (or runs until stopped, as the subscriber does)."""

    CLIENT = "client"
    SERVER = "server"


class Exchange(enum.Enum):
    """The one interaction with which the harness proves a server serves (LIFE-1)."""

    FILE_REQUEST = "a file request from a REQ client, answered with the file's text"
    BROKER_ROUND_TRIP = "a request through the broker to a harness worker and its reply back"
    CHANGE_MESSAGE = "a change of the watched file, received by a subscriber"


ENDPOINT_PLACEHOLDERS = ("endpoint", "frontend", "backend")
"""The placeholders that are endpoints; a role may instead fix them with a key of that name."""


def _frozen(values: Mapping[str, int] | None = None) -> Mapping[str, int]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, kw_only=True)
class Role:
    """One role: what the harness gives it and what it proves with it."""

    name: str
    kind: Kind
    pattern: str
    """The requirement group of its own pattern (``PUBSUB``, ``REQREP``, ``BROKER``,
    ``CLUSTER``): interop and the reports group by it."""
    endpoints: tuple[str, ...]
    """Endpoint placeholders the harness binds or connects to: the role must use or fix them."""
    binds: tuple[str, ...] = ()
    """Of its endpoint placeholders, those it binds (the harness probes them, LIFE-1)."""
    placeholders: tuple[str, ...]
    """Every placeholder (besides the common ones) its templates may use."""
    defaults: Mapping[str, int] = field(default_factory=_frozen)
    """Numbers the harness gives a placeholder when the case draws none (the cluster's
    workers in the cases that are not about workers)."""
    book: Mapping[str, int] = field(default_factory=_frozen)
    """The book's fixed number of a placeholder, which a role whose templates lack it must
    honour (3 workers, 3 requests; ``filer-req`` sends exactly 1)."""
    book_ready: str | None = None
    """The book's ready line (SPEC.md §3.6); None for a client, which prints none."""
    exchange: Exchange | None = None
    """How the harness proves it serves (servers only)."""
    serves_files: bool = False
    """A responder: answers file requests (REQREP-1 to -4, its replies judged as a filer's)."""
    workers_answer: bool = False
    """Its replies come from the workers it forks (their pids, from its online lines), not
    from the process the harness started."""
    numbered: bool = False
    """Its Sending lines carry the request's number (the loop)."""
    peers: tuple[str, ...] = ()
    """A client: the server roles it is played against in interop (each implementation's
    client against each implementation's server of these roles)."""

    @property
    def server(self) -> bool:
        return self.kind is Kind.SERVER

    def span(self, placeholder: str, drawn: tuple[int, int]) -> tuple[int, int]:
        """The range of PLACEHOLDER a case draws for the role: DRAWN when its templates may
        take the placeholder, else the book's fixed number (``filer-req`` sends 1 request)."""
        if placeholder in self.placeholders or placeholder not in self.book:
            return drawn
        return self.book[placeholder], self.book[placeholder]

    def number(self, placeholder: str, templates_use: bool, wanted: int) -> int:
        """How many of PLACEHOLDER the role runs: WANTED when its templates take it, else
        the book's number (or WANTED, if the book fixes none)."""
        return wanted if templates_use else self.book.get(placeholder, wanted)


TABLE: tuple[Role, ...] = (
    Role(
        name="watcher-pub",
        kind=Kind.SERVER,
        pattern="PUBSUB",
        endpoints=("endpoint",),
        binds=("endpoint",),
        placeholders=("endpoint", "file"),
        book_ready="Listening for zmq subscribers...",
        exchange=Exchange.CHANGE_MESSAGE,
    ),
    Role(
        name="watcher-sub",
        kind=Kind.CLIENT,
        pattern="PUBSUB",
        endpoints=("endpoint",),
        placeholders=("endpoint",),
        peers=("watcher-pub",),
    ),
    Role(
        name="filer-rep",
        kind=Kind.SERVER,
        pattern="REQREP",
        endpoints=("endpoint",),
        binds=("endpoint",),
        placeholders=("endpoint", "root"),
        book_ready="Listening for zmq requesters...",
        exchange=Exchange.FILE_REQUEST,
        serves_files=True,
    ),
    Role(
        name="filer-req",
        kind=Kind.CLIENT,
        pattern="REQREP",
        endpoints=("endpoint",),
        placeholders=("endpoint", "file"),
        book=_frozen({"count": 1}),
        peers=("filer-rep", "filer-rep-cluster"),
    ),
    Role(
        name="filer-req-loop",
        kind=Kind.CLIENT,
        pattern="REQREP",
        endpoints=("endpoint",),
        placeholders=("endpoint", "file", "count"),
        book=_frozen({"count": 3}),
        numbered=True,
        peers=("filer-rep", "filer-rep-cluster"),
    ),
    Role(
        name="broker",
        kind=Kind.SERVER,
        pattern="BROKER",
        endpoints=("frontend", "backend"),
        binds=("frontend", "backend"),
        placeholders=("frontend", "backend"),
        book_ready="Forwarding requests from ... to ...",
        exchange=Exchange.BROKER_ROUND_TRIP,
    ),
    Role(
        name="filer-rep-cluster",
        kind=Kind.SERVER,
        pattern="CLUSTER",
        endpoints=("endpoint",),
        binds=("endpoint", "backend"),  # its backend is internal: it may stay hard-coded
        placeholders=("endpoint", "backend", "workers", "root"),
        defaults=_frozen({"workers": 2}),
        book=_frozen({"workers": 3}),
        book_ready="Listening for zmq requesters...",
        exchange=Exchange.FILE_REQUEST,
        serves_files=True,
        workers_answer=True,
    ),
)
"""Every role, in the order of the book."""

BY_NAME: Mapping[str, Role] = MappingProxyType({role.name: role for role in TABLE})
ROLES: tuple[str, ...] = tuple(role.name for role in TABLE)
"""The roles a manifest can declare, in the order of the book."""
SERVERS: tuple[str, ...] = tuple(role.name for role in TABLE if role.server)
FILERS: tuple[str, ...] = tuple(role.name for role in TABLE if role.serves_files)
CLIENTS: tuple[str, ...] = tuple(role.name for role in TABLE if not role.server)


def role_of(name: str) -> Role:
    """The record of the role NAME (a KeyError for a name that is no role)."""
    return BY_NAME[name]
