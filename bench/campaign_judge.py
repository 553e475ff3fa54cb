"""What a reply of the fuzz and soak campaigns may be, and whether the one that came is.

Pure logic, no sockets. :func:`expect_request` is an oracle for SPEC.md §3.5: from
the frames of a request alone it says which replies are allowed (an error reply
with one of some codes, or a content reply with one of some texts).
:func:`judge_reply` checks a reply against that, reading it with the suite's own
reader (:func:`conformance.checks.messages.read_reply`) and adding what the
campaign needs beyond it: a documented code, an allowed content, a known pid.
:func:`judge_echo` does the same for a message forwarded by the broker.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.checks.messages import read_reply

ERROR_CODES = frozenset(
    {"bad_request", "forbidden", "not_found", "not_a_file", "too_large", "unreadable", "not_utf8"}
)
"""The error codes of SPEC.md §3.5, and no others."""
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Expectation:
    """The replies allowed to one request: an error with one of CODES, or content in CONTENTS."""

    codes: frozenset[str] = frozenset()
    contents: frozenset[str] = frozenset()

    def __or__(self, other: Expectation) -> Expectation:
        return Expectation(self.codes | other.codes, self.contents | other.contents)

    def describe(self) -> str:
        wants = []
        if self.codes:
            wants.append("an error reply with code " + " or ".join(sorted(self.codes)))
        if len(self.contents) == 1:
            wants.append(f"the content {shorten(next(iter(self.contents)))!r}")
        elif self.contents:
            wants.append(f"the content of one of {len(self.contents)} files under the root")
        return "; or ".join(wants) or "no reply at all"


def error(*codes: str) -> Expectation:
    """An error reply with one of CODES (every documented code when none is given)."""
    unknown = set(codes) - ERROR_CODES
    if unknown:
        raise ValueError(f"not codes of SPEC.md §3.5: {sorted(unknown)}")
    return Expectation(codes=frozenset(codes or ERROR_CODES))


def content(*texts: str) -> Expectation:
    """A content reply carrying one of TEXTS."""
    return Expectation(contents=frozenset(texts))


BAD_REQUEST = error("bad_request")
FORBIDDEN = error("forbidden")
ANY_ERROR = error()


class _NotJson(ValueError):
    """A token Python's json accepts that JSON does not have (NaN, Infinity)."""


def _reject_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not JSON")


@dataclass(frozen=True)
class PathOracle:
    """The replies allowed to a request for a path, given the TEXTS of the files under the root.

    Exact where §3.5 is (bad_request, absolute paths forbidden, a lone surrogate
    any error); otherwise any documented error, or the content of some file
    under the root: never of one outside it (the campaign's files outside the
    root hold texts that no file under it has).
    """

    texts: frozenset[str]

    def expect(self, path: str) -> Expectation:
        if not path or "\x00" in path:
            return BAD_REQUEST
        if has_lone_surrogate(path):
            return ANY_ERROR
        if path.startswith("/"):
            return FORBIDDEN
        return self.anything()

    def anything(self) -> Expectation:
        """What a request of unknown path may get."""
        return ANY_ERROR | Expectation(contents=self.texts)


def has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(character) <= 0xDFFF for character in text)


def expect_request(frames: Sequence[bytes], paths: PathOracle) -> Expectation:
    """The replies SPEC.md §3.5 allows to a request of FRAMES; PATHS judges its path.

    Strict where the spec is: one frame of UTF-8 (no encoded surrogates, no
    overlong forms) holding JSON (no NaN or Infinity) that is an object whose
    ``path`` is a string. Lenient where the spec or RFC 8259 leaves room: a
    leading UTF-8 BOM may be ignored (RFC 8259 §8.1), a parser may refuse a
    text beyond its limits of nesting or number size (§9), and a duplicated
    ``path`` key may go either way (not checked, REQREP-3).
    """
    if len(frames) != 1:
        return BAD_REQUEST
    frame = frames[0]
    if frame.startswith(UTF8_BOM):
        return BAD_REQUEST | expect_request([frame[len(UTF8_BOM) :]], paths)
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError:
        return BAD_REQUEST
    duplicated: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        duplicated.append(sum(key == "path" for key, _ in items) > 1)
        return dict(items)

    try:
        value = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=pairs)
    except (json.JSONDecodeError, _NotJson):
        return BAD_REQUEST
    except (RecursionError, ValueError):  # nesting or a number beyond this parser's limits
        return paths.anything()
    if not isinstance(value, dict):
        return BAD_REQUEST
    if duplicated and duplicated[-1]:  # the last object decoded is the outermost
        return paths.anything()
    path = value.get("path")
    if not isinstance(path, str):
        return BAD_REQUEST
    return paths.expect(path)


def judge_reply(
    frames: Sequence[bytes], expected: Expectation, pids: Collection[int] = ()
) -> str | None:
    """What is wrong with reply FRAMES to a request that EXPECTED describes; None if nothing.

    PIDS, when given, are the processes that may answer (SPEC.md §3.4: the one
    that read the file).
    """
    reply = read_reply(tuple(frames))
    if reply.problem is not None:
        return f"not a reply of SPEC.md §3.4/§3.5: {reply.problem}"
    if pids and reply.pid not in pids:
        return f"names pid {reply.pid}, not one of the server's {sorted(pids)}"
    if reply.error_code is not None:
        if reply.error_code not in ERROR_CODES:
            return f"error code {reply.error_code!r} is not one of SPEC.md §3.5"
        if reply.error_code not in expected.codes:
            return f"error {reply.error_code!r}, expected {expected.describe()}"
        return None
    assert reply.content is not None
    if reply.content not in expected.contents:
        return f"content {shorten(reply.content)!r}, expected {expected.describe()}"
    return None


def judge_echo(
    sent: Sequence[bytes],
    at_worker: Sequence[bytes] | None,
    back: Sequence[bytes] | None,
) -> str | None:
    """What is wrong with one message through the broker (SPEC.md BROKER-1); None if nothing.

    SENT went in at the frontend; AT_WORKER is what the backend DEALER got (one
    non-empty identity frame, then SENT unchanged) and BACK what the client got
    after the worker echoed AT_WORKER (SENT unchanged); None: nothing came.
    """
    if at_worker is None:
        return f"the worker got nothing for a message of {len(sent)} frames"
    if len(at_worker) < 2 or not at_worker[0]:
        return f"the worker got {len(at_worker)} frames without a routing identity in front"
    if list(at_worker[1:]) != list(sent):
        return f"the worker got {_frames(at_worker[1:])}, the client sent {_frames(sent)}"
    if back is None:
        return "the client got no reply to its message"
    if list(back) != list(sent):
        return f"the client got back {_frames(back)}, the worker echoed {_frames(sent)}"
    return None


def _frames(frames: Sequence[bytes]) -> str:
    return f"{len(frames)} frames ({sum(map(len, frames))} bytes)"


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
