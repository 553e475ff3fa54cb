"""Checkers and the model stay pure: no sockets, processes or event loop (see conformance.checks)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import conformance

PACKAGE = Path(conformance.__file__).parent
PURE = [*sorted(PACKAGE.glob("checks/*.py")), PACKAGE / "model.py", PACKAGE / "spec.py"]
FORBIDDEN = {"zmq", "trio", "subprocess", "socket", "os", "signal", "threading", "asyncio"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", PURE, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_pure_module_does_no_io(path: Path) -> None:
    assert not imported_modules(path) & FORBIDDEN
