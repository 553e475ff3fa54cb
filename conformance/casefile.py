"""Case files: one failing example written down in full, so that it can be run again.

A case file is JSON (version 2; see below). It holds the requirement and
role, the implementation's manifest (path, name, sha256), the generated case
data in full, the hypothesis seed and ``@reproduce_failure`` blob where there
is one, the verdict (explanation, expected, seen) and the transcript with the
stdout and stderr of every process. ``python -m conformance replay CASE.json``
reads the case data back and runs exactly that example.

Bytes are written as ``{"base64": "..."}`` and tuples as lists; the case's
dataclass is named by ``case_type`` and rebuilt field by field, and each event of the
transcript by its ``event`` name (:func:`events_from_json`).

Version 2 replaced version 1's untyped notes (``{"event": "Note", "key": ..., "text":
...}``) with typed events (:mod:`conformance.facts`). A version-1 file still reads and
replays (its case data is the same); only its transcript cannot be read back as events.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import types
import typing
from pathlib import Path
from typing import Any

from conformance import facts, model
from conformance.errors import UsageError
from conformance.properties import Case
from conformance.runner import CaseResult

FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)
"""Versions :func:`read` takes: a case file of version 1 replays as well."""
EVENT_TYPES: dict[str, type[model.Event]] = {
    kind.__name__: kind for kind in (*model.EVENTS, *facts.FACTS)
}
"""Every event a transcript may hold, by the name a case file gives it."""


class CaseFileError(UsageError):
    """A case file that cannot be read back, with the reason."""


def to_json(value: Any) -> Any:
    """Plain JSON data for a case, an event or a verdict (bytes as base64, tuples as lists)."""
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, (tuple, list)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_json(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, model.Outcome):
        return value.value
    return value


def from_json(kind: Any, value: Any) -> Any:
    """Rebuild a value of type KIND (a dataclass, tuple, bytes, union...) from to_json's output."""
    origin = typing.get_origin(kind)
    if kind is bytes:
        if not isinstance(value, dict) or "base64" not in value:
            raise CaseFileError(f"expected {{'base64': ...}}, got {value!r:.80}")
        return base64.b64decode(value["base64"])
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(kind):
            try:
                return from_json(option, value)
            except (CaseFileError, TypeError, ValueError):
                continue
        raise CaseFileError(f"{value!r:.80} matches none of {kind}")
    if origin is tuple:
        arguments = typing.get_args(kind)
        if not isinstance(value, list):
            raise CaseFileError(f"expected a list for {kind}, got {value!r:.80}")
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(from_json(arguments[0], item) for item in value)
        if len(arguments) != len(value):
            raise CaseFileError(f"expected {len(arguments)} items for {kind}, got {len(value)}")
        return tuple(
            from_json(argument, item) for argument, item in zip(arguments, value, strict=True)
        )
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, dict):
            raise CaseFileError(f"expected an object for {kind.__name__}, got {value!r:.80}")
        hints = typing.get_type_hints(kind)
        fields = {field.name for field in dataclasses.fields(kind)}
        unknown = set(value) - fields
        if unknown:
            raise CaseFileError(f"unknown fields {sorted(unknown)} for {kind.__name__}")
        return kind(**{name: from_json(hints[name], item) for name, item in value.items()})
    if kind is float and isinstance(value, int):
        return float(value)
    if kind in (str, int, float, bool) and type(value) is not kind:
        raise CaseFileError(f"expected {kind.__name__}, got {value!r:.80}")
    return value


def case_to_json(case: Case) -> dict[str, Any]:
    return {"case_type": type(case).__name__, "data": to_json(case)}


def case_from_json(kind: type[Case], document: dict[str, Any]) -> Case:
    if document.get("case_type") != kind.__name__:
        raise CaseFileError(
            f"the case is a {document.get('case_type')!r}, but this property takes a {kind.__name__!r}"
        )
    case = from_json(kind, document["data"])
    assert isinstance(case, Case)
    return case


def events_to_json(transcript: model.Transcript) -> list[dict[str, Any]]:
    return [{"event": type(event).__name__, **to_json(event)} for event in transcript.events]


def events_from_json(document: dict[str, Any]) -> list[model.Event]:
    """The transcript of a case file (:func:`read`'s result) as events again."""
    if document.get("format") != FORMAT_VERSION:
        raise CaseFileError(
            f"a case file of format {document.get('format')} holds untyped notes, which "
            f"format {FORMAT_VERSION} no longer has: its case replays, its transcript does not "
            "read back as events"
        )
    events = []
    for entry in document.get("transcript", []):
        if not isinstance(entry, dict) or entry.get("event") not in EVENT_TYPES:
            raise CaseFileError(f"not an event of format {FORMAT_VERSION}: {entry!r:.120}")
        fields = {key: value for key, value in entry.items() if key != "event"}
        events.append(from_json(EVENT_TYPES[entry["event"]], fields))
    return events


def process_logs(transcript: model.Transcript) -> dict[str, dict[str, Any]]:
    """Every process's stdout lines and stderr text, by process name."""
    names = {event.process for event in transcript.of(model.Started)} | set(transcript.stderr)
    return {
        name: {"stdout": transcript.printed(name), "stderr": transcript.stderr.get(name, "")}
        for name in sorted(names)
    }


def document(
    result: CaseResult, *, seed: int | None, profile: str, reproduce: str | None
) -> dict[str, Any]:
    """The case file's content for one result."""
    return {
        "format": FORMAT_VERSION,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "requirement": result.requirement,
        "role": result.role,
        "implementation": {
            "name": result.manifest.name,
            "manifest": str(result.manifest.path),
            "sha256": result.manifest.sha256,
        },
        "peers": {
            role: {"name": peer.name, "manifest": str(peer.path), "sha256": peer.sha256}
            for role, peer in result.peers.items()
        },
        "profile": profile,
        "seed": seed,
        "reproduce_failure": reproduce,
        "case": case_to_json(result.case),
        "verdict": to_json(result.verdict),
        "processes": process_logs(result.transcript),
        "transcript": events_to_json(result.transcript),
    }


def write(directory: Path, content: dict[str, Any]) -> Path:
    """Write a case file into DIRECTORY under a name that says what it is; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(content, indent=1, ensure_ascii=False)
    digest = hashlib.sha256(json.dumps(content["case"], sort_keys=True).encode()).hexdigest()[:10]
    name = f"{content['implementation']['name']}-{content['requirement']}-{content['role']}-{digest}.json"
    path = directory / _safe(name)
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> dict[str, Any]:
    """Read a case file; CaseFileError says what is wrong with it."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CaseFileError(f"{path}: {error.strerror}") from None
    except ValueError as error:
        raise CaseFileError(f"{path}: not JSON ({error})") from None
    if not isinstance(content, dict) or content.get("format") not in READABLE_FORMATS:
        formats = " or ".join(map(str, READABLE_FORMATS))
        raise CaseFileError(f"{path}: not a case file of format {formats}")
    for key in ("requirement", "role", "case", "implementation"):
        if key not in content:
            raise CaseFileError(f"{path}: missing {key!r}")
    sides = {"implementation": content["implementation"]}
    peers = content.get("peers", {})
    if not isinstance(peers, dict):
        raise CaseFileError(f"{path}: 'peers' is not an object")
    sides.update({f"peers.{role}": peer for role, peer in peers.items()})
    for where, side in sides.items():
        if not isinstance(side, dict) or not isinstance(side.get("manifest"), str):
            raise CaseFileError(f"{path}: {where} has no 'manifest' path")
    return content


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.+" else "_" for c in name)
