"""Fork N children that sleep (60 s at most), printing "child PID" for each, then "ready"
and sleep; a fork the kernel refuses prints "refused" and ends the forking.

forker.py N
"""

import os
import sys
import time

for _ in range(int(sys.argv[1])):
    try:
        pid = os.fork()
    except BlockingIOError:
        print("refused", flush=True)
        break
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    print(f"child {pid}", flush=True)
print(f"ready {os.getpid()}", flush=True)
time.sleep(60)
