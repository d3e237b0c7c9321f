"""Database backends for the suite: every test that asks for `database_url` runs on a fresh
SQLite file and on a fresh PostgreSQL database (cloned from a migrated template)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from exchange.db.migrate import upgrade
from tests.postgres import pg_admin, pg_url

BACKENDS = os.environ.get("EOFFICE_TEST_BACKENDS", "sqlite,postgresql").split(",")
if os.environ.get("CI") == "true":
    BACKENDS = ["sqlite", "postgresql"]  # CI always runs both; PostgreSQL missing is a failure


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hub.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    name = f"eoffice_template_{uuid.uuid4().hex[:8]}"
    pg_admin(f"CREATE DATABASE {name}")
    upgrade(pg_url(name))
    yield name
    pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = tmp_path / "hub.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"eoffice_t_{uuid.uuid4().hex[:12]}"
    pg_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield pg_url(name)
    pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
