"""SPEC.md says what the requirement registry and the reference say.

Every requirement of ``conformance.spec.REQUIREMENTS`` has exactly one
``### <ID>: <title>`` section, in registry order, whose ``**Level:**``,
``**Roles:**`` and ``**Source:**`` lines repeat the registry's; no heading
names an unknown ID; the index table agrees with the headings. The formats that
SPEC.md quotes (transcript lines, messages, error codes, command-line defaults,
verdicts) are checked against the code that produces them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance import deadlines
from conformance.checks.messages import TRANSCRIPT_PATTERNS, WINDOW_AFTER_MS, WINDOW_BEFORE_MS
from conformance.checks.reqrep import BAD_REQUESTS, SERVABLE
from conformance.model import Outcome
from conformance.properties import Property, cluster, lifecycle, pubsub, reqrep, requesters
from conformance.properties import broker as broker_property
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


# What SPEC.md repeats from the harness's code: one source each, compared here.


def test_transcript_regexes_are_the_checkers() -> None:
    """§3.6's regex list is TRANSCRIPT_PATTERNS, name for name, character for character."""
    body = titled("3.6 Transcript lines").body
    start = next(i for i, line in enumerate(body) if line.startswith("```text"))
    end = next(i for i in range(start + 1, len(body)) if body[i].startswith("```"))
    documented = dict(line.split(maxsplit=1) for line in body[start + 1 : end])
    assert documented == {name: regex.pattern for name, regex in TRANSCRIPT_PATTERNS.items()}


def split_items(cell: str) -> list[str]:
    """A table cell's items, separated by '; ' outside parentheses and backticks."""
    items, depth, quoted, current = [], 0, False, ""
    for index, char in enumerate(cell):
        if char == "`":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and cell[index : index + 2] == "; ":
            items.append(current.strip())
            current = ""
            continue
        current += char
    return [*items, current.strip()] if current.strip() else items


def test_bad_request_kinds_table_is_the_checkers() -> None:
    """REQREP-3's table lists exactly the kinds of BAD_REQUESTS, each under its code ("any":
    None), and every code is one of §3.5's."""
    header, *rows = table(section_of(BY_ID["REQREP-3"]))
    assert header == ["Code", "Kinds (what is sent)"]
    documented: dict[str, str | None] = {}
    for code_cell, kinds_cell in rows:
        code = None if code_cell == "any" else unquote(code_cell)
        for item in split_items(kinds_cell):
            match = re.match(r"`([a-z0-9-]+)`", item)
            assert match, f"REQREP-3, row {code_cell}: {item!r} does not start with a `kind`"
            assert match[1] not in documented, f"kind {match[1]!r} is listed twice"
            documented[match[1]] = code
    assert documented == BAD_REQUESTS
    codes = {unquote(row[0]) for row in table(titled("3.5 Error reply"))[1:]}
    assert {code for code in BAD_REQUESTS.values() if code} <= codes


EN_DASH = "\N{EN DASH}"
"""SPEC.md writes ranges of years and of characters with it."""


def span(values: tuple[int, int]) -> str:
    return f"{values[0]}..{values[1]}"


def secs(seconds: float) -> str:
    return f"{seconds:g} s"


def year(milliseconds: int) -> int:
    return dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.UTC).year


READY_TIMEOUT: float = deadlines.READY_TIMEOUT
WINDOW = (
    f"from {secs(WINDOW_BEFORE_MS / 1000)} before the case began to "
    f"{secs(WINDOW_AFTER_MS / 1000)} after its last event"
)
"""How the REQ/REP requirements state the window of a reply's timestamp."""
WORDS = {0: "no", 1: "one", 2: "two", 3: "three"}
WORKERS = f"`{{workers}}` = {reqrep.CLUSTER_WORKERS}"

