"""This machine's yardstick, measured by the run that reports it, before its replay starts:
no-op requests/s one keep-alive client gets from the hub, RSA-2048 signatures/s, and SQLite
commits/s, each over about a second. Not the hub's capacity: three fixed figures, so that a
reader of two reports can tell a slower machine from a slower hub (`eoffice compare`)."""

from __future__ import annotations

import http.client
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["NOOP", "measure"]

NOOP = "noop"  # the figures' keys: noop, rsa, sqlite


def measure(hub_url: str, seconds: float = 1.0) -> list[dict[str, object]]:
    """The three figures, each a {key, name, value, unit}; no-op only if the hub has /noop."""
    figures = [
        (NOOP, "no-op requests (GET /noop, one client)", _rate(_noop_call(hub_url), seconds)),
        ("rsa", "RSA-2048 signatures (SHA-256)", _rate(_signature(), seconds)),
        ("sqlite", "SQLite commits (WAL, one row each)", _sqlite_rate(seconds)),
    ]
    units = {NOOP: "requests/s", "rsa": "signatures/s", "sqlite": "commits/s"}
    return [
        {"key": k, "name": n, "value": v, "unit": units[k]} for k, n, v in figures if v is not None
    ]


def _rate(call: Callable[[], object] | None, seconds: float) -> float | None:
    if call is None:
        return None
    count, began = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - began) < seconds:
        call()
        count += 1
    return count / elapsed


def _noop_call(hub_url: str) -> Callable[[], object] | None:
    parts = urlsplit(hub_url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=5)

    def call() -> bytes:
        connection.request("GET", "/noop")
        return connection.getresponse().read()

    try:
        call()
        connection.request("GET", "/noop")
        answer = connection.getresponse()
        answer.read()
    except OSError:
        return None
    return call if answer.status == 200 else None


def _signature() -> Callable[[], object]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    data = b"x" * 1024
    return lambda: key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _sqlite_rate(seconds: float) -> float | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "yardstick.db"
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")

            def commit() -> None:
                db.execute("BEGIN")
                db.execute("INSERT INTO t (body) VALUES (?)", ("x" * 200,))
                db.execute("COMMIT")

            return _rate(commit, seconds)
