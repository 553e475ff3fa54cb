"""One endpoint as a value: ``tcp://HOST:PORT`` or ``ipc://PATH``, parsed once.

The suite speaks only these two transports. Every module that needs to know what an
endpoint names (its socket file, the address a plain socket can probe, the lock two cases
share) asks an :class:`Endpoint` instead of slicing the string. Pure: no sockets, no files.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

LOOPBACK_NAMES = ("127.0.0.1", "localhost")
WILDCARDS = ("*", "0.0.0.0")
"""Hosts a program may bind; a harness connecting to it uses 127.0.0.1 instead."""


class EndpointError(ValueError):
    """Text that is not an endpoint of the suite; the message says why, for a user."""


@dataclass(frozen=True)
class Endpoint:
    """A parsed endpoint. For ipc, ``path`` is as written: absolute, relative (to the
    working directory of the process that binds it) or ``@name`` (abstract, no file)."""

    transport: Literal["tcp", "ipc"]
    host: str = ""
    port: int = 0
    path: str = ""

    @classmethod
    def parse(cls, text: str) -> Endpoint:
        """TEXT as an endpoint; EndpointError says what is wrong with it."""
        if text.startswith("ipc://"):
            path = text[len("ipc://") :]
            if not path:
                raise EndpointError(f"{text!r} has no path: write e.g. ipc://filer-dealer.ipc")
            return cls("ipc", path=path)
        if not text.startswith("tcp://"):
            raise EndpointError(f"{text!r} is neither tcp:// nor ipc://")
        host, colon, port = text[len("tcp://") :].rpartition(":")
        if not colon:
            raise EndpointError(f"{text!r} has no port: write e.g. tcp://127.0.0.1:5433")
        if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
            raise EndpointError(f"{text!r}: the port {port!r} is not a number from 1 to 65535")
        return cls("tcp", host=host, port=int(port))

    def __str__(self) -> str:
        if self.transport == "ipc":
            return f"ipc://{self.path}"
        return f"tcp://{self.host}:{self.port}"

    @property
    def abstract(self) -> bool:
        """An abstract ipc endpoint (``ipc://@name``, Linux): it has no file."""
        return self.transport == "ipc" and self.path.startswith("@")

    @property
    def loopback(self) -> bool:
        """A tcp endpoint on 127.0.0.1 or localhost (the only hosts the suite connects to)."""
        return self.transport == "tcp" and self.host in LOOPBACK_NAMES

    def resolved(self, cwd: Path) -> Endpoint:
        """The endpoint as seen from anywhere: a relative ipc path made absolute from CWD,
        where the program that binds it runs (the book's ``ipc://filer-dealer.ipc``)."""
        if self.transport != "ipc" or self.abstract or os.path.isabs(self.path):
            return self
        return Endpoint("ipc", path=str(cwd / self.path))

    @property
    def socket_file(self) -> Path | None:
        """The file an ipc bind creates (None for tcp and abstract ipc)."""
        if self.transport != "ipc" or self.abstract:
            return None
        return Path(self.path)

    @property
    def probe_address(self) -> tuple[str, int]:
        """Where a plain TCP connect reaches a tcp endpoint's listener (wildcards on
        loopback)."""
        host = "127.0.0.1" if self.host in WILDCARDS or self.host == "localhost" else self.host
        return host, self.port

    @property
    def shared(self) -> bool:
        """Whether two cases at once could fight over it: any tcp port, an absolute ipc path
        (a relative one lies in each process's own fresh working directory)."""
        return self.transport == "tcp" or (not self.abstract and os.path.isabs(self.path))

    @property
    def lock_key(self) -> str:
        """The name of the lock two cases using it share: by port for tcp, whatever host."""
        if self.transport == "tcp":
            return f"tcp-{self.port}"
        text = str(self)
        readable = re.sub(r"[^A-Za-z0-9_.-]", "_", text)[:64]
        return f"{readable}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
