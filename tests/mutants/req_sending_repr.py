"""Mutant: filer-req quotes FILE in its Sending line. Should fail REQREP-5."""

from __future__ import annotations

from reference import filer_req, messages


def sending_line(file: str) -> str:
    return f"Sending request for {file!r}"  # BUG: FILE as Python writes a string, not as given


messages.sending_line = sending_line

if __name__ == "__main__":
    raise SystemExit(filer_req.main())
