"""Hostile: a filer-req that binds the endpoint the harness gave it to connect to (the one
the harness's responder binds), then waits for ever."""

from __future__ import annotations

import sys
import time

import zmq

if __name__ == "__main__":
    file, _, endpoint = sys.argv[1:4]
    socket = zmq.Context().socket(zmq.REQ)
    socket.bind(endpoint)
    print(f"Sending request for {file}", flush=True)
    time.sleep(3600)
