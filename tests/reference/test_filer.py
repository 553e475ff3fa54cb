"""filer_rep: a request {"path": P} gets the text of P; every bad request gets an error reply
and the responder goes on serving (SPEC.md REQREP-1..4)."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
import zmq

from tests.reference.conftest import HELLO, MAX_SIZE
from tests.reference.launch import Role, Sandbox

READY = re.escape("Listening for zmq requesters...")


def start_filer(sandbox: Sandbox, root: Path, endpoint: str) -> Role:
    return sandbox.start(
        "filer_rep",
        *("--bind", endpoint, "--root", str(root), "--max-size", str(MAX_SIZE)),
        ready=READY,
    )


def ask(sock: zmq.Socket[bytes], request: bytes) -> dict[str, Any]:
    """Send one request on a REQ socket; the reply, decoded."""
    sock.send(request)
    reply: dict[str, Any] = json.loads(sock.recv())
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


def test_reply_has_content_timestamp_and_the_responders_pid(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    endpoint = sandbox.endpoint(transport)
    filer = start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(ask(client, path_request("hello.txt")), HELLO, filer.pid)


def test_reply_is_one_frame_of_compact_json(sandbox: Sandbox, root: Path) -> None:
    endpoint = sandbox.tcp()
    start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    client.send(path_request("hello.txt"))
    frames = client.recv_multipart()
    assert len(frames) == 1
    assert b"\n" not in frames[0], "one line: newlines in the content are escaped"
    assert json.loads(frames[0])["content"] == HELLO


def test_file_in_a_subdirectory_and_a_symlink_inside_the_root_are_served(
    sandbox: Sandbox, root: Path
) -> None:
    endpoint = sandbox.tcp()
    filer = start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(ask(client, path_request("dir/inner.txt")), "inner\n", filer.pid)
    assert_content(ask(client, path_request("inside-link.txt")), HELLO, filer.pid)


def test_file_of_exactly_max_size_is_served(sandbox: Sandbox, root: Path) -> None:
    endpoint = sandbox.tcp()
    filer = start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(ask(client, path_request("exact.txt")), "x" * MAX_SIZE, filer.pid)


def test_reply_has_the_content_at_the_time_of_the_request(sandbox: Sandbox, root: Path) -> None:
    """The file is read for every request, not cached (REQREP-2)."""
    endpoint = sandbox.tcp()
    filer = start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(ask(client, path_request("hello.txt")), HELLO, filer.pid)
    (root / "hello.txt").write_text("changed\n", encoding="utf-8")
    assert_content(ask(client, path_request("hello.txt")), "changed\n", filer.pid)


def test_concurrent_requesters_each_get_the_reply_to_their_own_request(
    sandbox: Sandbox, root: Path
) -> None:
    """REP fair-queues the requesters and routes each reply back to its sender (REQREP-4)."""
    endpoint = sandbox.tcp()
    filer = start_filer(sandbox, root, endpoint)
    for number in range(5):
        (root / f"client{number}.txt").write_text(f"for client {number}\n", encoding="utf-8")
    failures: list[str] = []

    def client(number: int) -> None:
        sock = sandbox.socket(zmq.REQ, connect=endpoint, managed=False)
        try:
            for _ in range(20):
                reply = ask(sock, path_request(f"client{number}.txt"))
                if reply.get("content") != f"for client {number}\n":
                    failures.append(f"client {number} got {reply}")
        except Exception as error:
            failures.append(f"client {number}: {error!r}")
        finally:
            sock.close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    client_socket = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_content(ask(client_socket, path_request("hello.txt")), HELLO, filer.pid)


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
def test_bad_request_gets_an_error_reply_and_the_next_request_is_served(
    sandbox: Sandbox, root: Path, request_bytes: bytes | None, code: str
) -> None:
    endpoint = sandbox.tcp()
    filer = start_filer(sandbox, root, endpoint)
    if request_bytes is None:
        request_bytes = path_request(str(root.parent / "secret.txt"))
    client = sandbox.socket(zmq.REQ, connect=endpoint)
    assert_error(ask(client, request_bytes), code, filer.pid)
    assert_content(ask(client, path_request("hello.txt")), HELLO, filer.pid)


def test_multipart_request_gets_an_error_reply_and_the_next_request_is_served(
    sandbox: Sandbox, root: Path, transport: str
) -> None:
    """A REQ sends one frame, so the two-frame request comes from a DEALER, which
    must add the empty delimiter frame that REQ would have added."""
    endpoint = sandbox.endpoint(transport)
    filer = start_filer(sandbox, root, endpoint)
    client = sandbox.socket(zmq.DEALER, connect=endpoint)
    client.send_multipart([b"", path_request("hello.txt"), b"second frame"])
    delimiter, reply = client.recv_multipart()
    assert delimiter == b""
    assert_error(json.loads(reply), "bad_request", filer.pid)
    client.send_multipart([b"", path_request("hello.txt")])
    delimiter, reply = client.recv_multipart()
    assert_content(json.loads(reply), HELLO, filer.pid)


def test_responder_refuses_to_start_on_a_missing_root(sandbox: Sandbox, tmp_path: Path) -> None:
    role = sandbox.start(
        "filer_rep", "--bind", sandbox.tcp(), "--root", str(tmp_path / "no-such-dir")
    )
    assert role.wait() != 0
    assert role.read_rest() == []
