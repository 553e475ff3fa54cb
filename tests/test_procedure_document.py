"""docs/procedure.md and docs/harness.md say what the harness's code does.

The procedure's rendered parts (the table "At a glance", and each requirement's section:
its property's docstring and the mutants it catches) are the rendering of
``tests/procedure_tables.py``; every range (``1..5``, or with an en dash) and duration
(``10 s``) that a requirement's procedure (its property's docstring) or the harness page
quotes is one of the phrases below, rendered from the code's constants; the bad-request
table is ``BAD_REQUESTS``; the fixed unknown keys, request encodings, transcript regexes and
sharp pieces are the code's lists. Each fails when either side changes alone.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest

from conformance import cgroups, containment, deadlines, endpoints, supervisor
from conformance.checks.cluster import MAX_STARTS_BLOCKED
from conformance.checks.messages import (
    REQUEST_STYLES,
    TRANSCRIPT_PATTERNS,
    WINDOW_AFTER_MS,
    WINDOW_BEFORE_MS,
)
from conformance.checks.reqrep import BAD_REQUESTS, SERVABLE
from conformance.deadlines import READY_TIMEOUT
from conformance.properties import Property, cluster, lifecycle, pubsub, reqrep, requesters
from conformance.properties import broker as broker_property
from conformance.properties.extras import EXAMPLE_EXTRAS
from conformance.properties.registry import property_for
from conformance.spec import BY_ID, REQUIREMENTS, Requirement
from tests import procedure_tables
from tests.markdown_document import Section, sections, table, titled

DOCS = Path(__file__).resolve().parent.parent / "docs"
PROCEDURE = DOCS / "procedure.md"
HARNESS = DOCS / "harness.md"

EN_DASH = "\N{EN DASH}"
"""The documents write ranges of years, characters and ports with it."""
NUMBER = re.compile(rf"\d+\.\.\d+|\d+{EN_DASH}\d+|\d+(?:\.\d+)? s\b")
"""What the documents write as a range (``1..5``, or with an en dash) or a duration (``2.5 s``)."""


def span(values: tuple[int, int]) -> str:
    return f"{values[0]}..{values[1]}"


def secs(seconds: float) -> str:
    return f"{seconds:g} s"


def year(milliseconds: int) -> int:
    return dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.UTC).year


def by_id(requirement: Requirement) -> str:
    return requirement.id


def checked_text(requirement: Requirement) -> str:
    """The procedure proper, from its property's docstring, whitespace collapsed (a phrase may
    wrap): not what it catches (mutant descriptions quote their own numbers) nor what is not
    checked (which quotes other programs')."""
    return " ".join(procedure_tables.procedure(requirement.id).text.split())


# The rendered parts.


def test_document_is_the_rendering() -> None:
    """The glance table and every requirement's section are what tests/procedure_tables.py
    renders from the code now (after a change: python -m tests.procedure_tables --write)."""
    text = PROCEDURE.read_text(encoding="utf-8")
    wanted = procedure_tables.rendered(text)
    diff = list(
        difflib.unified_diff(
            text.splitlines(), wanted.splitlines(), "docs/procedure.md", "rendered", lineterm=""
        )
    )
    assert not diff, (
        "docs/procedure.md is not the rendering of the code (run python -m "
        "tests.procedure_tables --write):\n" + "\n".join(diff[:40])
    )


def test_every_requirement_declares_its_glance() -> None:
    """Each requirement's property declares its own row of "At a glance" (a subclass's would
    otherwise be its parent's), with a range or a timer to show."""
    for requirement in REQUIREMENTS:
        row = procedure_tables.glance_of(requirement.id)
        assert row.ranges or row.timers, f"{requirement.id}: an empty glance"


# One section per requirement, each with its parts.


def test_requirement_sections_follow_the_registry() -> None:
    ids = [s.title for s in sections(PROCEDURE) if s.level == 3 and s.title in BY_ID]
    assert ids == [requirement.id for requirement in REQUIREMENTS]


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_docstring_has_every_part(requirement: Requirement) -> None:
    """The property's docstring gives a procedure and what is not checked, as bullets, and
    leaves headings and the mutants to the rendering."""
    found = procedure_tables.procedure(requirement.id)
    assert found.not_checked.startswith("- "), f"{requirement.id}: not checked, not as bullets"
    for part in (found.text, found.not_checked):
        assert "**Catches.**" not in part, f"{requirement.id}: the mutants are rendered"
        assert not re.search(r"^#", part, re.M), f"{requirement.id}: a heading in the docstring"


# Every number a procedure quotes, rendered from the code.


WINDOW = (
    f"from {secs(WINDOW_BEFORE_MS / 1000)} before the case began to "
    f"{secs(WINDOW_AFTER_MS / 1000)} after its last event"
)
"""How the REQ/REP procedures state the window of a reply's timestamp."""
WORDS = {0: "no", 1: "one", 2: "two", 3: "three"}
WORKERS = f"`{{workers}}` = {reqrep.CLUSTER_WORKERS}"

FACTS: dict[str, tuple[str, ...]] = {
    "LIFE-1": (
        f"deadline {secs(READY_TIMEOUT)}",
        f"no answer within {secs(lifecycle.CONNECT_TIMEOUT)}",
        f"its reply awaited {secs(lifecycle.REPLY_TIMEOUT)}",
        f"the watcher's probe {secs(pubsub.PROBE_TIMEOUT)}",
        f"one frame of {span(lifecycle.PAYLOAD_SIZE)} random bytes",
        WORKERS,
    ),
    "LIFE-2": (
        f"k generated, {span(lifecycle.EXCHANGES)}",
        f"waits up to {secs(lifecycle.STOP_TIMEOUT)} for it to exit",
        f"still running after {secs(lifecycle.STOP_TIMEOUT)}",
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
        f"every {secs(pubsub.PROBE_INTERVAL)} until",
        f"(deadline {secs(pubsub.PROBE_TIMEOUT)} per subscriber",
        f"within {secs(deadlines.PROBE_DRAIN)} (late duplicates)",
        f"sequence of {span(pubsub.CHANGES)} changes",
        f"in turn ({secs(pubsub.DELIVERY_TIMEOUT)} each)",
    ),
    "PUBSUB-3": (
        f"It waits ({secs(pubsub.SUBSCRIPTION_TIMEOUT)}) for",
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
        f"deadline {secs(pubsub.SUBSCRIPTION_TIMEOUT)}), sends",
        f"(deadline {secs(deadlines.LINES_TIMEOUT)})",
        f"retrying for up to {secs(pubsub.REBIND_TIMEOUT)}",
        f"subscription again ({secs(pubsub.SUBSCRIPTION_TIMEOUT)})",
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
        f"a deadline of {secs(reqrep.REPLY_TIMEOUT)}",
        f"the cluster with {reqrep.CLUSTER_WORKERS} workers",
        f"`../{reqrep.ROOT_NAME}/<path>`",
        f"one unit of {span(reqrep.UNIT_SIZE)} such characters",
        f"exactly the size limit, {reqrep.SIZE_LIMIT} bytes",
        f"watches it {secs(reqrep.STRAY_WATCH)} more",
        WINDOW,
    ),
    "REQREP-2": (
        f"the first of {span(reqrep.VERSIONS)} generated",
        f"(awaited {secs(reqrep.REPLY_TIMEOUT)};",
        WORKERS,
    ),
    "REQREP-3": (
        f"sends {span(reqrep.KINDS)} generated kinds",
        f"awaited {secs(reqrep.REPLY_TIMEOUT)} (less",
        WORKERS,
    ),
    "REQREP-4": (
        f"K = {span(reqrep.CLIENTS)}",
        f"R = {span(reqrep.ROUNDS)}",
        f"reply ({secs(reqrep.REPLY_TIMEOUT)} each",
        f"watches every client {secs(reqrep.STRAY_WATCH)} more",
        WORKERS,
    ),
    "REQREP-5": (
        f"awaited {secs(reqrep.REPLY_TIMEOUT)} (less",
        f"exit 0 within {secs(deadlines.REQUESTER_EXIT_TIMEOUT)} of the reply",
        f"a path of {span(requesters.PATH_NAMES)} generated names",
        f"within {secs(deadlines.SENDING_LINE_TIMEOUT)} of the request",
    ),
    "REQREP-6": (
        f"COUNT = {span(requesters.LATE_COUNT)}",
        f"(deadline {secs(deadlines.SENDING_LINE_TIMEOUT)}: the request is queued",
        f"{secs(requesters.LATE_BIND)} in a fixed case",
        f"each awaited {secs(reqrep.REPLY_TIMEOUT)}",
    ),
    "REQREP-7": (
        f"COUNT = {span(requesters.LOOP_COUNT)}",
        f"the book's {requesters.BOOK_COUNT}",
        f"awaited {secs(reqrep.REPLY_TIMEOUT)} (less",
        f"for {secs(requesters.LOCKSTEP_WINDOW)}; a further request",
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
        f"connects only {secs(deadlines.LATE_WORKER)} after the client",
        f"bursts of 1..{broker_property.MAX_BURST} messages",
        f"every message ({secs(broker_property.REPLY_TIMEOUT)} each)",
        f"every reply ({secs(broker_property.REPLY_TIMEOUT)} each)",
    ),
    "BROKER-2": (
        f"M = {span(broker_property.WORKERS)}",
        f"K = {span(broker_property.CLIENTS)}",
        f"sends {span(broker_property.REQUESTS)} one-frame",
        f"tag of {span(broker_property.TAG_SIZE)} random bytes",
        f"until all have arrived ({secs(broker_property.REPLY_TIMEOUT)})",
        f"(within {secs(broker_property.REPLY_TIMEOUT)})",
        f"watches it {secs(broker_property.EXTRA_POLL)} more",
    ),
    "CLUSTER-1": (
        f"W = {span(cluster.ONLINE_WORKERS)}",
        f"{cluster.BOOK_WORKERS} if the role's templates",
        f"deadline {secs(cluster.ONLINE_TIMEOUT)} from then",
    ),
    "CLUSTER-2": (
        f"W = {span(cluster.SPREAD_WORKERS)} ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(cluster.ONLINE_TIMEOUT)})",
        f"C = {span(cluster.SPREAD_CLIENTS)}",
        f"(deadline {secs(cluster.WARMUP_TIMEOUT)} in all)",
        f"k = {span(cluster.PER_WORKER)}",
        f"each reply awaited {secs(cluster.REPLY_TIMEOUT)}",
    ),
    "CLUSTER-3": (
        f"W = {span(cluster.RESTART_WORKERS)} workers ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(cluster.ONLINE_TIMEOUT)})",
        f"Kill schedule: {span(cluster.KILLS)} kills",
        f"{span(cluster.KILL_AFTER)}, increasing",
        f"P = the last k + {span(cluster.AFTER_LAST_KILL)}",
        f"({secs(cluster.RESTART_TIMEOUT)} for both)",
        f"up to {secs(cluster.TRY_TIMEOUT)} for a reply",
        f"up to {cluster.TRIES} tries",
        f"for {secs(cluster.BLOCKED_WINDOW)} from then",
        f"every {cluster.BLOCKED_POLL * 1000:g} ms",
        f"{secs(cluster.RESTART_TIMEOUT)} from the end of the {secs(cluster.BLOCKED_WINDOW)}",
        f"in the {secs(cluster.BLOCKED_WINDOW)} of blocked starts the master started at most "
        f"{MAX_STARTS_BLOCKED} processes",
    ),
    "CLUSTER-4": (
        f"W = {span(cluster.ONLINE_WORKERS)} ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(cluster.ONLINE_TIMEOUT)})",
        f"k = {span(cluster.REPLIES_BEFORE_STOP)}, on one REQ, {secs(cluster.REPLY_TIMEOUT)} each",
        f"waits up to {secs(cluster.Stopped.exit_within)} for the master's exit",
        f"within {secs(cluster.Stopped.gone_within)} of the exit",
        f"exits within {secs(lifecycle.STOP_TIMEOUT)}, are LIFE-2's",
    ),
    "CLUSTER-5": (
        f"W = {span(cluster.ONLINE_WORKERS)} ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(cluster.ONLINE_TIMEOUT)})",
        f"k = {span(cluster.REPLIES_BEFORE_STOP)}",
        f"Within {secs(cluster.Orphans.gone_within)} of the moment",
    ),
    "CLUSTER-6": (
        f"W = {span(cluster.STALL_WORKERS)} ({cluster.BOOK_WORKERS} if",
        f"W online lines ({secs(cluster.ONLINE_TIMEOUT)})",
        f"C = {cluster.STALL_CLIENTS_PER_WORKER[0]}W..{cluster.STALL_CLIENTS_PER_WORKER[1]}W",
        f"(deadline {secs(cluster.WARMUP_TIMEOUT)} in all)",
        f"(up to {secs(cluster.STOPPED_TIMEOUT)})",
        f"or {secs(cluster.STALL_WINDOW)} after the burst",
        f"awaits every reply ({secs(cluster.REPLY_TIMEOUT)})",
    ),
}
"""For each requirement, the phrases of its procedure that quote a range, deadline or count
of the harness's code, rendered from that code."""


def loose_numbers(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The ranges and durations of TEXT that lie inside none of PHRASES."""
    covered = [
        range(found.start(), found.end())
        for phrase in phrases
        for found in re.finditer(re.escape(phrase), text)
    ]
    return [
        f"{number.group(0)!r} in ...{text[max(0, number.start() - 30) : number.end() + 10]}..."
        for number in NUMBER.finditer(text)
        if not any(number.start() in where and number.end() - 1 in where for where in covered)
    ]


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=by_id)
def test_ranges_and_deadlines_are_the_codes(requirement: Requirement) -> None:
    """Each phrase of FACTS is in the procedure (its property's docstring) as the code renders
    it, and every range and duration the procedure quotes lies inside one of them: a number the
    docstring states and the code does not hold, or the other way round, fails here."""
    text = checked_text(requirement)
    phrases = FACTS[requirement.id]
    where = f"{requirement.id}: the docstring of {property_for(requirement.id).__name__}"
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"{where} does not say what the code does: {missing}"
    loose = loose_numbers(text, phrases)
    assert not loose, f"{where} quotes numbers no FACTS phrase ties to the code: {loose}"


def test_every_requirement_has_facts() -> None:
    assert set(FACTS) == set(BY_ID)


HARNESS_FACTS = (
    f"one from {endpoints.PORTS.start}{EN_DASH}{endpoints.PORTS.stop - 1} that nothing listens on",
    f"beyond {supervisor.MAX_STDOUT_BYTES >> 20} MiB it is discarded",
    f"the first and the last {supervisor.STDERR_KEEP >> 10} KiB are kept",
    f"SIGKILL {secs(supervisor.GRACE_SECONDS)} later if anything is left",
    f"waits up to {secs(supervisor.KILL_SECONDS)} for the group to be gone",
    f"gone and {secs(supervisor.GRACE_SECONDS)} has passed since the SIGTERM",
    f"More than {containment.MAX_PROCESSES} processes of a case",
    f"started more than {containment.MAX_PROCESSES} processes",
    f"({cgroups.MAX_TASKS} tasks, threads included)",
    f"A whole case gets {secs(Property.timeout)} (CLUSTER-3: {secs(cluster.Restart.timeout)})",
    f"a ready line {secs(READY_TIMEOUT)}",
    f"a cluster's initial online lines {secs(cluster.ONLINE_TIMEOUT)}",
    f"a reply {secs(reqrep.REPLY_TIMEOUT)}",
    f"(LIFE-2's {secs(lifecycle.STOP_TIMEOUT)}, CLUSTER-4's {secs(cluster.Stopped.gone_within)}, "
    f"CLUSTER-5's {secs(cluster.Orphans.gone_within)})",
    f"{reqrep.NAME_SIZE[0]}{EN_DASH}{reqrep.NAME_SIZE[1]} characters",
    f"cut to {reqrep.NAME_SIZE[1]} characters",
    f"{reqrep.TEXT_SIZE[0]}{EN_DASH}{reqrep.TEXT_SIZE[1]} characters",
    f"run with the book's fixed {cluster.BOOK_WORKERS}",
    f"For {secs(deadlines.BLOCKED_WINDOW)} after CLUSTER-3's first kill",
)
"""The phrases of docs/harness.md that quote the harness's code, rendered from it."""


def test_harness_numbers_are_the_codes() -> None:
    text = " ".join(" ".join(HARNESS.read_text(encoding="utf-8").splitlines()).split())
    missing = [phrase for phrase in HARNESS_FACTS if phrase not in text]
    assert not missing, f"docs/harness.md does not say what the code does: {missing}"
    loose = loose_numbers(text, HARNESS_FACTS)
    assert not loose, f"docs/harness.md: numbers no phrase ties to the code: {loose}"


# The lists the procedure and the harness page repeat from the code.


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


def bad_request_items() -> dict[str, tuple[str | None, str]]:
    """The bad-request table: kind -> (code, "any": None; the item's text)."""
    header, *rows = table(titled(PROCEDURE, "Bad requests"))
    assert header == ["Code", "Kinds (what is sent)"]
    found: dict[str, tuple[str | None, str]] = {}
    for code_cell, kinds_cell in rows:
        code = None if code_cell == "any" else code_cell.strip("`")
        for item in split_items(kinds_cell):
            match = re.match(r"`([a-z0-9-]+)`", item)
            assert match, f"row {code_cell}: {item!r} does not start with a `kind`"
            assert match[1] not in found, f"kind {match[1]!r} is listed twice"
            found[match[1]] = (code, item)
    return found


def test_bad_request_kinds_table_is_the_checkers() -> None:
    """The table lists exactly the kinds of BAD_REQUESTS, each under its code."""
    assert {kind: code for kind, (code, _) in bad_request_items().items()} == BAD_REQUESTS


def test_servable_kinds_say_that_they_may_be_served() -> None:
    """A kind of SERVABLE (valid, but a parser may refuse it) says so."""
    items = bad_request_items()
    for kind in SERVABLE:
        assert "may instead be served" in items[kind][1], f"{kind!r} does not say so"


def code_block(section: Section) -> list[str]:
    """The lines of the first fenced block of SECTION."""
    body = list(section.body)
    start = next(i for i, line in enumerate(body) if line.startswith("```"))
    end = next(i for i in range(start + 1, len(body)) if body[i].startswith("```"))
    return body[start + 1 : end]


def test_transcript_regexes_are_the_checkers() -> None:
    documented = dict(
        line.split(maxsplit=1) for line in code_block(titled(PROCEDURE, "Transcript regexes"))
    )
    assert documented == {name: regex.pattern for name, regex in TRANSCRIPT_PATTERNS.items()}


def test_fixed_unknown_keys_are_the_codes() -> None:
    assert code_block(titled(PROCEDURE, "Unknown keys")) == [EXAMPLE_EXTRAS]


def test_request_encodings_are_the_codes() -> None:
    text = titled(PROCEDURE, "Request encodings").text
    named = re.findall(r"`([a-z]+)`, (?:as|indented|every)", text)
    assert tuple(named) == REQUEST_STYLES
    count = {3: "three", 4: "four", 5: "five"}.get(len(REQUEST_STYLES))
    assert f"in one of {count} encodings" in text


def spoken(piece: str) -> set[str]:
    """How harness.md names a sharp piece: its code points as U+XXXX (CR and LF by name)."""
    names = {"\r\n": "CR LF", "\r": "CR", "\n": "LF", " ": "a space", "'": "`'`", "~": "`~`"}
    if piece in names:
        return {names[piece]}
    if piece == "e\u0301":
        return {"`e` followed by U+0301"}
    return {f"U+{ord(char):04X}" for char in piece}


def test_sharp_pieces_are_the_codes() -> None:
    """harness.md's lists of sharp pieces are SHARP_PIECES and TEXT_PIECES, both ways."""
    text = titled(HARNESS, "Generated data").text
    names = text[text.index("**sharp pieces**") : text.index("`SHARP_PIECES`")]
    texts = text[text.index("their parts are sharp pieces") : text.index("`TEXT_PIECES`")]
    extra = [piece for piece in reqrep.TEXT_PIECES if piece not in reqrep.SHARP_PIECES]
    assert reqrep.TEXT_PIECES[: len(reqrep.SHARP_PIECES)] == reqrep.SHARP_PIECES
    for where, pieces in ((names, reqrep.SHARP_PIECES), (texts, extra)):
        said = {name for piece in pieces for name in spoken(piece)}
        missing = [name for name in said if name not in where]
        assert not missing, f"harness.md does not list the sharp pieces {missing}"
        code_points = re.compile(r"U\+[0-9A-F]{4,6}")
        listed = set(code_points.findall(where))
        assert listed == {found for name in said for found in code_points.findall(name)}