FACTS: dict[str, tuple[str, ...]] = {
    "LIFE-1": (
        f"deadline {secs(READY_TIMEOUT)}",
        f"no answer within {secs(deadlines.CONNECT_TIMEOUT)}",
        f"its reply awaited {secs(deadlines.REPLY_TIMEOUT)}",
        f"the watcher's probe {secs(deadlines.PROBE_TIMEOUT)}",
        f"one frame of {span(lifecycle.PAYLOAD_SIZE)} random bytes",
        WORKERS,
    ),
    "LIFE-2": (
        f"within {secs(deadlines.STOP_TIMEOUT)}, leaving",
        f"k generated, {span(lifecycle.EXCHANGES)}",
        f"waits up to {secs(deadlines.STOP_TIMEOUT)} for it to exit",
        f"still running after {secs(deadlines.STOP_TIMEOUT)}",
    ),
    "PUBSUB-1": (
        f"(S = {pubsub.MessageFormat.subscribers[1]})",
        f"from {secs(deadlines.TIMESTAMP_SLACK_MS / 1000)} before the case began to "
        f"{secs(pubsub.Published.timeout + deadlines.TIMESTAMP_SLACK_MS / 1000)} after",
        f"(the case's {secs(pubsub.Published.timeout)} budget plus "
        f"{secs(deadlines.TIMESTAMP_SLACK_MS / 1000)})",
    ),
    "PUBSUB-2": (
        f"(S = {span(pubsub.Published.subscribers)})",
        f"every {secs(deadlines.PROBE_INTERVAL)} until",
        f"(deadline {secs(deadlines.PROBE_TIMEOUT)} per subscriber",
        f"within {secs(deadlines.PROBE_DRAIN)} (late duplicates)",
        f"sequence of {span(pubsub.CHANGES)} changes",
        f"in turn ({secs(deadlines.DELIVERY_TIMEOUT)} each)",
    ),
    "PUBSUB-3": (
        f"It waits ({secs(deadlines.SUBSCRIPTION_TIMEOUT)}) for",
        f"sends {span(pubsub.BATCH)} change messages",
        f"waits up to {secs(deadlines.LINES_TIMEOUT)} for their lines",
        f"one of {span(pubsub.PATHS)} generated paths",
        f"({span(pubsub.NAMES_PER_PATH)} generated names",
        f"[{pubsub.TIMESTAMP_RANGE[0]}, {pubsub.TIMESTAMP_RANGE[1]}] "
        f"({year(pubsub.TIMESTAMP_RANGE[0])}{EN_DASH}{year(pubsub.TIMESTAMP_RANGE[1])})",
    ),
    "PUBSUB-4": (
        f"sends {span(pubsub.RESTART_BATCHES)} batches of {span(pubsub.BATCH)} messages",
        f"{pubsub.RESTART_BATCHES[0] - 1}..{pubsub.RESTART_BATCHES[1] - 1} restarts",
        f"deadline {secs(deadlines.SUBSCRIPTION_TIMEOUT)}), sends",
        f"(deadline {secs(deadlines.LINES_TIMEOUT)})",
        f"retrying for up to {secs(deadlines.REBIND_TIMEOUT)}",
        f"subscription again ({secs(deadlines.SUBSCRIPTION_TIMEOUT)})",
    ),
    "PUBSUB-5": (
        f"one batch of {span(pubsub.BATCH)} good",
        f"with {span(pubsub.BAD_MESSAGES)} generated bad messages",
        f"one of: {span(pubsub.JUNK_BYTES)} random bytes",
        f"a message of {span(pubsub.JUNK_FRAMES)} frames of {span(pubsub.JUNK_FRAME_BYTES)} "
        "random bytes",
        f"The harness waits ({secs(deadlines.LINES_TIMEOUT)})",
    ),
    "REQREP-1": (
        f"{span(reqrep.FILES)} files",
        f"{span(reqrep.LINKS)} symlinks",
        f"up to {reqrep.TEXT_SIZE[1]} characters",
        "repeated to "
        + ", ".join(str(size) for size in reqrep.LARGE_SIZES[:-1])
        + f" or {reqrep.LARGE_SIZES[-1]} characters",
        f"then for {span(reqrep.MORE_REQUESTS)} more",
        f"a deadline of {secs(deadlines.REPLY_TIMEOUT)}",
        f"the cluster with {reqrep.CLUSTER_WORKERS} workers",
        f"`../{reqrep.ROOT_NAME}/<path>`",
        f"one unit of {span(reqrep.UNIT_SIZE)} such characters",
        f"exactly the size limit, {reqrep.SIZE_LIMIT} bytes",
        f"watches it {secs(deadlines.STRAY_WATCH)} more",
        WINDOW,
    ),
    "REQREP-2": (
        f"the first of {span(reqrep.VERSIONS)} generated",
        f"(awaited {secs(deadlines.REPLY_TIMEOUT)};",
        WORKERS,
    ),
    "REQREP-3": (
        f"sends {span(reqrep.KINDS)} generated kinds",
        f"a sparse file of {reqrep.TOO_LARGE} bytes",
        f"then {reqrep.NESTING} `[`, {reqrep.NESTING} `]`",
        f"({reqrep.LATE_BYTE} bytes `a`, then `FF`",
        f"awaited {secs(deadlines.REPLY_TIMEOUT)} (less",
        WORKERS,
    ),
    "REQREP-4": (
        f"K = {span(reqrep.CLIENTS)}",
        f"R = {span(reqrep.ROUNDS)}",
        f"reply ({secs(deadlines.REPLY_TIMEOUT)} each",
        f"watches every client {secs(deadlines.STRAY_WATCH)} more",
        WORKERS,
    ),
    "REQREP-5": (
        f"awaited {secs(deadlines.REPLY_TIMEOUT)} (less",
        f"exit 0 within {secs(deadlines.REQUESTER_EXIT_TIMEOUT)} of the reply",
        f"a path of {span(requesters.PATH_NAMES)} generated names",
        f"within {secs(deadlines.SENDING_LINE_TIMEOUT)} of the request",
    ),
    "REQREP-6": (
        f"COUNT = {span(requesters.LATE_COUNT)}",
        f"(deadline {secs(deadlines.SENDING_LINE_TIMEOUT)}: the request is queued",
        f"{secs(deadlines.LATE_BIND)} in a fixed case",
        f"each awaited {secs(deadlines.REPLY_TIMEOUT)}",
    ),
    "REQREP-7": (
        f"COUNT = {span(requesters.LOOP_COUNT)}",
        f"the book's {requesters.BOOK_COUNT}",
        f"awaited {secs(deadlines.REPLY_TIMEOUT)} (less",
        f"for {secs(deadlines.LOCKSTEP_WINDOW)}; a further request",
        f"`Sending request` line ({secs(deadlines.SENDING_LINE_TIMEOUT)}, as in REQREP-5)",
        f"within {secs(deadlines.REQUESTER_EXIT_TIMEOUT)} of the last reply",
    ),
    "BROKER-1": (
        f"has {span(broker_property.EXCHANGES)} exchanges",
        f"a reply of {span(broker_property.FRAMES)} frames",
        f"{span(broker_property.SHORT_FRAME)} random bytes",
        f"or {span(broker_property.FILLED_FRAME)} copies",
        f"up to {WORDS[broker_property.LARGE_FRAMES[1]]} frames",
        f"by {broker_property.LARGE >> 20} MiB to {broker_property.LARGE >> 20} MiB + "
        f"{broker_property.LARGE_EXTRA} copies",
        f"bursts of 1..{broker_property.MAX_BURST} messages",
        f"every message ({secs(deadlines.REPLY_TIMEOUT)} each)",
        f"every reply ({secs(deadlines.REPLY_TIMEOUT)} each)",
    ),
    "BROKER-2": (
        f"M = {span(broker_property.WORKERS)}",
        f"K = {span(broker_property.CLIENTS)}",
        f"sends {span(broker_property.REQUESTS)} one-frame",
        f"tag of {span(broker_property.TAG_SIZE)} random bytes",
        f"until all have arrived ({secs(deadlines.REPLY_TIMEOUT)})",
        f"(within {secs(deadlines.REPLY_TIMEOUT)})",
        f"watches it {secs(deadlines.EXTRA_POLL)} more",
    ),
    "CLUSTER-1": (
        f"W = {span(cluster.ONLINE_WORKERS)}",
        f"{cluster.BOOK_WORKERS} if the role's templates",
        f"deadline {secs(deadlines.ONLINE_TIMEOUT)} from then",
    ),
    "CLUSTER-2": (
        f"W = {span(cluster.SPREAD_WORKERS)} ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(deadlines.ONLINE_TIMEOUT)})",
        f"C = {span(cluster.SPREAD_CLIENTS)}",
        f"(deadline {secs(deadlines.WARMUP_TIMEOUT)} in all)",
        f"k = {span(cluster.PER_WORKER)}",
        f"each reply awaited {secs(deadlines.REPLY_TIMEOUT)}",
    ),
    "CLUSTER-3": (
        f"W = {span(cluster.RESTART_WORKERS)} workers ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(deadlines.ONLINE_TIMEOUT)})",
        f"Kill schedule: {span(cluster.KILLS)} kills",
        f"{span(cluster.KILL_AFTER)}, increasing",
        f"P = the last k + {span(cluster.AFTER_LAST_KILL)}",
        f"({secs(deadlines.RESTART_TIMEOUT)} for both)",
        f"up to {secs(deadlines.TRY_TIMEOUT)} for a reply",
        f"up to {deadlines.TRIES} tries",
    ),
    "CLUSTER-4": (
        f"none remains {secs(cluster.Stopped.gone_within)} after the master has exited",
        f"W = {span(cluster.ONLINE_WORKERS)} ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(deadlines.ONLINE_TIMEOUT)})",
        f"k = {span(cluster.REPLIES_BEFORE_STOP)}, on one REQ, {secs(deadlines.REPLY_TIMEOUT)} each",
        f"waits up to {secs(cluster.Stopped.exit_within)} for the master's exit",
        f"within {secs(cluster.Stopped.gone_within)} of the exit",
        f"exits within {secs(deadlines.STOP_TIMEOUT)}, are LIFE-2's",
    ),
    "CLUSTER-5": (
        f"on their own within {secs(cluster.Orphans.gone_within)}.",
        f"W = {span(cluster.ONLINE_WORKERS)} ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(deadlines.ONLINE_TIMEOUT)})",
        f"k = {span(cluster.REPLIES_BEFORE_STOP)}",
        f"Within {secs(cluster.Orphans.gone_within)} of the moment",
    ),
    "CLUSTER-6": (
        f"W = {span(cluster.STALL_WORKERS)} ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(deadlines.ONLINE_TIMEOUT)})",
        f"C = {cluster.STALL_CLIENTS_PER_WORKER[0]}W..{cluster.STALL_CLIENTS_PER_WORKER[1]}W",
        f"(deadline {secs(deadlines.WARMUP_TIMEOUT)} in all)",
        f"(up to {secs(deadlines.STOPPED_TIMEOUT)})",
        f"or {secs(deadlines.STALL_WINDOW)} after the burst",
        f"awaits every reply ({secs(deadlines.REPLY_TIMEOUT)})",
    ),
}
"""For each requirement, the phrases of its section that quote a range, deadline or count of
the harness's code, rendered from that code."""

