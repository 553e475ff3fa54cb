"""Mutant: filer-req-loop prints its replies at the end, the last first. Should fail REQREP-7."""

from __future__ import annotations

import types

from reference import filer_req, filer_req_loop, lifecycle

held: list[str] = []


def say(line: str) -> None:
    if line.startswith("Received response: "):
        held.insert(0, line)  # BUG: newest first, printed once all have come
    else:
        lifecycle.say(line)


_run = filer_req.run


def run(file: str, endpoint: str, count: int | None, timeout: float | None) -> int:
    code = _run(file, endpoint, count, timeout)
    for line in held:
        lifecycle.say(line)
    return code


filer_req.lifecycle = types.SimpleNamespace(  # type: ignore[attr-defined,assignment]
    **{name: getattr(lifecycle, name) for name in dir(lifecycle) if not name.startswith("__")},
)
filer_req.lifecycle.say = say  # type: ignore[attr-defined]
filer_req_loop.run = run  # type: ignore[attr-defined]

if __name__ == "__main__":
    raise SystemExit(filer_req_loop.main())
