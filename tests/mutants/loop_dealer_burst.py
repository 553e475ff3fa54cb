"""Mutant: filer-req-loop, on a DEALER, sends all COUNT requests at once. Should fail REQREP-7."""

from __future__ import annotations

import zmq

from reference import filer_req_loop, lifecycle, messages


def run(file: str, endpoint: str, count: int | None, timeout: float | None) -> int:
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)  # BUG: no lockstep: a DEALER does not wait for replies
    socket.linger = 0
    socket.connect(endpoint)
    for number in range(1, (count or 0) + 1):
        lifecycle.say(messages.sending_numbered_line(number, file))
        socket.send_multipart([b"", messages.file_request(file)])
    for _ in range(count or 0):
        lifecycle.say(messages.received_line(socket.recv_multipart()[-1]))
    socket.close()
    context.term()
    return 0


filer_req_loop.run = run  # type: ignore[attr-defined]

if __name__ == "__main__":
    raise SystemExit(filer_req_loop.main())
