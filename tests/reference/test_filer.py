"""filer_rep: a request {"path": P} gets the text of P; every bad request gets an error reply
and the responder goes on serving (SPEC.md REQREP-1..4)."""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path
from typing import Any

import pytest
import trio
import zmq

from conformance.open_denial import OpenDenial
from conformance.zsock import AsyncSocket
from reference.filer import Filer, FilerError
from tests.reference.conftest import HELLO, MAX_SIZE
from tests.reference.sandbox import DEADLINE, Role, Sandbox

READY = re.escape("Listening for zmq requesters...")


async def start_filer(sandbox: Sandbox, root: Path, endpoint: str) -> Role:
    return await sandbox.start(
        "filer_rep",
        *("--bind", endpoint, "--root", str(root), "--max-size", str(MAX_SIZE)),
        ready=READY,
    )


async def ask(sock: AsyncSocket, request: bytes) -> dict[str, Any]:
    """Send one request on a REQ socket; the reply, decoded (within DEADLINE)."""
    with trio.fail_after(DEADLINE):
        await sock.send(request)
        reply: dict[str, Any] = json.loads(await sock.recv())
    return reply


def path_request(path: object) -> bytes:
    return json.dumps({"path": path}).encode()


def assert_content(reply: dict[str, Any], content: str, pid: int) -> None:
    assert reply.keys() == {"content", "timestamp", "pid"}, reply
    assert reply["content"] == content
    assert reply["pid"] == pid
    assert isinstance(reply["timestamp"], int)
    assert reply["timestamp"] > 10**12, "a timestamp in milliseconds since the epoch"


def assert_error(reply: dict[str, Any], code: str, pid: int) -> None:
    assert reply.keys() == {"error", "timestamp", "pid"}, reply
    assert reply["error"].keys() == {"code", "message"}
    assert reply["error"]["code"] == code, reply
    assert isinstance(reply["error"]["message"], str)
    assert reply["error"]["message"], "a message for humans, not empty"
    assert reply["pid"] == pid
    assert isinstance(reply["timestamp"], int)


# --------------------------------------------------------------------------- good requests


