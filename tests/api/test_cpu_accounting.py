"""EXCHANGE_CPU_ACCOUNTING: /metrics tells the CPU each call cost the hub, per call, counted
once per metered request (every one here; one in EXCHANGE_CPU_ACCOUNTING_EVERY under uvicorn).
Off, the default, is in test_ops_access.py."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from exchange.settings import Settings
from loadtests.bench.call_costs import parse_hub_calls
from tests.api.harness import PROVINCE, Hub, edoc, edxml, make_settings
from tests.cli.support import eoffice_env, serving

pytestmark = pytest.mark.db


@pytest.fixture
def hub_settings(database_url: str, tmp_path: Path) -> Settings:
    """The `hub` fixture's settings (tests/api/conftest.py), every request metered."""
    return make_settings(database_url, tmp_path, cpu_accounting=True, cpu_accounting_every=1)


def test_each_call_is_counted_under_its_name_with_the_cpu_it_took(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = next(a for a in hub.agencies.values() if a.system_id != PROVINCE)
    assert hub.of(sender).send(edxml(edoc(sender, [recipient]))).http_status == 201
    receiver = hub.of(recipient)
    [item] = receiver.inbox()
    for _ in range(3):
        receiver.get_edoc(str(item["docId"])).raise_if_refused()
    receiver.update_status(str(item["docId"]), "done").raise_if_refused()

    calls = parse_hub_calls(hub.http.get("/metrics").text)

    counts = {call: count for call, (_, count) in calls.items()}
    assert counts == {
        "sendEdoc edoc": 1,
        "getReceivedEdocList": 1,
        "getEdoc": 3,
        "updateStatus": 1,
    }
    assert all(seconds > 0 for seconds, _ in calls.values())


def test_a_refused_call_is_counted_too(hub: Hub) -> None:
    receiver = hub.connector(PROVINCE)
    assert receiver.get_edoc("no-such-doc").error_code == "document_not_found"
    calls = parse_hub_calls(hub.http.get("/metrics").text)
    assert calls["getEdoc"][1] == 1


def test_a_served_hub_meters_one_request_in_n(tmp_path: Path) -> None:
    """Under uvicorn each request is one task: one in EXCHANGE_CPU_ACCOUNTING_EVERY is
    metered (the /healthz polls before the count take their turns too)."""
    env = eoffice_env(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "data")
    env |= {"EXCHANGE_CPU_ACCOUNTING": "true", "EXCHANGE_CPU_ACCOUNTING_EVERY": "4"}
    with serving(env, tmp_path, workers=1) as base, httpx.Client(base_url=base) as http:
        for _ in range(400):
            assert http.get("/noop").status_code == 200
        calls = parse_hub_calls(http.get("/metrics").text)
    assert 99 <= calls["noop"][1] <= 101  # 400 / 4, give or take where the count started
