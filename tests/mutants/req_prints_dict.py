"""Mutant: filer-req prints the parsed reply as a Python dict, not as received. Should fail REQREP-5."""

from __future__ import annotations

import json

from reference import filer_req, messages


def received_line(reply: bytes) -> str:
    return f"Received response: {json.loads(reply)}"  # BUG: str() of the dict, not the JSON


messages.received_line = received_line

if __name__ == "__main__":
    raise SystemExit(filer_req.main())
