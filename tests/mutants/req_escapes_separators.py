"""Mutant: filer-req escapes U+2028 and U+2029 in the reply it prints. Should fail REQREP-5.

A "JSON-safe" print, as JavaScript-embedding serialisers do; but the line must
be the reply as received, and SPEC.md 3.6 says U+2028 does not break a line.
"""

from __future__ import annotations

from reference import filer_req, messages

_received_line = messages.received_line


def received_line(reply: bytes) -> str:
    line = _received_line(reply)
    return line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")  # BUG: changed


messages.received_line = received_line

if __name__ == "__main__":
    raise SystemExit(filer_req.main())
