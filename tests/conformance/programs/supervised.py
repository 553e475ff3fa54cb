"""A harness in miniature, to be interrupted: it supervises grandparent.py and reports pids.

supervised.py interrupt   trio.run in the main thread; waits for the test's SIGINT
supervised.py abrupt      trio.run in a daemon thread; the main thread exits under it,
                          so only the atexit safety net can kill the group
"""

import os
import re
import sys
import threading
from pathlib import Path

import trio

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from conformance.model import Transcript
from conformance.supervisor import Command, Supervisor

HERE = Path(__file__).resolve().parent


async def supervise(started: threading.Event) -> None:
    command = Command(
        argv=(sys.executable, str(HERE / "grandparent.py")), cwd=HERE, env=dict(os.environ)
    )
    async with Supervisor(Transcript(), grace=1.0) as supervisor:
        process = await supervisor.start("family", command, ready=re.compile("^ready"))
        with trio.fail_after(5):
            _, line = await process.wait_for_line("^grandchild")
        print(f"pids {process.pid} {line.split()[1]}", flush=True)
        started.set()
        await trio.sleep(30)


def main() -> None:
    started = threading.Event()
    if sys.argv[1] == "interrupt":
        try:
            trio.run(supervise, started)
        except BaseException as exc:
            print(f"ended by {type(exc).__name__}", flush=True)
            raise
    else:
        threading.Thread(target=trio.run, args=(supervise, started), daemon=True).start()
        started.wait(timeout=20)
        print("leaving", flush=True)
        sys.exit(0)


main()
