"""Mutant: broker drops a request when no worker is connected yet. Should fail BROKER-1.

It sends on its DEALER without blocking and takes EAGAIN (no peer) for "nobody
wants it"; SPEC.md BROKER-1: such a message MUST wait.
"""

from __future__ import annotations

import contextlib

import zmq

from tests.mutants import _pyproxy


class Forwarder(_pyproxy.PythonForwarder):
    def _run(self) -> None:
        steer = self._context.socket(zmq.PAIR)
        steer.linger = 0
        steer.connect(self._control_endpoint)
        poller = zmq.Poller()
        for socket in (self._frontend, self._backend, steer):
            poller.register(socket, zmq.POLLIN)
        try:
            while True:
                ready = dict(poller.poll())
                if steer in ready:
                    return  # TERMINATE
                if self._frontend in ready:
                    message = self._frontend.recv_multipart()
                    with contextlib.suppress(zmq.Again):  # BUG: no worker yet: dropped
                        self._backend.send_multipart(message, zmq.NOBLOCK)
                if self._backend in ready:
                    self._frontend.send_multipart(self._backend.recv_multipart())
        except zmq.ContextTerminated:
            pass
        finally:
            steer.close()


if __name__ == "__main__":
    raise SystemExit(_pyproxy.main(Forwarder))
