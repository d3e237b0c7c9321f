"""The hub under test as the benchmark sees it: processes started with `eoffice`, reached over
HTTP (its databases: `loadtests.databases`). Nothing here imports the hub's api, db or services.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "HubServer",
    "backend_name",
    "display_url",
    "eoffice_command",
    "free_port",
    "pinned",
    "seed",
]

CREDENTIALS_LINE = re.compile(r"^credentials: (?P<path>.+)$", re.MULTILINE)


def eoffice_command() -> list[str]:
    """`eoffice` from this interpreter's environment (the CLI, as a person would run it)."""
    script = Path(sys.executable).with_name("eoffice")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "eoffice"]


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


def hub_environment(
    database_url: str, data_dir: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    return {
        **os.environ,
        "EXCHANGE_DATABASE_URL": database_url,
        "EXCHANGE_DATA_DIR": str(data_dir),
        **(extra or {}),
    }


def seed(
    database_url: str,
    data_dir: Path,
    province: str = "ninh-binh",
    extra: Mapping[str, str] | None = None,
    *,
    certificates: bool = True,
) -> Path:
    """`eoffice seed` (`extra`: more EXCHANGE_ settings; `certificates=False`: none issued to
    the agencies, for traffic that is not signed); returns the credentials file it wrote."""
    flags = [] if certificates else ["--no-certificates"]
    done = subprocess.run(
        [*eoffice_command(), "seed", province, *flags],
        env=hub_environment(database_url, data_dir, extra),
        capture_output=True,
        text=True,
        check=False,
    )
    found = CREDENTIALS_LINE.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"eoffice seed failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return Path(found["path"].strip())


class HubServer:
    """`eoffice serve` in its own session, so the whole group (workers too) stops together."""

    def __init__(
        self,
        database_url: str,
        data_dir: Path,
        port: int,
        workers: int,
        *,
        extra: Mapping[str, str] | None = None,
        log: Path | None = None,
    ) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self._env = hub_environment(database_url, data_dir, extra)
        self._args = ["serve", "--port", str(port), "--workers", str(workers)]
        self._log = log or data_dir / "serve.log"
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
