"""Fixtures: a real hub (FastAPI app, batch writer, database) per test and backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from exchange.api import create_app
from exchange.db.engine import make_engine
from exchange.db.writer import run_once
from exchange.registry import load_registry
from exchange.services.seeding import seed
from exchange.settings import Settings
from tests.api.harness import Hub, make_settings


@pytest.fixture
def hub_settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
def hub(hub_settings: Settings) -> Iterator[Hub]:
    registries = [load_registry("ninh-binh", "2019"), load_registry("central")]
    engine = make_engine(hub_settings.database_url)
    credentials = run_once(engine, lambda store: seed(store, registries))
    engine.dispose()
    agencies = {a.code: a for r in registries for a in r.agencies}
    secrets = {c.system.id: c.secret for c in credentials}
    with TestClient(create_app(hub_settings), base_url="http://hub") as http:
        yield Hub(http, secrets, agencies, hub_settings)
