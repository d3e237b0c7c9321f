"""A flood of one refusal costs a counter, not an audit record (nor a database write) each;
a different refusal is still recorded at once, and the counts add up to the requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from exchange.api import create_app
from exchange.db.engine import make_engine
from exchange.db.models import audit_log
from exchange.db.writer import run_once
from exchange.protocol.connector import Connector, WireRequest
from exchange.registry import load_registry
from exchange.services.seeding import seed
from exchange.settings import Settings
from tests.api.harness import PROVINCE, make_settings

pytestmark = pytest.mark.db


def _seeded(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    settings = make_settings(database_url, tmp_path, **overrides)
    engine = make_engine(database_url)
    run_once(engine, lambda store: seed(store, [load_registry("ninh-binh", "2019")]))
    engine.dispose()
    return settings


@contextmanager
def _hub(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://hub") as http:
        yield http


def _send(http: TestClient, request: WireRequest) -> int:
    response = http.request(
        request.method, request.path, content=request.body, headers=list(request.headers)
    )
    return response.status_code


def _refusals(url: str) -> list[tuple[str | None, dict[str, object]]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.system_id, audit_log.c.detail)
            .where(audit_log.c.event == "refused")
            .order_by(audit_log.c.seq)
        ).all()
    engine.dispose()
    return [(row.system_id, json.loads(row.detail)) for row in rows]


def _counted(refusals: list[tuple[str | None, dict[str, object]]], code: str) -> list[int]:
    return [int(d["count"]) for _, d in refusals if d["code"] == code]  # type: ignore[call-overload]


def test_500_identical_bad_signatures_are_two_records_counting_500(
    database_url: str, tmp_path: Path
) -> None:
    settings = _seeded(database_url, tmp_path)
    forged = Connector(PROVINCE, "not-the-secret").get_agencies_list()
    with _hub(settings) as http:
        writer = http.app.state.hub.writer  # type: ignore[attr-defined]
        units = writer.units
        assert all(_send(http, forged) == 401 for _ in range(500))
        assert writer.units - units == 1  # one write for the flood: its first refusal
        assert _counted(_refusals(database_url), "auth_signature_invalid") == [1]

        stranger = Connector("no-such-system", "x").get_agencies_list()
        assert _send(http, stranger) == 401  # a different refusal: recorded at once
        system, detail = _refusals(database_url)[-1]
        assert (system, detail["code"], detail["count"]) == (
            "no-such-system",
            "auth_system_unknown",
            1,
        )
    refusals = _refusals(database_url)  # the hub stopped: what it counted is recorded
    assert _counted(refusals, "auth_signature_invalid") == [1, 499]
    assert len(refusals) == 3


def test_the_same_refusal_on_another_path_or_system_is_its_own_record(
    database_url: str, tmp_path: Path
) -> None:
    settings = _seeded(database_url, tmp_path)
    forged = Connector(PROVINCE, "not-the-secret")
    other = Connector("ninh-binh-huyen-nho-quan", "not-the-secret")
    with _hub(settings) as http:
        for request in (forged.get_agencies_list(), forged.count_receive_edoc()) * 3:
            assert _send(http, request) == 401
        assert _send(http, other.get_agencies_list()) == 401
        recorded = [(s, d["action"]) for s, d in _refusals(database_url)]
    assert recorded == [
        (PROVINCE, "/getAgenciesList"),
        (PROVINCE, "/countReceiveEdoc"),
        ("ninh-binh-huyen-nho-quan", "/getAgenciesList"),
    ]


def test_a_count_is_recorded_when_its_window_closes_while_the_hub_runs(
    database_url: str, tmp_path: Path
) -> None:
    settings = _seeded(database_url, tmp_path, audit_repeat_seconds=0.5)
    forged = Connector(PROVINCE, "not-the-secret").get_agencies_list()
    with _hub(settings) as http:
        assert all(_send(http, forged) == 401 for _ in range(50))
        for _ in range(50):  # the window closes; its timer records the count
            counts = _counted(_refusals(database_url), "auth_signature_invalid")
            if sum(counts) == 50:
                break
            time.sleep(0.1)
        assert sum(counts) == 50 and len(counts) < 10, counts
