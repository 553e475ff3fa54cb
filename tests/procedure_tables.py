"""The parts of docs/procedure.md that are rendered from the harness's code.

Two kinds of block, each between HTML comment markers so that they can be found and
rewritten: the table "At a glance" (each requirement's generated ranges, deadlines and
timers, whole-case budget and fixed cases, from the constants of ``conformance/properties/``)
and, under each requirement, the mutants of ``tests/mutants/catalogue.py`` that it catches.
``tests/test_procedure_document.py`` fails when the document and this rendering differ;
``python -m tests.procedure_tables --write`` rewrites the blocks after a change of the code.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path

from conformance import deadlines
from conformance.deadlines import READY_TIMEOUT
from conformance.properties import broker as broker_property
from conformance.properties import cluster, lifecycle, pubsub, reqrep, requesters
from conformance.properties.registry import property_for
from conformance.spec import REQUIREMENTS, Level
from tests.mutants.catalogue import MISSED, MUTANTS

PROCEDURE = Path(__file__).resolve().parent.parent / "docs" / "procedure.md"


Span = tuple[int, int]
Ranges = Sequence[tuple[str, Span]]
Timers = Sequence[tuple[str, float]]

GLANCE: dict[str, tuple[Ranges, Timers]] = {
    "LIFE-1": (
        [("broker payload bytes", lifecycle.PAYLOAD_SIZE)],
        [
            ("ready line", READY_TIMEOUT),
            ("connect", lifecycle.CONNECT_TIMEOUT),
            ("reply", lifecycle.REPLY_TIMEOUT),
            ("watcher's probe", pubsub.PROBE_TIMEOUT),
        ],
    ),
    "LIFE-2": ([("exchanges", lifecycle.EXCHANGES)], [("exit", lifecycle.STOP_TIMEOUT)]),
    "PUBSUB-1": (
        [("subscribers", pubsub.MessageFormat.subscribers), ("changes", pubsub.CHANGES)],
        [("probe, per subscriber", pubsub.PROBE_TIMEOUT), ("each change", pubsub.DELIVERY_TIMEOUT)],
    ),
    "PUBSUB-2": (
        [("subscribers", pubsub.Published.subscribers), ("changes", pubsub.CHANGES)],
        [
            ("probe every", pubsub.PROBE_INTERVAL),
            ("probe, per subscriber", pubsub.PROBE_TIMEOUT),
            ("late duplicates", deadlines.PROBE_DRAIN),
            ("each change, per subscriber", pubsub.DELIVERY_TIMEOUT),
        ],
    ),
    "PUBSUB-3": (
        [
            ("messages", pubsub.BATCH),
            ("paths", pubsub.PATHS),
            ("names per path", pubsub.NAMES_PER_PATH),
        ],
        [("subscription", pubsub.SUBSCRIPTION_TIMEOUT), ("lines", deadlines.LINES_TIMEOUT)],
    ),
    "PUBSUB-4": (
        [("batches", pubsub.RESTART_BATCHES), ("messages per batch", pubsub.BATCH)],
        [
            ("subscription", pubsub.SUBSCRIPTION_TIMEOUT),
            ("lines", deadlines.LINES_TIMEOUT),
            ("rebind", pubsub.REBIND_TIMEOUT),
        ],
    ),
    "PUBSUB-5": (
        [
            ("good messages", pubsub.BATCH),
            ("bad messages", pubsub.BAD_MESSAGES),
            ("junk bytes", pubsub.JUNK_BYTES),
            ("junk frames", pubsub.JUNK_FRAMES),
        ],
        [("lines", deadlines.LINES_TIMEOUT)],
    ),
    "REQREP-1": (
        [
            ("files", reqrep.FILES),
            ("symlinks", reqrep.LINKS),
            ("more requests", reqrep.MORE_REQUESTS),
            ("text characters", reqrep.TEXT_SIZE),
            ("repeated unit", reqrep.UNIT_SIZE),
        ],
        [("reply", reqrep.REPLY_TIMEOUT), ("stray replies", reqrep.STRAY_WATCH)],
    ),
    "REQREP-2": ([("texts", reqrep.VERSIONS)], [("reply", reqrep.REPLY_TIMEOUT)]),
    "REQREP-3": ([("bad requests", reqrep.KINDS)], [("reply", reqrep.REPLY_TIMEOUT)]),
    "REQREP-4": (
        [("clients", reqrep.CLIENTS), ("rounds", reqrep.ROUNDS)],
        [("reply", reqrep.REPLY_TIMEOUT), ("stray replies", reqrep.STRAY_WATCH)],
    ),
    "REQREP-5": (
        [("path names", requesters.PATH_NAMES)],
        [
            ("request", reqrep.REPLY_TIMEOUT),
            ("Sending line", deadlines.SENDING_LINE_TIMEOUT),
            ("exit", deadlines.REQUESTER_EXIT_TIMEOUT),
        ],
    ),
    "REQREP-6": (
        [("COUNT", requesters.LATE_COUNT), ("path names", requesters.PATH_NAMES)],
        [
            ("Sending line", deadlines.SENDING_LINE_TIMEOUT),
            ("bind after it (fixed case)", requesters.LATE_BIND),
            ("request", reqrep.REPLY_TIMEOUT),
        ],
    ),
    "REQREP-7": (
        [("COUNT", requesters.LOOP_COUNT), ("path names", requesters.PATH_NAMES)],
        [
            ("request", reqrep.REPLY_TIMEOUT),
            ("early request", requesters.LOCKSTEP_WINDOW),
            ("Sending line", deadlines.SENDING_LINE_TIMEOUT),
            ("exit", deadlines.REQUESTER_EXIT_TIMEOUT),
        ],
    ),
    "BROKER-1": (
        [
            ("exchanges", broker_property.EXCHANGES),
            ("frames", broker_property.FRAMES),
            ("burst", (1, broker_property.MAX_BURST)),
            ("short frame bytes", broker_property.SHORT_FRAME),
            ("filled frame bytes", broker_property.FILLED_FRAME),
            ("1 MiB frames", broker_property.LARGE_FRAMES),
        ],
        [
            ("late worker connects after", deadlines.LATE_WORKER),
            ("each message", broker_property.REPLY_TIMEOUT),
        ],
    ),
    "BROKER-2": (
        [
            ("workers", broker_property.WORKERS),
            ("clients", broker_property.CLIENTS),
            ("requests per client", broker_property.REQUESTS),
            ("tag bytes", broker_property.TAG_SIZE),
        ],
        [
            ("requests, replies", broker_property.REPLY_TIMEOUT),
            ("stray", broker_property.EXTRA_POLL),
        ],
    ),
    "CLUSTER-1": (
        [("workers", cluster.ONLINE_WORKERS)],
        [("online lines", cluster.ONLINE_TIMEOUT)],
    ),
    "CLUSTER-2": (
        [
            ("workers", cluster.SPREAD_WORKERS),
            ("clients", cluster.SPREAD_CLIENTS),
            ("requests per worker", cluster.PER_WORKER),
        ],
        [
            ("online lines", cluster.ONLINE_TIMEOUT),
            ("warm-up", cluster.WARMUP_TIMEOUT),
            ("reply", cluster.REPLY_TIMEOUT),
        ],
    ),
    "CLUSTER-3": (
        [
            ("workers", cluster.RESTART_WORKERS),
            ("kills", cluster.KILLS),
            ("kill after reply", cluster.KILL_AFTER),
            ("requests after the last kill", cluster.AFTER_LAST_KILL),
            ("tries", (1, cluster.TRIES)),
        ],
        [
            ("online lines", cluster.ONLINE_TIMEOUT),
            ("exit and online lines", cluster.RESTART_TIMEOUT),
            ("try", cluster.TRY_TIMEOUT),
        ],
    ),
    "CLUSTER-4": (
        [("workers", cluster.ONLINE_WORKERS), ("replies first", cluster.REPLIES_BEFORE_STOP)],
        [
            ("online lines", cluster.ONLINE_TIMEOUT),
            ("reply", cluster.REPLY_TIMEOUT),
            ("master's exit", cluster.Stopped.exit_within),
            ("workers gone", cluster.Stopped.gone_within),
        ],
    ),
    "CLUSTER-5": (
        [("workers", cluster.ONLINE_WORKERS), ("replies first", cluster.REPLIES_BEFORE_STOP)],
        [("online lines", cluster.ONLINE_TIMEOUT), ("workers gone", cluster.Orphans.gone_within)],
    ),
    "CLUSTER-6": (
        [
            ("workers", cluster.STALL_WORKERS),
            ("clients per worker", cluster.STALL_CLIENTS_PER_WORKER),
        ],
        [
            ("online lines", cluster.ONLINE_TIMEOUT),
            ("warm-up", cluster.WARMUP_TIMEOUT),
            ("stopped", cluster.STOPPED_TIMEOUT),
            ("stall", cluster.STALL_WINDOW),
            ("replies", cluster.REPLY_TIMEOUT),
        ],
    ),
}
"""For each requirement: the labelled ranges its cases are drawn from, and its labelled
deadlines and timers in seconds, each the code's own constant."""


