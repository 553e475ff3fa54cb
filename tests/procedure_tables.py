"""The parts of docs/procedure.md that are rendered from the harness's code.

The general sections above ``## Requirements`` are written by hand, except the table "At a
glance" between its HTML comment markers: each requirement's generated ranges, deadlines and
timers (its property's ``glance``), whole-case budget and fixed cases. Everything from
``## Requirements`` on is rendered, one section per requirement: its title (SPEC.md) and roles,
its procedure and what it does not check (the docstring of its ``Property`` class in
``conformance/properties/``), and the mutants of ``tests/mutants/catalogue.py`` it catches.
``tests/test_procedure_document.py`` fails when the document and this rendering differ;
``python -m tests.procedure_tables --write`` rewrites the document after a change of the code.
"""

from __future__ import annotations

import argparse
import inspect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from conformance.properties import Glance, Span
from conformance.properties.registry import property_for
from conformance.spec import REQUIREMENTS, Level, Requirement
from tests.markdown_document import slug, titled
from tests.mutants.catalogue import MISSED, MUTANTS

ROOT = Path(__file__).resolve().parent.parent
PROCEDURE = ROOT / "docs" / "procedure.md"
SPEC = ROOT / "SPEC.md"

WIDTH = 96
"""The document's line width: a requirement's title line wraps before its link beyond it."""
REQUIREMENTS_HEADING = "## Requirements\n"
"""Where the rendered part of the document begins; it runs to the end."""
RENDERED_NOTE = (
    "<!-- Rendered by `python -m tests.procedure_tables --write` from the docstrings of the\n"
    "Property classes in conformance/properties/ and from tests/mutants/catalogue.py: edit those,\n"
    "not this part. -->"
)
"""Under the heading: tells an editor of the document where the text below comes from."""
NOT_CHECKED = "**Not checked.**"
"""The paragraph of a property's docstring that says what its requirement's check leaves out."""


def seconds(value: float) -> str:
    return f"{value:g} s"


def span(values: Span) -> str:
    return f"{values[0]}..{values[1]}"


def glance_of(requirement_id: str) -> Glance:
    """The requirement's row of "At a glance", declared on its own property class (a subclass
    does not inherit its parent's: its ranges differ)."""
    prop = property_for(requirement_id)
    found = vars(prop).get("glance")
    if not isinstance(found, Glance):
        raise ValueError(f"{prop.__name__} ({requirement_id}) declares no glance of its own")
    return found


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
        row = glance_of(requirement.id)
        generated = "; ".join(f"{label} {span(values)}" for label, values in row.ranges)
        waits = "; ".join(f"{label} {seconds(value)}" for label, value in row.timers)
        budget = seconds(property_for(requirement.id).timeout)
        rows.append(
            f"| [{requirement.id}](#{requirement.id.lower()}) | {generated} | {waits} | "
            f"{budget} | {fixed_cases(requirement.id)} |"
        )
    return "\n".join(rows)


@dataclass(frozen=True)
class Procedure:
    """A property's docstring, in its three parts."""

    summary: str
    """The first paragraph: for readers of the code, not rendered."""
    text: str
    """What the harness sets up, sends, waits for and judges (Markdown)."""
    not_checked: str
    """The lines under ``**Not checked.**`` (Markdown)."""


def procedure(requirement_id: str) -> Procedure:
    """The procedure its property's own docstring gives for the requirement."""
    prop = property_for(requirement_id)
    doc = inspect.cleandoc(prop.__doc__ or "")
    summary, _, rest = doc.partition("\n\n")
    text, found, not_checked = rest.partition(f"\n\n{NOT_CHECKED}\n")
    if not (summary and text.strip() and found and not_checked.strip()):
        raise ValueError(
            f"the docstring of {prop.__name__} ({requirement_id}) needs a summary line, its "
            f"procedure and a paragraph {NOT_CHECKED!r}, each after a blank line"
        )
    return Procedure(summary, text, not_checked)


def title_line(requirement: Requirement) -> str:
    """``*Short title* (`role`, ...; [SPEC.md](...#anchor))``, the title from SPEC.md's
    heading of the requirement, wrapped before the link when too long."""
    heading = titled(SPEC, f"{requirement.id}:").title
    short = heading.removeprefix(f"{requirement.id}:").strip()
    roles = ", ".join(f"`{role}`" for role in requirement.roles)
    head = f"*{short}* ({roles};"
    link = f"[SPEC.md](../SPEC.md#{slug(heading)}))"
    one_line = f"{head} {link}"
    return one_line if len(one_line) <= WIDTH else f"{head}\n{link}"


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


def section(requirement: Requirement) -> str:
    """The requirement's section: heading, title line, procedure, mutants, not checked."""
    found = procedure(requirement.id)
    return (
        f"### {requirement.id}\n\n{title_line(requirement)}\n\n{found.text}\n\n"
        f"**Catches.** <!-- catches:{requirement.id} -->\n{catches(requirement.id)}\n"
        f"<!-- /catches -->\n\n{NOT_CHECKED}\n{found.not_checked}\n"
    )


def requirements_part() -> str:
    """The document from ``## Requirements`` to its end."""
    sections = "\n".join(section(requirement) for requirement in REQUIREMENTS)
    return f"{REQUIREMENTS_HEADING}\n{RENDERED_NOTE}\n\n{sections}"


GLANCE_BLOCK = re.compile(r"<!-- glance -->\n.*?\n?<!-- /glance -->", re.S)
"""The table "At a glance" between its markers."""


def rendered(text: str) -> str:
    """TEXT, the document, with its glance table and its requirements part rendered anew."""
    head, found, _ = text.partition(f"\n{REQUIREMENTS_HEADING}")
    if not found or len(GLANCE_BLOCK.findall(head)) != 1:
        raise ValueError(
            f"docs/procedure.md needs one <!-- glance --> block above a line {REQUIREMENTS_HEADING!r}"
        )
    table = f"<!-- glance -->\n{glance()}\n<!-- /glance -->"
    return GLANCE_BLOCK.sub(lambda _: table, head) + "\n" + requirements_part()


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
