"""Print something on each stream, but never the ready line; sleep (60 s at most)."""

import sys
import time

print("booting", flush=True)
print("warming up", file=sys.stderr, flush=True)
time.sleep(60)
