"""The suite catches broken implementations: every mutant fails on its named requirement.

For each mutant of ``tests/mutants/catalogue.py`` the property of its requirement
and role runs with the ``ci`` profile (and the regression corpus, as in a real
run) and must raise a ConformanceFailure that names the requirement; as a
control, the same property passes on the reference, and the bug-free base of
the broker mutants passes too. Mutants the suite is known to miss
(``catalogue.MISSED``) are strict xfails: a fix of the property turns them
into failures that ask for the entry to go.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

import conformance
from conformance.errors import ConformanceFailure
from conformance.manifest import load_manifest
from conformance.properties.reqrep import UNREADABLE, UNREADABLE_AS_ROOT, bad_kinds
from conformance.spec import REQUIREMENTS, ROLES
from tests.mutants.catalogue import CONTROLS, MISSED, MUTANTS, NOT_CATCHABLE, Mutant
from tests.mutants.killtable import property_of, verify

pytestmark = pytest.mark.slow

MANIFESTS = Path(__file__).with_name("mutants") / "manifests"
REFERENCE = Path(conformance.__file__).with_name("manifests") / "reference.toml"


def mutant_param(mutant: Mutant) -> Any:
    marks = []
    if mutant.name in MISSED:
        marks.append(
            pytest.mark.xfail(
                reason=f"the suite misses it: {MISSED[mutant.name]}",
                raises=pytest.fail.Exception,  # "DID NOT RAISE", and nothing else
                strict=True,
            )
        )
    if "FMT-3.5.h" in mutant.clauses and UNREADABLE not in bad_kinds():
        marks.append(pytest.mark.skip(reason=f"not exercised here: {UNREADABLE_AS_ROOT}"))
    return pytest.param(mutant, id=f"{mutant.requirement}-{mutant.name}", marks=marks)


@pytest.mark.parametrize("mutant", [mutant_param(mutant) for mutant in MUTANTS])
def test_mutant_is_caught(mutant: Mutant) -> None:
    with pytest.raises(ConformanceFailure) as caught:
        verify(MANIFESTS / f"{mutant.name}.toml", mutant.requirement, mutant.role)
    assert caught.value.requirement == mutant.requirement
    assert str(caught.value).startswith(f"{mutant.requirement} [{mutant.role}]")


@pytest.mark.parametrize(
    ("requirement", "role"),
    sorted({(mutant.requirement, mutant.role) for mutant in MUTANTS}),
    ids=lambda value: str(value),
)
def test_reference_passes(requirement: str, role: str) -> None:
    verify(REFERENCE, requirement, role)


@pytest.mark.parametrize(("name", "role", "requirement"), CONTROLS)
def test_bug_free_base_passes(name: str, role: str, requirement: str) -> None:
    verify(MANIFESTS / f"{name}.toml", requirement, role)


# --- the catalogue matches the programs and manifests (no processes) -------------------------

DOCSTRING = re.compile(r'^"""Mutant: (?P<bug>.+)\. Should fail (?P<id>[A-Z]+-\d+)\.(""")?$')


@pytest.mark.parametrize(
    "mutant",
    [*MUTANTS, *(mutant for mutant, _ in NOT_CATCHABLE)],
    ids=lambda mutant: mutant.name,
)
def test_catalogue_entry_matches_its_program_and_manifest(mutant: Mutant) -> None:
    module = importlib.util.find_spec(f"tests.mutants.{mutant.name}")
    assert module is not None and module.origin is not None
    first = Path(module.origin).read_text(encoding="utf-8").splitlines()[0]
    match = DOCSTRING.match(first)
    assert match, f"{mutant.name}: the first line is not 'Mutant: <bug>. Should fail <ID>.'"
    assert (match["bug"], match["id"]) == (mutant.bug, mutant.requirement)
    manifest = load_manifest(MANIFESTS / f"{mutant.name}.toml")
    assert sorted(manifest.roles) == [mutant.role]
    assert f"tests.mutants.{mutant.name}" in manifest.roles[mutant.role].argv
    assert mutant.role in property_of(mutant.requirement, mutant.role).applies_to()


def test_catalogue_covers_every_role_and_requirement() -> None:
    caught = [mutant for mutant in MUTANTS if mutant.name not in MISSED]
    assert {mutant.role for mutant in caught} == set(ROLES)
    assert {mutant.requirement for mutant in caught} == {r.id for r in REQUIREMENTS}
    names = [mutant.name for mutant in MUTANTS] + [mutant.name for mutant, _ in NOT_CATCHABLE]
    assert len(names) == len(set(names))
    assert set(MISSED) <= set(names)
    programs = {path.stem for path in MANIFESTS.glob("*.toml")}
    assert programs == set(names) | {name for name, _, _ in CONTROLS}
