"""Databases the benchmark gives the hub: a fresh PostgreSQL database per bench run, and
copies of a seeded database, so runs compared with each other start from the same data.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from loadtests.hub_process import backend_name, display_url

__all__ = ["database_copy", "postgres_database", "sqlite_path"]

SQLITE_PREFIX = "sqlite:///"


def _admin_conninfo(server_url: str) -> str:
    """SQLAlchemy's `postgresql+psycopg://` URL as libpq wants it."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", server_url)


def _with_database(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    scheme = "postgresql+psycopg"
    return urlunsplit(parts._replace(scheme=scheme, path=f"/{name}"))


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


@contextmanager
def postgres_database(server_url: str, template: str | None = None) -> Iterator[str]:
    """A fresh database `eoffice_bench_<random>` on that server (a copy of `template`, a
    database on the same server, when given), dropped afterwards."""
    name = f"eoffice_bench_{secrets.token_hex(4)}"
    database = sql.Identifier(name)
    create = sql.SQL("CREATE DATABASE {}").format(database)
    if template is not None:
        copy = sql.SQL("CREATE DATABASE {} TEMPLATE {}")
        create = copy.format(database, sql.Identifier(template))
    _admin(server_url, create)
    try:
        yield _with_database(server_url, name)
    finally:
        _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))


def _admin(server_url: str, statement: sql.Composed) -> None:
    try:
        conninfo = _admin_conninfo(server_url)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement)
    except psycopg.Error as error:
        raise RuntimeError(f"PostgreSQL at {display_url(server_url)}: {error}") from None


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///` URL (None for another database)."""
    return Path(url.removeprefix(SQLITE_PREFIX)) if url.startswith(SQLITE_PREFIX) else None


@contextmanager
def database_copy(url: str, *, server_url: str | None, name: str) -> Iterator[str]:
    """A copy of the database at `url` (nobody may be using it), removed afterwards.

    SQLite: a file `<name>.db` beside it (SQLite's online backup). PostgreSQL: a database made
    from it as a template; `server_url` is where to connect to make it (not `url` itself: a
    template must have no connection open)."""
    source = sqlite_path(url)
    if source is not None:
        with _sqlite_copy(source, source.with_name(f"{name}.db")) as copy:
            yield copy
        return
    if backend_name(url) != "postgresql" or server_url is None:
        raise RuntimeError(f"cannot copy the database at {display_url(url)}")
    with postgres_database(server_url, template=_database_name(url)) as copy:
        yield copy


@contextmanager
def _sqlite_copy(source: Path, target: Path) -> Iterator[str]:
    _remove_sqlite(target)
    with closing(sqlite3.connect(source)) as old, closing(sqlite3.connect(target)) as new:
        old.backup(new)
    try:
        yield f"{SQLITE_PREFIX}{target}"
    finally:
        _remove_sqlite(target)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
