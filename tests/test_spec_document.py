"""SPEC.md says what the registries and the reference say, and only SPEC.md is normative.

SPEC.md is the contract: at most 30 KB; its RFC 2119 words only in numbered
statements, whose clause IDs are exactly those of ``conformance.clauses.CLAUSES``
(same level, same section, same order, both ways); one ``#### <ID>: <title>``
per requirement of ``conformance.spec.REQUIREMENTS``, in registry order, grouped
by role, each with its description, expectation and the property and checker
that judge it; a checklist per role listing exactly the requirements that apply
to it. The formats it quotes (transcript lines, messages, error codes, command
lines) are checked against the reference that produces them.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance.clauses import BY_ID as CLAUSES_BY_ID
from conformance.clauses import CLAUSES, Clause
from conformance.properties import cluster, lifecycle
from conformance.properties.registry import property_for
from conformance.spec import BY_ID, REQUIREMENTS, ROLES, SERVERS, Level, Requirement
from reference import (
    filer,
    messages,
)
from tests import markdown_document
from tests.markdown_document import CODE_SPAN, FENCE, HEADING, Section, table

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "SPEC.md"
MAX_BYTES = 30_000
"""SPEC.md's size limit: what one reads in one sitting (issue 12)."""

ID_AT_START = re.compile(r"^([A-Z][A-Z0-9]*-[0-9]+)\b")
"""A heading that starts like a requirement ID claims to be one."""
REQUIREMENT_HEADING = re.compile(r"^(?P<id>[A-Z][A-Z0-9]*-[0-9]+): (?P<title>\S.*)$")
KEYWORD = re.compile(r"\b(MUST|SHOULD|MAY|SHALL|REQUIRED|RECOMMENDED|OPTIONAL)\b")
"""RFC 2119's key words, in capitals (RFC 8174: only capitals are key words)."""
LIST_STATEMENT = re.compile(r"^- \*\*\[(?P<ids>[^\]]+)\]\*\* (?P<text>.*)$")
ROW_STATEMENT = re.compile(
    r"^\| \*\*\[(?P<ids>[^\]]+)\]\*\* (?P<level>MUST|SHOULD) \|(?P<text>.*)$"
)
CLAUSE_RANGE = re.compile(r"^(?P<stem>.+)\.(?P<first>[a-z])(?:\N{EN DASH}(?P<last>[a-z]))?$")

EXAMPLE_TIMESTAMP = 1795696126485
"""2026-11-26T12:28:46.485Z, the date of SPEC.md's examples."""


def spec_lines() -> list[str]:
    return SPEC_PATH.read_text(encoding="utf-8").splitlines()


@functools.cache
def sections() -> tuple[Section, ...]:
    """Every heading of SPEC.md with its body (tests/test_clauses.py reads them too)."""
    return markdown_document.sections(SPEC_PATH)


def titled(prefix: str) -> Section:
    """The one section whose heading starts with PREFIX."""
    found = [section for section in sections() if section.title.startswith(prefix)]
    assert len(found) == 1, f"SPEC.md has {len(found)} sections titled {prefix!r}..."
    return found[0]


def requirement_sections() -> list[Section]:
    return [section for section in sections() if ID_AT_START.match(section.title)]


def heading_id(section: Section) -> str:
    match = ID_AT_START.match(section.title)
    assert match is not None, section.title
    return match[1]


def section_of(requirement: Requirement) -> Section:
    found = [s for s in requirement_sections() if heading_id(s) == requirement.id]
    assert len(found) == 1, f"SPEC.md has {len(found)} sections '#### {requirement.id}: ...'"
    return found[0]


def unquote(cell: str) -> str:
    return cell.strip("`")


def by_id(requirement: Requirement) -> str:
    return requirement.id


# Numbered statements and their clauses.


@dataclass(frozen=True)
class Statement:
    """One numbered statement of SPEC.md: its clause IDs, its text, where it is."""

    ids: tuple[str, ...]
    text: str
    line: int
    section: str
    """The clause section it lies in: a requirement ID, ``3.1`` .. ``3.6``, ``5``, or ``''``."""


