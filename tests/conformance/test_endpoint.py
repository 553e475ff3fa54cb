"""The one endpoint parser: what each endpoint names, and the errors a user sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.endpoint import Endpoint, EndpointError


@pytest.mark.parametrize(
    "text",
    [
        "tcp://127.0.0.1:5433",
        "tcp://localhost:1",
        "tcp://*:65535",
        "ipc:///tmp/a.ipc",
        "ipc://filer-dealer.ipc",
        "ipc://@abstract",
    ],
)
def test_parse_and_print_round_trip(text: str) -> None:
    assert str(Endpoint.parse(text)) == text


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("ipc://", "has no path"),
        ("udp://127.0.0.1:1", "neither tcp:// nor ipc://"),
        ("tcp://127.0.0.1", "has no port"),
        ("tcp://127.0.0.1:0", "not a number from 1 to 65535"),
        ("tcp://127.0.0.1:65536", "not a number from 1 to 65535"),
        ("tcp://127.0.0.1:\uff15\uff14", "not a number from 1 to 65535"),
        ("tcp://127.0.0.1:x", "not a number from 1 to 65535"),
    ],
)
def test_bad_endpoints_say_why(text: str, why: str) -> None:
    with pytest.raises(EndpointError, match=why):
        Endpoint.parse(text)


def test_what_an_endpoint_names() -> None:
    relative = Endpoint.parse("ipc://filer-dealer.ipc")
    assert relative.resolved(Path("/run/x")) == Endpoint.parse("ipc:///run/x/filer-dealer.ipc")
    assert relative.socket_file == Path("filer-dealer.ipc") and not relative.shared
    abstract = Endpoint.parse("ipc://@name")
    assert abstract.abstract and abstract.socket_file is None and not abstract.shared
    assert abstract.resolved(Path("/run/x")) == abstract
    absolute = Endpoint.parse("ipc:///tmp/a.ipc")
    assert absolute.shared and absolute.socket_file == Path("/tmp/a.ipc")
    wildcard = Endpoint.parse("tcp://*:5432")
    assert wildcard.probe_address == ("127.0.0.1", 5432) and not wildcard.loopback
    assert Endpoint.parse("tcp://localhost:5432").probe_address == ("127.0.0.1", 5432)
    assert Endpoint.parse("tcp://localhost:5432").loopback and wildcard.shared


def test_cases_on_one_port_share_a_lock_whatever_the_host() -> None:
    assert Endpoint.parse("tcp://localhost:5433").lock_key == "tcp-5433"
    assert Endpoint.parse("tcp://127.0.0.1:5433").lock_key == "tcp-5433"
    one, other = Endpoint.parse("ipc:///tmp/a b.ipc"), Endpoint.parse("ipc:///tmp/a_b.ipc")
    assert one.lock_key != other.lock_key
