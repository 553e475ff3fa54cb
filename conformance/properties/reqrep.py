"""Properties of the filer responder and requesters (SPEC.md REQREP-*)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import trio
import zmq
from hypothesis import strategies as st

from conformance.checks.messages import REQUEST_STYLES, file_request
from conformance.checks.reqrep import (
    BAD_REQUESTS,
    GOOD,
    check_contents,
    check_error_replies,
    check_own_replies,
    check_versions,
    server_pids,
)
from conformance.deadlines import REPLY_TIMEOUT, STRAY_WATCH
from conformance.errors import ConformanceFailure, HarnessError
from conformance.model import Transcript, Verdict
from conformance.open_denial import OpenDenial
from conformance.properties import TRANSPORTS, Case, Glance, Property
from conformance.properties.extras import EXAMPLE_EXTRAS, extras, with_extras
from conformance.roles import role_of
from conformance.supervisor import Process
from conformance.world import Peer, World, receive

CLUSTER_WORKERS = role_of("filer-rep-cluster").defaults["workers"]
"""The workers of a cluster in the cases that do not draw them (the role table's)."""


async def await_reply(
    world: World, peer: Peer, what: str, server: Process | None = None
) -> tuple[bytes, ...]:
    """The next message at PEER, WHAT the harness awaits: if it does not come within
    REPLY_TIMEOUT, or SERVER exits first, the example stops."""
    with world.deadline(what, REPLY_TIMEOUT):
        reply = await receive(peer, watching=server)
    if reply is None:
        assert server is not None
        raise ConformanceFailure(f"no {what}: {server.name} exited ({server.returncode})")
    return reply


async def round_trip(
    world: World, peer: Peer, request: bytes, what: str, server: Process | None = None
) -> tuple[bytes, ...]:
    """Send REQUEST and await its reply; a silent (or exited) responder fails the example."""
    await peer.send(request)
    return await await_reply(world, peer, f"the reply to {what}", server)


# The generated ranges SPEC.md quotes (tests/test_spec_document.py compares them).
NAME_SIZE = (1, 24)
"""Characters of a generated name (docs/harness.md)."""
TEXT_SIZE = (0, 300)
"""Characters of a generated text (docs/harness.md)."""
LARGE_SIZES = (65, 4097, 70_000, 1 << 20, (1 << 20) + 3)
UNIT_SIZE = (1, 8)
"""Characters of REQREP-1's large texts (a responder that truncates or chunks shows here), and
of the unit each repeats."""
FILES = (1, 5)
LINKS = (0, 2)
MORE_REQUESTS = (0, 4)
"""REQREP-1: files in the root, symlinks to them, requests after one for each file."""
VERSIONS = (2, 6)
"""REQREP-2: texts of the file, one request each."""
KINDS = (1, 8)
"""REQREP-3: bad requests per case (each followed by a good one)."""
CLIENTS = (2, 8)
ROUNDS = (2, 5)
"""REQREP-4: concurrent requesters (K), and rounds in which each sends one request (R)."""
ROOT_NAME = "files"
"""The name of the served root's folder in the case's folder (docs/harness.md: ``files/``)."""

SHARP_PIECES = (
    "e\u0301",  # e and a combining acute: NFC makes it one character
    "\u212b",  # ANGSTROM SIGN: NFC makes it U+00C5
    "\uf900",  # a CJK compatibility ideograph: NFC changes it
    "\ufb01",  # the ligature fi: NFKC (not NFC) changes it
    "\ufffe",
    "\uffff",
    "\ufdd0",  # noncharacters: valid UTF-8 that some validators refuse
    "\U0010ffff",  # the last code point (a noncharacter too)
    "\ufeff",  # a BOM, inside the text
    " ",
    "'",
    "~",  # at the end of a name, an editor's backup file: file watchers' filters drop it
)
"""Characters an implementation that changes or checks text breaks on (SPEC.md 3.2-3.4: names
and texts pass unchanged). Generated names and texts are half characters drawn from all of
Unicode, half these pieces: drawn uniformly, all of Unicode almost never holds one."""
TEXT_PIECES = (*SHARP_PIECES, "\u2028", "\u2029", "\x85", "\r\n", "\r", "\n", "\x00")
"""The sharp pieces of texts: those of names, and line breaks of every kind, and NUL."""
NAME_CHARACTERS = st.characters(
    codec="utf-8", exclude_characters="/\\\0", exclude_categories=["Cs", "Cc", "Zl", "Zp"]
)
TEXT_CHARACTERS = st.characters(codec="utf-8", exclude_categories=["Cs"])


def pieced(
    characters: st.SearchStrategy[str], pieces: tuple[str, ...], size: tuple[int, int]
) -> st.SearchStrategy[str]:
    """Texts of SIZE characters, each part a character or (as often) one of PIECES."""
    return st.lists(
        st.one_of(characters, st.sampled_from(pieces)), min_size=size[0], max_size=size[1]
    ).map(lambda parts: "".join(parts)[: size[1]])


# Names that are valid file names everywhere: no separators, no NUL, not . or ..
FILE_NAMES = pieced(NAME_CHARACTERS, SHARP_PIECES, NAME_SIZE).filter(
    lambda name: len(name.encode()) < 200 and not name.startswith((".", "-"))
)
TEXTS = pieced(TEXT_CHARACTERS, TEXT_PIECES, TEXT_SIZE)
LARGE_TEXTS = st.builds(
    lambda unit, size: (unit * (size // len(unit) + 1))[:size],
    pieced(TEXT_CHARACTERS, TEXT_PIECES, UNIT_SIZE),
    st.sampled_from(LARGE_SIZES),
)
FILE_TEXTS = st.one_of(TEXTS, LARGE_TEXTS)


def served_path(request: str, links: dict[str, str]) -> str:
    """The file under the root that REQUEST names, by SPEC.md 3.3's rule, for the requests
    REQREP-1 makes (:func:`ways`: no symlinked directories, links only at the top and asked
    for by name, ``..`` only after an existing folder or from the root, which it leaves for
    the case's folder, from which ``files/`` comes back in)."""
    where = [ROOT_NAME]
    for part in request.split("/"):
        if part == "..":
            if where:
                where.pop()
        elif part not in ("", "."):
            where.append(part)
    if where[:1] != [ROOT_NAME]:
        raise HarnessError(f"REQREP-1 made a request outside the root: {request!r}")
    path = "/".join(where[1:])
    return links.get(path, path)


@dataclass(frozen=True, kw_only=True)
class FileRequests(Case):
    files: tuple[tuple[str, str], ...]
    """(path, text) of each file in the served root; a path has up to two directories."""
    links: tuple[tuple[str, str], ...] = ()
    """(name, target path) of symlinks at the top of the root, to files inside it."""
    requests: tuple[str, ...]
    """The paths asked for, in order, each reaching a file in one of the ways of
    :func:`ways`."""
    extras: tuple[str, ...] = ()
    """Unknown keys (JSON members, see :mod:`conformance.properties.extras`) added to each
    request, in order; missing ones add none."""
    style: str = "ascii"
    """How the requests' JSON is written (checks.messages.REQUEST_STYLES)."""
    sized: tuple[tuple[str, int], ...] = ()
    """(path, size) of files of exactly SIZE bytes of :func:`sized_text`: the fixed case's
    file at the size limit, kept as two values, not 16 MiB, in case files."""

    def texts(self) -> dict[str, str]:
        """Each file's text, by its path under the root."""
        return {**dict(self.files), **{path: sized_text(size) for path, size in self.sized}}

    def expected(self) -> dict[str, str]:
        """The text each requested path must be answered with."""
        texts = self.texts()
        links = dict(self.links)
        return {path: texts[served_path(path, links)] for path in self.requests}

    def request(self, number: int) -> bytes:
        """The frame of request NUMBER (from 0): ``{"path": ...}`` and its unknown keys."""
        members = self.extras[number] if number < len(self.extras) else ""
        return with_extras(file_request(self.requests[number], self.style), members)


SIZE_LIMIT = 16 * 1024 * 1024
"""The size limit SPEC.md 3.5 sets for every filer: a file of exactly this size is served."""
SIZED_UNIT = "exactly 16 MiB\r\n"


def sized_text(size: int) -> str:
    """SIZE bytes (ASCII: as many characters) of lines ``exactly 16 MiB`` ended by CR LF."""
    return (SIZED_UNIT * (size // len(SIZED_UNIT) + 1))[:size]


def ways(path: str, links: tuple[tuple[str, str], ...]) -> list[str]:
    """The requests that reach the file PATH (SPEC.md 3.3): plain, ``./``-prefixed, through
    ``<dir>/../`` (an existing folder), out of the root and back in (``../files/``), or a
    symlink's name. (Through a missing folder or the file itself and ``..`` is not_found:
    REQREP-3's ``missing-dotdot`` and ``file-dotdot``.)"""
    found = [path, "./" + path, f"../{ROOT_NAME}/{path}"]
    if "/" in path:
        found.append(f"{path.split('/')[0]}/../{path}")
    return found + [name for name, target in links if target == path]


@st.composite
def file_requests(draw: st.DrawFn) -> FileRequests:
    """A small tree of files (and links to them) and requests that reach each one."""
    count = draw(st.integers(*FILES))
    leaf_names = SERVED_NAMES.filter(lambda name: not name.startswith("link-"))
    names = draw(
        st.lists(leaf_names, min_size=count + 2, max_size=count + 2, unique_by=str.casefold)
    )
    folders = ["", names[0], names[1], f"{names[0]}/{names[1]}"]
    files = []
    for name in names[2:]:
        folder = draw(st.sampled_from(folders))
        files.append((f"{folder}/{name}" if folder else name, draw(FILE_TEXTS)))
    targets = draw(
        st.lists(st.sampled_from([path for path, _ in files]), min_size=LINKS[0], max_size=LINKS[1])
    )
    links = tuple((f"link-{number}", target) for number, target in enumerate(targets))
    every = [draw(st.sampled_from(ways(path, links))) for path, _ in draw(st.permutations(files))]
    more = draw(
        st.lists(
            st.sampled_from([way for path, _ in files for way in ways(path, links)]),
            min_size=MORE_REQUESTS[0],
            max_size=MORE_REQUESTS[1],
        )
    )
    requests = (*every, *more)
    unknown = draw(st.lists(extras(("path",)), min_size=len(requests), max_size=len(requests)))
    return FileRequests(
        transport=draw(TRANSPORTS),
        files=tuple(files),
        links=links,
        requests=requests,
        extras=tuple(unknown),
        style=draw(st.sampled_from(REQUEST_STYLES)),
    )


SERVED_NAMES = st.one_of(
    FILE_NAMES, FILE_NAMES.map(lambda name: "." + name), FILE_NAMES.map(lambda name: "-" + name)
)
"""Names of served files and folders: FILE_NAMES, or one of them after a ``.`` or a ``-`` (a
name argv would take for an option is a file like any other here; never ``.`` or ``..``)."""


async def watch_strays(peers: list[Peer], seconds: float = STRAY_WATCH) -> None:
    """Receive (and so record) whatever else reaches PEERS within SECONDS."""

    async def drain(peer: Peer) -> None:
        while True:
            await peer.recv()

    with trio.move_on_after(seconds):
        async with trio.open_nursery() as nursery:
            for peer in peers:
                nursery.start_soon(drain, peer)


class Content(Property[FileRequests]):
    r"""REQREP-1: each reply carries the exact text of the file asked for.

    - The harness builds `{root}`: 1..5 files with generated names
      ([harness.md](harness.md#generated-data): any Unicode but `/`, `\`, NUL, control and
      line-separator characters, half of them sharp pieces; here a name may also start with `.` or
      `-`), at the top, in one of two directories, or in a directory inside the first; 0..2 symlinks
      `link-<n>` at the top to files inside the root. Texts are generated
      ([harness.md](harness.md#generated-data)): empty, multi-line, CR LF, any character but lone
      surrogates, up to 300 characters, or one unit of 1..8 such characters repeated to 65, 4097,
      70000, 1048576 or 1048579 characters. Then it starts the role with that `{root}` (the cluster
      with 2 workers).
    - A fixed first case ([cases.md](cases.md)) always has: a text of over 1 MiB of UTF-8 made of
      lines ended by CR LF; one with U+FEFF, CR LF and U+0000; a nested path; a link; each way of
      reaching a file below; a request with the fixed [unknown keys](#unknown-keys); a file named
      `文件 é.txt`; a file whose name and text NFC changes (`e` U+0301, U+212B, U+F900); a text of
      noncharacters (U+FFFE, U+FFFF, U+FDD0, U+FDEF, U+1FFFE, U+10FFFF) with U+2028, U+2029 and
      U+0085; the files `.hidden`, `-dash` and ` spaces around ` (a space at each end); and, asked
      for last, a file of exactly the size limit, 16777216 bytes (SPEC.md §3.5). Its requests are
      compact JSON with raw UTF-8.
    - A client socket asks for every file at least once, in generated order, then for 0..4 more; one
      request at a time, each with a deadline of 10 s (a responder that exits ends the wait at
      once). Each request reaches its file in a generated way (SPEC.md §3.3's walk; see
      [paths](#paths)): the path plain; prefixed with `./`; through `<dir>/../` (an existing
      folder); out of the root and back in (`../files/<path>`); or the name of a link to it.
      (Through a missing folder or the file itself and `..` is `not_found`: REQREP-3 sends those.)
      Each request may carry unknown keys (generated, [unknown keys](#unknown-keys)), before `path`;
      its encoding is generated per case, one of the four [request encodings](#request-encodings).
    - The client is a DEALER that sends each request after an empty delimiter frame, as a REQ does,
      but receives every message (a REQ drops a second reply to a request): after the last reply the
      harness watches it 0.1 s more. It must have received exactly one reply per request, each after
      the empty delimiter frame (a REQ drops a message without it).
    - Each reply must be one frame of strict UTF-8 JSON without a raw LF or CR byte holding an
      object with `content` equal to the file's text (that of the symlink's target), an integer
      `timestamp` from 5 s before the case began to 65 s after its last event (milliseconds), and
      `pid` the process id of the process that answered: for `filer-rep`, the started process; for
      the cluster, a pid announced by `Worker <pid> is online.`.

    **Not checked.**
    - Files at exactly the size limit other than the fixed case's (16 MiB each: costly).
    - A served path through a symlinked directory and `..` (REQREP-3 sends one that leads outside).
    - The JSON encoding of the reply beyond FMT-3.1's rules (strict UTF-8, no raw LF or CR).
    - A second reply that comes more than 0.1 s after the last one.
    """

    requirement_id: ClassVar[str] = "REQREP-1"
    case_type = FileRequests
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("files", FILES),
            ("symlinks", LINKS),
            ("more requests", MORE_REQUESTS),
            ("text characters", TEXT_SIZE),
            ("repeated unit", UNIT_SIZE),
        ),
        timers=(
            ("reply", REPLY_TIMEOUT),
            ("stray replies", STRAY_WATCH),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[FileRequests]:
        return file_requests()

    def examples(self, role: str) -> list[FileRequests]:
        big = "ZeroMQ \u00e9\u4e2d\U0001f600\r\n" * (1 << 16)  # over 1 MiB of UTF-8, CR LF
        odd = "\ufeffline 1\r\nline\x002\n\U0001f600"
        files = (
            ("small.txt", "hi\r\n"),
            ("big file.txt", big),
            ("d ir/sub/odd.txt", odd),
            ("\u6587\u4ef6 \u00e9.txt", "raw UTF-8 in the request\n"),
            (
                "e\u0301 \u212b\uf900.txt",
                "NFC changes this name and this text: e\u0301\u212b\uf900",
            ),
            ("nonchars.txt", "\ufffe\uffff\ufdd0\ufdef\U0001fffe\U0010ffff \u2028\u2029\x85"),
            (".hidden", "a name that starts with a dot\n"),
            ("-dash", "a name that starts with a dash\n"),
            (" spaces around ", "a name with spaces around it\n"),
        )
        requests = (
            "small.txt",
            "big file.txt",
            "./d ir/sub/odd.txt",
            "d ir/../d ir/sub/odd.txt",
            "link-0",
            f"../{ROOT_NAME}/d ir/sub/odd.txt",
            "\u6587\u4ef6 \u00e9.txt",
            "e\u0301 \u212b\uf900.txt",
            "nonchars.txt",
            ".hidden",
            "./-dash",
            " spaces around ",
            "at the limit.txt",
        )
        return [
            FileRequests(
                transport="ipc",
                files=files,
                links=(("link-0", "small.txt"),),
                requests=requests,
                extras=("", EXAMPLE_EXTRAS),
                style="compact",
                sized=(("at the limit.txt", SIZE_LIMIT),),
            )
        ]

    async def run(self, world: World, role: str, case: FileRequests) -> None:
        if world.files.name != ROOT_NAME:
            raise HarnessError(f"the served root is {world.files}, not a folder {ROOT_NAME!r}")
        for path, text in case.texts().items():
            world.write_file(path, text.encode("utf-8"))
        for name, target in case.links:
            (world.files / name).symlink_to(target)
        server = await world.start_role(role)
        client = world.requester("client")
        client.socket.connect(world.address(role))
        for number, path in enumerate(case.requests):
            what = f"the request for {path!r}"
            await round_trip(world, client, case.request(number), what, server)
        await watch_strays([client])

    def check(self, role: str, case: FileRequests, transcript: Transcript) -> Verdict:
        return check_contents(
            transcript=transcript,
            peer="client",
            expected=case.expected(),
            pids=server_pids(role, role, transcript),
        )


@dataclass(frozen=True, kw_only=True)
class FileVersions(Case):
    name: str
    versions: tuple[str, ...]
    """The file's text before each request, in order."""
    how: tuple[str, ...]
    """How each version after the first is written: "write" in place or "rename" over."""


@st.composite
def file_versions(draw: st.DrawFn) -> FileVersions:
    versions = draw(st.lists(TEXTS, min_size=VERSIONS[0], max_size=VERSIONS[1]))
    how = draw(
        st.lists(
            st.sampled_from(["write", "rename"]),
            min_size=len(versions) - 1,
            max_size=len(versions) - 1,
        )
    )
    return FileVersions(
        transport=draw(TRANSPORTS), name=draw(FILE_NAMES), versions=tuple(versions), how=tuple(how)
    )


class Fresh(Property[FileVersions]):
    """REQREP-2: each reply has the file as it is when the request arrives.

    - The harness writes one file (a generated name) under `{root}` with the first of 2..6 generated
      texts ([harness.md](harness.md#generated-data)), starts the role (`filer-rep-cluster` with
      `{workers}` = 2) and connects a REQ. It asks for the file once per text: before each request
      after the first it writes the next text, in place or by renaming a new file over it (generated
      per text). A write is complete (closed, or renamed) before the request is sent.
    - Reply i (awaited 10 s; less if the responder exits) must be one frame of strict UTF-8 JSON
      without a raw LF or CR holding an object with `content` equal to text i, an integer
      `timestamp` within the case (as in REQREP-1), and an integer `pid` that is the started
      process's (`filer-rep`) or one announced by a `Worker <pid> is online.` line (the cluster; not
      compared if it printed none).
    - A responder that caches by path fails whenever two consecutive texts differ; one that caches
      by size or modification time fails only when consecutive texts happen to share them (not
      forced; a cluster whose workers cache likewise).

    **Not checked.**
    - A read racing a write: the harness never writes while a request is outstanding, and no
      atomicity is required.
    - Caches keyed on something that the generated writes do not change (sizes, timestamps at a
      coarse resolution).
    """

    requirement_id: ClassVar[str] = "REQREP-2"
    case_type = FileVersions
    glance: ClassVar[Glance] = Glance(
        ranges=(("texts", VERSIONS),), timers=(("reply", REPLY_TIMEOUT),)
    )

    def cases(self, role: str) -> st.SearchStrategy[FileVersions]:
        return file_versions()

    async def run(self, world: World, role: str, case: FileVersions) -> None:
        world.write_file(case.name, case.versions[0].encode())
        server = await world.start_role(role)
        client = world.peer("client", zmq.REQ)
        client.socket.connect(world.address(role))
        for number, text in enumerate(case.versions):
            if number:
                world.write_file(case.name, text.encode(), how=case.how[number - 1])
            what = f"request {number + 1}"
            await round_trip(world, client, file_request(case.name), what, server)

    def check(self, role: str, case: FileVersions, transcript: Transcript) -> Verdict:
        return check_versions(
            transcript=transcript,
            peer="client",
            versions=case.versions,
            pids=server_pids(role, role, transcript),
        )


@dataclass(frozen=True, kw_only=True)
class BadRequests(Case):
    steps: tuple[str, ...]
    """Kinds of bad request (keys of BAD_REQUESTS) and "good" ones, in order."""
    good_text: str


UNREADABLE = "unreadable"
"""The kind of bad request for a file that exists but cannot be read (SPEC.md FMT-3.5.h)."""
UNREADABLE_NAME = "secret.txt"
UNREADABLE_AS_ROOT = (
    "the 'unreadable' kind (SPEC.md 3.5): the harness runs as root, which reads even a file "
    "of mode 000, and cannot deny opens here (no fanotify permission events: they need "
    "CAP_SYS_ADMIN and a kernel with CONFIG_FANOTIFY_ACCESS_PERMISSIONS)"
)


def bad_kinds(*, denial: bool = True) -> list[str]:
    """The kinds of bad request this harness can make. ``unreadable`` is a file of mode 000,
    which root reads: as root it is made unreadable by denying its opens while the case plays
    (only where the kernel lets root do that, and only if DENIAL: the caller serves it)."""
    readable = os.geteuid() == 0 and not (denial and OpenDenial.available())
    return [kind for kind in sorted(BAD_REQUESTS) if kind != UNREADABLE or not readable]


@st.composite
def bad_requests(draw: st.DrawFn) -> BadRequests:
    kinds = draw(st.lists(st.sampled_from(bad_kinds()), min_size=KINDS[0], max_size=KINDS[1]))
    steps: list[str] = []
    for kind in kinds:  # a good request after each bad one: the server must go on serving
        steps += [kind, GOOD]
    return BadRequests(transport=draw(TRANSPORTS), steps=tuple(steps), good_text=draw(TEXTS))


GOOD_NAME = "good.txt"
TOO_LARGE = 16 * 1024 * 1024 + 1
"""One byte over the size limit SPEC.md documents for every filer (16 MiB)."""
LATE_BYTE = 70_000
"""``not-utf8-late``: the offset of its one bad byte, after 64 KiB of good ones."""
NESTING = 100_000
"""``deep-nesting``: arrays nested this deep, beyond what parsers allow (RFC 8259 §9)."""


def bad_request_frames(world: World, kind: str) -> tuple[bytes, ...]:
    """The frames of one bad request of KIND, creating the files it needs (SPEC.md §3.5)."""
    files = world.files
    outside_dir = world.endpoints.directory / "outside"
    outside_dir.mkdir(exist_ok=True)
    (outside_dir / "outside.txt").write_text("not yours")

    def link(name: str, target: Path) -> str:
        if not (files / name).is_symlink():
            (files / name).symlink_to(target)
        return name

    def made(name: str, data: bytes) -> str:
        (files / name).write_bytes(data)
        return name

    paths: dict[str, Callable[[], str]] = {
        "absolute": lambda: str(files / GOOD_NAME),
        "absolute-outside": lambda: str(outside_dir / "outside.txt"),
        "dotdot": lambda: "../outside/outside.txt",
        "dotdot-nested": lambda: "a/../../outside/outside.txt",  # no "a": popped by ".."
        "outside-missing": lambda: "../outside/missing.txt",
        "symlink-dir-dotdot": lambda: link("escape-dir", outside_dir) + "/../outside/outside.txt",
        "symlink-out": lambda: link("escape", outside_dir / "outside.txt"),
        "symlink-dir-out": lambda: link("escape-dir", outside_dir) + "/outside.txt",
        "missing": lambda: "no such file.txt",
        "missing-dir": lambda: "no such dir/x",
        "through-file": lambda: GOOD_NAME + "/inside",
        "missing-dotdot": lambda: "no such dir/../" + GOOD_NAME,
        "file-dotdot": lambda: f"{GOOD_NAME}/../{GOOD_NAME}",
        "trailing-slash": lambda: GOOD_NAME + "/",
        "file-dot": lambda: GOOD_NAME + "/.",
        "file-dotdot-out": lambda: GOOD_NAME + "/../../outside/outside.txt",
        "symlink-loop": lambda: link("loop", files / "loop"),
        "loop-dotdot": lambda: link("loop", files / "loop") + "/../" + GOOD_NAME,
        "dangling-symlink": lambda: link("dangling", files / "gone.txt"),
        "directory": lambda: _directory(files / "a directory"),
        "dot": lambda: ".",
        "fifo": lambda: _fifo(files / "a fifo"),
        "socket-file": lambda: _socket_file(files / "a socket"),
        UNREADABLE: lambda: _unreadable(files / UNREADABLE_NAME),
        "too-large": lambda: _sparse(files / "huge.bin", TOO_LARGE),
        "not-utf8": lambda: made("latin1.txt", b"caf\xe9 \xff\xfe"),
        "overlong-utf8": lambda: made("overlong.txt", b"a\xc0\xafb"),
        "surrogate-utf8": lambda: made("surrogate.txt", b"a\xed\xa0\x80b"),
        "truncated-utf8": lambda: made("truncated.txt", b"euro \xe2\x82"),
        "not-utf8-late": lambda: made("late.txt", b"a" * LATE_BYTE + b"\xff"),
        "beyond-unicode-utf8": lambda: made("beyond.txt", b"a\xf4\x90\x80\x80b"),
        "five-byte-utf8": lambda: made("five.txt", b"a\xf8\x88\x80\x80\x80b"),
    }
    if kind in paths:
        return (file_request(paths[kind]()),)
    frames: dict[str, tuple[bytes, ...]] = {
        "multipart": (file_request(GOOD_NAME), file_request(GOOD_NAME)),
        "multipart-empty-first": (b"", file_request(GOOD_NAME)),
        "empty-frame": (b"",),
        "not-utf8-frame": (b"\xff\xfe",),
        "utf16-json": ('{"path": "good.txt"}'.encode("utf-16"),),
        "surrogate-in-json": (b'{"path": "good.txt", "x": "\xed\xa0\x80"}',),
        "json-nan": (b'{"path": "good.txt", "x": NaN}',),
        "not-json": (b'{"path": "good.txt"',),
        "json-array": (b'["good.txt"]',),
        "json-string": (b'"good.txt"',),
        "json-number": (b"42",),
        "json-null": (b"null",),
        "not-object": (b"[]",),
        "no-path": (b'{"file": "good.txt"}',),
        "path-not-string": (b'{"path": 42}',),
        "path-null": (b'{"path": null}',),
        "path-list": (b'{"path": ["good.txt"]}',),
        "empty-path": (b'{"path": ""}',),
        "nul-in-path": (b'{"path": "good.txt\\u0000x"}',),
        "unencodable-path": (b'{"path": "\\ud800.txt"}',),
        "deep-nesting": (b'{"path": "good.txt", "x": ' + b"[" * NESTING + b"]" * NESTING + b"}",),
    }
    if kind in frames:
        return frames[kind]
    raise HarnessError(f"unknown kind of bad request: {kind!r}")


def _directory(path: Path) -> str:
    path.mkdir(exist_ok=True)
    return path.name


def _socket_file(path: Path) -> str:
    if not path.exists():
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(str(path))  # the file stays after the socket closes
    return path.name


def _unreadable(path: Path) -> str:
    """A file of mode 000, made once: written again while its opens are denied, the harness's
    own open would wait for the harness's answer."""
    if not path.exists():
        path.write_text("you may not read this")
        path.chmod(0)
    return path.name


def _fifo(path: Path) -> str:
    if not path.exists():
        os.mkfifo(path)
    return path.name


def _sparse(path: Path, size: int) -> str:
    with open(path, "wb") as file:
        file.truncate(size)  # sparse: costs no disk
    return path.name


class ErrorReplies(Property[BadRequests]):
    """REQREP-3: every bad request gets its error reply; the next good one is answered.

    - The harness writes `good.txt` (a generated text, [harness.md](harness.md#generated-data))
      under `{root}`, starts the role (`filer-rep-cluster` with `{workers}` = 2) and, on one REQ
      socket, sends 1..8 generated kinds of bad request (drawn with repetition, in generated order),
      each followed by a good request for `good.txt`. A fixed case runs before the generated ones
      ([cases.md](cases.md)): every kind once, in alphabetical order of the kinds' names, each
      followed by the good request, over ipc, with `good.txt` holding `every kind once` and CR LF.
    - The kinds, with what is sent and the code expected, are in [bad requests](#bad-requests).
      The `unreadable` file, `secret.txt`, has mode 000; root reads such a file, so a harness that
      runs as root also denies every open of it while the case plays (fanotify permission events:
      the opener's `open` fails with EPERM, a worker's too, while `stat` still works).
    - Each reply is awaited 10 s (less if the responder exits); a request left without a reply ends
      the case, since a REQ can send nothing more. Every reply must be one frame of strict UTF-8
      JSON without a raw LF or CR. Each bad request must get an object whose `error` is an object
      with a string `code` equal to the expected one (any string for `unencodable-path`;
      `bad_request`, or instead a content reply with `good.txt`'s text, for `deep-nesting`) and a
      string `message`, with an integer `timestamp` and an integer `pid`. Each good request must get
      `content` equal to `good.txt`'s text and an integer `timestamp`. Every `timestamp` must be
      within the case (as in REQREP-1), and every reply's `pid`, error replies' included, as in
      REQREP-1 (the started process's, or a pid the cluster announced online): FMT-3.1.h says `pid`
      is the process that produced the message.

    **Not checked.**
    - The text of `message`; requests with duplicate keys (JSON parsers disagree on which wins).
    - `unreadable` when the harness runs as root where it cannot deny opens (no CAP_SYS_ADMIN, or
      a kernel without fanotify permission events): root reads a file of mode 000. The item's
      result says `not exercised` instead (report.json's `not_exercised`, the HTML report, the
      terminal summary).
    - A file swapped for a symlink between the responder's check and its read.
    """

    requirement_id: ClassVar[str] = "REQREP-3"
    case_type = BadRequests
    glance: ClassVar[Glance] = Glance(
        ranges=(("bad requests", KINDS),), timers=(("reply", REPLY_TIMEOUT),)
    )

    def cases(self, role: str) -> st.SearchStrategy[BadRequests]:
        return bad_requests()

    def not_exercised(self, role: str) -> list[str]:
        return [] if UNREADABLE in bad_kinds() else [UNREADABLE_AS_ROOT]

    def examples(self, role: str) -> list[BadRequests]:
        every = tuple(step for kind in bad_kinds() for step in (kind, GOOD))
        return [BadRequests(transport="ipc", steps=every, good_text="every kind once\r\n")]

    async def run(self, world: World, role: str, case: BadRequests) -> None:
        world.write_file(GOOD_NAME, case.good_text.encode())
        if UNREADABLE not in case.steps or os.geteuid() != 0:
            await self.play(world, role, case)
            return
        # Root reads a file of mode 000: every open of it is denied while the case plays.
        path = world.files / _unreadable(world.files / UNREADABLE_NAME)
        try:
            denial = OpenDenial()
        except OSError as error:  # a case file from elsewhere, replayed here
            raise HarnessError(f"cannot play {UNREADABLE_AS_ROOT}: {error}") from None
        with denial:
            denial.deny(path)
            async with trio.open_nursery() as nursery:
                nursery.start_soon(denial.serve)
                await self.play(world, role, case)
                nursery.cancel_scope.cancel()

    async def play(self, world: World, role: str, case: BadRequests) -> None:
        """Start the role and send the case's steps, each awaiting its reply."""
        server = await world.start_role(role)
        client = world.peer("client", zmq.REQ)
        client.socket.connect(world.address(role))
        for number, step in enumerate(case.steps, start=1):
            frames = (file_request(GOOD_NAME),) if step == GOOD else bad_request_frames(world, step)
            await client.send(*frames)
            with world.move_on_after(f"reply {number} ({step})", REPLY_TIMEOUT) as waiting:
                reply = await receive(client, watching=server)
            if waiting.cancelled_caught or reply is None:
                return  # a REQ without its reply can send nothing more: the checker explains

    def check(self, role: str, case: BadRequests, transcript: Transcript) -> Verdict:
        return check_error_replies(
            transcript=transcript,
            peer="client",
            steps=case.steps,
            good_text=case.good_text,
            pids=server_pids(role, role, transcript),
        )


@dataclass(frozen=True, kw_only=True)
class ConcurrentClients(Case):
    texts: tuple[str, ...]
    """One file per client; client i asks only for file i."""
    rounds: int


@st.composite
def concurrent_clients(draw: st.DrawFn) -> ConcurrentClients:
    texts = draw(st.lists(TEXTS, min_size=CLIENTS[0], max_size=CLIENTS[1], unique=True))
    return ConcurrentClients(  # unique texts: a swapped reply must show
        transport=draw(TRANSPORTS), texts=tuple(texts), rounds=draw(st.integers(*ROUNDS))
    )


class OwnReplies(Property[ConcurrentClients]):
    """REQREP-4: concurrent requesters each get the reply to their own request.

    - The harness writes K files `file-0` .. `file-<K-1>` under `{root}`, K = 2..8, with distinct
      generated texts ([harness.md](harness.md#generated-data)), starts the role
      (`filer-rep-cluster` with `{workers}` = 2) and connects K client sockets, one per client,
      DEALERs that talk as a REQ would (as in REQREP-1); client i asks only for `file-<i>`.
    - It runs R rounds (R = 2..5). In each round every client sends its request before any reply is
      awaited, so the responder meets K queued requests from K peers at once; then the harness
      awaits every client's reply (10 s each; less if the responder exits) before the next round.
    - After the last round the harness watches every client 0.1 s more. Each client must have
      received exactly R replies (a second reply to a request shows as one too many), each one frame
      holding `content` equal to its own file's text, a `timestamp` and a `pid` as in REQREP-2. A
      reply delivered to the wrong client shows as another client's text.

    **Not checked.**
    - The order in which clients are served.
    - A second reply that comes more than 0.1 s after a client's last reply. (The clients are not
      REQs because libzmq's REQ discards what arrived since its last reply when it sends its next
      request, and takes the first message after that as the reply; RFC 28 only says that it accepts
      replies from the peer it sent to. A REQ hides a duplicate reply.)
    """

    requirement_id: ClassVar[str] = "REQREP-4"
    case_type = ConcurrentClients
    glance: ClassVar[Glance] = Glance(
        ranges=(
            ("clients", CLIENTS),
            ("rounds", ROUNDS),
        ),
        timers=(
            ("reply", REPLY_TIMEOUT),
            ("stray replies", STRAY_WATCH),
        ),
    )

    def cases(self, role: str) -> st.SearchStrategy[ConcurrentClients]:
        return concurrent_clients()

    async def run(self, world: World, role: str, case: ConcurrentClients) -> None:
        for index, text in enumerate(case.texts):
            world.write_file(f"file-{index}", text.encode())
        server = await world.start_role(role)
        clients = [world.requester(f"client-{index}") for index in range(len(case.texts))]
        for client in clients:
            client.socket.connect(world.address(role))

        async def collect(index: int, client: Peer, number: int) -> None:
            await await_reply(world, client, f"reply {number} of client {index}", server)

        # Each round, every client sends before any reply is awaited: the responder
        # meets a burst of queued requests from many peers, where crossed replies show.
        for number in range(1, case.rounds + 1):
            for index, client in enumerate(clients):
                await client.send(file_request(f"file-{index}"))
            async with trio.open_nursery() as nursery:
                for index, client in enumerate(clients):
                    nursery.start_soon(collect, index, client, number)
        await watch_strays(clients)

    def check(self, role: str, case: ConcurrentClients, transcript: Transcript) -> Verdict:
        return check_own_replies(
            transcript=transcript,
            texts=case.texts,
            rounds=case.rounds,
            pids=server_pids(role, role, transcript),
        )


PROPERTIES: list[type[Property[Any]]] = [Content, Fresh, ErrorReplies, OwnReplies]
