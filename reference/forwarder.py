"""The ROUTER/DEALER forwarder, shared by the broker and the cluster master.

The frames move in libzmq's C proxy (``zmq.proxy_steerable``), in a thread of
its own so that the main thread stays free for signals and for supervising
workers; a PAIR control socket tells the proxy to stop.
"""

from __future__ import annotations

import threading
from types import TracebackType

import zmq


class Forwarder:
    """A bound ROUTER frontend and DEALER backend, forwarding every multipart message unchanged.

    Use as a context manager: entering binds both ends, :meth:`start` begins
    forwarding, leaving stops the proxy and closes every socket.
    """

    def __init__(
        self, context: zmq.Context[zmq.Socket[bytes]], frontend: str, backend: str
    ) -> None:
        self.frontend_endpoint = frontend
        self.backend_endpoint = backend
        self._context = context
        self._control_endpoint = f"inproc://forwarder-control-{id(self)}"
        self._sockets: list[zmq.Socket[bytes]] = []
        self.bound: list[str] = []
        """The endpoints bound so far: the ipc files this process owns."""
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Forwarder:
        try:
            self._frontend = self._socket(zmq.ROUTER)
            self._backend = self._socket(zmq.DEALER)
            self._control = self._socket(zmq.PAIR)
            self._control.bind(self._control_endpoint)
            self._frontend.bind(self.frontend_endpoint)
            self.bound.append(self.frontend_endpoint)
            self._backend.bind(self.backend_endpoint)
            self.bound.append(self.backend_endpoint)
        except BaseException:
            self._close()
            raise
        return self

    def _socket(self, kind: int) -> zmq.Socket[bytes]:
        socket = self._context.socket(kind)
        socket.linger = 0
        self._sockets.append(socket)
        return socket

    def start(self) -> None:
        """Forward in a background thread; the sockets belong to it from now on."""
        self._thread = threading.Thread(target=self._run, name="forwarder", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        steer = self._context.socket(zmq.PAIR)
        steer.linger = 0
        steer.connect(self._control_endpoint)
        try:
            zmq.proxy_steerable(self._frontend, self._backend, None, steer)
        except zmq.ContextTerminated:
            pass
        finally:
            steer.close()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._thread is not None:
            self._control.send(b"TERMINATE")
            self._thread.join(timeout=5)
        self._close()

    def _close(self) -> None:
        for socket in self._sockets:
            socket.close()
