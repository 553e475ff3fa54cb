"""Fork a grandchild that ignores SIGTERM, report both pids, then sleep (60 s at most).

With --leave the parent exits at once and leaves its grandchild orphaned in the group.
"""

import os
import signal
import sys
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)  # before the fork, so the grandchild never races
pid = os.fork()
if pid == 0:
    time.sleep(60)
    os._exit(0)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
print(f"grandchild {pid}", flush=True)
print(f"ready {os.getpid()}", flush=True)
if "--leave" in sys.argv:
    sys.exit(0)
time.sleep(60)
