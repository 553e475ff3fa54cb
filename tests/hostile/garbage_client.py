"""Hostile: a filer-req that opens raw stream connections to the harness's responder and
speaks nonsense: text, a ZMTP signature announcing an absurd frame, random bytes (which
libzmq, taking them for ZMTP 1.0, may deliver as a message); then it waits."""

from __future__ import annotations

import random
import socket
import sys
import time

NONSENSE = [
    b"GET / HTTP/1.1\r\nHost: zoo\r\n\r\n",
    b"\xff" + b"\xff" * 8 + b"\x7f" + b"\x03\x00NULL" + b"\x00" * 16 + b"\x06" + b"\xff" * 8,
    random.Random(9).randbytes(65536),
]


def connect(endpoint: str) -> socket.socket:
    if endpoint.startswith("tcp://"):
        host, _, port = endpoint[len("tcp://") :].rpartition(":")
        return socket.create_connection((host, int(port)), timeout=5)
    stream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stream.settimeout(5)
    stream.connect(endpoint[len("ipc://") :])
    return stream


if __name__ == "__main__":
    file, _, endpoint = sys.argv[1:4]
    print(f"Sending request for {file}", flush=True)
    for _ in range(5):
        for garbage in NONSENSE:
            with connect(endpoint) as stream:
                try:
                    stream.sendall(garbage)
                    stream.recv(4096)
                except OSError:
                    pass
    time.sleep(3600)
