"""Each requirement is declared once, in the checker module that judges it, with its clauses;
spec and clauses collect them in SPEC.md order."""

from __future__ import annotations

import importlib
import pkgutil

from conformance import checks, clauses, spec


def checker_modules() -> list[object]:
    return [
        importlib.import_module(f"{checks.__name__}.{info.name}")
        for info in pkgutil.iter_modules(checks.__path__)
    ]


def test_a_module_declares_the_clauses_of_its_own_requirements_only() -> None:
    for module in checker_modules():
        ids = {requirement.id for requirement in getattr(module, "REQUIREMENTS", ())}
        declared = getattr(module, "CLAUSES", ())
        assert {clause.section for clause in declared} <= ids, module
        assert all(clause.id.startswith(f"{clause.section}.") for clause in declared)


def test_every_requirement_is_declared_once_and_ordered_as_spec_md() -> None:
    declared = [r.id for m in checker_modules() for r in getattr(m, "REQUIREMENTS", ())]
    assert sorted(declared) == sorted(spec.BY_ID) and len(declared) == len(set(declared))
    keys = [(spec.GROUPS.index(r.pattern), r.number) for r in spec.REQUIREMENTS]
    assert keys == sorted(keys)


def test_clauses_run_section_3_then_the_requirements_then_section_5() -> None:
    sections = list(dict.fromkeys(clause.section for clause in clauses.CLAUSES))
    requirement_sections = [s for s in sections if s in spec.BY_ID]
    assert requirement_sections == [r.id for r in spec.REQUIREMENTS if clauses.clauses_of(r.id)]
    assert sections[: sections.index(requirement_sections[0])] == sorted(
        s for s in sections if s.startswith("3.")
    )
    assert sections[-1] == "5"
