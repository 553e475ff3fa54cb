"""Mutant: watcher-sub exits 0 when its publisher disconnects. Should fail PUBSUB-4.

It watches its socket's connection (a libzmq monitor) and takes a disconnect
for the end of the stream, where ZeroMQ would reconnect by itself.
"""

from __future__ import annotations

import zmq

from reference import lifecycle, watcher_sub


class Waiter(lifecycle.Waiter):
    def __init__(self, sock: zmq.Socket[bytes]) -> None:
        super().__init__(sock)
        self._monitor = sock.get_monitor_socket(zmq.EVENT_DISCONNECTED)
        self._poller.register(self._monitor, zmq.POLLIN)

    def wait(self, timeout_ms: int | None = None) -> bool:
        while True:
            events = dict(self._poller.poll(timeout_ms))
            if self._monitor in events:  # BUG: the publisher went away, so stop
                raise lifecycle.Shutdown("the publisher disconnected")
            if self._socket in events:
                return True
            if not events:
                return False
            lifecycle._drain_wakeup()


lifecycle.Waiter = Waiter  # type: ignore[misc]

if __name__ == "__main__":
    raise SystemExit(watcher_sub.main())
