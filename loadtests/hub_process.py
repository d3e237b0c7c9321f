"""The hub under test as the benchmark sees it: processes started with `eoffice`, reached over
HTTP, and a database it gets to itself. Nothing here imports the hub's api, db or services.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

__all__ = [
    "HubServer",
    "backend_name",
    "display_url",
    "eoffice_command",
    "free_port",
    "pinned",
    "postgres_database",
    "seed",
]

CREDENTIALS_LINE = re.compile(r"^credentials: (?P<path>.+)$", re.MULTILINE)


def eoffice_command() -> list[str]:
    """`eoffice` from this interpreter's environment (the CLI, as a person would run it)."""
    script = Path(sys.executable).with_name("eoffice")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "exchange.cli"]


def pinned(command: Sequence[str], core: int | None) -> list[str]:
    """The command pinned to one core with taskset, when asked and possible."""
    if core is None or shutil.which("taskset") is None:
        return list(command)
    return ["taskset", "-c", str(core), *command]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def backend_name(database_url: str) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


def display_url(url: str) -> str:
    """The URL with any password hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def hub_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EXCHANGE_DATABASE_URL": database_url,
        "EXCHANGE_DATA_DIR": str(data_dir),
    }


def seed(database_url: str, data_dir: Path, province: str = "ninh-binh") -> Path:
    """`eoffice seed`; returns the credentials file it wrote."""
    done = subprocess.run(
        [*eoffice_command(), "seed", province],
        env=hub_environment(database_url, data_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    found = CREDENTIALS_LINE.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"eoffice seed failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return Path(found["path"].strip())


def _admin_conninfo(server_url: str) -> str:
    """SQLAlchemy's `postgresql+psycopg://` URL as libpq wants it."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", server_url)


def _with_database(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    scheme = "postgresql+psycopg"
    return urlunsplit(parts._replace(scheme=scheme, path=f"/{name}"))


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A fresh database `eoffice_bench_<random>` on that server, dropped afterwards."""
    name = f"eoffice_bench_{secrets.token_hex(4)}"
    _admin(server_url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(server_url, name)
    finally:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        _admin(server_url, drop.format(sql.Identifier(name)))


def _admin(server_url: str, statement: sql.Composed) -> None:
    try:
        conninfo = _admin_conninfo(server_url)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement)
    except psycopg.Error as error:
        raise RuntimeError(f"PostgreSQL at {display_url(server_url)}: {error}") from None


class HubServer:
    """`eoffice serve` in its own session, so the whole group (workers too) stops together."""

    def __init__(self, database_url: str, data_dir: Path, port: int, workers: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self._env = hub_environment(database_url, data_dir)
        self._args = ["serve", "--port", str(port), "--workers", str(workers)]
        self._log = data_dir / "serve.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, core: int | None, timeout: float = 60.0) -> None:
        command = pinned([*eoffice_command(), *self._args], core)
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                command, env=self._env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_healthy(timeout)

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("the hub is not running")
        return self._process.pid

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        tail = self._log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the hub did not become healthy at {self.url}:\n{tail}")

    def stop(self, timeout: float = 20.0) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