def seconds(value: float) -> str:
    return f"{value:g} s"


def span(values: Span) -> str:
    return f"{values[0]}..{values[1]}"


def fixed_cases(requirement_id: str) -> int:
    """How many fixed cases the requirement's property runs before generated ones (the most
    over its roles)."""
    prop = property_for(requirement_id)()
    return max(len(prop.examples(role)) for role in prop.applies_to())


def glance() -> str:
    """The table "At a glance", one row per requirement in registry order."""
    rows = [
        "| Requirement | Generated | Deadlines and timers | Whole case | Fixed cases |",
        "|---|---|---|---|---|",
    ]
    for requirement in REQUIREMENTS:
        ranges, timers = GLANCE[requirement.id]
        generated = "; ".join(f"{label} {span(values)}" for label, values in ranges)
        waits = "; ".join(f"{label} {seconds(value)}" for label, value in timers)
        budget = seconds(property_for(requirement.id).timeout)
        rows.append(
            f"| [{requirement.id}](#{requirement.id.lower()}) | {generated} | {waits} | "
            f"{budget} | {fixed_cases(requirement.id)} |"
        )
    return "\n".join(rows)


def catches(requirement_id: str) -> str:
    """The mutants the requirement must fail, one bullet each, and those it is known to
    miss."""
    found = [mutant for mutant in MUTANTS if mutant.requirement == requirement_id]
    if not found:
        return "No mutant targets it."
    level = next(r.level for r in REQUIREMENTS if r.id == requirement_id)
    verb = "fails" if level is Level.MUST else "reports"
    lines = [f"It {verb} these mutants (`tests/mutants/`):", ""]
    for mutant in found:
        missed = f" **Missed:** {MISSED[mutant.name]}" if mutant.name in MISSED else ""
        lines.append(f"- `{mutant.name}` ({mutant.role}): {mutant.bug}.{missed}")
    return "\n".join(lines)


