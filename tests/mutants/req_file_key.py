"""Mutant: filer-req names the file under the key 'file', not 'path'. Should fail REQREP-5."""

from __future__ import annotations

from reference import filer_req, messages


def file_request(path: str) -> bytes:
    return messages.encode_json({"file": path})  # BUG: the key is "path"


messages.file_request = file_request

if __name__ == "__main__":
    raise SystemExit(filer_req.main())