def expand(ids: str) -> tuple[str, ...]:
    """``REQREP-1.a\N{EN DASH}c FMT-3.1.d`` -> every clause ID it stands for, in order."""
    found: list[str] = []
    for token in ids.split():
        match = CLAUSE_RANGE.match(token)
        assert match, f"not a clause ID or range: {token!r}"
        last = match["last"] or match["first"]
        assert match["first"] <= last, token
        found += [f"{match['stem']}.{chr(c)}" for c in range(ord(match["first"]), ord(last) + 1)]
    return tuple(found)


def clause_section(heading: str) -> str | None:
    """The clause section a heading opens: ``3.1``, ``5``, ``REQREP-1``; None for others."""
    if match := re.match(r"^(3\.[0-9]+) ", heading):
        return match[1]
    if heading.startswith("5. "):
        return "5"
    if match := REQUIREMENT_HEADING.match(heading):
        return match["id"]
    return None


@functools.cache
def statements_and_rest() -> tuple[tuple[Statement, ...], tuple[tuple[int, str], ...]]:
    """SPEC.md split into its numbered statements and every other line (numbered), fenced code
    left out: a list item that begins with clause IDs runs on over its indented lines; a table
    row that begins with them is one statement."""
    found: list[Statement] = []
    rest: list[tuple[int, str]] = []
    lines = spec_lines()
    where, in_fence, index = "", False, 0
    while index < len(lines):
        line, number = lines[index], index + 1
        index += 1
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if heading := HEADING.match(line):
            level, title = len(heading[1]), heading[2]
            opened = clause_section(title)
            if opened is not None:
                where = opened
            elif level <= 3:
                where = ""
            rest.append((number, line))
            continue
        if match := LIST_STATEMENT.match(line):
            text = match["text"]
            while index < len(lines) and lines[index].startswith("  "):
                text += " " + lines[index].strip()
                index += 1
            found.append(Statement(expand(match["ids"]), text, number, where))
        elif match := ROW_STATEMENT.match(line):
            found.append(
                Statement(expand(match["ids"]), f"{match['level']} {match['text']}", number, where)
            )
        else:
            rest.append((number, line))
    return tuple(found), tuple(rest)


def statements() -> tuple[Statement, ...]:
    return statements_and_rest()[0]


def levels_of(text: str) -> set[Level]:
    """The levels TEXT's key words state, code spans aside: MUST (NOT), SHOULD (NOT)."""
    words = set(KEYWORD.findall(CODE_SPAN.sub("", text)))
    return {level for level in Level if level.name in words}


def test_spec_fits_in_one_sitting() -> None:
    size = len(SPEC_PATH.read_bytes())
    assert size <= MAX_BYTES, f"SPEC.md is {size} bytes; it must stay within {MAX_BYTES}"


def test_key_words_appear_only_in_numbered_statements() -> None:
    """Outside numbered statements and code, no RFC 2119 key word: a MUST without a clause ID
    is a rule the registry does not know."""
    loose = [
        f"line {number}: {line.strip()}"
        for number, line in statements_and_rest()[1]
        if KEYWORD.search(CODE_SPAN.sub("", line))
    ]
    assert not loose, f"key words outside numbered statements: {loose}"


def test_every_statement_has_one_level_and_its_clauses_have_it() -> None:
    for statement in statements():
        levels = levels_of(statement.text)
        assert len(levels) == 1, (
            f"line {statement.line}: a statement states one level (MUST or SHOULD), "
            f"this one {sorted(level.name for level in levels)}"
        )
        (level,) = levels
        for clause_id in statement.ids:
            clause = CLAUSES_BY_ID.get(clause_id)
            assert clause is not None, f"line {statement.line}: {clause_id} is not in clauses.py"
            assert clause.level is level, (
                f"line {statement.line}: {clause_id} is {clause.level.name} in clauses.py, "
                f"{level.name} here"
            )
            assert clause.section == statement.section, (
                f"line {statement.line}: {clause_id} belongs to section {clause.section!r} "
                f"(clauses.py), not {statement.section!r}"
            )


def test_clauses_and_statements_agree_both_ways() -> None:
    """Every clause of the registry is in exactly one statement, in the registry's order,
    and every statement's IDs are the registry's."""
    in_spec = [clause_id for statement in statements() for clause_id in statement.ids]
    assert in_spec == [clause.id for clause in CLAUSES]


