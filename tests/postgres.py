"""The PostgreSQL the suite runs on (127.0.0.1:5432, user postgres, database `test`, or
`EOFFICE_TEST_PG`): its administration connection and the URL of a database on it. A
PostgreSQL that does not answer fails the test, never skips it."""

from __future__ import annotations

import os

import psycopg
import pytest

PG_ADMIN = os.environ.get("EOFFICE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def pg_url(database: str) -> str:
    """The SQLAlchemy URL of `database` on that server."""
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{database}"


def pg_admin(sql: str) -> None:
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as connection:
            connection.execute(sql)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL at {PG_ADMIN} is required for the database tests: {error}")
