"""The SQLite database holds every system's secret: it, its -wal and -shm, and a folder made
for it are the owner's only, whatever the umask. (PostgreSQL's files are its server's.)"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from exchange.db.engine import make_engine, make_reader
from exchange.db.migrate import upgrade
from exchange.db.models import systems
from exchange.db.repos.directory import SystemCredentials
from exchange.db.writer import run_once
from exchange.domain.agencies import System

pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # files 0644 and folders 0755 unless made otherwise
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _files(database: Path) -> list[Path]:
    return [database, Path(f"{database}-wal"), Path(f"{database}-shm")]


def _store_a_secret(url: str) -> None:
    engine = make_engine(url)
    run_once(engine, lambda s: s.directory.save_systems([SystemCredentials(System("a", "A"), "x")]))
    with engine.connect() as connection:  # open: -wal and -shm exist while it is
        connection.execute(select(systems.c.secret)).all()
        assert all(path.exists() for path in _files(Path(url.removeprefix("sqlite:///"))))
        modes = {path.name: _mode(path) for path in _files(Path(url.removeprefix("sqlite:///")))}
    engine.dispose()
    assert modes == {"hub.db": 0o600, "hub.db-wal": 0o600, "hub.db-shm": 0o600}


def test_a_new_database_and_its_folder_are_private(tmp_path: Path) -> None:
    database = tmp_path / "data" / "hub.db"
    upgrade(f"sqlite:///{database}")  # what `eoffice seed` and `serve` do first
    assert _mode(database.parent) == 0o700
    assert _mode(database) == 0o600
    _store_a_secret(f"sqlite:///{database}")


def test_an_existing_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "existing"
    folder.mkdir(mode=0o755)
    database = folder / "hub.db"
    upgrade(f"sqlite:///{database}")
    database.chmod(0o644)  # as the hub made it before
    Path(f"{database}-wal").touch(mode=0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert _mode(database) == 0o600 and _mode(Path(f"{database}-wal")) == 0o600
    assert _mode(folder) == 0o755  # a folder it did not make is left as it was


def test_the_read_only_engine_keeps_the_files_private_too(tmp_path: Path) -> None:
    database = tmp_path / "hub.db"
    reader = make_reader(f"sqlite:///{database}")
    with reader.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    reader.dispose()
    assert _mode(database) == 0o600
