"""Reading the project's Markdown documents for the tests that tie them to the code.

Headings and the sections under them, tables, links and GitHub's heading anchors:
just what the document tests need, no Markdown library (fenced code is skipped,
nothing else is interpreted).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
CODE_SPAN = re.compile(r"`[^`]*`")


@dataclass(frozen=True)
class Section:
    """A heading and the lines under it, up to the next heading of the same or a higher level."""

    level: int
    title: str
    line: int
    body: tuple[str, ...]

    @property
    def text(self) -> str:
        """The body as one string, whitespace collapsed (a phrase may wrap)."""
        return " ".join(" ".join(self.body).split())


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """The numbered lines of PATH outside fenced code blocks."""
    found, in_fence = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            found.append((number, line))
    return found


def sections(path: Path) -> tuple[Section, ...]:
    """Every heading of PATH with its body; fenced code blocks hold no headings."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [
        (len(match[1]), match[2], number)
        for number, line in prose_lines(path)
        if (match := HEADING.match(line))
    ]
    result = []
    for index, (level, title, number) in enumerate(found):
        end = next((n for lv, _, n in found[index + 1 :] if lv <= level), len(lines) + 1)
        result.append(Section(level, title, number, tuple(lines[number : end - 1])))
    return tuple(result)


def titled(path: Path, title: str) -> Section:
    """The one section of PATH whose heading is TITLE, or else starts with it."""
    found = [s for s in sections(path) if s.title == title]
    found = found or [s for s in sections(path) if s.title.startswith(title)]
    assert len(found) == 1, f"{path.name} has {len(found)} sections titled {title!r}"
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


def slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = []
    for char in title.lower():
        if char in " -_" or unicodedata.category(char)[0] in "LN":
            kept.append(char)
    return "".join(kept).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(section.title) for section in sections(path)}


def links(path: Path) -> list[tuple[int, str]]:
    """Every link target of PATH outside code (fenced or in backticks), with the line it ends
    on; a link's text may wrap over lines."""
    found = []
    for paragraph in paragraphs(path):
        text = "\n".join(CODE_SPAN.sub("``", line) for _, line in paragraph)
        for match in LINK.finditer(text):
            found.append((paragraph[text[: match.end()].count("\n")][0], match["target"]))
    return found


def paragraphs(path: Path) -> list[list[tuple[int, str]]]:
    """The numbered prose lines of PATH in runs without a blank line."""
    runs: list[list[tuple[int, str]]] = [[]]
    for number, line in prose_lines(path):
        if line.strip():
            runs[-1].append((number, line))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]
