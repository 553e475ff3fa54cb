"""Case files write and read back every event, and older case files still replay."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import casefile, corpus, facts, model
from conformance.properties.registry import property_for


def every_event_type() -> set[type[model.Event]]:
    found: set[type[model.Event]] = set()
    frontier = [model.Event]
    while frontier:
        for kind in frontier.pop().__subclasses__():
            found.add(kind)
            frontier.append(kind)
    return found


def test_every_event_type_has_a_name_in_case_files() -> None:
    assert set(casefile.EVENT_TYPES.values()) == every_event_type()
    assert len(casefile.EVENT_TYPES) == len(every_event_type())  # no two share a name


TEXT = st.text(max_size=20)
SECONDS = st.floats(0, 1e6)  # finite: a NaN would not equal itself after the round trip
BY_TYPE: dict[object, st.SearchStrategy[Any]] = {"str": TEXT, str: TEXT, "float": SECONDS}


def events_of(kind: type[model.Event]) -> st.SearchStrategy[model.Event]:
    chosen = {
        field.name: BY_TYPE[field.type]
        for field in dataclasses.fields(kind)
        if field.type in BY_TYPE  # the other fields are drawn from their types
    }
    return st.builds(kind, **chosen)


EVENTS = st.one_of(
    *(events_of(kind) for kind in sorted(casefile.EVENT_TYPES.values(), key=lambda k: k.__name__))
)


@settings(max_examples=300)
@given(st.lists(EVENTS, max_size=6))
def test_events_survive_a_case_file(events: list[model.Event]) -> None:
    transcript = model.Transcript(events=list(events))
    written: dict[str, Any] = {
        "format": casefile.FORMAT_VERSION,
        "transcript": casefile.events_to_json(transcript),
    }
    read = json.loads(json.dumps(written))
    assert casefile.events_from_json(read) == events


def test_facts_are_read_as_objects_not_text() -> None:
    transcript = model.Transcript()
    transcript.record(facts.SeenAlive, pid=201, alive=False)
    transcript.record(facts.EarlyRequest, before_reply=2, frames=(b"", b"\xff"))
    transcript.record(facts.ReadyPattern, process="broker", pattern=None)
    document = json.loads(
        json.dumps({"format": 2, "transcript": casefile.events_to_json(transcript)})
    )
    alive, early, ready = casefile.events_from_json(document)
    assert alive == facts.SeenAlive(at=0.0, pid=201, alive=False)
    assert isinstance(early, facts.EarlyRequest) and early.frames == (b"", b"\xff")
    assert isinstance(ready, facts.ReadyPattern) and ready.pattern is None


def test_a_format_1_case_file_still_replays_but_its_notes_do_not_read_back() -> None:
    """The corpus was written in format 1: its cases load; a transcript of untyped notes
    says why it cannot be read as events."""
    entries = corpus.load()
    assert entries
    for entry in entries:
        prop = property_for(entry.requirement)
        assert corpus.cases_for(prop, entry.role, [entry])
    old = {
        "format": 1,
        "transcript": [{"event": "Note", "at": 0.1, "key": "alive", "text": "201 True"}],
    }
    with pytest.raises(casefile.CaseFileError, match="format 1 holds untyped notes"):
        casefile.events_from_json(old)


def test_an_unknown_format_is_refused_with_the_formats_it_reads(tmp_path: Path) -> None:
    path = tmp_path / "future.json"
    path.write_text(json.dumps({"format": 99, "requirement": "REQREP-1"}))
    with pytest.raises(casefile.CaseFileError, match="not a case file of format 1 or 2"):
        casefile.read(path)
