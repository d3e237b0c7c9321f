"""Database backends for the suite: every test that asks for `database_url` runs on a fresh
SQLite file and on a fresh PostgreSQL database (cloned from a migrated template)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from exchange.db.migrate import upgrade

PG_ADMIN = os.environ.get("EOFFICE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = os.environ.get("EOFFICE_TEST_BACKENDS", "sqlite,postgresql").split(",")
if os.environ.get("CI") == "true":
    BACKENDS = ["sqlite", "postgresql"]  # CI always runs both; PostgreSQL missing is a failure


def _pg_url(database: str) -> str:
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{database}"


def _pg_admin(sql: str) -> None:
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as connection:
            connection.execute(sql)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL at {PG_ADMIN} is required for the database tests: {error}")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hub.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    name = f"eoffice_template_{uuid.uuid4().hex[:8]}"
    _pg_admin(f"CREATE DATABASE {name}")
    upgrade(_pg_url(name))
    yield name
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "hub.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"eoffice_t_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield _pg_url(name)
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
