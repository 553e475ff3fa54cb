"""Checkers and the model stay pure: no clock, file, process, socket or event loop.

A pure module imports only harmless standard modules (text, data, the constants of
``signal``) and other pure modules of the package, and calls no ``open``, ``eval``,
``exec`` or ``__import__``: what it computes depends on its arguments alone, so checkers
are tested on hand-made transcripts (see conformance.checks).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import conformance

PACKAGE = Path(conformance.__file__).parent
PURE_MODULES = ("model", "facts", "spec", "roles", "deadlines", "errors", "clauses", "normative")
PURE = sorted([*PACKAGE.glob("checks/*.py"), *(PACKAGE / f"{name}.py" for name in PURE_MODULES)])
HARMLESS = {
    "__future__",
    "collections",
    "dataclasses",
    "enum",
    "functools",
    "itertools",
    "json",
    "math",
    "re",
    "signal",  # for its constants and names; sending a signal needs os
    "string",
    "types",
    "typing",
    "unicodedata",
}
"""Standard modules a pure module may import; everything else (time, os, pathlib, socket,
subprocess, threading, asyncio, zmq, trio, ...) is I/O or a clock."""
COLLECTORS = {"spec.py", "clauses.py"}
"""They collect the declarations of the checker modules: they may list the package's own
modules (importlib, pkgutil), and nothing else beyond HARMLESS."""
DISCOVERY = {"importlib", "pkgutil"}
FORBIDDEN_CALLS = {"open", "eval", "exec", "compile", "__import__", "input", "print"}


def pure_names() -> set[str]:
    return {
        "conformance." + path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        for path in PURE
    } | {"conformance.checks"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module in ("conformance", "conformance.checks"):  # a package: its modules
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return found


def called_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


@pytest.mark.parametrize("path", PURE, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_pure_module_does_no_io(path: Path) -> None:
    allowed = HARMLESS | (DISCOVERY if path.name in COLLECTORS else set())
    impure = {
        module
        for module in imported_modules(path)
        if module.split(".")[0] not in allowed and module not in pure_names()
    }
    assert not impure
    assert not called_names(path) & FORBIDDEN_CALLS


def test_the_guard_catches_a_clock_and_a_file(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "import time\nfrom pathlib import Path\nfrom conformance import world\n"
        "def f():\n    return open('x')\n"
    )
    assert imported_modules(sneaky) - HARMLESS == {"time", "pathlib", "conformance.world"}
    assert "open" in called_names(sneaky)
