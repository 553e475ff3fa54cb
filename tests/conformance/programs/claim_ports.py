"""Claim N TCP endpoints, print them, and hold them until stdin closes."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from conformance.endpoints import Endpoints

with Endpoints() as endpoints:
    for _ in range(int(sys.argv[1])):
        print(endpoints.tcp())
    print("claimed", flush=True)
    sys.stdin.readline()
