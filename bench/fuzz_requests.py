"""Generated requests for the fuzz campaign: a seeded ``random.Random`` draws them.

:class:`RequestGenerator` yields :class:`FuzzRequest`: the frames to send, the
family it was drawn from (``suite-kind/dotdot``, ``deep/over-limit``, ...) and
the replies SPEC.md allows (bench/campaign_judge.py). The same seed gives the
same requests, so a failure is replayed with ``--seed``; a request's family
says what it tried. Beyond the suite's own kinds of bad request (REQREP-3),
it draws random paths (``..``, symlinks, unicode, NUL, surrogates, huge
names), random JSON values, random frames, other encodings than UTF-8,
nesting past any parser's limit, huge messages and raw non-ZMTP bytes.

Drawn with ``random.Random`` rather than hypothesis's runner: tens of
thousands of requests a minute, reproducible from one printed seed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bench.campaign_judge import (
    BAD_REQUEST,
    FORBIDDEN,
    Expectation,
    PathOracle,
    content,
    error,
    expect_request,
)
from bench.fuzz_tree import Tree
from conformance.checks.reqrep import BAD_REQUESTS

ZMTP_SIGNATURE = b"\xff\x00\x00\x00\x00\x00\x00\x00\x01\x7f"
"""The first bytes of a ZMTP 3 greeting: raw garbage after it reaches the protocol parser."""


@dataclass(frozen=True)
class FuzzRequest:
    """One generated request: FRAMES (a ZeroMQ message, or with RAW the bytes of a plain
    stream connection that speaks no ZMTP) and the replies it may get."""

    family: str
    frames: tuple[bytes, ...]
    expected: Expectation
    raw: bool = False

    def preview(self, limit: int = 160) -> str:
        """The request's bytes for a report: each frame's repr, cut to LIMIT in all."""
        shown = ", ".join(
            repr(frame[:limit]) + ("..." if len(frame) > limit else "") for frame in self.frames[:4]
        )
        more = f", ... ({len(self.frames)} frames)" if len(self.frames) > 4 else ""
        sizes = sum(map(len, self.frames))
        return f"[{shown}{more}] ({sizes} bytes)"


INDENTS: tuple[int | str, ...] = (1, 2, "\t")
ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.",
    " !\"#$%&'()*+,:;<=>?@[\\]^`{|}~",
    "\u00e9\u00fc\u00df\u00f8\u0107\u0151",  # Latin
    "\u4e2d\u6587\u540d\u524d\u30c6\u30b9\u30c8",  # CJK
    "\U0001f600\U0001f343\U0001f4a9\U0010fffd",  # astral
    "e\u0301\u0308\u200b\u200d\u202e\ufeff\ufffd",  # combining, zero-width, RTL override, BOM
    "\t\n\r\x01\x1b\x7f",  # controls
)


class RequestGenerator:
    """Draws FuzzRequests from the families below, with their weights; one seed, one stream."""

    def __init__(self, tree: Tree, seed: int | str) -> None:
        self.rng = random.Random(seed)
        self.tree = tree
        self.oracle = PathOracle(frozenset(tree.texts.values()))
        self.texts = sorted(tree.texts)
        families: list[tuple[Callable[[], FuzzRequest], float]] = [
            (self.suite_kind, 14),
            (self.good, 10),
            (self.escape, 8),
            (self.path, 22),
            (self.json_value, 18),
            (self.frames, 10),
            (self.encoding, 6),
            (self.deep, 4),
            (self.huge, 1.5),
        ]
        self.draws = [draw for draw, _ in families]
        self.weights = [weight for _, weight in families]

    def __iter__(self) -> Iterator[FuzzRequest]:
        while True:
            yield self.next()

    def next(self) -> FuzzRequest:
        return self.rng.choices(self.draws, self.weights)[0]()

    # ----------------------------------------------------------------- pieces

    def judged(self, family: str, *frames: bytes) -> FuzzRequest:
        """A request whose allowed replies the oracle works out from its frames."""
        return FuzzRequest(family, frames, expect_request(frames, self.oracle))

    def text(self, low: int = 0, high: int = 24) -> str:
        alphabet = self.rng.choice(ALPHABETS)
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(low, high)))

    def name(self) -> str:
        """A path component: a real name under the root, a dot, or something new."""
        roll = self.rng.random()
        if roll < 0.45:
            return self.rng.choice(self.tree.names)
        if roll < 0.65:
            return self.rng.choice(["..", ".", "", "...", "~", "%2e%2e", "*", "-", " "])
        return self.text(1, 16)

    def encode(self, value: Any) -> bytes:
        """VALUE as JSON in a drawn style: compact, spaced, indented, or all-ASCII."""
        style = self.rng.randrange(4)
        try:
            if style == 0:
                text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            elif style == 1:
                text = json.dumps(value, ensure_ascii=False)
            elif style == 2:
                text = json.dumps(value, ensure_ascii=False, indent=self.rng.choice(INDENTS))
            else:
                text = json.dumps(value)
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: only the ASCII form can carry it
            return json.dumps(value).encode("ascii")

    def json_any(self, depth: int = 0) -> Any:
        """A random JSON value, nested up to 4 deep."""
        kinds = 7 if depth < 4 else 5
        kind = self.rng.randrange(kinds)
        if kind == 0:
            return None
        if kind == 1:
            return self.rng.choice([True, False])
        if kind == 2:
            return self.rng.choice(
                [
                    0,
                    -1,
                    1,
                    2**31,
                    2**63,
                    -(2**64),
                    10 ** self.rng.randint(20, 400),
                    1.5,
                    -0.0,
                    1e308,
                    5e-324,
                ]
            )
        if kind in (3, 4):
            return self.text(0, 40)
        if kind == 5:
            return [self.json_any(depth + 1) for _ in range(self.rng.randint(0, 4))]
        keys = ["path", "file", "PATH", "path ", "", self.text(1, 8)]
        return {
            self.rng.choice(keys): self.json_any(depth + 1) for _ in range(self.rng.randint(0, 3))
        }

    # ----------------------------------------------------------------- families

    def suite_kind(self) -> FuzzRequest:
        """One of the suite's own kinds of bad request (REQREP-3), with its exact code."""
        kind = self.rng.choice(sorted(self.tree.kinds))
        code = BAD_REQUESTS[kind]
        return FuzzRequest(
            f"suite-kind/{kind}", self.tree.kinds[kind], error(code) if code else error()
        )

    def good(self) -> FuzzRequest:
        """A good request, for one text file, by one of the ways that reach it."""
        path = self.rng.choice(self.texts)
        ways = [path, "./" + path, "sub/../" + path, "./././" + path, path.replace("/", "//")]
        ways += ["link-sub/../" + path, "sub/deeper/../../" + path]
        if path == "good.txt":
            ways += ["link-in", "sub/link-back"]
        if path.startswith("sub/"):
            ways.append("link-sub/" + path.removeprefix("sub/"))
        way = self.rng.choice(ways)
        return FuzzRequest("good", (self.encode({"path": way}),), content(self.tree.texts[path]))

    def escape(self) -> FuzzRequest:
        """A path that resolves outside the root (or an absolute one): forbidden."""
        if self.rng.random() < 0.25:
            target = self.rng.choice(
                [self.tree.base / "canary.txt", self.tree.root / "good.txt", self.tree.root]
            )
            prefix = self.rng.choice(["", "/proc/self/root", "//", "/./"])
            return FuzzRequest(
                "escape/absolute", (self.encode({"path": f"{prefix}{target}"}),), FORBIDDEN
            )
        path = self.rng.choice(self.tree.escapes)
        if self.rng.random() < 0.3:
            path = path.replace("/", self.rng.choice(["/./", "//"]), 1)
        return FuzzRequest("escape/relative", (self.encode({"path": path}),), FORBIDDEN)

    def path(self) -> FuzzRequest:
        """A random path of real and made-up components; some with NUL, surrogates, huge names."""
        parts = [self.name() for _ in range(self.rng.randint(1, 10))]
        roll = self.rng.random()
        family = "path/plain"
        if roll < 0.1:
            family = "path/nul"
            parts.insert(self.rng.randrange(len(parts) + 1), "a\x00b"[: self.rng.randint(1, 3)])
        elif roll < 0.2:
            family = "path/surrogate"
            surrogate = chr(self.rng.choice([0xD800, 0xDBFF, 0xDC80, 0xDCFF, 0xDFFF]))
            parts.insert(self.rng.randrange(len(parts) + 1), surrogate)
            parts.insert(self.rng.randrange(len(parts) + 1), "..")
        elif roll < 0.27:
            family = "path/long-name"
            parts.insert(
                self.rng.randrange(len(parts) + 1), "n" * self.rng.choice([255, 256, 1024, 5000])
            )
        path = "/".join(parts)
        if self.rng.random() < 0.05:
            path = "/" + path
        if self.rng.random() < 0.05:
            path += "/"
        return self.judged(family, self.encode({"path": path}))

    def json_value(self) -> FuzzRequest:
        """One frame of random JSON: objects with or without a (string) path, and anything else."""
        roll = self.rng.random()
        if roll < 0.4:
            value: Any = {"path": self.json_any(1)}
        elif roll < 0.6:
            value = {"path": self.rng.choice(self.texts)}
            value.update({self.text(1, 8): self.json_any(1) for _ in range(self.rng.randint(1, 3))})
        elif roll < 0.65:
            text = json.dumps(self.rng.choice(self.texts))
            frame = self.rng.choice(
                [
                    f'{{"path":1,"path":{text}}}',
                    f'{{"path":{text},"path":1}}',
                    f'{{"path":{text},"path":{text}}}',
                ]
            )
            return self.judged("json/duplicate-key", frame.encode())
        else:
            value = self.json_any()
        return self.judged("json/value", self.encode(value))

    def frames(self) -> FuzzRequest:
        """Random frames: several (bad_request whatever they hold), or one of random bytes."""
        roll = self.rng.random()
        if roll < 0.5:
            count = self.rng.randint(2, 8)
        elif roll < 0.55:
            count = self.rng.randint(100, 2000)
        else:
            count = 1
        frames = []
        for _ in range(count):
            pick = self.rng.random()
            if pick < 0.2:
                frames.append(b"")
            elif pick < 0.4 and count < 100:
                frames.append(self.encode({"path": self.rng.choice(self.texts)}))
            else:
                frames.append(self.rng.randbytes(self.rng.randint(1, 64)))
        family = "frames/one" if count == 1 else ("frames/many" if count >= 100 else "frames/some")
        return self.judged(family, *frames)

    def encoding(self) -> FuzzRequest:
        """A good request in another encoding than UTF-8, or UTF-8 with a flaw."""
        path = self.rng.choice(self.texts)
        plain = json.dumps({"path": path}, ensure_ascii=True)
        codec = self.rng.choice(
            [
                "utf-16-le",
                "utf-16-be",
                "utf-16",
                "utf-32-le",
                "utf-32-be",
                "utf-32",
                "latin-1",
                "utf-8-sig",
                "cesu",
                "overlong",
                "non-finite",
            ]
        )
        if codec == "latin-1":  # a one-byte é is not UTF-8
            frame = plain[:-1].encode() + b', "caf\xe9": 1}'
            return self.judged("encoding/latin-1", frame)
        if codec == "utf-8-sig":  # RFC 8259 lets a parser ignore the BOM, or refuse it
            return self.judged("encoding/utf-8-bom", plain.encode(codec))
        if codec == "cesu":  # a surrogate encoded as if it were a character: not UTF-8
            frame = plain[:-1].encode() + b', "x": "\xed\xa0\x80"}'
            return self.judged("lenient-json/surrogate-bytes", frame)
        if codec == "overlong":
            frame = plain[:-1].encode() + b', "x": "\xc0\xaf"}'
            return self.judged("encoding/overlong", frame)
        if codec == "non-finite":
            constant = self.rng.choice(["NaN", "Infinity", "-Infinity"])
            frame = f'{plain[:-1]}, "x": {constant}}}'.encode()
            return self.judged("lenient-json/non-finite", frame)
        family = "lenient-json/utf-32" if "32" in codec else "lenient-json/utf-16"
        return self.judged(family, plain.encode(codec))

    def deep(self) -> FuzzRequest:
        """Nested arrays and objects, within any parser's limits (2 to 500 deep)."""
        return self.nested(self.rng.randint(2, 500), "deep/within-limit")

    def over_limit(self) -> FuzzRequest:
        """Nesting far past a parser's limits (1,000 to 100,000 deep). Not drawn by
        :meth:`next`: a server may crash on it, so the campaign sends these in a phase of
        their own, after the measurements of the main stream (bench/fuzz.py)."""
        return self.nested(self.rng.randint(1000, 100_000), "deep/over-limit")

    def nested(self, depth: int, family: str) -> FuzzRequest:
        opener, closer = self.rng.choice([("[", "]"), ('{"a":', "}")])
        nested = opener * depth + "1" + closer * depth
        where = self.rng.randrange(3)
        if where == 0:
            frame = nested
        elif where == 1:
            frame = '{"path":' + nested + "}"
        else:
            frame = '{"path":' + json.dumps(self.rng.choice(self.texts)) + ',"x":' + nested + "}"
        return self.judged(family, frame.encode())

    def huge(self) -> FuzzRequest:
        """Messages of 64 KiB to 4 MiB: a path, a padding string, a frame, or one of several."""
        size = self.rng.choice([1 << 16, (1 << 20) + 1, 4 << 20])
        kind = self.rng.randrange(4)
        if kind == 0:
            return self.judged("huge/path", self.encode({"path": "p" * size}))
        if kind == 1:
            value = {"path": self.rng.choice(self.texts), "pad": "\u00e9" * (size // 2)}
            return self.judged("huge/padding", self.encode(value))
        if kind == 2:
            return self.judged("huge/frame", self.rng.randbytes(size))
        return FuzzRequest(
            "huge/multipart", (self.encode({"path": "good.txt"}), b"\0" * size), BAD_REQUEST
        )

    def raw(self) -> FuzzRequest:
        """Bytes for a plain stream connection to the server's endpoint: not ZMTP at all,
        or a ZMTP signature and then garbage. Not drawn by :meth:`next`: the campaign sends
        these apart, each followed by a good request (bench/fuzz.py)."""
        garbage = self.rng.randbytes(self.rng.randint(0, 512))
        if self.rng.random() < 0.5:
            garbage = ZMTP_SIGNATURE + garbage
        return FuzzRequest("raw", (garbage,), Expectation(), raw=True)
