"""Mutant: filer-rep-cluster forwards one request at a time and waits for its reply. Should fail CLUSTER-6.

Every reply is right and the load still spreads over the workers, but the
master serves its clients one after another: a worker that stalls stalls
them all. The seed: "a ROUTER socket can handle many requests simultaneously".
"""

from __future__ import annotations

import zmq

from reference import filer_rep_cluster
from tests.mutants._pyproxy import PythonForwarder


class OneAtATime(PythonForwarder):
    def _run(self) -> None:
        steer = self._context.socket(zmq.PAIR)
        steer.linger = 0
        steer.connect(self._control_endpoint)
        idle, busy = zmq.Poller(), zmq.Poller()
        for socket in (self._frontend, self._backend, steer):
            idle.register(socket, zmq.POLLIN)
        for socket in (self._backend, steer):
            busy.register(socket, zmq.POLLIN)
        waiting = False
        try:
            while True:
                ready = dict((busy if waiting else idle).poll())  # BUG: no new request meanwhile
                if steer in ready:
                    return  # TERMINATE
                if self._backend in ready:
                    self._frontend.send_multipart(self._backend.recv_multipart())
                    waiting = False
                elif self._frontend in ready:
                    self._backend.send_multipart(self._frontend.recv_multipart())
                    waiting = True
        except zmq.ContextTerminated:
            pass
        finally:
            steer.close()


filer_rep_cluster.Forwarder = OneAtATime  # type: ignore[misc]

if __name__ == "__main__":
    raise SystemExit(filer_rep_cluster.main())