@pytest.mark.parametrize("clause", CLAUSES, ids=lambda c: c.id)
def test_clause_is_stated_in_spec(clause: Clause) -> None:
    holders = [s for s in statements() if clause.id in s.ids]
    assert len(holders) == 1, f"{clause.id}: in {len(holders)} statements of SPEC.md"


# The requirements: one heading each, in registry order, grouped by role.


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_every_requirement_has_exactly_one_heading(requirement: Requirement) -> None:
    count = sum(heading_id(s) == requirement.id for s in requirement_sections())
    assert count == 1, f"{requirement.id}: {count} headings in SPEC.md, expected 1"


def test_no_heading_names_an_unknown_requirement() -> None:
    unknown = [
        f"line {s.line}: {s.title}" for s in requirement_sections() if heading_id(s) not in BY_ID
    ]
    assert not unknown, f"headings with ids unknown to conformance/spec.py: {unknown}"


def test_requirement_headings_are_level_4_with_a_title() -> None:
    malformed = [
        f"line {s.line}: {'#' * s.level} {s.title}"
        for s in requirement_sections()
        if s.level != 4 or not REQUIREMENT_HEADING.match(s.title)
    ]
    assert not malformed, f"requirement headings must read '#### <ID>: <title>': {malformed}"


def test_requirement_headings_follow_registry_order() -> None:
    in_document = [heading_id(s) for s in requirement_sections()]
    assert in_document == [requirement.id for requirement in REQUIREMENTS]


def group_roles(title: str) -> set[str]:
    """The roles a §4 group heading names (``Every server``: the server roles)."""
    if "Every server" in title:
        return set(SERVERS)
    return set(re.findall(r"`([a-z-]+)`", title))


def test_requirements_are_grouped_by_role() -> None:
    """Each requirement sits under a ``### 4.n`` heading that names every role it applies to."""
    groups = [s for s in sections() if s.level == 3 and re.match(r"^4\.[0-9]+ ", s.title)]
    assert groups, "§4 has no groups"
    placed = []
    for group in groups:
        roles = group_roles(group.title)
        for line in group.body:
            match = HEADING.match(line)
            if match and (found := REQUIREMENT_HEADING.match(match[2])):
                requirement = BY_ID[found["id"]]
                assert set(requirement.roles) <= roles, (
                    f"{requirement.id} applies to {requirement.roles}, not only to the roles "
                    f"of {group.title!r}"
                )
                placed.append(requirement.id)
    assert placed == [requirement.id for requirement in REQUIREMENTS]


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_requirement_opens_with_its_sentence_at_its_level(requirement: Requirement) -> None:
    """The first statement is the requirement's sentence, at the requirement's level; a
    SHOULD requirement states no MUST."""
    mine = [s for s in statements() if s.section == requirement.id]
    assert mine, f"{requirement.id} has no numbered statement"
    assert levels_of(mine[0].text) == {requirement.level}
    first_line = next(line for line in section_of(requirement).body if line.strip())
    assert LIST_STATEMENT.match(first_line), "the section must open with its statement"
    if requirement.level is Level.SHOULD:
        assert all(levels_of(s.text) == {Level.SHOULD} for s in mine)


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_requirement_has_description_and_expectation(requirement: Requirement) -> None:
    """Autobahn's manner: one line of description, one of expectation."""
    body = section_of(requirement).body
    for label in ("*Description:* ", "*Expectation:* "):
        found = [line for line in body if line.startswith(label)]
        assert len(found) == 1, f"{requirement.id}: {len(found)} lines starting {label!r}"
        assert len(found[0]) > len(label) + 10, f"{requirement.id}: {label} says nothing"


