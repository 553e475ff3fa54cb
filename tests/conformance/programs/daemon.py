"""Start a daemon, then sleep (60 s at most): a double-forked helper that calls setsid(),
so that it is in neither the process group nor the session of this process.

daemon.py           the daemon prints "daemon PID" and sleeps 60 s: it outlives this process
daemon.py --follow  the daemon exits as soon as this process ends (it waits on a pidfd)
"""

import os
import select
import sys
import time

leader = os.getpid()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(1, f"daemon {os.getpid()}\n".encode())  # one write: two processes print
        if "--follow" in sys.argv:
            select.select([os.pidfd_open(leader)], [], [], 60)
        else:
            time.sleep(60)
        os._exit(0)
    os._exit(0)
os.wait()
os.write(1, f"ready {leader}\n".encode())
time.sleep(60)
