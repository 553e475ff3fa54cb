"""Flood stdout (or stderr) as fast as possible.

flood.py lines N     N lines of 100 bytes, then a ready line, then sleep (60 s at most)
flood.py forever     lines of 100 bytes until killed (60 s at most)
flood.py stderr N    N bytes on stderr, then a ready line, then sleep (60 s at most)
flood.py noline N    a ready line, then N bytes that never end a line, then exit 0
"""

import sys
import time

mode, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
out = sys.stdout.buffer
if mode == "lines":
    out.write(b"".join(b"line %09d %s\n" % (i, b"x" * 84) for i in range(count)))
elif mode == "forever":
    block = b"".join(b"line %09d %s\n" % (i, b"x" * 84) for i in range(1000))
    stop = time.monotonic() + 60
    while time.monotonic() < stop:
        out.write(block)
elif mode == "stderr":
    err = sys.stderr.buffer
    err.write(b"BEGIN")
    err.write(b"e" * (count - 8))
    err.write(b"END")
    err.flush()
out.write(b"ready\n")
out.flush()
if mode == "noline":
    block = b"x" * (1 << 20)
    for _ in range(count >> 20):
        out.write(block)
    out.flush()
    sys.exit(0)
time.sleep(60)
