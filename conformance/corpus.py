"""The regression corpus: minimal cases that once caught a real bug, replayed on every run.

Each file in ``conformance/corpus/`` is a case file (conformance.casefile). A
target replays the corpus cases of its requirement and role first, as
hypothesis ``@example``s, then generates new ones.
``python -m conformance corpus add CASE.json`` adds one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance import casefile
from conformance.properties import Case, Property

CORPUS = Path(__file__).with_name("corpus")


@dataclass(frozen=True)
class Entry:
    """One corpus case: where it is, what it checks, its data."""

    path: Path
    requirement: str
    role: str
    case: dict[str, Any]


def load(directory: Path = CORPUS) -> list[Entry]:
    """Every case file in DIRECTORY, sorted by name; CaseFileError for a broken one."""
    entries = []
    for path in sorted(directory.glob("*.json")):
        content = casefile.read(path)
        entries.append(Entry(path, content["requirement"], content["role"], content["case"]))
    return entries


def cases_for(prop: type[Property[Any]], role: str, entries: list[Entry]) -> list[Case]:
    """The corpus cases of PROP's requirement for ROLE, as case objects."""
    return [
        casefile.case_from_json(prop.case_type, entry.case)
        for entry in entries
        if entry.requirement == prop.requirement_id and entry.role == role
    ]


def add(case_file: Path, directory: Path = CORPUS, name: str | None = None) -> Path:
    """Copy a case file into the corpus, without its logs (the case data is what counts)."""
    content = casefile.read(case_file)
    kept = {
        key: content[key] for key in ("format", "requirement", "role", "implementation", "case")
    }
    kept["found_by"] = {
        key: content.get(key) for key in ("written_at", "seed", "profile", "reproduce_failure")
    }
    kept["verdict"] = content.get("verdict")
    target = directory / (name or case_file.name)
    if not target.name.endswith(".json"):
        target = target.with_name(target.name + ".json")
    directory.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target
