"""conformance.open_denial: a denied file cannot be opened by another process, root's
included, while the denial serves; it can once the denial closes; and REQREP-3 sends its
``unreadable`` kind exactly where a file can be made unreadable."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest
import trio

from conformance import open_denial
from conformance.open_denial import METADATA, OpenDenial, parse_events
from conformance.properties.reqrep import (
    UNREADABLE,
    UNREADABLE_AS_ROOT,
    ErrorReplies,
    bad_kinds,
)

DEADLINE = 20.0
"""Seconds a test's trio part may take in all (a slow machine starts Python in under 1 s)."""
READER = (
    "import os, sys\n"
    "path = sys.argv[1]\n"
    "print('size', os.stat(path).st_size, flush=True)\n"
    "try:\n"
    "    print('read', open(path).read())\n"
    "except OSError as error:\n"
    "    print('errno', error.errno)\n"
)
"""A child that stats the file, then reads it or prints why it could not."""

needs_denial = pytest.mark.skipif(
    not OpenDenial.available(), reason="no fanotify permission events here (root, Linux)"
)


async def read_in_child(path: Path) -> list[str]:
    """What READER printed for PATH, one line per item."""
    done = await trio.run_process(
        [sys.executable, "-c", READER, str(path)], capture_stdout=True, check=True
    )
    return done.stdout.decode().splitlines()


def test_parse_events_steps_by_event_length() -> None:
    first = METADATA.pack(METADATA.size, 3, 0, METADATA.size, 0x1_0000, 7, 100)
    second = METADATA.pack(METADATA.size, 3, 0, METADATA.size, 0x1_0000, -1, 200)
    events = list(parse_events(first + second))
    assert [(event.fd, event.pid) for event in events] == [(7, 100), (-1, 200)]
    with pytest.raises(OSError, match="fanotify event of 0 bytes"):
        list(parse_events(METADATA.pack(0, 3, 0, METADATA.size, 0, 7, 100)))


@pytest.mark.parametrize("number", [errno.EPERM, errno.EINVAL, errno.ENOSYS])
def test_unavailable_where_fanotify_init_fails(
    monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    def refuse() -> int:
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(open_denial, "_fanotify_init", refuse)
    assert not OpenDenial.available()
    with pytest.raises(OSError, match=os.strerror(number)):
        OpenDenial()


def test_other_errors_of_fanotify_init_are_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise OSError(errno.EMFILE, "too many open files")

    monkeypatch.setattr(open_denial, "_fanotify_init", refuse)
    with pytest.raises(OSError, match="too many"):
        OpenDenial.available()


def test_unavailable_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    open_denial._libc.cache_clear()
    monkeypatch.setattr(open_denial.sys, "platform", "darwin")
    try:
        assert not OpenDenial.available()
    finally:
        open_denial._libc.cache_clear()


@needs_denial
def test_a_child_cannot_open_a_denied_file_until_the_denial_closes(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("hello")

    async def main() -> None:
        with trio.fail_after(DEADLINE):
            with OpenDenial() as denial:
                denial.deny(path)
                async with trio.open_nursery() as nursery:
                    nursery.start_soon(denial.serve)
                    seen = await read_in_child(path)
                    nursery.cancel_scope.cancel()
                assert seen == ["size 5", f"errno {errno.EPERM}"]  # stat works, open does not
                assert denial.denied == 1
            assert await read_in_child(path) == ["size 5", "read hello"]

    trio.run(main)


@needs_denial
def test_an_open_left_waiting_goes_through_when_the_denial_closes(tmp_path: Path) -> None:
    """Nothing stays blocked: an open nobody answered is let through by the close."""
    path = tmp_path / "secret.txt"
    path.write_text("hello")

    async def main() -> None:
        with trio.fail_after(DEADLINE):
            denial = OpenDenial()
            try:
                denial.deny(path)
                async with trio.open_nursery() as nursery:
                    seen: list[str] = []

                    async def child() -> None:
                        seen.extend(await read_in_child(path))

                    nursery.start_soon(child)
                    await trio.lowlevel.wait_readable(denial.fileno())  # the child waits in open
                    denial.close()
            finally:
                denial.close()
            assert seen == ["size 5", "read hello"]
            assert denial.denied == 0

    trio.run(main)


def test_reqrep_3_sends_unreadable_where_a_file_can_be_unreadable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not root: mode 000 does it. Root: only by denying opens, and only for a caller that
    serves the denial; otherwise the item says the kind was not exercised."""
    prop = ErrorReplies()
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(OpenDenial, "available", staticmethod(lambda: False))
    assert UNREADABLE in bad_kinds() and UNREADABLE in bad_kinds(denial=False)
    assert prop.not_exercised("filer-rep") == []
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert UNREADABLE not in bad_kinds()
    assert prop.not_exercised("filer-rep") == [UNREADABLE_AS_ROOT]
    assert UNREADABLE not in prop.examples("filer-rep")[0].steps
    monkeypatch.setattr(OpenDenial, "available", staticmethod(lambda: True))
    assert UNREADABLE in bad_kinds() and UNREADABLE not in bad_kinds(denial=False)
    assert prop.not_exercised("filer-rep") == []
    assert UNREADABLE in prop.examples("filer-rep")[0].steps
