"""A PKI whose certificates point at a real HTTP server on this machine (uvicorn in a thread)
serving `signing.service`: what an outside validator fetches CRLs, CA certificates and OCSP
answers from."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount

from signing.pki import Pki
from signing.service import PkiService


@dataclass
class Clock:
    """The CA's clock, which a test may move (`ahead`: years later, the CA still answers)."""

    ahead: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead


@dataclass(frozen=True)
class ServedPki:
    pki: Pki
    base_url: str
    clock: Clock


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served_pki(directory: Path, issued: datetime) -> Iterator[ServedPki]:
    """A new PKI in `directory` (CAs made at `issued`), served until the block ends."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/pki"
    pki = Pki.init(directory, issued, base_url=base_url)
    clock = Clock()
    config = uvicorn.Config(
        _mounted(PkiService(directory, clock)), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the PKI server did not start"
        time.sleep(0.02)
    try:
        yield ServedPki(pki, base_url, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _mounted(service: PkiService) -> Starlette:
    """The service under /pki, mounted as the hub's application mounts it."""
    return Starlette(routes=[Mount("/pki", app=service)])