NUMBER = re.compile(rf"\d+\.\.\d+|\d+{EN_DASH}\d+|\d+(?:\.\d+)? s\b")
"""What SPEC.md writes as a range (``1..5``, or years with an en dash) or a duration
(``2.5 s``)."""


def checked_text(requirement: Requirement) -> str:
    """The requirement's sentence and "How it is checked", whitespace collapsed (a phrase may
    wrap); the ZeroMQ notes and what is not checked quote other programs' numbers."""
    body = "\n".join(section_of(requirement).body)
    return " ".join(body.split("**ZeroMQ guarantees.**")[0].split())


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_ranges_and_deadlines_are_the_codes(requirement: Requirement) -> None:
    """Each phrase of FACTS is in the section as the code renders it, and every range and
    duration the section quotes lies inside one of them: a number SPEC.md states and the code
    does not hold, or the other way round, fails here."""
    text = checked_text(requirement)
    phrases = FACTS[requirement.id]
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"{requirement.id}: SPEC.md does not say what the code does: {missing}"
    covered = [
        range(found.start(), found.end())
        for phrase in phrases
        for found in re.finditer(re.escape(phrase), text)
    ]
    loose = [
        f"{number.group(0)!r} in ...{text[max(0, number.start() - 30) : number.end() + 10]}..."
        for number in NUMBER.finditer(text)
        if not any(number.start() in where and number.end() - 1 in where for where in covered)
    ]
    assert not loose, f"{requirement.id}: numbers no FACTS phrase ties to the code: {loose}"