async def test_reply_has_content_timestamp_and_the_responders_pid(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    endpoint = sandbox.endpoint(transport)
    filer = await start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(await ask(client, path_request("hello.txt")), HELLO, filer.pid)


async def test_reply_is_one_frame_of_compact_json(sandbox: Sandbox, root: Path) -> None:
    endpoint = sandbox.tcp()
    await start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    with sandbox.deadline("the reply"):
        await client.send(path_request("hello.txt"))
        frames = await client.recv_multipart()
    assert len(frames) == 1
    assert b"\n" not in frames[0], "one line: newlines in the content are escaped"
    assert json.loads(frames[0])["content"] == HELLO


async def test_file_in_a_subdirectory_and_a_symlink_inside_the_root_are_served(
    sandbox: Sandbox, root: Path
) -> None:
    endpoint = sandbox.tcp()
    filer = await start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(await ask(client, path_request("dir/inner.txt")), "inner\n", filer.pid)
    assert_content(await ask(client, path_request("inside-link.txt")), HELLO, filer.pid)


async def test_file_of_exactly_max_size_is_served(sandbox: Sandbox, root: Path) -> None:
    endpoint = sandbox.tcp()
    filer = await start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(await ask(client, path_request("exact.txt")), "x" * MAX_SIZE, filer.pid)


async def test_reply_has_the_content_at_the_time_of_the_request(
    sandbox: Sandbox, root: Path
) -> None:
    """The file is read for every request, not cached (REQREP-2)."""
    endpoint = sandbox.tcp()
    filer = await start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(await ask(client, path_request("hello.txt")), HELLO, filer.pid)
    (root / "hello.txt").write_text("changed\n", encoding="utf-8")
    assert_content(await ask(client, path_request("hello.txt")), "changed\n", filer.pid)


async def test_concurrent_requesters_each_get_the_reply_to_their_own_request(
    sandbox: Sandbox, root: Path
) -> None:
    """REP fair-queues the requesters and routes each reply back to its sender (REQREP-4)."""
    endpoint = sandbox.tcp()
    filer = await start_filer(sandbox, root, endpoint)
    for number in range(5):
        (root / f"client{number}.txt").write_text(f"for client {number}\n", encoding="utf-8")
    failures: list[str] = []

    async def client(number: int) -> None:
        sock = sandbox.socket(zmq.REQ, connect=endpoint)
        for _ in range(20):
            reply = await ask(sock, path_request(f"client{number}.txt"))
            if reply.get("content") != f"for client {number}\n":
                failures.append(f"client {number} got {reply}")

    with sandbox.deadline("100 replies to 5 clients"):
        async with trio.open_nursery() as clients:
            for number in range(5):
                clients.start_soon(client, number)
    assert not failures
    client_socket = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(await ask(client_socket, path_request("hello.txt")), HELLO, filer.pid)


# --------------------------------------------------------------------------- bad requests

BAD_REQUESTS = [
    pytest.param(path_request("../secret.txt"), "forbidden", id="dotdot-escape"),
    pytest.param(path_request("dir/../../secret.txt"), "forbidden", id="dotdot-via-subdir"),
    pytest.param(None, "forbidden", id="absolute-path"),  # filled in with a real absolute path
    pytest.param(path_request("escape.txt"), "forbidden", id="symlink-outside-root"),
    pytest.param(path_request("missing.txt"), "not_found", id="missing-file"),
    pytest.param(path_request("dir"), "not_a_file", id="directory"),
    pytest.param(path_request("latin1.txt"), "not_utf8", id="not-utf8"),
    pytest.param(path_request("big.txt"), "too_large", id="over-max-size"),
    pytest.param(b'{"path": "hello.txt"', "bad_request", id="malformed-json"),
    pytest.param(b"\xff\xfe", "bad_request", id="not-utf8-request"),
    pytest.param(b"", "bad_request", id="empty-frame"),
    pytest.param(path_request(42), "bad_request", id="path-is-a-number"),
    pytest.param(path_request(["hello.txt"]), "bad_request", id="path-is-a-list"),
    pytest.param(path_request(None), "bad_request", id="path-is-null"),
    pytest.param(path_request(""), "bad_request", id="path-is-empty"),
    pytest.param(b"{}", "bad_request", id="path-missing"),
    pytest.param(b'["hello.txt"]', "bad_request", id="not-an-object"),
    pytest.param(b'"hello.txt"', "bad_request", id="bare-string"),
]


@pytest.mark.parametrize(("request_bytes", "code"), BAD_REQUESTS)
async def test_bad_request_gets_an_error_reply_and_the_next_request_is_served(
    sandbox: Sandbox, root: Path, request_bytes: bytes | None, code: str
) -> None:
    endpoint = sandbox.tcp()
    filer = await start_filer(sandbox, root, endpoint)
    if request_bytes is None:
        request_bytes = path_request(str(root.parent / "secret.txt"))
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_error(await ask(client, request_bytes), code, filer.pid)
    assert_content(await ask(client, path_request("hello.txt")), HELLO, filer.pid)


@pytest.mark.skipif(
    os.geteuid() != 0 or not OpenDenial.available(),
    reason="as root with fanotify permission events only (otherwise mode 000 is tested below)",
)
async def test_a_file_root_cannot_open_is_unreadable(sandbox: Sandbox, root: Path) -> None:
    """As root, mode 000 keeps nothing out: the harness's fanotify denial does (SPEC.md
    FMT-3.5.h). The filer is a process of its own, so this process answers its open."""
    secret = root / "secret.txt"
    secret.write_text("secret\n")
    endpoint = sandbox.tcp()
    filer = await start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    with OpenDenial() as denial:
        denial.deny(secret)
        async with trio.open_nursery() as nursery:
            nursery.start_soon(denial.serve)
            assert_error(await ask(client, path_request("secret.txt")), "unreadable", filer.pid)
            nursery.cancel_scope.cancel()
    assert denial.denied >= 1
    assert_content(await ask(client, path_request("hello.txt")), HELLO, filer.pid)


async def test_multipart_request_gets_an_error_reply_and_the_next_request_is_served(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    """A REQ sends one frame, so the two-frame request comes from a DEALER, which
    must add the empty delimiter frame that REQ would have added."""
    endpoint = sandbox.endpoint(transport)
    filer = await start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.DEALER, connect=endpoint)
    with sandbox.deadline("the replies"):
        await client.send_multipart([b"", path_request("hello.txt"), b"second frame"])
        delimiter, reply = await client.recv_multipart()
        assert delimiter == b""
        assert_error(json.loads(reply), "bad_request", filer.pid)
        await client.send_multipart([b"", path_request("hello.txt")])
        delimiter, reply = await client.recv_multipart()
    assert_content(json.loads(reply), HELLO, filer.pid)


async def test_responder_refuses_to_start_on_a_missing_root(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    role = await sandbox.start(
        "filer_rep", "--bind", sandbox.tcp(), "--root", str(tmp_path / "no-such-dir")
    )
    assert await role.wait() != 0
    assert await role.read_rest() == []


# --------------------------------------------------------------------------- path resolution
# THE PATH RESOLUTION RULE (SPEC.md §3.3), on Filer itself: no process, no socket. The layout
# is the harness's: ROOT = <case>/files, and a sibling <case>/outside/.


@pytest.fixture
def case(tmp_path: Path) -> Path:
    files, outside = tmp_path / "files", tmp_path / "outside"
    files.mkdir()
    outside.mkdir()
    (files / "good.txt").write_text("good\n", encoding="utf-8")
    (files / "sub").mkdir()
    (files / "sub" / "deep.txt").write_text("deep\n", encoding="utf-8")
    (outside / "outside.txt").write_text("outside\n", encoding="utf-8")
    (files / "loop").symlink_to("loop")
    (files / "ping").symlink_to("pong")
    (files / "pong").symlink_to("ping")
    (files / "to-good").symlink_to("good.txt")
    (files / "to-good-absolute").symlink_to(files / "good.txt")
    (files / "to-sub").symlink_to("sub")
    (files / "to-outside-dir").symlink_to(outside)
    (files / "to-outside-file").symlink_to("../outside/outside.txt")
    (files / "dangling").symlink_to("no-such-file.txt")
    (files / "chain-1").symlink_to("good.txt")
    for number in range(2, 42):  # chain-41 -> chain-40 -> ... -> chain-1 -> good.txt
        (files / f"chain-{number}").symlink_to(f"chain-{number - 1}")
    return tmp_path


def outcome(filer: Filer, path: str) -> str:
    """The text served for PATH, or the code of the error."""
    try:
        return filer.read(path)
    except FilerError as error:
        return error.code


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # The consequences the harness sends (SPEC.md 3.3).
        ("missing/../../outside/outside.txt", "forbidden"),
        ("missing/../good.txt", "not_found"),
        ("good.txt/", "not_found"),
        ("good.txt/.", "not_found"),
        ("good.txt/../../outside/outside.txt", "forbidden"),
        ("sub/../good.txt", "good\n"),
        ("sub/", "not_a_file"),
        ("../files/good.txt", "good\n"),
        ("good.txt/../good.txt", "not_found"),
        ("good.txt/inside", "not_found"),
        ("../outside/missing.txt", "forbidden"),
        ("../outside/outside.txt", "forbidden"),
        ("loop", "not_found"),
        ("loop/../good.txt", "not_found"),
        # More of the same rule.
        ("./good.txt", "good\n"),
        ("sub//deep.txt", "deep\n"),
        ("sub/../sub/./deep.txt", "deep\n"),
        ("to-good", "good\n"),
        ("to-good-absolute", "good\n"),
        ("to-sub/deep.txt", "deep\n"),
        ("to-sub/../good.txt", "good\n"),
        ("to-outside-dir/outside.txt", "forbidden"),
        ("to-outside-dir/../files/good.txt", "good\n"),
        ("to-outside-file", "forbidden"),
        ("dangling", "not_found"),
        ("ping", "not_found"),
        ("chain-40", "good\n"),  # 40 symlinks, as many as Linux follows
        ("chain-41", "not_found"),
        ("../../../../../../../../..", "forbidden"),
        (".", "not_a_file"),
        ("sub", "not_a_file"),
        ("sub/..", "not_a_file"),
        ("missing/..", "not_found"),
        ("no such dir/x", "not_found"),
        ("/etc/hostname", "forbidden"),
    ],
)
def test_path_resolution_rule(case: Path, path: str, expected: str) -> None:
    assert outcome(Filer.at(case / "files"), path) == expected


