"""Print a greeting and a ready line, optionally some ticks, then sleep (60 s at most)."""

import argparse
import os
import signal
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--ignore-term", action="store_true", help="ignore SIGTERM")
parser.add_argument("--stderr", default="", help="a line to print on stderr first")
parser.add_argument("--ticks", type=int, default=0, help="lines 'tick N' after the ready line")
parser.add_argument("--interval", type=float, default=0.0, help="seconds between ticks")
parser.add_argument("--bad-utf8", action="store_true", help="print a line that is not UTF-8")
args = parser.parse_args()

if args.ignore_term:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if args.stderr:
    print(args.stderr, file=sys.stderr, flush=True)
print("hello", flush=True)
if args.bad_utf8:
    sys.stdout.buffer.write(b"caf\xc3\xa9 \xff\xfe\n")
    sys.stdout.flush()
print(f"ready {os.getpid()}", flush=True)
for tick in range(args.ticks):
    time.sleep(args.interval)
    print(f"tick {tick}", flush=True)
time.sleep(60)
