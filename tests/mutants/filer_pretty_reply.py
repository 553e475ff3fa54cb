"""Mutant: filer-rep indents its replies, so they hold raw LF bytes. Should fail REQREP-1.

Valid JSON all the same, and a harness that only parses replies accepts it;
but SPEC.md 3.1 forbids a raw LF or CR in a reply: a requester prints the
reply on one line.
"""

from __future__ import annotations

import json
from typing import Any

from reference import filer_rep, messages


def encode_json(value: Any) -> bytes:
    return json.dumps(value, indent=1).encode("utf-8")  # BUG: pretty-printed, LF between tokens


def content_reply(content: str, timestamp: int, pid: int) -> bytes:
    return encode_json({"content": content, "timestamp": timestamp, "pid": pid})


messages.encode_json = encode_json
messages.content_reply = content_reply

if __name__ == "__main__":
    raise SystemExit(filer_rep.main())
