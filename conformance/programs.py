"""Whether every role's program can be started, checked once before any case.

A manifest whose ``argv[0]`` names nothing executable would otherwise turn every item into
an error with a traceback; here it is a usage error that names ``roles.<role>.argv[0]``.
Run after ``setup``, which may build the program. A program whose path depends on values
known only per case (``{tmp}``, ``{root}``, an endpoint) is not checked here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conformance.manifest import (
    DEFAULT_CWD,
    Manifest,
    ManifestError,
    Problem,
    RoleSpec,
    expand,
    key_path,
    placeholders,
)
from conformance.world import inherited_environment

KNOWN_BEFORE_A_CASE = frozenset({"python", "here"})


def check_programs(manifest: Manifest) -> None:
    """Raise ManifestError naming each role whose program does not exist or cannot run."""
    problems = [
        problem
        for role, spec in manifest.roles.items()
        if (problem := _program_problem(manifest, role, spec)) is not None
    ]
    if problems:
        raise ManifestError(manifest.path, problems)


def _program_problem(manifest: Manifest, role: str, spec: RoleSpec) -> Problem | None:
    template = spec.argv[0]
    if not placeholders(template) <= KNOWN_BEFORE_A_CASE:
        return None
    program = expand(template, manifest.base_values())
    key = key_path("roles", role, "argv", 0)
    if "/" not in program:
        search = _search_path(manifest, spec)
        if search is None or shutil.which(program, path=search) is not None:
            return None
        return Problem(key, f"{program!r} is not a command on PATH ({search}); give its path")
    path = Path(program)
    if not path.is_absolute():
        cwd = spec.cwd or DEFAULT_CWD
        if not placeholders(cwd) <= KNOWN_BEFORE_A_CASE:
            return None
        path = manifest.here / expand(cwd, manifest.base_values()) / path
    if not path.exists():
        return Problem(key, f"{program!r}: no such file ({path}); did setup build it?")
    if path.is_dir() or not os.access(path, os.X_OK):
        return Problem(key, f"{program!r} is not an executable file ({path})")
    return None


def _search_path(manifest: Manifest, spec: RoleSpec) -> str | None:
    """The PATH the role's process will search, or None if it depends on a case's values."""
    template = spec.env.get("PATH")
    if template is None:
        return inherited_environment().get("PATH", os.defpath)
    if not placeholders(template) <= KNOWN_BEFORE_A_CASE:
        return None
    return expand(template, manifest.base_values())
