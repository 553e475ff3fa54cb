"""The clause registry (conformance/clauses.py) is consistent with SPEC.md, the requirements and
the mutants: every MUST clause has a mutant or a reason why it cannot, every mutant names
clauses that exist, every requirement has its clauses. No processes."""

from __future__ import annotations

import re

import pytest

from conformance.clauses import BY_ID, CLAUSES, NOT_SPECIFIED, Clause, clauses_of
from conformance.spec import BY_ID as REQUIREMENTS_BY_ID
from conformance.spec import REQUIREMENTS, Level, Requirement
from tests.mutants import clause_table
from tests.mutants.catalogue import MUTANTS, Mutant
from tests.test_spec_document import sections

ID = re.compile(r"^(?P<section>[A-Z]+-[0-9]+|FMT-3\.[0-9]+|LIFECYCLE-5)\.(?P<letter>[a-z])$")
NORMATIVE = re.compile(r"\b(MUST|SHOULD)\b")


def section_of(clause: Clause) -> str:
    """The section an ID names: REQREP-1.c -> REQREP-1, FMT-3.5.d -> 3.5, LIFECYCLE-5.j -> 5."""
    match = ID.match(clause.id)
    assert match, (
        f"{clause.id}: not <requirement>.<letter>, FMT-3.<n>.<letter> or LIFECYCLE-5.<letter>"
    )
    section = match["section"]
    return section.removeprefix("FMT-").removeprefix("LIFECYCLE-")


def test_ids_are_unique_and_name_their_section() -> None:
    assert len(BY_ID) == len(CLAUSES)
    for clause in CLAUSES:
        assert section_of(clause) == clause.section, clause.id


def test_letters_increase_within_a_section() -> None:
    seen: dict[str, list[str]] = {}
    for clause in CLAUSES:
        seen.setdefault(clause.section, []).append(clause.id.rsplit(".", 1)[1])
    for section, letters in seen.items():
        assert letters == sorted(letters), f"{section}: {letters}"


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda r: r.id)
def test_every_requirement_has_its_clauses(requirement: Requirement) -> None:
    """At least one clause at the requirement's level; a SHOULD requirement has no MUST."""
    levels = {clause.level for clause in clauses_of(requirement.id)}
    assert requirement.level in levels, f"{requirement.id} has no {requirement.level.name} clause"
    if requirement.level is Level.SHOULD:
        assert Level.MUST not in levels


def test_every_section_with_a_normative_sentence_has_clauses() -> None:
    """§3.x and §5 (and each requirement) say MUST or SHOULD only where clauses are; and every
    clause's section is one of SPEC.md's."""
    found = set()
    for section in sections():
        title = section.title
        key = None
        if re.match(r"^3\.[0-9]+ ", title):
            key = title.split()[0]
        elif title.startswith("5. "):
            key = "5"
        elif re.match(r"^[A-Z]+-[0-9]+: ", title):
            key = title.split(":")[0]
        if key is None:
            continue
        found.add(key)
        if NORMATIVE.search("\n".join(section.body)):
            assert clauses_of(key), f"SPEC.md {title!r} has a normative sentence and no clause"
    assert {clause.section for clause in CLAUSES} <= found


@pytest.mark.parametrize("clause", CLAUSES, ids=lambda c: c.id)
def test_clause_names_known_requirements_and_is_covered_or_explained(clause: Clause) -> None:
    assert clause.text.strip()
    assert set(clause.exercised_by) <= set(REQUIREMENTS_BY_ID), clause.exercised_by
    if not clause.exercised_by:
        assert clause.unexercised, f"{clause.id}: nothing exercises it and no reason is given"
    if clause.level is Level.MUST:
        assert clause_table.mutants_of(clause) or clause.unexercised, (
            f"{clause.id}: a MUST clause needs a mutant (tests/mutants) or the reason why "
            "nothing can exercise it"
        )


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_names_clauses_its_requirement_exercises(mutant: Mutant) -> None:
    """Each mutant breaks at least one clause, every one of them known, and one of them is
    exercised by the requirement the suite must fail it on."""
    assert mutant.clauses, f"{mutant.name}: name the clauses it breaks"
    unknown = [clause for clause in mutant.clauses if clause not in BY_ID]
    assert not unknown, f"{mutant.name}: unknown clauses {unknown}"
    assert any(mutant.requirement in BY_ID[clause].exercised_by for clause in mutant.clauses), (
        f"{mutant.name}: none of its clauses is exercised by {mutant.requirement}"
    )


def test_not_specified_is_said_in_its_section() -> None:
    for item in NOT_SPECIFIED:
        (section,) = [s for s in sections() if s.title.startswith(f"{item.section}:")]
        assert "not specified" in "\n".join(section.body), item.id
        assert item.reason


def test_coverage_rows_and_totals() -> None:
    """caught when one of a clause's mutants was, missed when none was, none without mutants."""
    table = clause_table.rows({"filer_truncates": True, "filer_crlf_big": False})
    by_id = {row["clause"]: row for row in table}
    assert by_id["FMT-3.4.a"]["verdict"] == clause_table.CAUGHT
    assert by_id["FMT-3.1.c"]["verdict"] == clause_table.MISSED  # filer_pretty_reply not run
    assert by_id["LIFECYCLE-5.b"]["verdict"] == clause_table.NONE  # a SHOULD: no mutant
    assert by_id["LIFECYCLE-5.b"]["unexercised"]
    # every MUST clause has a mutant; LIFECYCLE-5.e's goes unexercised without a subreaper
    assert by_id["LIFECYCLE-5.e"]["verdict"] == clause_table.MISSED  # cluster_exits_unreaped
    assert "child subreaper" in by_id["LIFECYCLE-5.e"]["unexercised"]
    # FMT-3.5.h has a mutant; it goes unexercised only as root without the means to deny opens
    assert by_id["FMT-3.5.h"]["verdict"] == clause_table.MISSED  # filer_denied_not_found not run
    assert "fanotify permission events" in by_id["FMT-3.5.h"]["unexercised"]
    counts = clause_table.totals(table)
    must = sum(clause.level is Level.MUST for clause in CLAUSES)
    assert counts["MUST clauses"] == must
    assert counts["MUST caught"] == 2  # FMT-3.4.a, REQREP-1.c
    text = "\n".join(clause_table.render(table))
    assert f"MUST clauses: {must}, covered and caught: 2," in text
    assert counts["MUST none"] == 0
    assert "  LIFECYCLE-5.e: missed: cluster_exits_unreaped" in text
    assert "  FMT-3.5.h: missed: filer_denied_not_found" in text
    denied = {row["clause"]: row for row in clause_table.rows({"filer_denied_not_found": True})}
    assert denied["FMT-3.5.h"]["verdict"] == clause_table.CAUGHT
    assert "REQREP-7:responder-restart" in text
