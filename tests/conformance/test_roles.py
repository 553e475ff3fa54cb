"""The role table is complete: every per-role dispatch of the harness has a row for each role
it can meet, so a new role missing from one is caught here, not reported as a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import roles, spec
from conformance.checks.lifecycle import SERVED
from conformance.manifest import PLACEHOLDERS, REQUIRED_ENDPOINTS, ROLE_PLACEHOLDERS, load_manifest
from conformance.properties.interop import BY_PATTERN, PAIRS
from conformance.properties.lifecycle import EXCHANGES_BY_KIND, exchange_of
from conformance.properties.registry import all_properties

REFERENCE = Path(__file__).parents[2] / "conformance" / "manifests" / "reference.toml"


def test_the_registry_and_the_manifest_read_the_table() -> None:
    assert spec.ROLES == roles.ROLES == tuple(ROLE_PLACEHOLDERS)
    assert tuple(role.name for role in roles.TABLE if role.server) == spec.SERVERS
    assert {name: role.endpoints for name, role in roles.BY_NAME.items()} == REQUIRED_ENDPOINTS


@pytest.mark.parametrize("role", roles.TABLE, ids=lambda role: role.name)
def test_a_role_uses_only_placeholders_of_the_format(role: roles.Role) -> None:
    assert set(role.placeholders) <= set(PLACEHOLDERS)
    assert set(role.endpoints) <= set(role.placeholders) & set(roles.ENDPOINT_PLACEHOLDERS)
    assert set(role.binds) <= set(role.placeholders) & set(roles.ENDPOINT_PLACEHOLDERS)
    assert set(role.defaults) <= set(role.placeholders)
    assert role.server == (role.exchange is not None) == bool(role.binds)
    assert all(not role.server and roles.role_of(peer).server for peer in role.peers)


@pytest.mark.parametrize("role", roles.SERVERS)
def test_every_server_has_an_exchange_played_and_checked(role: str) -> None:
    exchange = exchange_of(role)
    assert exchange in EXCHANGES_BY_KIND and exchange in SERVED


@pytest.mark.parametrize("role", roles.SERVERS)
def test_the_reference_ready_regex_finds_the_book_s_ready_line(role: str) -> None:
    ready = load_manifest(REFERENCE).role(role).ready
    book = roles.role_of(role).book_ready
    assert ready is not None and book is not None and ready.search(book)


def test_every_role_is_under_test_and_every_interop_client_has_a_property() -> None:
    tested = {role for prop in all_properties() for role in prop.applies_to()}
    assert tested == set(roles.ROLES)
    assert {roles.role_of(client).pattern for client, _ in PAIRS} <= set(BY_PATTERN)


def test_the_book_s_numbers_fill_in_for_a_placeholder_the_templates_lack() -> None:
    loop, single = roles.role_of("filer-req-loop"), roles.role_of("filer-req")
    assert loop.number("count", True, 7) == 7 and loop.number("count", False, 7) == 3
    assert single.span("count", (1, 3)) == (1, 1) and loop.span("count", (1, 3)) == (1, 3)
    assert roles.role_of("broker").number("workers", False, 7) == 7
