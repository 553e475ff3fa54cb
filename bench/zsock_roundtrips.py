"""REQ/REP round trips per second over ipc: blocking pyzmq, conformance.zsock on trio,
and zmq.asyncio on asyncio, against one blocking REP echo server in a subprocess.

Trials of the clients are interleaved (round-robin, repeated), so drift in machine load
spreads over all of them; the table gives median, min and max per client. --taskset pins
both processes to one CPU, which makes the client's per-message overhead show fully.

    python bench/zsock_roundtrips.py [--seconds 0.5] [--repeats 7] [--size 100] [--taskset]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import trio
import zmq
import zmq.asyncio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from conformance.zsock import AsyncSocket

WARMUP = 200  # round trips before the clock starts
BATCH = 50  # round trips between clock readings


def serve(endpoint: str) -> None:
    """The REP side: echo forever with blocking pyzmq (until killed)."""
    with zmq.Context() as ctx, ctx.socket(zmq.REP) as rep:
        rep.bind(endpoint)
        print("ready", flush=True)
        while True:
            rep.send(rep.recv())


def blocking(endpoint: str, payload: bytes, seconds: float) -> float:
    with zmq.Context() as ctx, ctx.socket(zmq.REQ) as req:
        req.linger = 0
        req.connect(endpoint)
        for _ in range(WARMUP):
            req.send(payload)
            req.recv()
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            for _ in range(BATCH):
                req.send(payload)
                req.recv()
            count += BATCH
        return count / elapsed


def with_trio(endpoint: str, payload: bytes, seconds: float) -> float:
    async def main() -> float:
        with zmq.Context() as ctx:
            async with AsyncSocket.open(ctx, zmq.REQ) as req:
                req.connect(endpoint)
                for _ in range(WARMUP):
                    await req.send(payload)
                    await req.recv()
                count, start = 0, time.perf_counter()
                while (elapsed := time.perf_counter() - start) < seconds:
                    for _ in range(BATCH):
                        await req.send(payload)
                        await req.recv()
                    count += BATCH
                return count / elapsed

    return trio.run(main)


def with_asyncio(endpoint: str, payload: bytes, seconds: float) -> float:
    async def main() -> float:
        ctx = zmq.asyncio.Context()
        req = ctx.socket(zmq.REQ)
        req.linger = 0
        try:
            req.connect(endpoint)
            for _ in range(WARMUP):
                await req.send(payload)
                await req.recv()
            count, start = 0, time.perf_counter()
            while (elapsed := time.perf_counter() - start) < seconds:
                for _ in range(BATCH):
                    await req.send(payload)
                    await req.recv()
                count += BATCH
            return count / elapsed
        finally:
            req.close()
            ctx.term()

    return asyncio.run(main())


CLIENTS: dict[str, Callable[[str, bytes, float], float]] = {
    "blocking pyzmq": blocking,
    "zsock on trio": with_trio,
    "zmq.asyncio": with_asyncio,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="length of one trial")
    parser.add_argument("--repeats", type=int, default=7, help="trials per client")
    parser.add_argument("--size", type=int, default=100, help="message size in bytes")
    parser.add_argument(
        "--taskset", type=int, nargs="?", const=0, metavar="CPU", help="pin both ends to CPU"
    )
    parser.add_argument("--no-asyncio", action="store_true", help="skip zmq.asyncio")
    parser.add_argument("--serve", metavar="ENDPOINT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if args.taskset is not None:
        os.sched_setaffinity(0, {args.taskset})  # the server inherits it
    clients = {k: v for k, v in CLIENTS.items() if not (args.no_asyncio and v is with_asyncio)}
    payload = os.urandom(args.size)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # run `finally`
    tmp = tempfile.mkdtemp(prefix="zsb", dir="/tmp")
    endpoint = f"ipc://{tmp}/rep"
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", endpoint], stdout=subprocess.PIPE, text=True
    )
    try:
        if server.stdout is None or server.stdout.readline() != "ready\n":
            raise SystemExit("the REP server did not start")
        rates: dict[str, list[float]] = {name: [] for name in clients}
        names = list(clients)
        for r in range(args.repeats):  # rotate the order too, so no client is always first
            for name in names[r % len(names) :] + names[: r % len(names)]:
                rates[name].append(clients[name](endpoint, payload, args.seconds))
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    pinned = f"pinned to CPU {args.taskset}" if args.taskset is not None else "unpinned"
    print(f"{args.size} B REQ/REP over ipc, {args.repeats} x {args.seconds} s, {pinned}")
    print(f"{'client':<16} {'median/s':>10} {'min/s':>10} {'max/s':>10}")
    for name, values in rates.items():
        low, mid, high = min(values), statistics.median(values), max(values)
        print(f"{name:<16} {mid:>10,.0f} {low:>10,.0f} {high:>10,.0f}")


if __name__ == "__main__":
    main()
