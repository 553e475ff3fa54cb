"""Writing the run's report: report.json and report.html in the report folder.

report.json is the document of :func:`conformance.results.report_document`
(schema: conformance/report.schema.json). report.html shows the same document
as one self-contained page: no external resource, no network, a few lines of
inline script, so that it can be archived by a CI system and opened anywhere.

Every string in the document may come from the implementation under test
(its output, its manifest's name, its deviation reasons), so the page escapes
all of them; :func:`render_html` is pure, so tests feed it hand-made documents.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any, Final, NamedTuple

from conformance.safe_text import visible
from conformance.spec import ROLES

SCHEMA_PATH: Final = Path(__file__).with_name("report.schema.json")
"""The JSON Schema (draft 2020-12) that report.json follows."""

LOG_HEAD_LINES: Final = 40
LOG_TAIL_LINES: Final = 160
"""A log longer than head + tail lines shows its head and its tail: the end is where it broke."""
MAX_LINE_CHARS: Final = 1000
MAX_TEXT_CHARS: Final = 20_000
"""Caps for one log line and for one explanation / expected / seen text."""


class Style(NamedTuple):
    """How one outcome looks: a CSS class, a symbol and a label (colour is never alone)."""

    css: str
    symbol: str
    label: str


STYLES: Final[Mapping[str, Style]] = {
    "pass": Style("pass", "\u2713", "pass"),
    "fail": Style("fail", "\u2715", "FAIL"),
    "not implemented": Style("none", "\u2013", "not implemented"),
    "known deviation": Style("deviation", "\u25b3", "known deviation"),
    "stale deviation": Style("stale", "\u21bb", "stale"),
    "error": Style("error", "\u203c", "ERROR"),
}
"""Keyed by the outcome values of :class:`conformance.model.Outcome`."""

UNKNOWN_STYLE: Final = Style("error", "?", "unknown")

QUIET: Final = frozenset({"pass", "not implemented"})
"""Outcomes whose cell has nothing to open."""
ATTENTION: Final = frozenset({"fail", "stale deviation", "error"})
"""Outcomes a reader must act on: linked from the header, their row marked."""


def write(directory: Path, document: dict[str, Any]) -> Path:
    """Write DIRECTORY/report.json and DIRECTORY/report.html; return the json path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "report.json"
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (directory / "report.html").write_text(render_html(document), encoding="utf-8")
    return path


def render_html(document: Mapping[str, Any]) -> str:
    """The whole report page for DOCUMENT (a report.json document); no I/O.

    The sections render first: their cells collect the anchors of the failures,
    which the header then links to.
    """
    anchors = _Anchors()
    names = _implementation_names(document)
    title = "Conformance report: " + ", ".join(names)
    sections = [_matrix(document, names, anchors)]
    if document.get("interop"):
        sections.append(_interop(document["interop"], names, anchors))
    if document.get("kill_table"):
        sections.append(_kill_table(document["kill_table"]))
    if document.get("clause_table"):
        sections.append(_clause_table(document["clause_table"]))
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{_e(title)}</title>",
                f"<style>{CSS}</style>",
                "</head>",
                "<body>",
                _header(document, anchors),
                "<main>",
                *sections,
                "</main>",
                _footer(document),
                f"<script>{SCRIPT}</script>",
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )


def _e(value: object) -> str:
    """VALUE as text escaped for HTML content and attribute values alike; control characters
    (NUL, ANSI escapes, bidi overrides) shown as escapes such as ``\x1b``."""
    return escape(visible(str(value)), quote=True)


def _style(outcome: object) -> Style:
    """The style of OUTCOME; an unknown value is shown as such rather than dropped."""
    return STYLES.get(str(outcome), UNKNOWN_STYLE)


