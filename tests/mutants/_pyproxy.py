"""Not a mutant: the base of the broker mutants, a correct broker that forwards in Python.

The reference forwards in libzmq's C proxy, where there is nothing to break.
:class:`PythonForwarder` is the reference's forwarder with that proxy replaced by
a Python poll loop that hands each message to :meth:`PythonForwarder.forward`;
as written it forwards everything unchanged (``tests/test_mutants_caught.py``
checks that it passes the broker's requirements), and each broker mutant
overrides ``forward`` with one bug. ``python -m tests.mutants._pyproxy`` runs it.
"""

from __future__ import annotations

import zmq

from reference import broker
from reference.forwarder import Forwarder


class PythonForwarder(Forwarder):
    def forward(self, frames: list[bytes], *, upstream: bool) -> list[list[bytes]]:
        """The messages to pass on for one received message; UPSTREAM: client to worker."""
        return [frames]

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
                for source, sink, upstream in (
                    (self._frontend, self._backend, True),
                    (self._backend, self._frontend, False),
                ):
                    if source in ready:
                        for message in self.forward(source.recv_multipart(), upstream=upstream):
                            sink.send_multipart(message)
        except zmq.ContextTerminated:
            pass
        finally:
            steer.close()


def main(forwarder: type[PythonForwarder] = PythonForwarder) -> int:
    """Run the reference broker with FORWARDER in place of the reference's forwarder."""
    broker.Forwarder = forwarder  # type: ignore[attr-defined]
    return broker.main()


if __name__ == "__main__":
    raise SystemExit(main())
