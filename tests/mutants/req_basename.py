"""Mutant: filer-req asks for FILE's last component only. Should fail REQREP-5.

``dir/notes.txt`` becomes ``{"path":"notes.txt"}``; the Sending line still
shows FILE. SPEC.md REQREP-5: the request carries FILE unchanged.
"""

from __future__ import annotations

import posixpath

from reference import filer_req, messages

_file_request = messages.file_request


def file_request(path: str) -> bytes:
    return _file_request(posixpath.basename(path))  # BUG: the directories are dropped


messages.file_request = file_request

if __name__ == "__main__":
    raise SystemExit(filer_req.main())