def test_a_symlink_loop_is_not_found_where_pathlib_would_serve_it(case: Path) -> None:
    """Python's non-strict realpath stops at the loop and joins the rest; the rule does not."""
    root = case / "files"
    assert (root / "loop/../good.txt").resolve() == (root / "good.txt").resolve()
    assert outcome(Filer.at(root), "loop/../good.txt") == "not_found"


def test_a_root_reached_through_a_symlink_is_its_real_path(case: Path) -> None:
    (case / "link-to-files").symlink_to("files")
    filer = Filer.at(case / "link-to-files")
    assert filer.root == str(case / "files")
    assert outcome(filer, "good.txt") == "good\n"
    assert outcome(filer, "../link-to-files/good.txt") == "good\n"


def test_root_slash_serves_by_absolute_real_path_only_through_relative_names(
    case: Path,
) -> None:
    filer = Filer.at("/")
    relative = str(case / "files" / "good.txt").lstrip("/")
    assert outcome(filer, relative) == "good\n"
    assert outcome(filer, "../" + relative) == "good\n", "the parent of / is /"
    assert outcome(filer, "/" + relative) == "forbidden", "absolute paths are never served"


# --------------------------------------------------------------------------- never opened


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths that os.open is called with from now on."""
    calls: list[str] = []
    real_open = os.open

    def recording_open(path: str, flags: int, *args: Any, **kwargs: Any) -> int:
        calls.append(os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    return calls


def test_a_fifo_is_not_a_file_and_is_never_opened(case: Path, opened: list[str]) -> None:
    """Opening a FIFO blocks until a writer comes (and wakes a writer that waits)."""
    os.mkfifo(case / "files" / "fifo")
    filer = Filer.at(case / "files")
    assert outcome(filer, "fifo") == "not_a_file"
    (case / "files" / "to-fifo").symlink_to("fifo")
    assert outcome(filer, "to-fifo") == "not_a_file"
    assert opened == []


def test_a_socket_file_and_a_directory_are_not_files_and_are_never_opened(
    case: Path, opened: list[str]
) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(case / "files" / "socket"))
        filer = Filer.at(case / "files")
        assert outcome(filer, "socket") == "not_a_file"
        assert outcome(filer, "sub") == "not_a_file"
    finally:
        listener.close()
    assert opened == []


def test_a_regular_file_is_opened_once(case: Path, opened: list[str]) -> None:
    assert outcome(Filer.at(case / "files"), "to-good") == "good\n"
    assert opened == [str(case / "files" / "good.txt")]


def test_size_limit_and_encoding_checks_on_filer(case: Path) -> None:
    files = case / "files"
    (files / "exact.txt").write_bytes(b"x" * 8)
    (files / "big.txt").write_bytes(b"x" * 9)
    (files / "latin1.txt").write_bytes(b"caf\xe9")
    (files / "empty.txt").write_bytes(b"")
    filer = Filer.at(files, max_size=8)
    assert outcome(filer, "exact.txt") == "x" * 8
    assert outcome(filer, "big.txt") == "too_large"
    assert outcome(filer, "latin1.txt") == "not_utf8"
    assert outcome(filer, "empty.txt") == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file of mode 000")
def test_a_file_that_cannot_be_read_is_unreadable(case: Path) -> None:
    secret = case / "files" / "secret.txt"
    secret.write_text("secret\n")
    secret.chmod(0)
    assert outcome(Filer.at(case / "files"), "secret.txt") == "unreadable"


def test_other_errors_of_stat_are_unreadable(case: Path) -> None:
    """ENAMETOOLONG: a name longer than any file system allows (and readable as root)."""
    assert outcome(Filer.at(case / "files"), "x" * 300) == "unreadable"


def test_reply_bytes_are_compact_json_with_content_timestamp_and_pid(case: Path) -> None:
    filer = Filer.at(case / "files")
    (case / "files" / "odd.txt").write_text('a "quote", a \\ and\ttabs\r\n\x00\u2028é\n')
    reply = filer.answer([path_request("odd.txt")])
    decoded = json.loads(reply)
    assert decoded["content"] == 'a "quote", a \\ and\ttabs\r\n\x00\u2028é\n'
    assert decoded["pid"] == os.getpid()
    assert b"\n" not in reply and b"\r" not in reply
    assert reply.startswith(b'{"content":"a \\"quote\\"')
