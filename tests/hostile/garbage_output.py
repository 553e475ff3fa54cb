"""Hostile: a filer-rep that writes invalid UTF-8, NUL bytes, ANSI escapes and markup on
stdout and stderr, and puts them in the content of its replies (so they reach every view
of the failure: the explanation, the terminal and the HTML report)."""

from __future__ import annotations

import json
import os
import time

import zmq

from reference import filer_rep
from reference.filer import Filer

NASTY = (
    "\x1b[2J\x1b[H\x1b[31;5mSCREEN CLEARED\x1b[0m \x1b]0;title taken\x07 "
    "<script>alert('zoo')</script> \u202eevil reversed\u202c nul\x00here \r overwritten \x9b31m"
)
BYTES = b"\xff\xfe not utf-8 \xc3\x28 \x00\x00 " + NASTY.encode()

_serve = filer_rep.serve


def answer(self: Filer, frames: list[bytes]) -> bytes:
    stamp = time.time_ns() // 1_000_000  # right: only the content is hostile
    return json.dumps({"content": NASTY, "timestamp": stamp, "pid": os.getpid()}).encode()


def serve(socket: zmq.Socket[bytes], filer: Filer) -> None:
    os.write(1, BYTES + b"\n" + BYTES)  # the second line has no end
    os.write(2, BYTES + b"\n")
    _serve(socket, filer)


Filer.answer = answer  # type: ignore[method-assign]
filer_rep.serve = serve

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
