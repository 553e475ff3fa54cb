"""Mutant: filer-req-loop numbers its requests from 0. Should fail REQREP-7."""

from __future__ import annotations

from reference import filer_req_loop, messages

_sending_numbered_line = messages.sending_numbered_line


def sending_numbered_line(number: int, file: str) -> str:
    return _sending_numbered_line(number - 1, file)  # BUG: i = 0..COUNT-1


messages.sending_numbered_line = sending_numbered_line

if __name__ == "__main__":
    raise SystemExit(filer_req_loop.main())
