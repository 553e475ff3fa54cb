"""Hostile: a filer-rep that prints its ready line and exits 0 at once, binding nothing."""

from __future__ import annotations

if __name__ == "__main__":
    print("Listening for zmq requesters...", flush=True)
    raise SystemExit(0)