def blocks() -> dict[str, str]:
    """Every rendered block by its marker name: ``glance`` and ``catches:<ID>``."""
    found = {"glance": glance()}
    for requirement in REQUIREMENTS:
        found[f"catches:{requirement.id}"] = catches(requirement.id)
    return found


MARKED = re.compile(
    r"<!-- (?P<name>[a-z]+(?::[A-Z0-9-]+)?) -->\n(?P<body>.*?)\n?<!-- /[a-z]+ -->", re.S
)
"""A rendered block: ``<!-- NAME -->``, its lines, ``<!-- /KIND -->``."""


def found_blocks(text: str) -> dict[str, str]:
    """The blocks a document holds, by marker name, bodies stripped of surrounding blanks."""
    return {match["name"]: match["body"].strip("\n") for match in MARKED.finditer(text)}


def rendered(text: str) -> str:
    """TEXT with every marked block replaced by its rendering."""
    wanted = blocks()

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        kind = name.split(":")[0]
        return f"<!-- {name} -->\n{wanted[name]}\n<!-- /{kind} -->"

    return MARKED.sub(replace, text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite docs/procedure.md")
    args = parser.parse_args(argv)
    text = PROCEDURE.read_text(encoding="utf-8")
    new = rendered(text)
    if args.write:
        PROCEDURE.write_text(new, encoding="utf-8")
    else:
        print(new, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
