"""Hold fixed_endpoint_lock on ENDPOINT for SECONDS; print when (monotonic) it held it."""

import sys
import time
from pathlib import Path

import trio

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from conformance.endpoints import fixed_endpoint_lock


async def main(endpoint: str, seconds: float) -> None:
    async with fixed_endpoint_lock([endpoint], timeout=20):
        print(f"acquired {time.monotonic()}", flush=True)
        await trio.sleep(seconds)
        print(f"released {time.monotonic()}", flush=True)


trio.run(main, sys.argv[1], float(sys.argv[2]))
