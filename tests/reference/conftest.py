"""Fixtures of the reference end-to-end tests: a sandbox per test, a served root, transports;
and the hook that runs an ``async def`` test in a ``trio.run`` of its own."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
import trio

from tests.reference.sandbox import Sandbox

HELLO = "Hello from the filer \N{CHECK MARK}\nsecond line\n"
"""The text of ``hello.txt`` in the served root: non-ASCII, several lines."""
MAX_SIZE = 64
"""The ``--max-size`` the filer tests pass, so that a too-large file is small."""


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run an ``async def`` test with trio, under its sandbox's supervisor (no plugin needed:
    one ``trio.run`` per test)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    sandbox = arguments.get("sandbox")
    assert isinstance(sandbox, Sandbox), "an async reference test takes the sandbox fixture"
    trio.run(sandbox.play, pyfuncitem.obj, arguments)
    return True


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    """The roles and sockets of one test; afterwards, no process, no ipc file and no
    endpoints folder may be left."""
    box = Sandbox(tmp_path)
    try:
        yield box
    finally:
        problems, leftovers = box.close()
    assert not problems, "\n".join(problems)
    assert not leftovers, f"ipc files left behind: {leftovers}"


@pytest.fixture(params=["tcp", "ipc"])
def transport(request: pytest.FixtureRequest) -> str:
    """Each test that takes this runs once over loopback TCP and once over ipc."""
    return str(request.param)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A served root with a good file and one file for each way a request can be refused."""
    served = tmp_path / "root"
    served.mkdir()
    (served / "hello.txt").write_text(HELLO, encoding="utf-8")
    (served / "exact.txt").write_bytes(b"x" * MAX_SIZE)
    (served / "big.txt").write_bytes(b"x" * (MAX_SIZE + 1))
    (served / "latin1.txt").write_bytes("caf\N{LATIN SMALL LETTER E WITH ACUTE}".encode("latin-1"))
    (served / "dir").mkdir()
    (served / "dir" / "inner.txt").write_text("inner\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the root\n", encoding="utf-8")
    (served / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (served / "inside-link.txt").symlink_to("hello.txt")
    return served