CHECKED_BY = re.compile(
    r"\[`(?P<prop>\w+)`\]\((?P<prop_path>conformance/properties/\w+\.py)\) →\s+"
    r"\[`(?P<check>\w+)`\]\((?P<check_path>conformance/checks/\w+\.py)\)"
)


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_requirement_links_its_property_and_checker(requirement: Requirement) -> None:
    """The property named is the registry's for the requirement, in the file linked; the
    checker is defined in the file linked and used by the property's module."""
    body = " ".join(section_of(requirement).body)
    found = CHECKED_BY.findall(body)
    assert len(found) == 1, f"{requirement.id}: no '[`Property`](...) → [`checker`](...)' link"
    ((prop_name, prop_path, check_name, check_path),) = found
    prop = property_for(requirement.id)
    assert prop.__name__ == prop_name
    module_file = Path(prop.__module__.replace(".", "/") + ".py")
    assert module_file == Path(prop_path), f"{prop_name} lives in {module_file}"
    checks_source = (ROOT / check_path).read_text(encoding="utf-8")
    assert re.search(rf"^def {check_name}\(", checks_source, re.M), (
        f"{check_name} not in {check_path}"
    )
    assert re.search(rf"\b{check_name}\b", (ROOT / prop_path).read_text(encoding="utf-8")), (
        f"{prop_path} does not use {check_name}"
    )


# The per-role checklists of §2.


def checklist(role: str) -> Section:
    found = [
        s for s in sections() if s.level == 3 and re.fullmatch(rf"2\.[0-9]+ `{role}`", s.title)
    ]
    assert len(found) == 1, f"SPEC.md has {len(found)} checklists for {role}"
    return found[0]


def test_checklists_follow_the_roles() -> None:
    titles = [s.title for s in sections() if s.level == 3 and re.match(r"^2\.[0-9]+ ", s.title)]
    assert titles == [f"2.{n} `{role}`" for n, role in enumerate(ROLES, start=1)]


def listed_requirements(cell: str) -> list[str]:
    """``LIFE-1, REQREP-1 to REQREP-4; PUBSUB-5 (recommended)`` -> every ID, ranges expanded,
    with ``(recommended)`` kept on the ID it follows."""
    found: list[str] = []
    for item in re.split(r"[,;] ", cell.rstrip(".")):
        recommended = item.endswith(" (recommended)")
        item = item.removesuffix(" (recommended)")
        if match := re.fullmatch(r"([A-Z]+)-([0-9]+) to \1-([0-9]+)", item):
            ids = [f"{match[1]}-{n}" for n in range(int(match[2]), int(match[3]) + 1)]
        else:
            ids = [item]
        found += [f"{i} (recommended)" if recommended else i for i in ids]
    return found


@pytest.mark.parametrize("role", ROLES)
def test_checklist_fits_one_screen_and_lists_the_roles_requirements(role: str) -> None:
    """A role's first screen says what to print and send, what to do on SIGTERM, and which
    requirements apply: exactly those of the registry, the SHOULD ones marked."""
    body = [line for line in checklist(role).body if line.strip()]
    assert len(body) <= 20, f"{role}: {len(body)} lines, more than a screen"
    items: list[str] = []
    for line in body:
        if line.startswith("- "):
            items.append(line[2:])
        elif items:
            items[-1] += " " + line.strip()
    assert any(item.startswith("**SIGTERM") for item in items), f"{role}: nothing on SIGTERM"
    (line,) = [item for item in items if item.startswith("**Requirements**: ")]
    listed = listed_requirements(line.removeprefix("**Requirements**: ").strip())
    expected = [
        r.id + (" (recommended)" if r.level is Level.SHOULD else "")
        for r in REQUIREMENTS
        if role in r.roles
    ]
    assert sorted(listed) == sorted(expected)


@pytest.mark.parametrize("role", SERVERS)
def test_server_checklist_quotes_its_ready_line(role: str) -> None:
    ready = {
        "watcher-pub": messages.READY_PUB,
        "filer-rep": messages.READY_REP,
        "broker": messages.broker_ready_line("<frontend>", "<backend>"),
        "filer-rep-cluster": messages.READY_REP,
    }[role]
    assert f"`{ready}`" in " ".join(checklist(role).body)


# What SPEC.md quotes from the reference.


