"""Engines for the two supported back ends, SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

__all__ = ["display_url", "is_sqlite", "make_engine", "make_reader", "private_sqlite_file"]

_PRIVATE = 0o600  # SQLite gives -wal, -shm and -journal the main file's mode


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def display_url(url: str) -> str:
    """The URL with any password hidden, for printing."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)
    _private_database(parsed.database)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    _configure_sqlite(engine)
    return engine


def make_reader(url: str) -> Engine:
    """Read-only connections for reports beside the writer (metrics, audit checks): one per
    use, never the write lock. PostgreSQL: read-only transactions. SQLite: `query_only`, and a
    plain deferred BEGIN, one snapshot that never blocks the writer (WAL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        options = {"options": "-c default_transaction_read_only=on"}
        return create_engine(url, poolclass=NullPool, connect_args=options)
    _private_database(parsed.database)
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"check_same_thread": False, "timeout": 30}
    )
    _configure_sqlite(engine, begin="BEGIN", extra=("query_only=ON",))
    return engine


def private_sqlite_file(path: Path) -> None:
    """The database holds every system's secret. A new one gets a folder of its own (0700)
    and a file only the owner reads (0600), created before SQLite opens it; an existing
    file, and its -wal and -shm, lose any group or other permission."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        _tighten(each)


def _tighten(path: Path) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)
    except OSError:  # absent, or not ours to change (a read-only mount): SQLite will say
        return


def _private_database(database: str | None) -> None:
    if database and database != ":memory:" and not database.startswith("file:"):
        private_sqlite_file(Path(database))


def _configure_sqlite(
    engine: Engine, *, begin: str = "BEGIN IMMEDIATE", extra: tuple[str, ...] = ()
) -> None:
    """WAL, NORMAL sync, and transactions that take the write lock up front (BEGIN IMMEDIATE).

    pysqlite's own transaction handling is switched off so that SAVEPOINTs work (the
    SQLAlchemy documented recipe) and so that a reader never upgrades to writer mid-way.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
            "cache_size=-65536",  # 64 MiB of page cache instead of 2
            "mmap_size=268435456",
            "temp_store=MEMORY",
            *extra,
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)
