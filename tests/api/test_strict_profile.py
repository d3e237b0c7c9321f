"""The strict profile: the national envelope plus a fresh timestamp, a nonce never accepted
twice (across hub processes sharing the database) and a hash of every body."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from exchange.api import create_app
from exchange.protocol.answers import Answer, read_answer
from exchange.protocol.connector import Connector, WireRequest
from exchange.settings import Settings
from tests.api.harness import PROVINCE, Hub, edoc, edxml, make_settings

pytestmark = pytest.mark.db


@pytest.fixture
def hub_settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, auth_profile="strict")


def _strict(hub: Hub, system: str = PROVINCE, **options: object) -> Connector:
    return Connector(system, hub.secrets[system], profile="strict", **options)  # type: ignore[arg-type]


def _send(http: TestClient, request: WireRequest) -> Answer:
    response = http.request(
        request.method, request.path, content=request.body, headers=list(request.headers)
    )
    return read_answer(response.content, response.status_code)


def test_a_strict_connector_exchanges_a_document(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    district = next(a for a in hub.agencies.values() if a.tier.value == "district")
    sent = hub.connector(PROVINCE, profile="strict").send(edxml(edoc(sender, [district])))
    assert sent.ok, sent
    receiver = hub.connector(district.system_id, profile="strict")
    [item] = receiver.inbox()
    assert receiver.get_edoc(str(item["docId"])).ok
    assert receiver.update_status(str(item["docId"])).ok
    assert receiver.inbox() == []


def test_what_the_sdk_sends_is_not_enough(hub: Hub) -> None:
    answer = _send(hub.http, Connector(PROVINCE, hub.secrets[PROVINCE]).get_agencies_list())
    assert (answer.http_status, answer.error_code) == (401, "auth_missing")
    assert "strict" in answer.error_desc


def test_a_request_is_accepted_once(hub: Hub) -> None:
    request = _strict(hub).get_agencies_list()
    assert _send(hub.http, request).ok
    again = _send(hub.http, request)
    assert (again.http_status, again.error_code) == (401, "auth_nonce_replayed")


def test_a_nonce_is_refused_by_another_hub_process_on_the_same_database(
    hub: Hub, hub_settings: Settings
) -> None:
    request = _strict(hub).count_receive_edoc()
    assert _send(hub.http, request).ok
    with TestClient(create_app(hub_settings), base_url="http://hub") as second_process:
        assert _send(second_process, request).error_code == "auth_nonce_replayed"


def test_a_stale_timestamp_is_refused(hub: Hub) -> None:
    def an_hour_ago() -> datetime:
        return datetime.now(UTC) - timedelta(hours=1)

    answer = _send(hub.http, _strict(hub, clock=an_hour_ago).get_agencies_list())
    assert (answer.http_status, answer.error_code) == (401, "auth_timestamp_out_of_window")


def test_every_body_is_bound(hub: Hub) -> None:
    request = _strict(hub).update_status("4ec00000-0000-4000-8000-000000000001")
    answer = _send(hub.http, replace(request, body=b'{"other":1}'))
    assert (answer.http_status, answer.error_code) == (401, "auth_body_mismatch")


def test_the_national_profile_ignores_nonces_and_timestamps(
    database_url: str, tmp_path: Path
) -> None:
    """The default profile accepts the SDK's fixed timestamp and repeats: no freshness."""
    from exchange.db.engine import make_engine
    from exchange.db.writer import run_once
    from exchange.registry import load_registry
    from exchange.services.seeding import seed

    registries = [load_registry("central")]
    engine = make_engine(database_url)
    credentials = run_once(engine, lambda store: seed(store, registries))
    engine.dispose()
    system = credentials[0]

    def in_2016() -> datetime:
        return datetime(2016, 9, 5, tzinfo=UTC)

    connector = Connector(system.system.id, system.secret, clock=in_2016)
    request = connector.get_agencies_list()
    with TestClient(create_app(make_settings(database_url, tmp_path)), base_url="http://h") as http:
        assert _send(http, request).ok and _send(http, request).ok
