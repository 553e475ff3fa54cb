"""Unknown keys the harness adds to what it sends (SPEC.md 3.1), and REQREP-1's ways to a file
(SPEC.md 3.3): pure helpers, so that a receiver that fails on them fails for the right reason."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.checks.messages import changed_message, file_request, request_path
from conformance.checks.reqrep import check_contents
from conformance.errors import HarnessError
from conformance.properties.extras import EXAMPLE_EXTRAS, HUGE_NUMBERS, extras, with_extras
from conformance.properties.pubsub import CHANGE_KEYS
from conformance.properties.reqrep import Content, served_path, ways
from conformance.properties.requesters import Requests, reply_for

from .transcripts import content_reply, exchange, transcript


@given(members=extras(("path",)), style=st.sampled_from(["compact", "spaced"]))
def test_extras_are_valid_json_beside_the_known_keys(members: str, style: str) -> None:
    request = with_extras(file_request("a b.txt"), members)
    value = json.loads(request)
    assert value["path"] == "a b.txt"
    assert request_path((request,)) == "a b.txt"
    message = with_extras(changed_message("f", 5, style), members)
    assert {key: json.loads(message)[key] for key in CHANGE_KEYS} == {
        "type": "changed",
        "file": "f",
        "timestamp": 5,
    }


@given(members=extras(CHANGE_KEYS))
def test_extras_never_reuse_a_known_key(members: str) -> None:
    unknown = json.loads("{" + members + "}")
    assert not set(unknown) & set(CHANGE_KEYS)


def test_the_fixed_extras_hold_numbers_no_double_or_64_bit_integer_holds() -> None:
    value = json.loads("{" + EXAMPLE_EXTRAS + "}")
    assert value["size"] == float("inf") and value["serial"] == 2**64
    assert value["meta"]["seq"] == -(2**63) - 1
    assert {"1e400", "18446744073709551616"} <= set(HUGE_NUMBERS)
    reply = reply_for(
        Requests(file="f", contents=("x",), ascii_only=True, extras=EXAMPLE_EXTRAS), 0
    )
    assert reply.startswith(b'{"size":1e400,') and json.loads(reply)["content"] == "x"


def test_with_extras_of_nothing_changes_nothing() -> None:
    assert with_extras(b'{"path": "a"}', "") == b'{"path": "a"}'
    assert with_extras(b"{}", '"k":1') == b'{"k":1}'
    with pytest.raises(ValueError, match="not a JSON object"):
        with_extras(b"[1]", '"k":1')


def test_a_request_with_unknown_keys_is_matched_by_its_path() -> None:
    t = transcript()
    exchange(t, "client", (with_extras(file_request("a"), EXAMPLE_EXTRAS),), content_reply("A"))
    assert check_contents(transcript=t, peer="client", expected={"a": "A"}, pids={100}).ok
    t = transcript()
    exchange(t, "client", (file_request("zzz"),), content_reply("A"))
    with pytest.raises(HarnessError):
        check_contents(transcript=t, peer="client", expected={"a": "A"}, pids={100})


def test_served_path_follows_the_resolution_rule() -> None:
    links = {"link-0": "d/x"}
    assert served_path("../files/d/x", links) == "d/x"
    assert served_path("d/../d/x", links) == "d/x"
    assert served_path("./link-0", links) == "d/x"
    with pytest.raises(HarnessError):
        served_path("../outside/x", links)


def test_every_way_reaches_its_file() -> None:
    links = (("link-0", "a/b/c.txt"),)
    found = ways("a/b/c.txt", links)
    assert {served_path(way, dict(links)) for way in found} == {"a/b/c.txt"}
    assert {"./a/b/c.txt", "a/../a/b/c.txt", "../files/a/b/c.txt", "link-0"} <= set(found)
    # A missing folder or the file itself before ".." is not_found (SPEC.md 3.3): not a way.
    assert not any("missing" in way or "c.txt/" in way for way in found)


def test_the_fixed_case_sends_every_way_and_the_fixed_extras() -> None:
    case = Content().examples("filer-rep")[0]
    assert {"./d ir/sub/odd.txt", "d ir/../d ir/sub/odd.txt", "link-0"} <= set(case.requests)
    assert any(path.startswith("../files/") for path in case.requests)
    assert EXAMPLE_EXTRAS.encode() in b"".join(case.request(n) for n in range(len(case.requests)))