def test_every_requirement_has_facts() -> None:
    assert set(FACTS) == set(BY_ID)


def test_general_ranges_and_deadlines_are_the_codes() -> None:
    text = " ".join("\n".join(titled("4.0 How the harness runs a case").body).split())
    for phrase in (
        f"{reqrep.NAME_SIZE[0]}{EN_DASH}{reqrep.NAME_SIZE[1]} characters",
        f"{reqrep.TEXT_SIZE[0]}{EN_DASH}{reqrep.TEXT_SIZE[1]} characters",
        f"a whole case gets {secs(Property.timeout)} (CLUSTER-3: {secs(cluster.Restart.timeout)})",
        f"a ready line {secs(READY_TIMEOUT)}",
        f"a cluster's initial online lines {secs(deadlines.ONLINE_TIMEOUT)}",
        f"a reply {secs(deadlines.REPLY_TIMEOUT)}",
    ):
        assert phrase in text, f"§4.0 does not say what the code does: {phrase!r}"


def test_servable_kinds_say_that_they_may_be_served() -> None:
    """A kind of SERVABLE (valid, but a parser MAY refuse it) says so in REQREP-3's table."""
    _, *rows = table(section_of(BY_ID["REQREP-3"]))
    items = {
        match[1]: item
        for _, kinds_cell in rows
        for item in split_items(kinds_cell)
        if (match := re.match(r"`([a-z0-9-]+)`", item))
    }
    for kind in SERVABLE:
        assert "MAY instead be served" in items[kind], f"REQREP-3: {kind!r} does not say so"


