"""SPEC.md says what the requirement registry and the reference say.

Every requirement of ``conformance.spec.REQUIREMENTS`` has exactly one
``### <ID>: <title>`` section, in registry order, whose ``**Level:**``,
``**Roles:**`` and ``**Source:**`` lines repeat the registry's; no heading
names an unknown ID; the index table agrees with the headings. The formats that
SPEC.md quotes (transcript lines, messages, error codes, command-line defaults,
verdicts) are checked against the code that produces them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance.model import Outcome
from conformance.spec import BY_ID, REQUIREMENTS, ROLES, Requirement
from reference import (
    broker,
    filer,
    filer_rep,
    filer_rep_cluster,
    filer_req,
    filer_req_loop,
    messages,
    watcher_pub,
    watcher_sub,
)

SPEC_PATH = Path(__file__).resolve().parent.parent / "SPEC.md"

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
ID_AT_START = re.compile(r"^([A-Z][A-Z0-9]*-[0-9]+)\b")
"""A heading that starts like a requirement ID claims to be one."""
REQUIREMENT_HEADING = re.compile(r"^(?P<id>[A-Z][A-Z0-9]*-[0-9]+): (?P<title>\S.*)$")
FIELD = re.compile(r"^\*\*(?P<name>Level|Roles|Source):\*\* (?P<value>.+)$")
PARTS = ("**How it is checked.**", "**ZeroMQ guarantees.**", "**Not guaranteed / not checked.**")

EXAMPLE_TIMESTAMP = 1795696126485
"""2026-11-26T12:28:46.485Z, the date of SPEC.md's examples."""


@dataclass(frozen=True)
class Section:
    """A heading and the lines under it, up to the next heading of the same or a higher level."""

    level: int
    title: str
    line: int
    body: tuple[str, ...]


