"""/metrics is served off the write path (a cached, read-only count); with
EXCHANGE_PUBLIC_OPS=false, metrics and the API's docs are for allowed clients only."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from exchange.api import create_app
from exchange.api.ops import OPS_PATHS, CountsCache
from exchange.db.repos.stats import CountsReader, HubCounts
from exchange.settings import Settings
from tests.api.harness import PROVINCE, Hub, edoc, edxml, make_settings

pytestmark = pytest.mark.db

DOCS = ("/metrics", "/docs", "/redoc", "/openapi.json")


def test_metrics_never_run_in_the_batch_writer(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = next(a for a in hub.agencies.values() if a.system_id != PROVINCE)
    assert hub.of(sender).send(edxml(edoc(sender, [recipient]))).http_status == 201
    writer = hub.http.app.state.hub.writer  # type: ignore[attr-defined]
    units = writer.units
    text = hub.http.get("/metrics").text
    assert 'eoffice_documents{kind="edoc"} 1.0' in text
    assert writer.units == units  # the counts came from a read-only connection


class _SlowReader(CountsReader):
    """Counts a read that takes a while, as three GROUP BYs over a million rows do."""

    reads = 0
    lock = threading.Lock()

    def read(self) -> HubCounts:
        with self.lock:
            type(self).reads += 1
        time.sleep(0.2)
        return HubCounts({"edoc": type(self).reads}, {}, {})


def test_scrapes_at_once_share_one_read_and_a_fresh_one_is_reused() -> None:
    settings = Settings(database_url="sqlite:///unused.db", metrics_cache_seconds=60)
    cache = CountsCache(reader=_SlowReader)
    _SlowReader.reads = 0

    async def scrapes() -> list[HubCounts]:
        burst = await asyncio.gather(*(cache.get(settings) for _ in range(8)))
        return [*burst, await cache.get(settings)]

    counts = asyncio.run(scrapes())
    assert _SlowReader.reads == 1
    assert {c.documents["edoc"] for c in counts} == {1}


def test_counts_older_than_the_setting_are_read_again() -> None:
    settings = Settings(database_url="sqlite:///unused.db", metrics_cache_seconds=0)
    cache = CountsCache(reader=_SlowReader)
    _SlowReader.reads = 0

    async def two() -> None:
        await cache.get(settings)
        await cache.get(settings)

    asyncio.run(two())
    assert _SlowReader.reads == 2


@pytest.fixture
def private_ops(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, public_ops=False, ops_token="s3cret-token")


def test_private_ops_answer_an_anonymous_client_as_a_call_that_does_not_exist(
    private_ops: Settings,
) -> None:
    assert set(DOCS) <= OPS_PATHS
    with TestClient(create_app(private_ops), base_url="http://hub") as http:
        for path in DOCS:
            response = http.get(path)
            assert response.status_code == 404, path
            assert response.json()["ErrorCode"] == "unknown_call"
        wrong = http.get("/metrics", headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 404
        assert http.get("/healthz").status_code == 200  # load balancers still see health


def test_private_ops_answer_the_token_and_the_allowed_networks(private_ops: Settings) -> None:
    with TestClient(create_app(private_ops), base_url="http://hub") as http:
        bearer = {"Authorization": "Bearer s3cret-token"}
        assert all(http.get(path, headers=bearer).status_code == 200 for path in DOCS)
    local = TestClient(create_app(private_ops), base_url="http://hub", client=("127.0.0.1", 5))
    with local as http:
        assert all(http.get(path).status_code == 200 for path in DOCS)


def test_ops_are_public_by_default(database_url: str, tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(database_url, tmp_path)), base_url="http://hub") as h:
        assert all(h.get(path).status_code == 200 for path in DOCS)


def test_a_network_that_does_not_parse_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="ops_allow"):
        Settings(ops_allow=("10.0.0.0/8", "not-a-network"))


def test_without_accounting_the_metrics_show_no_cpu_per_call(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = next(a for a in hub.agencies.values() if a.system_id != PROVINCE)
    assert hub.of(sender).send(edxml(edoc(sender, [recipient]))).http_status == 201
    text = hub.http.get("/metrics").text
    assert "eoffice_call_cpu" not in text