def spoken(piece: str) -> set[str]:
    """How SPEC.md names a sharp piece: its code points as U+XXXX (CR and LF by name)."""
    names = {"\r\n": "CR LF", "\r": "CR", "\n": "LF", " ": "a space", "'": "`'`", "~": "`~`"}
    if piece in names:
        return {names[piece]}
    if piece == "e\u0301":
        return {"`e` followed by U+0301"}
    return {f"U+{ord(char):04X}" for char in piece}


def test_sharp_pieces_are_the_codes() -> None:
    """§4.0's lists of sharp pieces are SHARP_PIECES and TEXT_PIECES, both ways."""
    text = " ".join("\n".join(titled("4.0 How the harness runs a case").body).split())
    names = text[text.index("**sharp pieces**") : text.index("`SHARP_PIECES`")]
    texts = text[text.index("their parts are sharp pieces") : text.index("`TEXT_PIECES`")]
    extra = [piece for piece in reqrep.TEXT_PIECES if piece not in reqrep.SHARP_PIECES]
    assert reqrep.TEXT_PIECES[: len(reqrep.SHARP_PIECES)] == reqrep.SHARP_PIECES
    for where, pieces in ((names, reqrep.SHARP_PIECES), (texts, extra)):
        said = {name for piece in pieces for name in spoken(piece)}
        missing = [name for name in said if name not in where]
        assert not missing, f"§4.0 does not list the sharp pieces {missing}"
        code_points = re.compile(r"U\+[0-9A-F]{4,6}")
        listed = set(code_points.findall(where))
        assert listed == {found for name in said for found in code_points.findall(name)}