@functools.cache
def sections() -> tuple[Section, ...]:
    """Every heading of SPEC.md with its body; fenced code blocks hold no headings."""
    found: list[tuple[int, str, int]] = []
    lines = SPEC_PATH.read_text(encoding="utf-8").splitlines()
    in_fence = False
    for number, line in enumerate(lines, start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        match = HEADING.match(line)
        if match and not in_fence:
            found.append((len(match.group(1)), match.group(2), number))
    result = []
    for index, (level, title, number) in enumerate(found):
        end = next((n for lv, _, n in found[index + 1 :] if lv <= level), len(lines) + 1)
        result.append(Section(level, title, number, tuple(lines[number : end - 1])))
    return tuple(result)


def requirement_sections() -> list[Section]:
    return [section for section in sections() if ID_AT_START.match(section.title)]


def heading_id(section: Section) -> str:
    """The requirement ID a heading starts with."""
    match = ID_AT_START.match(section.title)
    assert match is not None, section.title
    return match[1]


def section_of(requirement: Requirement) -> Section:
    found = [s for s in requirement_sections() if heading_id(s) == requirement.id]
    assert len(found) == 1, f"SPEC.md has {len(found)} sections '### {requirement.id}: ...'"
    return found[0]


def titled(prefix: str) -> Section:
    """The one section whose heading starts with PREFIX."""
    found = [section for section in sections() if section.title.startswith(prefix)]
    assert len(found) == 1, f"SPEC.md has {len(found)} sections titled {prefix!r}..."
    return found[0]


def table(section: Section) -> list[list[str]]:
    """The rows of the first table in SECTION (header row first), as stripped cells."""
    rows: list[list[str]] = []
    for line in section.body:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            rows.append(cells)
    assert rows, f"no table under {section.title!r}"
    return rows


def unquote(cell: str) -> str:
    return cell.strip("`")


def by_id(requirement: Requirement) -> str:
    return requirement.id


# The registry's requirements, one heading each, in order.


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_every_requirement_has_exactly_one_heading(requirement: Requirement) -> None:
    count = sum(heading_id(s) == requirement.id for s in requirement_sections())
    assert count == 1, f"{requirement.id}: {count} headings in SPEC.md, expected 1"


def test_no_heading_names_an_unknown_requirement() -> None:
    unknown = [
        f"line {s.line}: {s.title}" for s in requirement_sections() if heading_id(s) not in BY_ID
    ]
    assert not unknown, f"headings with ids unknown to conformance/spec.py: {unknown}"


def test_requirement_headings_are_level_3_with_a_title() -> None:
    malformed = [
        f"line {s.line}: {'#' * s.level} {s.title}"
        for s in requirement_sections()
        if s.level != 3 or not REQUIREMENT_HEADING.match(s.title)
    ]
    assert not malformed, f"requirement headings must read '### <ID>: <title>': {malformed}"


def test_requirement_headings_follow_registry_order() -> None:
    in_document = [heading_id(s) for s in requirement_sections()]
    assert in_document == [requirement.id for requirement in REQUIREMENTS]


# Each requirement's section repeats the registry and has every part.


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_section_fields_match_registry(requirement: Requirement) -> None:
    fields: dict[str, list[str]] = {}
    for line in section_of(requirement).body:
        match = FIELD.match(line)
        if match:
            fields.setdefault(match["name"], []).append(match["value"].strip())
    assert fields == {
        "Level": [requirement.level.name],
        "Roles": [", ".join(requirement.roles)],
        "Source": [requirement.source],
    }


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_section_states_one_normative_sentence(requirement: Requirement) -> None:
    body = section_of(requirement).body
    first = next(line for line in body if line.strip())
    quoted = [line for line in body if line.startswith(">")]
    assert first.startswith("> "), "the section must open with the requirement as a blockquote"
    assert quoted == [first], "the requirement is one blockquote line"
    assert re.search(rf"\b{requirement.level.name}\b", first), (
        f"a {requirement.level.name} requirement must say {requirement.level.name}"
    )
    if requirement.level.name == "SHOULD":
        assert "MUST" not in first


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_section_has_every_part(requirement: Requirement) -> None:
    body = section_of(requirement).body
    counts = {part: sum(line.strip() == part for line in body) for part in PARTS}
    assert counts == dict.fromkeys(PARTS, 1)


def test_index_table_matches_headings_and_registry() -> None:
    header, *rows = table(titled("4.1 Index"))
    assert header == ["ID", "Level", "Roles", "Title"]
    titles = {
        match["id"]: match["title"]
        for match in (REQUIREMENT_HEADING.match(s.title) for s in requirement_sections())
        if match
    }
    expected = [
        [r.id, r.level.name, ", ".join(r.roles), titles.get(r.id, "?")] for r in REQUIREMENTS
    ]
    assert rows == expected


# What SPEC.md quotes from the reference and the model.


def test_roles_table_lists_every_role_with_the_reference_command_line() -> None:
    commands = {
        "watcher-pub": (watcher_pub, ["FILE", f"[--bind {watcher_pub.DEFAULT_BIND}]"]),
        "watcher-sub": (watcher_sub, [f"[--connect {watcher_sub.DEFAULT_CONNECT}]"]),
        "filer-rep": (filer_rep, [f"[--bind {filer_rep.DEFAULT_BIND} ", "[--root DIR]"]),
        "filer-req": (filer_req, ["FILE", f"[--connect {filer_req.DEFAULT_CONNECT}]"]),
        "filer-req-loop": (
            filer_req_loop,
            [
                "FILE",
                f"[--count {filer_req_loop.DEFAULT_COUNT}]",
                f"[--connect {filer_req.DEFAULT_CONNECT}]",
            ],
        ),
        "broker": (
            broker,
            [f"[--frontend {broker.DEFAULT_FRONTEND}]", f"[--backend {broker.DEFAULT_BACKEND}]"],
        ),
        "filer-rep-cluster": (
            filer_rep_cluster,
            [
                f"[--bind {filer_rep_cluster.DEFAULT_BIND}]",
                f"[--backend {filer_rep_cluster.DEFAULT_BACKEND}]",
                f"[--workers {filer_rep_cluster.DEFAULT_WORKERS}]",
                "[--root DIR]",
            ],
        ),
    }
    header, *rows = table(titled("2. Roles"))
    assert header[:4] == ["Role", "Module", "Pattern", "Command line (defaults)"]
    assert [unquote(row[0]) for row in rows] == list(ROLES)
    for row in rows:
        module, arguments = commands[unquote(row[0])]
        assert unquote(row[1]) == module.__name__
        for argument in arguments:
            assert argument in row[3], f"{row[0]}: {argument!r} missing from {row[3]!r}"


def test_transcript_lines_are_those_the_reference_prints() -> None:
    pid, code, number = 424242, 171717, 313131
    lines = [
        messages.READY_PUB,
        messages.READY_REP,
        messages.broker_ready_line("<frontend>", "<backend>"),
        messages.changed_line("target.txt", EXAMPLE_TIMESTAMP),
        messages.sending_line("<file>"),
        messages.sending_numbered_line(number, "<file>").replace(str(number), "<i>"),
        messages.received_line(b"<reply>"),
        messages.worker_online_line(pid).replace(str(pid), "<pid>"),
        messages.worker_exited_line(pid, code)
        .replace(str(pid), "<pid>")
        .replace(str(code), "<code>"),
    ]
    text = SPEC_PATH.read_text(encoding="utf-8")
    missing = [line for line in lines if f"`{line}`" not in text]
    assert not missing, f"SPEC.md does not quote these transcript lines: {missing}"


def test_message_examples_are_those_the_reference_sends() -> None:
    body = "\n".join(titled("3.2 Change message").body + titled("3.3 File request").body)
    assert messages.changed("target.txt", EXAMPLE_TIMESTAMP).decode() in body
    assert messages.file_request("target.txt").decode() in body


def test_error_codes_are_those_of_the_reference_filer() -> None:
    source = Path(filer.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'FilerError\(\s*"([a-z0-9_]+)"', source))
    section = titled("3.5 Error reply")
    header, *rows = table(section)
    assert header[0] == "Code"
    documented = [unquote(row[0]) for row in rows]
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert set(documented) == raised
    assert str(filer.DEFAULT_MAX_SIZE) in "\n".join(section.body)


def test_verdicts_are_those_of_the_model() -> None:
    header, *rows = table(titled("8. Verdicts"))
    assert header[0] == "Verdict"
    assert [unquote(row[0]) for row in rows] == [outcome.value for outcome in Outcome]
