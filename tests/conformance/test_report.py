"""Tests of the run's report (conformance.report): report.json's schema and the HTML page.

The documents are built with conformance.results.report_document from hand-made
ItemResults, so these tests start no process. The page is checked for what a reader
needs (ids, outcomes, explanations, replay commands, logs), for escaping (the logs and
names come from the implementation under test) and for being self-contained.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance import report, spec
from conformance.model import Outcome
from conformance.results import Implementation, ItemResult, report_document

SCRIPT = "<script>alert('owned')</script>"
CASE = "/tmp/results/cases/broken-REQREP-1-filer-rep-0123456789.json"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def make_results() -> list[ItemResult]:
    """Every outcome at least once, over two implementations."""
    return [
        ItemResult(
            implementation="reference",
            requirement="REQREP-1",
            role="filer-rep",
            outcome=Outcome.PASS,
            examples=6,
            duration=0.8,
        ),
        ItemResult(
            implementation="reference",
            requirement="REQREP-1",
            role="filer-rep-cluster",
            outcome=Outcome.PASS,
            examples=6,
            duration=1.2,
        ),
        ItemResult(
            implementation="reference",
            requirement="PUBSUB-1",
            role="watcher-pub",
            outcome=Outcome.PASS,
            examples=6,
            duration=0.5,
        ),
        ItemResult(
            implementation="broken",
            requirement="REQREP-1",
            role="filer-rep",
            outcome=Outcome.FAIL,
            explanation="reply 1 does not carry the content of 'a<b>.txt'",
            expected="'hello'",
            seen="error not_found",
            case_file=CASE,
            examples=2,
            duration=0.4,
            processes={
                "filer-rep": {
                    "stdout": ["Listening for zmq requesters...", SCRIPT],
                    "stderr": "Traceback (most recent call last):\n  <frame> & more\n",
                }
            },
        ),
        ItemResult(
            implementation="broken",
            requirement="REQREP-1",
            role="filer-rep-cluster",
            outcome=Outcome.NOT_IMPLEMENTED,
        ),
        ItemResult(
            implementation="broken",
            requirement="PUBSUB-1",
            role="watcher-pub",
            outcome=Outcome.DEVIATION,
            explanation="the message has no timestamp",
            deviation="our publisher leaves the timestamp out",
        ),
        ItemResult(
            implementation="broken",
            requirement="REQREP-2",
            role="filer-rep",
            outcome=Outcome.STALE,
            explanation="declared a known deviation (old files), but it passed",
            deviation="old files",
        ),
        ItemResult(
            implementation="broken",
            requirement="REQREP-3",
            role="filer-rep",
            outcome=Outcome.ERROR,
            explanation="ManifestError: roles.filer-rep.argv: unknown placeholder {rooot}",
        ),
    ]


def make_document(results: list[ItemResult] | None = None) -> dict[str, Any]:
    """A report.json document of a run of two implementations, as report.json holds it.

    (report_document gives tuples where JSON has arrays, hence the round trip.)
    """
    document = report_document(
        results=make_results() if results is None else results,
        implementations=[
            Implementation(
                "reference",
                "/work/conformance/manifests/reference.toml",
                _sha("reference"),
                tuple(spec.ROLES),
            ),
            Implementation(
                "broken", "/tmp/broken/manifest.toml", _sha("broken"), ("filer-rep", "watcher-pub")
            ),
        ],
        profile="ci",
        seed=1234,
        started=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        finished=dt.datetime(2026, 1, 2, 3, 5, 35, tzinfo=dt.UTC),
    )
    return dict(json.loads(json.dumps(document)))


INTEROP = [
    {
        "client": {"implementation": "reference", "role": "filer-req"},
        "server": {"implementation": "reference", "role": "filer-rep"},
        "outcome": "pass",
        "explanation": "",
        "expected": "",
        "seen": "",
        "case_file": None,
        "processes": {},
    },
    {
        "client": {"implementation": "reference", "role": "filer-req"},
        "server": {"implementation": "broken", "role": "filer-rep"},
        "outcome": "fail",
        "explanation": "the requester printed no reply line",
        "expected": "one reply line",
        "seen": "nothing",
        "case_file": "/tmp/results/cases/interop-1.json",
        "processes": {
            "filer-req": {"stdout": [], "stderr": SCRIPT},
            "filer-rep": {"stdout": ["Listening for zmq requesters..."], "stderr": ""},
        },
    },
    {
        "client": {"implementation": "broken", "role": "watcher-sub"},
        "server": {"implementation": "reference", "role": "watcher-pub"},
        "outcome": "not implemented",
        "explanation": "",
        "expected": "",
        "seen": "",
        "case_file": None,
        "processes": {},
    },
]

KILL_TABLE = [
    {
        "mutant": "filer-rep-stale-read",
        "role": "filer-rep",
        "requirement": "REQREP-2",
        "bug": "caches files and answers an old content",
        "caught": True,
    },
    {
        "mutant": "broker-drops-empty-frames",
        "role": "broker",
        "requirement": "BROKER-1",
        "bug": "drops empty frames <inside> a message",
        "caught": False,
    },
]


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(report.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


class _Balance(HTMLParser):
    """Checks that every element the page opens is closed, in order."""

    VOID = frozenset({"meta", "br", "col", "hr", "img", "input", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def assert_well_formed(page: str) -> None:
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []


# -- report.json and its schema -------------------------------------------------------------


def test_document_validates(validator: jsonschema.protocols.Validator) -> None:
    validator.validate(make_document())


def test_empty_run_validates(validator: jsonschema.protocols.Validator) -> None:
    document = make_document([])
    validator.validate(document)
    assert_well_formed(report.render_html(document))


def test_interop_and_kill_table_validate(validator: jsonschema.protocols.Validator) -> None:
    document = make_document()
    document["interop"] = INTEROP
    document["kill_table"] = KILL_TABLE
    validator.validate(document)


def test_schema_enums_follow_the_code() -> None:
    """The schema's lists of outcomes, levels and roles are the code's: a test keeps them so."""
    schema = json.loads(report.SCHEMA_PATH.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    outcomes = [outcome.value for outcome in Outcome]
    assert defs["outcome"]["enum"] == outcomes
    assert schema["properties"]["summary"]["required"] == outcomes
    assert defs["requirement"]["properties"]["level"]["enum"] == [
        level.value for level in spec.Level
    ]
    assert defs["role"]["enum"] == list(spec.ROLES)
    assert set(report.STYLES) == set(outcomes)


def _break(document: dict[str, Any], how: str) -> None:
    if how == "outcome":
        document["results"][0]["outcome"] = "passed"
    elif how == "extra key":
        document["results"][0]["colour"] = "green"
    elif how == "missing key":
        del document["results"][0]["case_file"]
    elif how == "level":
        document["requirements"][0]["level"] = "may"
    elif how == "role":
        document["implementations"][0]["roles"] = ["filer"]
    elif how == "sha256":
        document["implementations"][0]["sha256"] = "abc"
    elif how == "stdout":
        document["results"][3]["processes"]["filer-rep"]["stdout"] = "one string"
    elif how == "interop":
        document["interop"] = [{**INTEROP[0], "client": {"implementation": "a"}}]
    elif how == "interop outcome":
        document["interop"] = [{**INTEROP[0], "outcome": "ok"}]
    elif how == "kill table":
        document["kill_table"] = [{**KILL_TABLE[0], "caught": "yes"}]
    elif how == "top level":
        document["extra"] = 1


@pytest.mark.parametrize(
    "how",
    [
        "outcome",
        "extra key",
        "missing key",
        "level",
        "role",
        "sha256",
        "stdout",
        "interop",
        "interop outcome",
        "kill table",
        "top level",
    ],
)
def test_schema_is_strict(validator: jsonschema.protocols.Validator, how: str) -> None:
    document = copy.deepcopy(make_document())
    _break(document, how)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


# -- the page -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return report.render_html(make_document())


def test_page_is_well_formed_and_pure(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert_well_formed(page)
    assert report.render_html(make_document()) == page


def test_page_is_self_contained(page: str) -> None:
    """No external resource: no src attribute, no link element, links only to the page itself."""
    assert not re.search(r"\ssrc\s*=", page, re.IGNORECASE)
    assert "<link" not in page
    assert "@import" not in page
    assert "url(" not in page
    assert re.findall(r'href="([^"]*)"', page) != []
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', page))
    assert page.count("<script>") == 1


def test_header(page: str) -> None:
    assert "profile</b> ci" in page
    assert "seed</b> 1234" in page
    assert "2026-01-02T03:04:05+00:00" in page
    assert "1 min 30 s" in page
    assert "/tmp/broken/manifest.toml" in page
    assert _sha("broken")[:12] in page
    assert "\u2713 conforms" in page
    assert "does not conform" in page


def test_matrix_rows_follow_the_registry(page: str) -> None:
    """Rows are the requirements with results, in registry order, with level and title."""
    ran = ["PUBSUB-1", "REQREP-1", "REQREP-2", "REQREP-3"]
    positions = [page.index(f'<span class="rid">{rid}</span>') for rid in ran]
    assert positions == sorted(positions)
    assert "MUST" in page
    title = next(r.title for r in spec.REQUIREMENTS if r.id == "REQREP-1")
    assert report._e(title) in page
    assert "Not selected in this run: LIFE-1, LIFE-2" in page


def test_every_outcome_is_labelled(page: str) -> None:
    for label in ("pass", "FAIL", "not implemented", "known deviation", "stale", "ERROR"):
        assert re.search(rf"</span> {label}</span>", page), label
    # a requirement of several roles names the role on each chip
    assert re.search(r'<span class="role">filer-rep</span> <span class="sym"[^>]*>\u2713', page)


def test_failing_cell_opens_to_its_details(page: str) -> None:
    failing = page[page.index('<details id="broken.REQREP-1.filer-rep"') :]
    failing = failing[: failing.index('<p class="permalink">')]
    assert "reply 1 does not carry the content of &#x27;a&lt;b&gt;.txt&#x27;" in failing
    assert "error not_found" in failing
    assert f"python -m conformance replay {CASE}" in failing
    assert "Listening for zmq requesters..." in failing
    assert "&lt;frame&gt; &amp; more" in failing
    assert "our publisher leaves the timestamp out" in page
    assert "unknown placeholder {rooot}" in page


def test_failures_are_linked_from_the_header(page: str) -> None:
    header = page[: page.index("</header>")]
    for anchor in ("broken.REQREP-1.filer-rep", "broken.REQREP-3.filer-rep"):
        assert f'href="#{anchor}"' in header
        assert f'id="{anchor}"' in page
    # a known deviation is expected: it opens in its cell but is not listed
    assert 'id="broken.PUBSUB-1.watcher-pub"' in page
    assert 'href="#broken.PUBSUB-1.watcher-pub"' not in header


def test_output_is_escaped(page: str) -> None:
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in page


def test_every_string_is_escaped() -> None:
    """Whatever string of the document an implementation controls, it comes out as text."""
    evil = '<x-evil a="1">&'
    document = make_document()
    for implementation in document["implementations"]:
        implementation["name"] += evil
        implementation["manifest"] += evil
    document["conforms"] = {k + evil: v for k, v in document["conforms"].items()}
    for result in document["results"]:
        result["implementation"] += evil
        for key in ("explanation", "expected", "seen", "deviation", "case_file"):
            result[key] = (result[key] or "") + evil
        result["processes"] = {evil: {"stdout": [evil], "stderr": evil}}
    document["profile"] += evil
    document["interop"] = [
        {**entry, "explanation": evil, "client": {**entry["client"], "implementation": evil}}
        for entry in INTEROP
    ]
    document["kill_table"] = [{**entry, "bug": evil, "mutant": evil} for entry in KILL_TABLE]
    page = report.render_html(document)
    assert "<x-evil" not in page
    assert "&lt;x-evil a=&quot;1&quot;&gt;&amp;" in page
    assert_well_formed(page)


def test_long_logs_are_cut_with_a_note() -> None:
    lines = [f"line {n}" for n in range(5000)]
    results = make_results()
    results[3] = ItemResult(
        implementation="broken",
        requirement="REQREP-1",
        role="filer-rep",
        outcome=Outcome.FAIL,
        explanation="x",
        case_file=CASE,
        processes={"filer-rep": {"stdout": lines, "stderr": "e" * 50_000}},
    )
    page = report.render_html(make_document(results))
    assert "line 0\n" in page
    assert "line 4999" in page
    assert "line 2500\n" not in page
    omitted = 5000 - report.LOG_HEAD_LINES - report.LOG_TAIL_LINES
    assert f"[{omitted} lines omitted; the case file has all of it]" in page
    assert "[line cut]" in page
    assert "e" * (report.MAX_LINE_CHARS + 1) not in page


@pytest.mark.parametrize("empty", [True, False])
def test_no_interop_or_kill_table_sections_when_absent(empty: bool) -> None:
    document = make_document()
    if empty:
        document["interop"] = document["kill_table"] = []
    else:
        document.pop("interop", None)
        document.pop("kill_table", None)
    page = report.render_html(document)
    assert 'id="interop"' not in page
    assert 'id="kill-table"' not in page


def test_interop_grid() -> None:
    document = make_document()
    document["interop"] = INTEROP
    page = report.render_html(document)
    assert_well_formed(page)
    grid = page[page.index('<section id="interop">') :]
    grid = grid[: grid.index("</section>")]
    # columns: the servers by implementation (--impl order), then role (ROLES order)
    head = grid[: grid.index("</thead>")]
    columns = [
        head.index(f'<span class="impl">{implementation}</span><br><span class="rn">{role}</span>')
        for implementation, role in [
            ("reference", "watcher-pub"),
            ("reference", "filer-rep"),
            ("broken", "filer-rep"),
        ]
    ]
    assert columns == sorted(columns)
    # rows: the clients, likewise
    assert grid.index('reference</span> <span class="rn">filer-req</span>') < grid.index(
        'broken</span> <span class="rn">watcher-sub</span>'
    )
    assert head.count("<th scope") == 4
    assert grid.count("<tr>") == 3
    assert "the requester printed no reply line" in grid
    assert "python -m conformance replay /tmp/results/cases/interop-1.json" in grid
    assert SCRIPT not in grid
    assert "\u2014" in grid  # the pairs that were not run


def test_kill_table() -> None:
    document = make_document()
    document["kill_table"] = KILL_TABLE
    page = report.render_html(document)
    assert_well_formed(page)
    table = page[page.index('<section id="kill-table">') :]
    assert "caught 1 of 2 mutants" in table
    assert "broker-drops-empty-frames" in table
    assert "MISSED" in table
    assert "drops empty frames &lt;inside&gt; a message" in table


def test_write_creates_both_files(
    tmp_path: Path, validator: jsonschema.protocols.Validator
) -> None:
    document = make_document()
    path = report.write(tmp_path / "out", document)
    assert path == tmp_path / "out" / "report.json"
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written == document
    validator.validate(written)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert html == report.render_html(document)


def test_clause_table_validates_and_renders(validator: jsonschema.protocols.Validator) -> None:
    """The killtable's clause coverage table (tests.mutants.clause_table) fits the schema,
    and the page shows each clause with its verdict and the MUST totals."""
    from conformance.clauses import CLAUSES
    from tests.mutants import clause_table

    document = make_document()
    document["kill_table"] = KILL_TABLE
    document["clause_table"] = clause_table.rows({"filer_truncates": True})
    validator.validate(document)
    page = report.render_html(document)
    assert_well_formed(page)
    table = page[page.index('<section id="clause-table">') :]
    must = sum(clause.level is spec.Level.MUST for clause in CLAUSES)
    assert f"MUST clauses: {must}, covered and caught: 2." in table  # REQREP-1.c, FMT-3.4.a
    assert "<code>filer_truncates</code> \u2713" in table
    assert "FMT-3.5.h" in table and "<code>filer_denied_not_found</code>" in table
    assert "LIFECYCLE-5.e" in table and "<code>cluster_exits_unreaped</code>" in table
    assert "LIFECYCLE-5.b" in table and "not checked: the harness sends one signal" in table
    document["clause_table"] = [{**document["clause_table"][0], "verdict": "maybe"}]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_what_a_pass_did_not_exercise_is_shown(validator: jsonschema.protocols.Validator) -> None:
    """A pass that could not exercise part of its requirement (REQREP-3's unreadable kind as
    root without fanotify permission events) says so in report.json and opens to the reason in
    the page; it is not a failure."""
    note = "the 'unreadable' kind (SPEC.md 3.5): the harness runs as root <&>"
    result = ItemResult(
        implementation="reference",
        requirement="REQREP-3",
        role="filer-rep",
        outcome=Outcome.PASS,
        examples=9,
        not_exercised=(note,),
    )
    document = make_document([result])
    validator.validate(document)
    assert document["results"][0]["not_exercised"] == [note]
    assert document["conforms"]["reference"] is True
    page = report.render_html(document)
    assert_well_formed(page)
    assert "not all exercised" in page
    assert (
        "<b>not exercised:</b> the &#x27;unreadable&#x27; kind" in page and "&lt;&amp;&gt;" in page
    )
    header = page[: page.index("</header>")]
    assert "REQREP-3" not in header  # nothing to look at: not listed with the failures
    plain = make_document([replace(result, not_exercised=())])
    assert "not all exercised" not in report.render_html(plain)