REFERENCE_MANIFEST = ROOT / "conformance" / "manifests" / "reference.toml"
SHOWN_OPTION = re.compile(r"(--[a-z][a-z-]*) ([^\]\s|\\]+)")
"""An option and its value in a command line of SPEC.md: ``--bind tcp://127.0.0.1:5433``."""
HELP_DEFAULT = re.compile(r"^\s+(--[a-z][a-z-]*) \S+\s.*\(default: ([^)\s]+)\)$", re.MULTILINE)
"""An option of ``--help`` with the default it states: ``--count COUNT  ... (default: 3)``."""


def roles_table() -> dict[str, str]:
    """SPEC.md §2's table: each role's reference command line."""
    header, *rows = table(titled("2. Roles"))
    assert header == ["Role", "Pattern", "Reference command line (defaults)"]
    return {unquote(row[0]): unquote(row[2]) for row in rows}


def test_roles_table_lists_every_role() -> None:
    assert list(roles_table()) == list(ROLES)


@functools.cache
def reference_help(module: str) -> str:
    """What ``python -m MODULE --help`` prints, one line per option."""
    environment = dict(os.environ, COLUMNS="1000", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=30,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("role", ROLES)
def test_roles_table_gives_the_reference_command_line(role: str) -> None:
    """The row names the module the reference manifest runs, every option the manifest passes,
    FILE where the role takes one, and as each option's value the default its --help states."""
    argv = tomllib.loads(REFERENCE_MANIFEST.read_text())["roles"][role]["argv"]
    module = argv[argv.index("-m") + 1]
    command = roles_table()[role]
    assert command.startswith(f"python -m {module} "), command
    assert ("{file}" in argv) == (" FILE " in f"{command} "), command
    for option in (argument for argument in argv if argument.startswith("--")):
        assert f"{option} " in command, f"{role}: {option} (given by the manifest) is not shown"
    defaults = dict(HELP_DEFAULT.findall(reference_help(module)))
    for option, value in SHOWN_OPTION.findall(command):
        if not value.isupper():  # FILE, DIR, EP stand for a value; others are defaults
            assert defaults.get(option) == value, (
                f"{role}: SPEC.md shows {option} {value}; {module} --help says {defaults}"
            )


def test_transcript_lines_are_those_the_reference_prints() -> None:
    pid, code, number = 424242, 171717, 313131
    lines = [
        messages.READY_PUB,
        messages.READY_REP,
        messages.broker_ready_line("<frontend>", "<backend>"),
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
    changed = messages.changed_line("target.txt", EXAMPLE_TIMESTAMP)
    date = changed.removeprefix("File 'target.txt' changed at ")
    assert f"`{date}`" in "\n".join(titled("3.6 Transcript lines").body)


def test_message_examples_are_those_the_reference_sends() -> None:
    body = "\n".join(titled("3.2 Change message").body + titled("3.3 File request").body)
    assert messages.changed("target.txt", EXAMPLE_TIMESTAMP).decode() in body
    assert messages.file_request("target.txt").decode() in body


def test_error_codes_are_those_of_the_reference_filer() -> None:
    source = Path(filer.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'FilerError\(\s*"([a-z0-9_]+)"', source))
    section = titled("3.5 Error reply")
    header, *rows = table(section)
    assert header[:2] == ["Clause", "Code"]
    documented = [unquote(row[1]) for row in rows if row[1]]
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert set(documented) == raised
    assert str(filer.DEFAULT_MAX_SIZE) in "\n".join(section.body)


def statement_of(requirement_id: str) -> str:
    """The requirement's sentence: its first numbered statement."""
    return next(s.text for s in statements() if s.section == requirement_id)


def test_bounds_in_requirement_sentences_are_the_codes() -> None:
    """The few numbers that are normative (they are in the sentences) are what the harness
    holds implementations to."""
    secs = "{:g} s".format
    for requirement_id, phrase in (
        ("LIFE-2", f"exit with status 0 within {secs(lifecycle.STOP_TIMEOUT)},"),
        ("CLUSTER-2", f"of N ≥ {cluster.PER_WORKER[0]}·W requests"),
        ("CLUSTER-4", f"none remains {secs(cluster.Stopped.gone_within)} after the master"),
        ("CLUSTER-5", f"on their own within {secs(cluster.Orphans.gone_within)}."),
    ):
        assert phrase in statement_of(requirement_id), f"{requirement_id}: {phrase!r}"
