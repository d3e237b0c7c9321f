"""The `eoffice` command as the CLI tests run it: its environment, one call, a served hub."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

EOFFICE = [sys.executable, "-m", "eoffice"]


def eoffice_env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EXCHANGE_DATABASE_URL": database_url,
        "EXCHANGE_DATA_DIR": str(data_dir),
        "EXCHANGE_PKI_ALGORITHM": "ec-p256",  # RSA keys cost ~60 ms each; see test_signing_cli
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EOFFICE, *args], env=env, capture_output=True, text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], folder: Path, workers: int = 2) -> Iterator[str]:
    """`eoffice serve --workers N` until /healthz answers; its base URL; SIGTERM at the end
    (the workers shut down as under a service manager)."""
    port = free_port()
    log_path = folder / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*EOFFICE, "serve", "--workers", str(workers), "--port", str(port)],
            env=env,
            stdout=log,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, log_path)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_healthy(base: str, log_path: Path) -> None:
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    tail = log_path.read_text(errors="replace")[-2000:]
    pytest.fail(f"the hub did not answer /healthz in 10 s: {tail}")
