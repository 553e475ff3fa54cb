"""The documents around SPEC.md hang together and stay informative.

Every relative link of README.md, SPEC.md and docs/*.md reaches a file, and a
heading when it names one; every "SPEC.md §N" in the documents and the code names
a section SPEC.md has; only SPEC.md states rules (the other documents name the
levels MUST and SHOULD, never use them); README's quick start links each role's
checklist and the other-language page; every document of docs/ is linked from
README.md; the ZeroMQ claims index names exactly the claims tests; the verdicts
table lists the model's outcomes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conformance.model import Outcome
from conformance.spec import ROLES
from tests.markdown_document import (
    CODE_SPAN,
    anchors,
    links,
    prose_lines,
    sections,
    slug,
    table,
    titled,
)

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "SPEC.md"
README = ROOT / "README.md"
DOCS = sorted(path for path in (ROOT / "docs").glob("*.md"))
DOCUMENTS = [README, SPEC, *DOCS]
SOURCES = sorted(
    path
    for folder in ("conformance", "reference", "tests", "bench")
    for path in (ROOT / folder).rglob("*.py")
)

SPEC_REFERENCE = re.compile(r"SPEC\.md,?\s+(?:section\s+)?§?(?P<number>[0-9]+(?:\.[0-9]+)?)\b")
"""How documents and code cite a section: ``SPEC.md §3.5``, ``SPEC.md 3.6``, ``SPEC.md
section 5``."""
KEYWORD = re.compile(r"\b(MUST|SHOULD|MAY|SHALL|REQUIRED|RECOMMENDED|OPTIONAL)\b")
NAMING_A_LEVEL = re.compile(
    r"\b(MUST|SHOULD)\b(?= requirements?\b| clauses?\b|/SHOULD\b)|(?<=MUST/)SHOULD\b"
    r"|(?<=RFC 23 )SHOULD\b"
)
"""Where a document names a level instead of stating a rule: "a MUST requirement", "MUST
clauses", "MUST/SHOULD", "RFC 23 SHOULD"."""


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("document", DOCUMENTS, ids=name)
def test_links_resolve(document: Path) -> None:
    broken = []
    for number, target in links(document):
        if re.match(r"^[a-z]+:", target):
            continue
        path_part, _, anchor = target.partition("#")
        path = (document.parent / path_part).resolve() if path_part else document
        if not path.exists():
            broken.append(f"line {number}: {target} (no such file)")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"line {number}: {target} (no heading #{anchor} in {path.name})")
    assert not broken, f"{name(document)}: broken links {broken}"


def spec_section_numbers() -> set[str]:
    numbers = set()
    for section in sections(SPEC):
        if match := re.match(r"^([0-9]+(?:\.[0-9]+)?)\.? ", section.title):
            numbers.add(match[1])
    return numbers


@pytest.mark.parametrize("source", [*DOCUMENTS, *SOURCES], ids=name)
def test_references_to_spec_sections_exist(source: Path) -> None:
    """A moved section leaves no citation behind: a citation of SPEC.md's old §4.0 fails."""
    known = spec_section_numbers()
    text = source.read_text(encoding="utf-8")
    stale = sorted({match["number"] for match in SPEC_REFERENCE.finditer(text)} - known)
    assert not stale, f"{name(source)} cites SPEC.md sections it no longer has: {stale}"


@pytest.mark.parametrize("document", [README, *DOCS], ids=name)
def test_only_spec_states_rules(document: Path) -> None:
    """Nothing normative lives only outside SPEC.md: other documents use no RFC 2119 key word
    but to name a level."""
    found = []
    for number, line in prose_lines(document):
        text = NAMING_A_LEVEL.sub("", CODE_SPAN.sub("", line))
        if KEYWORD.search(text):
            found.append(f"line {number}: {line.strip()}")
    assert not found, f"{name(document)} states rules; they belong in SPEC.md: {found}"


def test_quick_start_links_the_checklists_and_the_other_language_page() -> None:
    quick_start = " ".join(titled(README, "Quick start").body)
    for role in ROLES:
        (checklist,) = [s for s in sections(SPEC) if re.fullmatch(rf"2\.[0-9]+ `{role}`", s.title)]
        assert f"(SPEC.md#{slug(checklist.title)})" in quick_start, f"no link to {role}'s list"
    assert "(docs/implementing.md)" in quick_start


def test_readme_links_every_document() -> None:
    linked = {target.partition("#")[0] for _, target in links(README)}
    missing = [name(doc) for doc in DOCS if name(doc) not in linked]
    assert not missing, f"README.md does not link {missing}"


def test_spec_links_the_documents_it_leaves_things_to() -> None:
    linked = {target.partition("#")[0] for _, target in links(SPEC)}
    for document in ("procedure", "harness", "manifest", "verdicts", "cases", "deviations"):
        assert f"docs/{document}.md" in linked
    assert "docs/implementing.md" in linked


def claims_tests() -> set[str]:
    tree = ast.parse((ROOT / "tests" / "test_zeromq_claims.py").read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def test_zeromq_claims_index_names_exactly_the_claims_tests() -> None:
    index = ROOT / "docs" / "zeromq-claims.md"
    header, *rows = table(titled(index, "SPEC.md's ZeroMQ notes"))
    assert header == ["Note", "Claim", "Kind", "Requirements", "Tests"]
    listed = {test for row in rows for test in re.findall(r"`(test_\w+)`", row[4])}
    assert listed == claims_tests()
    notes = {
        part: set(re.findall(r"^- \*\*(.+?)\*\*", "\n".join(titled(SPEC, part).body), re.M))
        for part in ("A.1", "A.2")
    }
    for row in rows:
        for note in row[0].split(", "):
            part, _, title = note.partition(" ")
            assert title in notes[part], f"{note!r}: no such note in SPEC.md's Appendix A"


def test_verdicts_are_those_of_the_model() -> None:
    header, *rows = table(titled(ROOT / "docs" / "verdicts.md", "Verdicts"))
    assert header[0] == "Verdict"
    assert [row[0].strip("`") for row in rows] == [outcome.value for outcome in Outcome]