class _Anchors:
    """Unique, readable element ids (for #links to one failure), from untrusted names."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self.failures: list[tuple[str, str, str]] = []
        """(anchor, outcome, label) of every cell that needs attention, for the header."""

    def new(self, *parts: str) -> str:
        """An id made of PARTS (other characters replaced), never handed out twice."""
        base = re.sub(r"[^A-Za-z0-9_.-]+", "_", ".".join(parts)).strip("_") or "item"
        anchor, number = base, 1
        while anchor in self._used:
            number += 1
            anchor = f"{base}.{number}"
        self._used.add(anchor)
        return anchor


def _implementation_names(document: Mapping[str, Any]) -> list[str]:
    """Implementation names in --impl order, then any that only the results mention."""
    names = [str(item.get("name", "")) for item in document.get("implementations", [])]
    for result in document.get("results", []):
        name = str(result.get("implementation", ""))
        if name not in names:
            names.append(name)
    return names


# -- header --------------------------------------------------------------------------------


def _header(document: Mapping[str, Any], anchors: _Anchors) -> str:
    """Title, run facts, one card per implementation, the legend and links to the failures.

    Rendered after the sections, whose cells filled ANCHORS with the failures to link.
    """
    seed = document.get("seed")
    facts = [
        ("profile", _e(document.get("profile", "?"))),
        ("seed", "derandomized" if seed is None else _e(seed)),
        ("started", _e(document.get("started_at", "?"))),
        ("took", _e(_took(document.get("started_at"), document.get("finished_at")))),
    ]
    cards = [
        _implementation_card(document, item)
        for item in document.get("implementations", [])
        if isinstance(item, Mapping)
    ]
    return "\n".join(
        [
            "<header>",
            "<h1>ZeroMQ conformance report</h1>",
            '<p class="facts">'
            + " ".join(f"<span><b>{label}</b> {value}</span>" for label, value in facts)
            + f" <span><b>results</b> {_counts(document.get('summary', {}))}</span></p>",
            '<div class="cards">',
            *cards,
            "</div>",
            _run_errors(document.get("run_errors", [])),
            _legend(),
            _failure_list(anchors),
            "</header>",
        ]
    )


def _run_errors(errors: object) -> str:
    """Failures that belong to no item: the run proves nothing while there are any."""
    if not isinstance(errors, list) or not errors:
        return ""
    items = "".join(f"<li><pre>{_e(error)}</pre></li>" for error in errors)
    return (
        '<section class="run-errors"><h2>\u203c The run proves nothing: failures outside any '
        f"item</h2><ul>{items}</ul></section>"
    )


def _took(started: object, finished: object) -> str:
    """How long the run took, from the two ISO timestamps (or '?' if they do not parse)."""
    try:
        seconds = (
            dt.datetime.fromisoformat(str(finished)) - dt.datetime.fromisoformat(str(started))
        ).total_seconds()
    except (TypeError, ValueError):
        return "?"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _counts(summary: Mapping[str, Any]) -> str:
    """'33 pass · 5 FAIL ...' for the outcomes that occur, each in its own colour."""
    order = [*STYLES, *(outcome for outcome in summary if outcome not in STYLES)]
    shown = [
        f'<span class="count {_style(outcome).css}">'
        f"{_e(summary[outcome])} {_e(_style(outcome).label)}</span>"
        for outcome in order
        if summary.get(outcome)
    ]
    return " ".join(shown) or "none"


def _implementation_card(document: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    """One implementation: its verdict, manifest path, hash prefix, roles and counts."""
    name = str(item.get("name", ""))
    conforms = document.get("conforms", {}).get(name)
    if conforms is None:
        verdict = '<span class="verdict none">\u2013 not judged (no item selected)</span>'
    elif conforms:
        verdict = '<span class="verdict yes">\u2713 conforms</span>'
    else:
        verdict = '<span class="verdict no">\u2715 does not conform</span>'
    look = {None: "none", True: "yes"}.get(conforms, "no")
    sha = str(item.get("sha256", ""))
    counts: dict[str, int] = {}
    for result in document.get("results", []):
        if result.get("implementation") == name:
            counts[str(result.get("outcome"))] = counts.get(str(result.get("outcome")), 0) + 1
    roles = ", ".join(str(role) for role in item.get("roles", [])) or "none"
    return (
        f'<section class="card {look}">'
        f"<h2>{_e(name)} {verdict}</h2>"
        "<dl>"
        f"<dt>manifest</dt><dd><code>{_e(item.get('manifest', ''))}</code></dd>"
        f'<dt>sha256</dt><dd><code title="{_e(sha)}">{_e(sha[:12])}\u2026</code></dd>'
        f"<dt>roles</dt><dd>{_e(roles)}</dd>"
        f"<dt>results</dt><dd>{_counts(counts)}</dd>"
        "</dl></section>"
    )


def _legend() -> str:
    """What each chip means, with the chips themselves."""
    meaning = {
        "pass": "every example met the requirement",
        "fail": "an example broke it (opens to the details)",
        "not implemented": "the manifest has no such role",
        "known deviation": "failed, as the manifest declares",
        "stale deviation": "declared a deviation, but passed",
        "error": "the harness could not judge",
    }
    items = [f"<li>{_chip(outcome)} {_e(text)}</li>" for outcome, text in meaning.items()]
    return '<ul class="legend">' + "".join(items) + "</ul>"


def _failure_list(anchors: _Anchors) -> str:
    """Links to every failure, error and stale deviation, in page order."""
    if not anchors.failures:
        return ""
    links = [
        f'<li><a href="#{_e(anchor)}">{_chip(outcome)} {_e(label)}</a></li>'
        for anchor, outcome, label in anchors.failures
    ]
    return '<nav class="failures"><h2>To look at</h2><ul>' + "".join(links) + "</ul></nav>"


# -- the matrix -----------------------------------------------------------------------------


def _matrix(document: Mapping[str, Any], names: Sequence[str], anchors: _Anchors) -> str:
    """Requirement x implementation: a row per requirement that has results, in registry order."""
    by_cell: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for result in document.get("results", []):
        key = (str(result.get("requirement")), str(result.get("implementation")))
        by_cell.setdefault(key, []).append(result)
    requirements = list(document.get("requirements", []))
    known = {str(r.get("id")) for r in requirements}
    for requirement_id, _ in by_cell:
        if requirement_id not in known:
            known.add(requirement_id)
            requirements.append({"id": requirement_id, "title": "", "level": "", "roles": []})
    rows, skipped = [], []
    for requirement in requirements:
        cells = [by_cell.get((str(requirement.get("id")), name), []) for name in names]
        if any(cells):
            rows.append(_matrix_row(requirement, names, cells, anchors))
        else:
            skipped.append(str(requirement.get("id")))
    head = "".join(f'<th scope="col">{_e(name)}</th>' for name in names)
    note = (
        f'<p class="note">Not selected in this run: {_e(", ".join(skipped))}.</p>'
        if skipped
        else ""
    )
    return (
        '<section id="matrix"><h2>Requirements</h2>'
        '<table class="matrix">'
        f'<colgroup><col class="req">{"<col>" * len(names)}</colgroup>'
        f'<thead><tr><th scope="col">requirement</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{note}</section>"
    )


def _matrix_row(
    requirement: Mapping[str, Any],
    names: Sequence[str],
    cells: Sequence[Sequence[Mapping[str, Any]]],
    anchors: _Anchors,
) -> str:
    """One requirement: its id, level and title, then one cell per implementation."""
    requirement_id = str(requirement.get("id"))
    level = str(requirement.get("level", ""))
    order = [str(role) for role in requirement.get("roles", [])]
    loud = any(str(r.get("outcome")) in ATTENTION for cell in cells for r in cell)
    tds = [
        _matrix_cell(requirement_id, name, cell, order, anchors)
        for name, cell in zip(names, cells, strict=True)
    ]
    level_badge = f'<span class="level {_e(level)}">{_e(level.upper())}</span>' if level else ""
    return (
        f'<tr id="{_e(anchors.new("req", requirement_id))}"{" class=loud" if loud else ""}>'
        f'<th scope="row" title="{_e(requirement.get("source", ""))}">'
        f'<span class="rid">{_e(requirement_id)}</span> {level_badge}'
        f'<span class="rtitle">{_e(requirement.get("title", ""))}</span></th>'
        + "".join(tds)
        + "</tr>"
    )


def _matrix_cell(
    requirement_id: str,
    name: str,
    results: Sequence[Mapping[str, Any]],
    order: Sequence[str],
    anchors: _Anchors,
) -> str:
    """The results of one implementation for one requirement: a chip per role.

    A requirement of several roles shows the role on each chip; the roles the
    implementation lacks share one "not implemented" chip, so that what it does
    implement stands out.
    """
    if not results:
        return '<td class="empty">\u2014</td>'
    ranked = sorted(
        results,
        key=lambda r: order.index(str(r.get("role"))) if r.get("role") in order else len(order),
    )
    present = [r for r in ranked if r.get("outcome") != "not implemented"]
    absent = [str(r.get("role")) for r in ranked if r.get("outcome") == "not implemented"]
    if not present:
        return f'<td class="chips">{_chip("not implemented")}</td>'
    several = len(ranked) > 1 or len(order) > 1
    chips = [
        _result_chip(
            result,
            role=str(result.get("role")) if several else "",
            anchors=anchors,
            key=(name, requirement_id, str(result.get("role"))),
        )
        for result in present
    ]
    if absent:
        chips.append(_chip("not implemented", ", ".join(absent)))
    slots = "".join(f'<div class="slot">{chip}</div>' for chip in chips)
    return f'<td class="chips"><div class="slots">{slots}</div></td>'


def _chip(outcome: str, role: str = "", extra: str = "") -> str:
    """A coloured, labelled outcome: '[role] symbol label'."""
    style = _style(outcome)
    who = f'<span class="role">{_e(role)}</span> ' if role else ""
    return (
        f'<span class="chip {style.css}"{extra}>{who}'
        f'<span class="sym" aria-hidden="true">{_e(style.symbol)}</span> {_e(style.label)}</span>'
    )


def _result_chip(
    result: Mapping[str, Any],
    *,
    role: str,
    anchors: _Anchors,
    key: Sequence[str],
    label: str = "",
) -> str:
    """A chip, and for anything but a pass or an absent role, a <details> that opens to why.

    KEY names the cell (its parts make the element id, #linkable); LABEL, by default
    KEY's parts, names it in the header's list of things to look at.
    """
    outcome = str(result.get("outcome"))
    tip = _tooltip(result)
    if outcome in QUIET and not result.get("not_exercised"):
        return _chip(outcome, role, f' title="{_e(tip)}"' if tip else "")
    element_id = anchors.new(*key)
    if outcome in ATTENTION:
        anchors.failures.append((element_id, outcome, label or " ".join(key)))
    return (
        f'<details id="{_e(element_id)}" class="result open-{_style(outcome).css}">'
        f'<summary title="{_e(tip)}">{_chip(outcome, role)}{_partly(result)}</summary>'
        f'<div class="why">{_why(result, element_id)}</div></details>'
    )


def _tooltip(result: Mapping[str, Any]) -> str:
    """'6 examples, 0.42 s' for a hover: the cost of a verdict."""
    examples, duration = result.get("examples"), result.get("duration")
    if not examples and not duration:
        return ""
    return f"{examples or 0} examples, {float(duration or 0):.2f} s"


# -- what a failing cell opens to ----------------------------------------------------------


def _partly(result: Mapping[str, Any]) -> str:
    """A mark beside the chip of a result that left part of its requirement unexercised."""
    if not result.get("not_exercised"):
        return ""
    return ' <span class="partly">not all exercised</span>'


def _why(result: Mapping[str, Any], element_id: str = "") -> str:
    """Explanation, declared deviation, what was not exercised, expected vs seen, case file
    and replay, process logs."""
    parts = []
    if result.get("explanation"):
        parts.append(f'<p class="explanation">{_e(_clip(str(result["explanation"])))}</p>')
    for note in result.get("not_exercised") or ():
        parts.append(f'<p class="unexercised"><b>not exercised:</b> {_e(_clip(str(note)))}</p>')
    if result.get("deviation"):
        parts.append(
            '<p class="deviation"><b>declared deviation:</b> '
            f"{_e(_clip(str(result['deviation'])))}</p>"
        )
    if result.get("expected") or result.get("seen"):
        parts.append(
            '<dl class="diff">'
            f"<dt>expected</dt><dd><pre>{_e(_clip(str(result.get('expected', ''))))}</pre></dd>"
            f"<dt>seen</dt><dd><pre>{_e(_clip(str(result.get('seen', ''))))}</pre></dd></dl>"
        )
    case_file = result.get("case_file")
    if case_file:
        command = f"python -m conformance replay {shlex.quote(str(case_file))}"
        parts.append(
            f'<p class="case"><b>case file</b> <code>{_e(case_file)}</code></p>'
            f'<pre class="cmd">{_e(command)}</pre>'
        )
    parts.extend(_process_logs(result.get("processes") or {}, bool(case_file)))
    if element_id:
        parts.append(f'<p class="permalink"><a href="#{_e(element_id)}">link here</a></p>')
    return "".join(parts) or '<p class="explanation">no details recorded</p>'


def _process_logs(processes: Mapping[str, Any], have_case: bool) -> list[str]:
    """Each process's stdout and stderr in a <pre>, long ones cut in the middle."""
    blocks = []
    where = "the case file has all of it" if have_case else "the full log is not kept"
    for name, log in processes.items():
        log = log if isinstance(log, Mapping) else {}
        stdout = [str(line) for line in log.get("stdout") or []]
        stderr = str(log.get("stderr") or "").splitlines()
        streams = [
            f'<div class="stream"><span class="sname">{stream}</span>'
            f"<pre>{_e(_cut(lines, where)) if lines else '<i>(empty)</i>'}</pre></div>"
            for stream, lines in (("stdout", stdout), ("stderr", stderr))
        ]
        blocks.append(
            f'<details class="process" open><summary>process <code>{_e(name)}</code>: '
            f"{len(stdout)} stdout lines, {len(stderr)} stderr lines</summary>"
            + "".join(streams)
            + "</details>"
        )
    return blocks


def _cut(lines: Sequence[str], where: str) -> str:
    """LINES joined, without the middle of a long log (with a note saying so) and of long lines."""
    clipped = [
        line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + " \u2026 [line cut]"
        for line in lines
    ]
    if len(clipped) <= LOG_HEAD_LINES + LOG_TAIL_LINES:
        return "\n".join(clipped)
    omitted = len(clipped) - LOG_HEAD_LINES - LOG_TAIL_LINES
    note = f"\u2026 [{omitted} lines omitted; {where}] \u2026"
    return "\n".join([*clipped[:LOG_HEAD_LINES], note, *clipped[-LOG_TAIL_LINES:]])


def _clip(text: str) -> str:
    """TEXT, or its first MAX_TEXT_CHARS characters and a note when it is longer."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    return text[:MAX_TEXT_CHARS] + f"\n\u2026 [{len(text) - MAX_TEXT_CHARS} characters cut]"


# -- interop and kill table ----------------------------------------------------------------


def _side(entry: Mapping[str, Any], key: str) -> tuple[str, str]:
    """(implementation, role) of the client or server of an interop entry."""
    side = entry.get(key) or {}
    return str(side.get("implementation", "?")), str(side.get("role", "?"))


def _ordered(pairs: Iterable[tuple[str, str]], names: Sequence[str]) -> list[tuple[str, str]]:
    """PAIRS without repeats, by implementation (in --impl order), then role (in ROLES order)."""

    def rank(pair: tuple[str, str]) -> tuple[int, int]:
        implementation, role = pair
        return (
            names.index(implementation) if implementation in names else len(names),
            ROLES.index(role) if role in ROLES else len(ROLES),
        )

    return sorted(dict.fromkeys(pairs), key=rank)


def _interop(entries: Sequence[Mapping[str, Any]], names: Sequence[str], anchors: _Anchors) -> str:
    """The client x server grid: rows client implementation/role, columns server ones."""
    clients = _ordered((_side(entry, "client") for entry in entries), names)
    servers = _ordered((_side(entry, "server") for entry in entries), names)
    cells = {(_side(entry, "client"), _side(entry, "server")): entry for entry in entries}
    head = "".join(
        f'<th scope="col"><span class="impl">{_e(impl)}</span><br><span class="rn">{_e(role)}</span></th>'
        for impl, role in servers
    )
    rows = []
    for client in clients:
        tds = []
        for server in servers:
            entry = cells.get((client, server))
            if entry is None:
                tds.append('<td class="empty">\u2014</td>')
                continue
            chip = _result_chip(
                entry,
                role="",
                anchors=anchors,
                key=("interop", *client, *server),
                label=f"{client[0]} {client[1]} \u2192 {server[0]} {server[1]}",
            )
            tds.append(f"<td>{chip}</td>")
        rows.append(
            f'<tr><th scope="row"><span class="impl">{_e(client[0])}</span> <span class="rn">{_e(client[1])}</span></th>'
            + "".join(tds)
            + "</tr>"
        )
    return (
        '<section id="interop"><h2>Interop</h2>'
        '<p class="note">Rows: clients; columns: servers. Each implementation\u2019s clients '
        "against each implementation\u2019s servers.</p>"
        '<table class="grid"><thead><tr><th scope="col">client \u2193 / server \u2192</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _kill_table(entries: Sequence[Mapping[str, Any]]) -> str:
    """Mutants of the reference and whether the suite caught each: the suite's own test."""
    caught = sum(1 for entry in entries if entry.get("caught"))
    rows = [
        "<tr>"
        f"<td><code>{_e(entry.get('mutant', ''))}</code></td>"
        f"<td>{_e(entry.get('role', ''))}</td>"
        f'<td class="rid">{_e(entry.get("requirement", ""))}</td>'
        f"<td>{_e(entry.get('bug', ''))}</td>"
        + (
            '<td><span class="chip pass"><span class="sym">\u2713</span> caught</span></td>'
            if entry.get("caught")
            else '<td><span class="chip fail"><span class="sym">\u2715</span> MISSED</span></td>'
        )
        + "</tr>"
        for entry in entries
    ]
    return (
        '<section id="kill-table"><h2>Mutants</h2>'
        f'<p class="note">The suite caught {caught} of {len(entries)} mutants '
        "(copies of the reference with one deliberate bug each).</p>"
        '<table class="kills"><thead><tr><th scope="col">mutant</th><th scope="col">role</th>'
        '<th scope="col">requirement</th><th scope="col">bug</th><th scope="col">caught</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _clause_table(entries: Sequence[Mapping[str, Any]]) -> str:
    """Each clause of SPEC.md, the requirements that exercise it and its mutants: caught (one
    of them was), missed (none was), or none (no mutant; the reason if it cannot have one)."""
    verdicts = {
        "caught": '<span class="chip pass"><span class="sym">\u2713</span> caught</span>',
        "missed": '<span class="chip fail"><span class="sym">\u2715</span> missed</span>',
        "none": '<span class="chip none"><span class="sym">\u2013</span> none</span>',
    }
    must = [entry for entry in entries if entry.get("level") == "must"]
    caught = sum(1 for entry in must if entry.get("verdict") == "caught")
    rows = []
    for entry in entries:
        mutants = ", ".join(
            f"<code>{_e(m.get('mutant', ''))}</code> " + ("\u2713" if m.get("caught") else "\u2715")
            for m in entry.get("mutants", [])
        )
        rows.append(
            "<tr>"
            f'<td class="rid">{_e(entry.get("clause", ""))}</td>'
            f"<td>{_e(str(entry.get('level', '')).upper())}</td>"
            f"<td>{_e(entry.get('text', ''))}</td>"
            f"<td>{_e(' '.join(entry.get('exercised_by', [])))}</td>"
            f"<td>{mutants or _e(entry.get('unexercised', ''))}</td>"
            f"<td>{verdicts.get(str(entry.get('verdict')), _e(entry.get('verdict', '')))}</td>"
            "</tr>"
        )
    return (
        '<section id="clause-table"><h2>Clauses</h2>'
        f'<p class="note">MUST clauses: {len(must)}, covered and caught: {caught}. Each clause '
        "is a normative sentence of SPEC.md (or the part of one that a single bug can break), "
        "with the mutants that break it.</p>"
        '<table class="kills"><thead><tr><th scope="col">clause</th><th scope="col">level</th>'
        '<th scope="col">sentence</th><th scope="col">exercised by</th>'
        '<th scope="col">mutants</th><th scope="col">verdict</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _footer(document: Mapping[str, Any]) -> str:
    """Where the data comes from and how to read it by machine."""
    return (
        "<footer>report.json format "
        f"{_e(document.get('format', '?'))} (schema: conformance/report.schema.json) \u00b7 "
        "replay a failure: <code>python -m conformance replay CASE.json [--impl MANIFEST]</code>"
        "</footer>"
    )


CSS: Final = """
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#fff; --soft:#f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans",
  sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { padding: 0 24px; }
h1 { font-size: 22px; margin: 16px 0 4px; }
h2 { font-size: 17px; margin: 22px 0 8px; }
code, pre, .rid { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 12.5px; }
.facts { margin: 0 0 12px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; }
.facts b { color: var(--fg); font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-left: 6px solid #1a7f37; border-radius: 6px;
  padding: 8px 14px; min-width: 320px; max-width: 660px; flex: 1; }
.card.no { border-left: 6px double #b3261e; }
.card h2 { margin: 2px 0 6px; font-size: 17px; display: flex; gap: 10px; align-items: baseline; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; }
.card dt { color: var(--muted); }
.card dd { margin: 0; overflow-wrap: anywhere; }
.verdict { font-size: 13px; font-weight: 700; padding: 1px 8px; border-radius: 10px; }
.verdict.yes { background: #d3f3da; color: #0b5d1e; border: 1px solid #0b5d1e; }
.verdict.no { background: #b3261e; color: #fff; border: 2px solid #5c0a05; }
.verdict.none { background: #eee; color: #333; border: 1px dashed #333; }
.run-errors { border: 2px solid #b3261e; padding: 4px 12px; margin: 8px 0; }
.legend { list-style: none; padding: 0; margin: 12px 0 0; display: flex; flex-wrap: wrap;
  gap: 4px 16px; color: var(--muted); font-size: 12.5px; }
.failures ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap;
  gap: 4px 14px; }
.failures h2 { font-size: 14px; margin: 12px 0 4px; }
.failures a { color: var(--fg); text-decoration: none; }
.failures a:hover { text-decoration: underline; }
.chip { display: inline-block; white-space: nowrap; padding: 0 7px; border-radius: 4px;
  border: 1px solid transparent; font-size: 12.5px; line-height: 20px; }
.chip .role { font-weight: 400; opacity: .85; }
.chip .sym { display: inline-block; width: 1em; text-align: center; }
.chip.pass { background: #dcf5e1; color: #0b5d1e; border-color: #9bd3a8; }
.chip.fail { background: #b3261e; color: #fff; border: 2px solid #5c0a05; font-weight: 700; }
.chip.none { white-space: normal; background: transparent; color: #6e7781; border: 1px dashed #afb8c1; }
.chip.deviation { background: #fff3c4; color: #5c4300; border: 2px dotted #9a6700; }
.chip.stale { background: #efe3ff; color: #4a1d96; border: 2px dashed #6639ba; font-weight: 700; }
.chip.error { background: #24292f; color: #ffd33d; border: 2px solid #000; font-weight: 700; }
.count { padding: 0 5px; border-radius: 3px; }
.count.pass { color: #0b5d1e; } .count.fail, .count.error { font-weight: 700; color: #b3261e; }
.count.none { color: var(--muted); } .count.deviation { color: #7a5200; }
.count.stale { color: #4a1d96; font-weight: 700; }
table { border-collapse: collapse; }
.matrix { width: 100%; table-layout: fixed; }
.matrix col.req { width: 34%; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--soft); position: sticky; top: 0; z-index: 1; }
tbody th { font-weight: 400; }
tr.loud > th { box-shadow: inset 4px 0 0 #b3261e; }
.rid { font-weight: 700; }
.rtitle { display: block; color: var(--muted); font-size: 12.5px; }
.level { font-size: 10.5px; font-weight: 700; padding: 0 4px; border-radius: 3px;
  border: 1px solid var(--muted); color: var(--muted); vertical-align: 1px; }
.level.should { border-style: dashed; }
td.empty { color: #afb8c1; text-align: center; }
td.chips > .slots { display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: flex-start; }
.slot:has(details[open]) { flex-basis: 100%; }
details > summary { cursor: pointer; list-style: none; }
details > summary::-webkit-details-marker { display: none; }
details.result > summary::after { content: "\\25B8 details"; margin-left: 4px; font-size: 11.5px; color: var(--muted); }
details.result[open] > summary::after { content: " \\25BE"; }
details.result[open] { background: var(--soft); border: 1px solid var(--line);
  border-radius: 6px; padding: 6px; margin: 2px 0 6px; }
.why { margin-top: 6px; font-size: 13px; }
.why p { margin: 4px 0; }
.explanation { font-weight: 600; }
.diff { display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; margin: 6px 0; }
.diff dt { color: var(--muted); } .diff dd { margin: 0; min-width: 0; }
pre { margin: 0; padding: 4px 6px; background: #fff; border: 1px solid var(--line);
  border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 22em;
  overflow: auto; }
pre.cmd { background: #24292f; color: #f0f3f6; border-color: #24292f; }
.case code { overflow-wrap: anywhere; }
details.process { margin: 6px 0 0; }
details.process > summary { color: var(--muted); }
details.process > summary::before { content: "\\25B8"; margin-right: 4px; }
details.process[open] > summary::before { content: "\\25BE"; }
.stream { margin: 3px 0 0 12px; }
.sname { font-size: 11.5px; color: var(--muted); }
.permalink { text-align: right; font-size: 11.5px; }
.permalink a { color: var(--muted); }
.note { color: var(--muted); font-size: 12.5px; }
.partly { color: var(--muted); font-size: 11.5px; }
.grid { width: 100%; }
.grid th .impl { font-weight: 700; }
.grid th .rn { white-space: nowrap; }
.kills td.rid { white-space: nowrap; }
footer { margin: 28px 0 16px; color: var(--muted); font-size: 12px; border-top: 1px solid
  var(--line); padding-top: 8px; }
:target { outline: 3px solid #0969da; outline-offset: 2px; }
@media print { details > .why { display: block; } thead th { position: static; } }
"""
"""The page's style: system fonts, colour always paired with a symbol, a label and a border."""

SCRIPT: Final = """
function openTarget() {
  var id = decodeURIComponent(location.hash.slice(1));
  var el = id && document.getElementById(id);
  if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView({block: "nearest"}); }
}
window.addEventListener("hashchange", openTarget);
openTarget();
"""
"""A link to a failure (#id) opens its details: the only script of the page."""
