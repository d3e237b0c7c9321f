"""Real partners' files (the national hub's SDK samples) go through the hub as sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from exchange.api import create_app
from exchange.db.engine import make_engine
from exchange.db.repos.directory import SystemCredentials
from exchange.db.writer import run_once
from exchange.domain.agencies import Agency, System, Tier
from exchange.domain.messages import Organization
from exchange.edxml.writer import build_edxml
from exchange.protocol.compose import compose_edoc
from exchange.protocol.connector import Connector
from exchange.settings import Settings
from tests.api.harness import Conn

pytestmark = pytest.mark.db

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "interop" / "vpcp-samples"
VPCP, NGHE_AN, OTHERS = "000.00.00.G22", "000.00.00.H41", ("000.00.00.H14", "000.00.00.G17")
SYSTEMS = {
    "vpcp": [VPCP, "002.00.20.H13"],
    "partners": [NGHE_AN, *OTHERS, "28.22.H17"],
}


@pytest.fixture
def partners(database_url: str, tmp_path: Path) -> Iterator[dict[str, Conn]]:
    assert SAMPLES.is_dir(), f"interop samples missing at {SAMPLES}"
    credentials = [SystemCredentials(System(s, s), f"secret-{s}") for s in SYSTEMS]
    agencies = [
        Agency(code, code, Tier.CENTRAL, system)
        for system, codes in SYSTEMS.items()
        for code in codes
    ]

    def register(store):  # type: ignore[no-untyped-def]
        store.directory.save_systems(credentials)
        store.directory.save_agencies(agencies)

    engine = make_engine(database_url)
    run_once(engine, register)
    engine.dispose()
    settings = Settings(database_url=database_url, data_dir=tmp_path)
    with TestClient(create_app(settings), base_url="http://hub") as http:
        yield {c.system.id: Conn(http, Connector(c.system.id, c.secret)) for c in credentials}


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _send(client: Conn, name: str) -> tuple[int, str]:
    answer = client.send(_sample(name))
    return answer.http_status, "" if answer.ok else answer.error_code


def test_the_samples_play_the_whole_exchange(partners: dict[str, Conn]) -> None:
    vpcp, partner = partners["vpcp"], partners["partners"]
    original = compose_edoc(
        Organization(VPCP, "Văn phòng Chính phủ"),
        [Organization(code) for code in (NGHE_AN, *OTHERS)],
        number=7816,
        notation="VPCP-TTĐT",
        subject="V/v kết nối, liên thông phần mềm quản lý văn bản",
        on=datetime(2015, 9, 30, 8, 0, tzinfo=UTC),
    )
    assert vpcp.send(build_edxml(original)).http_status == 201

    assert _send(vpcp, "edoc_new.edxml") == (201, "")
    assert _send(vpcp, "edoc_update.edxml") == (201, "")
    assert _send(vpcp, "edoc_replacement.edxml") == (201, "")
    steps = [
        ("status_inbox_01.edxml", 201, ""),
        ("status.edxml", 200, ""),  # the same 01 again: a duplicate, nothing stored
        ("status_acceptance_03.edxml", 201, ""),
        ("status_assignment_04.edxml", 201, ""),
        ("status_processing_05.edxml", 201, ""),
        ("status_finish_06.edxml", 201, ""),
        ("status_rejection_02.edxml", 409, "status_transition_not_allowed"),
    ]
    for name, status, code in steps:
        assert _send(partner, name) == (status, code), name
    assert _send(vpcp, "status_cancellation_13.edxml") == (201, "")
    assert _send(partner, "status_change-acceptance_15.edxml") == (
        409,
        "status_transition_not_allowed",
    )
    assert _send(partner, "status_change-rejection_16.edxml") == (201, "")
    assert _send(vpcp, "edoc_revocation.edxml") == (201, "")


def test_the_malformed_sample_is_refused_clearly(partners: dict[str, Conn]) -> None:
    answer = partners["vpcp"].send_edoc(_sample("edoc.edxml"), VPCP)
    assert (answer.http_status, answer.error_code) == (400, "xml_malformed")
    assert "xlink" in answer.error_desc


def test_a_delivered_sample_keeps_its_attachment_and_gains_the_hub_trace(
    partners: dict[str, Conn],
) -> None:
    from exchange.edxml import parse_edxml

    assert partners["vpcp"].send(_sample("edoc_new.edxml")).ok
    item = partners["partners"].inbox()[0]
    delivered = partners["partners"].get_edoc(str(item["docId"])).raise_if_refused()
    original = parse_edxml(_sample("edoc_new.edxml")).message
    received = parse_edxml(delivered.edxml).message
    assert received.attachments == original.attachments  # type: ignore[union-attr]
    assert received.traces[:-1] == original.traces
    assert received.traces[-1].organ_id == "000.00.00.VXP"
