"""Mutant: filer-req prints the reply re-encoded by its JSON library. Should fail REQREP-5."""

from __future__ import annotations

import json

from reference import filer_req, messages


def received_line(reply: bytes) -> str:
    return "Received response: " + json.dumps(json.loads(reply))  # BUG: not the bytes received


messages.received_line = received_line

if __name__ == "__main__":
    raise SystemExit(filer_req.main())
