"""Mutant: watcher-pub prints its ready line before it binds. Should fail LIFE-1.

It announces itself first and binds after a slow start-up (here: 1 s of sleep).
"""

from __future__ import annotations

import time

import zmq

from reference import lifecycle, messages, watcher_pub

_bind = zmq.Socket.bind


def bind(self: zmq.Socket[bytes], endpoint: str) -> None:
    lifecycle.say(messages.READY_PUB)  # BUG: announced before the bind
    time.sleep(1.0)
    _bind(self, endpoint)


zmq.Socket.bind = bind  # type: ignore[assignment,method-assign]

if __name__ == "__main__":
    raise SystemExit(watcher_pub.main())
