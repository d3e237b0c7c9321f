"""The hub panel's figures, read from the hub's database on both back ends: documents sent
and received by tier since a moment, registered and returned ones, and the backlog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from exchange.api import create_app
from exchange.db.activity import TierActivity, hub_activity
from exchange.db.engine import make_engine
from exchange.db.writer import run_once
from exchange.protocol.compose import compose_status
from exchange.registry import load_registry
from exchange.services.seeding import seed
from tests.api.harness import NOW, Hub, edoc, edxml, make_settings, org

pytestmark = pytest.mark.db


@pytest.fixture
def hub(database_url: str, tmp_path: Path) -> Iterator[Hub]:
    settings = make_settings(database_url, tmp_path)
    registries = [load_registry("ninh-binh", "2019"), load_registry("central")]
    engine = make_engine(database_url)
    credentials = run_once(engine, lambda store: seed(store, registries))
    engine.dispose()
    agencies = {a.code: a for r in registries for a in r.agencies}
    secrets = {c.system.id: c.secret for c in credentials}
    with TestClient(create_app(settings), base_url="http://hub") as http:
        yield Hub(http, secrets, agencies, settings)


def test_traffic_by_tier_registered_returned_and_backlog(hub: Hub) -> None:
    province = hub.agencies["000.00.00.H37"]
    district, commune = hub.agencies["000.00.31.H37"], hub.agencies["000.01.31.H37"]
    message = edoc(province, [district, commune])
    assert hub.of(province).send(edxml(message)).http_status == 201
    for recipient, codes in ((district, ("01", "03")), (commune, ("01", "02"))):
        for code in codes:
            status = compose_status(org(recipient), message, code, on=NOW, reason="Sai địa chỉ")
            assert hub.of(recipient).send(edxml(status)).http_status == 201
    engine = make_engine(hub.settings.database_url)
    try:
        activity = hub_activity(engine, datetime.now(UTC) - timedelta(hours=1))
        later = hub_activity(engine, datetime.now(UTC) + timedelta(hours=1))
    finally:
        engine.dispose()
    assert activity.tiers["province"] == TierActivity(sent=1)
    assert activity.tiers["district"] == TierActivity(received=1, registered=1)
    assert activity.tiers["commune"] == TierActivity(received=1, returned=1)
    assert activity.statuses == 4
    assert activity.transport_backlog == 6  # 2 deliveries of the document, 4 of the statuses
    assert activity.awaiting_clerk == 0
    assert later.tiers == {} and later.statuses == 0
