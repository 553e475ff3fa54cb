"""The campaigns' reply judge and §3.5 oracle (bench/campaign_judge.py), on hand-made replies."""

from __future__ import annotations

import json

import pytest

from bench.campaign_judge import (
    ANY_ERROR,
    BAD_REQUEST,
    ERROR_CODES,
    FORBIDDEN,
    Expectation,
    PathOracle,
    content,
    error,
    expect_request,
    judge_echo,
    judge_reply,
)

TEXTS = frozenset({"good\n", "other"})
ORACLE = PathOracle(TEXTS)


def reply(**fields: object) -> list[bytes]:
    return [json.dumps(fields).encode()]


def error_reply(code: str, message: object = "why") -> list[bytes]:
    return reply(error={"code": code, "message": message}, timestamp=1_700_000_000_000, pid=42)


# --------------------------------------------------------------------------- judge_reply


def test_an_error_reply_with_an_allowed_code_passes() -> None:
    assert judge_reply(error_reply("forbidden"), FORBIDDEN, {42}) is None


def test_an_error_reply_with_another_documented_code_fails() -> None:
    problem = judge_reply(error_reply("not_found"), FORBIDDEN, {42})
    assert problem is not None and "'not_found'" in problem


def test_an_undocumented_code_fails_even_where_any_error_will_do() -> None:
    problem = judge_reply(error_reply("oops"), ANY_ERROR)
    assert problem is not None and "not one of SPEC.md §3.5" in problem


def test_a_content_reply_passes_only_with_an_allowed_text() -> None:
    good = reply(content="good\n", timestamp=1, pid=42)
    assert judge_reply(good, content("good\n"), {42}) is None
    problem = judge_reply(good, content("other"), {42})
    assert problem is not None and "content" in problem
    assert judge_reply(good, BAD_REQUEST) is not None, "content where an error was due"


def test_a_leak_is_a_content_no_request_may_get() -> None:
    leaked = reply(content="CANARY 123", timestamp=1, pid=42)
    assert judge_reply(leaked, ORACLE.anything()) is not None


@pytest.mark.parametrize(
    "frames",
    [
        [b"not json"],
        [b"[]"],
        [json.dumps({"error": {"code": "forbidden", "message": "m"}, "pid": 42}).encode()],
        [json.dumps({"error": {"code": "forbidden"}, "timestamp": 1, "pid": 42}).encode()],
        [
            json.dumps(
                {"error": {"code": "forbidden", "message": 3}, "timestamp": 1, "pid": 42}
            ).encode()
        ],
        [json.dumps({"error": "forbidden", "timestamp": 1, "pid": 42}).encode()],
        [json.dumps({"timestamp": 1, "pid": 42}).encode()],
        [
            json.dumps(
                {"error": {"code": "forbidden", "message": "m"}, "timestamp": 1.5, "pid": 42}
            ).encode()
        ],
        [
            json.dumps(
                {"error": {"code": "forbidden", "message": "m"}, "timestamp": 1, "pid": True}
            ).encode()
        ],
        error_reply("forbidden") * 2,
    ],
    ids=[
        "not-json",
        "not-object",
        "no-timestamp",
        "no-message",
        "message-not-string",
        "error-not-object",
        "neither",
        "float-timestamp",
        "bool-pid",
        "two-frames",
    ],
)
def test_a_reply_outside_the_documented_formats_fails(frames: list[bytes]) -> None:
    problem = judge_reply(frames, ANY_ERROR | content("good\n"))
    assert problem is not None and problem.startswith("not a reply")


def test_a_reply_from_another_process_fails() -> None:
    problem = judge_reply(error_reply("forbidden"), FORBIDDEN, {7})
    assert problem is not None and "pid 42" in problem
    assert judge_reply(error_reply("forbidden"), FORBIDDEN, ()) is None, "no pids: not checked"


# --------------------------------------------------------------------------- the oracle


@pytest.mark.parametrize(
    "frames",
    [
        [b'{"path":"good.txt"}', b'{"path":"good.txt"}'],
        [b""],
        [b"\xff\xfe"],
        [b"[]"],
        [b'"good.txt"'],
        [b"{}"],
        [b'{"path":1}'],
        [b'{"path":""}'],
        [b'{"path":"a\\u0000b"}'],
        ['{"path":"good.txt"}'.encode("utf-16-le")],
        ['{"path":"good.txt"}'.encode("utf-32")],
        [b'{"path":"good.txt","x":NaN}'],
        [b'{"path":"good.txt","x":-Infinity}'],
        [b'{"path":"good.txt","x":"\xed\xa0\x80"}'],
        [b'{"path":"good.txt","x":"\xc0\xaf"}'],
        [b'{"path":"caf\xe9"}'],
    ],
    ids=[
        "two-frames",
        "empty",
        "not-utf8",
        "array",
        "string",
        "no-path",
        "path-number",
        "empty-path",
        "nul",
        "utf-16",
        "utf-32",
        "nan",
        "infinity",
        "encoded-surrogate",
        "overlong",
        "latin-1",
    ],
)
def test_what_is_not_one_frame_of_utf8_json_with_a_string_path_is_a_bad_request(
    frames: list[bytes],
) -> None:
    assert expect_request(frames, ORACLE) == BAD_REQUEST


def test_an_absolute_path_is_forbidden_and_a_lone_surrogate_any_error() -> None:
    assert expect_request([b'{"path":"/etc/passwd"}'], ORACLE) == FORBIDDEN
    assert expect_request([b'{"path":"a/\\udcff/../good.txt"}'], ORACLE) == ANY_ERROR


def test_a_relative_path_may_get_any_error_or_a_text_from_under_the_root() -> None:
    assert expect_request([b'{"path":"x/../good.txt"}'], ORACLE) == ANY_ERROR | content(*TEXTS)


def test_where_the_spec_leaves_room_both_ways_are_allowed() -> None:
    anything = ANY_ERROR | content(*TEXTS)
    bom = expect_request([b'\xef\xbb\xbf{"path":"/x"}'], ORACLE)
    assert bom == BAD_REQUEST | FORBIDDEN, "RFC 8259: a parser may ignore a BOM, or refuse it"
    deep = b'{"path":"good.txt","x":' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert expect_request([deep], ORACLE) == anything, "nesting beyond a parser's limits"
    huge = b'{"path":"good.txt","x":' + b"9" * 5000 + b"}"
    assert expect_request([huge], ORACLE) == anything, "a number beyond a parser's limits"
    twice = b'{"path":1,"path":"good.txt"}'
    assert expect_request([twice], ORACLE) == anything, "duplicate keys: not checked"


def test_expectations_combine_and_say_what_they_allow() -> None:
    both = error("forbidden") | content("x")
    assert both == Expectation(frozenset({"forbidden"}), frozenset({"x"}))
    assert "forbidden" in both.describe() and "'x'" in both.describe()
    assert error().codes == ERROR_CODES
    with pytest.raises(ValueError, match="not codes"):
        error("oops")


# --------------------------------------------------------------------------- the broker


def test_an_echo_through_the_broker_must_come_back_unchanged() -> None:
    sent = [b"", b"a", b"\x00" * 3]
    assert judge_echo(sent, [b"id", *sent], sent) is None
    assert judge_echo(sent, None, None) is not None
    assert judge_echo(sent, [b"", *sent], sent) is not None, "an empty identity"
    assert judge_echo(sent, [b"id", *sent[:-1]], sent) is not None, "a frame lost on the way in"
    assert judge_echo(sent, [b"id", *sent], sent[::-1]) is not None, "reordered on the way back"
    assert judge_echo(sent, [b"id", *sent], None) is not None
