"""A benchmark client process: runs the measurements the coordinator asks for, one at a time.

    python bench/clients.py [ZSOCK_BENCH_DIR]     (started by bench/compare.py)

Reads one JSON command per line on stdin and answers on stdout, one JSON line each:

- ``{"kind": "req", "endpoint": E, "path": P, "seconds": S}``: connect a REQ to E, make one
  warm-up round trip, answer ``{"ready": true}``, wait for a line ``go``, then ask for P in
  lockstep (one request, its reply, the next) for S seconds and answer
  ``{"count": N, "elapsed": T, "bytes": B}`` (B: reply bytes received).
- ``{"kind": "zsock", "client": C, "endpoint": E, "size": N, "seconds": S}``: answer ready,
  wait for ``go``, run client C (``blocking pyzmq``, ``zsock on trio``, ...) of
  ZSOCK_BENCH_DIR/zsock_roundtrips.py (default: this folder's) against its echo server at E,
  and answer ``{"rate": R, "cpu": C}`` (C: this process's CPU seconds for it, warm-up
  included). One process imports one checkout's harness only.

A command that fails answers ``{"error": "..."}``; the process ends when stdin closes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import zmq

REPLY_DEADLINE_MS = 10_000


def answer(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def wait_for_go() -> None:
    answer({"ready": True})
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(0)


def lockstep(context: zmq.Context[zmq.Socket[bytes]], command: dict[str, Any]) -> dict[str, Any]:
    socket = context.socket(zmq.REQ)
    socket.linger = 0
    socket.rcvtimeo = socket.sndtimeo = REPLY_DEADLINE_MS
    request = json.dumps({"path": command["path"]}).encode()
    try:
        socket.connect(command["endpoint"])
        socket.send(request)
        socket.recv()
        wait_for_go()
        count = received = 0
        start = time.perf_counter()
        end = start + command["seconds"]
        while time.perf_counter() < end:
            socket.send(request)
            received += len(socket.recv())
            count += 1
        return {"count": count, "elapsed": time.perf_counter() - start, "bytes": received}
    finally:
        socket.close()


def harness_bench(folder: Path) -> ModuleType:
    """FOLDER/zsock_roundtrips.py, which puts its own checkout first on sys.path."""
    spec = importlib.util.spec_from_file_location(
        "zsock_roundtrips", folder / "zsock_roundtrips.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    context = zmq.Context()
    zsock_bench: ModuleType | None = None
    for line in sys.stdin:
        command = json.loads(line)
        try:
            if command["kind"] == "req":
                answer(lockstep(context, command))
                continue
            zsock_bench = zsock_bench or harness_bench(folder)
            client = zsock_bench.CLIENTS[command["client"]]
            payload = os.urandom(command["size"])
            wait_for_go()
            cpu = time.process_time()
            rate = client(command["endpoint"], payload, command["seconds"])
            answer({"rate": rate, "cpu": time.process_time() - cpu})
        except zmq.Again:
            answer({"error": f"no reply within {REPLY_DEADLINE_MS} ms"})
        except Exception as error:
            answer({"error": repr(error)})
    context.destroy(linger=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
