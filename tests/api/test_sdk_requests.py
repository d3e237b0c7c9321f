"""The national SDK's own requests (../shared/vxp/sdk-requests.jsonl), byte for byte, answered
in the shape the SDK reads: every answer an envelope of strings, no JSON null anywhere; and
the same requests with one byte changed are refused with a stable code and store nothing."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from exchange.api import create_app
from exchange.db.engine import make_engine
from exchange.db.models import audit_log, deliveries, documents
from exchange.db.repos.directory import SystemCredentials
from exchange.db.writer import run_once
from exchange.domain.agencies import Agency, System, Tier
from exchange.domain.messages import Organization
from exchange.edxml.writer import build_edxml
from exchange.protocol.client import HubClient
from exchange.protocol.compose import compose_edoc
from exchange.protocol.connector import Connector
from exchange.settings import Settings

pytestmark = pytest.mark.db

SHARED = Path(__file__).resolve().parents[3] / "shared" / "vxp"
SYSTEM, SECRET = "sys.test.01", "test-secret-Ab12"
NGHE_AN, VPCP, PARTNER = "000.00.00.H41", "000.00.00.G22", "000.01.00.H41"
STATUS_ANSWERS = "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"  # what status.edxml answers


@dataclass(frozen=True)
class Captured:
    call: str
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes


def _captured() -> list[Captured]:
    lines = (SHARED / "sdk-requests.jsonl").read_text().splitlines()
    return [
        Captured(
            r["call"],
            r["method"],
            r["path"],
            [(k, v) for k, v in r["headers"]],
            base64.b64decode(r["body_base64"]),
        )
        for r in map(json.loads, lines)
    ]


REQUESTS = _captured()


@dataclass
class SdkHub:
    http: TestClient
    url: str
    vpcp: HubClient

    def replay(self, request: Captured, **changes: Any) -> httpx.Response:
        request = replace(request, **changes)
        return self.http.request(
            request.method,
            request.path,
            content=request.body,
            headers=[(k, v.encode("latin-1")) for k, v in request.headers if k != "Content-Length"],  # type: ignore[misc]
        )

    def count(self, table: Any) -> int:
        engine = create_engine(self.url)
        with engine.connect() as connection:
            found = int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        engine.dispose()
        return found


@pytest.fixture
def sdk_hub(database_url: str, tmp_path: Path) -> Iterator[SdkHub]:
    """The captured system hosts Nghệ An; VPCP (another system) sent it the document that
    status.edxml answers."""
    credentials = [
        SystemCredentials(System(SYSTEM, "SDK test system"), SECRET),
        SystemCredentials(System("vpcp", "VPCP"), "vpcp-secret"),
    ]
    agencies = [
        Agency(NGHE_AN, "UBND tỉnh Nghệ An", Tier.PROVINCE, SYSTEM, qd20_code="H41"),
        Agency(VPCP, "Văn phòng Chính phủ", Tier.CENTRAL, "vpcp", qd20_code="G22"),
        Agency(PARTNER, "Văn phòng UBND tỉnh Nghệ An", Tier.PROVINCE, "vpcp", parent=NGHE_AN),
    ]

    def load(store: Any) -> None:
        store.directory.save_systems(credentials)
        store.directory.save_agencies(agencies)

    engine = make_engine(database_url)
    run_once(engine, load)
    engine.dispose()
    settings = Settings(database_url=database_url, data_dir=tmp_path)
    with TestClient(create_app(settings), base_url="http://hub") as http:
        vpcp = HubClient(http, Connector("vpcp", "vpcp-secret", prefix="/vxp"))
        yield SdkHub(http, database_url, vpcp)


def _vpcp_sends_the_answered_document(hub: SdkHub) -> None:
    on = datetime(2015, 9, 30, tzinfo=UTC)
    message = compose_edoc(
        Organization(VPCP, "Văn phòng Chính phủ"),
        [Organization(NGHE_AN, "UBND tỉnh Nghệ An")],
        number=7816,
        notation="VPCP-TTĐT",
        subject="V/v liên thông văn bản",
        on=on,
    )
    message = replace(message, document_id=STATUS_ANSWERS)
    assert hub.vpcp.send_edoc(build_edxml(message), VPCP).http_status == 201


def _no_nulls(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_nulls(v) for v in value)
    return value is not None


def _envelope(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code < 500
    body = response.json()
    assert _no_nulls(body), body
    assert all(isinstance(body[k], str) for k in ("status", "ErrorCode", "ErrorDesc")), body
    assert response.content.isascii()
    return dict(body)


# (call, index among that call's captures) -> (status, ErrorCode) the hub answers
EXPECTED = {
    ("getAgenciesList", 0): ("OK", "0"),
    ("getAgenciesListQD20", 0): ("OK", "0"),
    ("getSynchronizeUnit", 0): ("OK", "0"),
    ("registerAgency", 0): ("OK", "0"),
    ("deleteAgency", 0): ("OK", "0"),
    ("sendEdoc", 0): ("FAIL", "xml_malformed"),  # edoc.edxml is not well-formed
    ("sendEdoc", 1): ("FAIL", "xml_malformed"),
    ("sendEdoc", 2): ("OK", "0"),  # status.edxml: Nghệ An's 01 to VPCP
    ("getReceivedEdocList", 0): ("OK", "0"),
    ("getReceivedEdocList", 1): ("OK", "0"),
    ("getEdoc", 0): ("FAIL", "document_not_found"),  # the capture's docId is another hub's
    ("downloadEdoc", 0): ("FAIL", "document_not_found"),
    ("updateStatus", 0): ("FAIL", "document_not_found"),
    ("updateStatus", 1): ("FAIL", "document_not_found"),
    ("getSentEdocList", 0): ("FAIL", "document_not_found"),
    ("countReceiveEdoc", 0): ("OK", "0"),
    ("countReceiveStatus", 0): ("OK", "0"),
    ("getReceivedEdocList", 2): ("OK", "0"),
    ("getEdoc", 1): ("FAIL", "document_not_found"),
    ("updateStatus", 2): ("FAIL", "document_not_found"),
}


def test_every_captured_request_is_answered_in_the_shape_the_sdk_reads(sdk_hub: SdkHub) -> None:
    _vpcp_sends_the_answered_document(sdk_hub)
    seen: dict[str, int] = {}
    answers: dict[tuple[str, int], dict[str, Any]] = {}
    for request in REQUESTS:
        index = seen[request.call] = seen.get(request.call, -1) + 1
        body = _envelope(sdk_hub.replay(request))
        answers[(request.call, index)] = body
        assert (body["status"], body["ErrorCode"]) == EXPECTED[(request.call, index)], body
        if request.call == "sendEdoc":
            assert isinstance(body["DocId"], str)
    assert len(answers) == len(EXPECTED) == 20

    agencies = answers[("getAgenciesList", 0)]["data"]
    assert {a["code"] for a in agencies} == {NGHE_AN, VPCP, PARTNER}
    assert all(set(a) == {"id", "code", "name", "mail", "pid", "oldCode"} for a in agencies)
    [central] = answers[("getAgenciesListQD20", 0)]["data"]
    assert (central["code"], central["code102"]) == ("G22", VPCP)
    units = {u["code"]: u for u in answers[("getSynchronizeUnit", 0)]["data"]}
    assert units[NGHE_AN]["centerCode"] == SYSTEM and units[NGHE_AN]["deleted"] is False
    [arrived] = answers[("getReceivedEdocList", 0)]["data"]
    assert (arrived["from"], arrived["to"], arrived["messageType"]) == (VPCP, NGHE_AN, "edoc")
    assert answers[("getReceivedEdocList", 1)]["data"] == []
    assert answers[("countReceiveEdoc", 0)]["count"] == 1
    assert answers[("countReceiveStatus", 0)]["count"] == 0


def test_register_then_delete_leaves_a_deleted_version_in_the_directory(sdk_hub: SdkHub) -> None:
    by_call = {r.call: r for r in REQUESTS}
    for call in ("registerAgency", "deleteAgency"):
        assert _envelope(sdk_hub.replay(by_call[call]))["status"] == "OK"
    units = _envelope(sdk_hub.replay(by_call["getSynchronizeUnit"]))["data"]
    retired = next(u for u in units if u["code"] == "000.00.99.H41")
    assert (retired["pid"], retired["deleted"], retired["version"]) == (NGHE_AN, True, 2)
    assert retired["name"] == "Đơn vị thử"
    listed = _envelope(sdk_hub.replay(by_call["getAgenciesList"]))["data"]
    assert "000.00.99.H41" not in {a["code"] for a in listed}
    again = _envelope(sdk_hub.replay(by_call["deleteAgency"]))
    assert (again["status"], again["ErrorCode"]) == ("FAIL", "agency_not_found")


def _status_send() -> Captured:
    return [r for r in REQUESTS if r.call == "sendEdoc"][2]


def _with_header(request: Captured, name: str, change: Any) -> Captured:
    headers = [(k, change(v) if k == name else v) for k, v in request.headers]
    return replace(request, headers=headers)


def _flip(text: str, at: int = 30) -> str:
    return text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]


TAMPERED = {
    "sign-header": (
        lambda r: _with_header(r, "XroadVnpt-sign-header", lambda v: v.replace("eDoc", "eDod")),
        "auth_signature_invalid",
    ),
    "hash-header": (
        lambda r: _with_header(r, "XroadVnpt-hash-header", lambda v: _flip(v, 5)),
        "auth_signature_invalid",
    ),
    "body": (
        lambda r: replace(r, body=r.body.replace(b"StatusCode>01", b"StatusCode>03")),
        "auth_body_mismatch",
    ),
    "header outside the signed JSON": (
        lambda r: _with_header(r, "XroadVnpt-from", lambda v: _flip(v, 2)),
        "auth_header_mismatch",
    ),
    "sign-header-key": (
        lambda r: _with_header(
            r, "XroadVnpt-sign-header-key", lambda v: v.replace("from", "frOm;x")
        ),
        "auth_header_mismatch",
    ),
    "system id (header and signed JSON)": (
        lambda r: _with_header(
            _with_header(r, "XroadVnpt-systemid", lambda v: "sys.test.02"),
            "XroadVnpt-sign-header",
            lambda v: v.replace("sys.test.01", "sys.test.02"),
        ),
        "auth_system_unknown",
    ),
}


@pytest.mark.parametrize("part", sorted(TAMPERED))
def test_one_byte_changed_is_refused_and_stores_nothing(sdk_hub: SdkHub, part: str) -> None:
    _vpcp_sends_the_answered_document(sdk_hub)
    before = sdk_hub.count(documents), sdk_hub.count(deliveries)
    tamper, code = TAMPERED[part]
    response = sdk_hub.replay(tamper(_status_send()))
    body = _envelope(response)
    assert (response.status_code, body["status"], body["ErrorCode"]) == (401, "FAIL", code)
    assert body["DocId"] == "" and body["ErrorDesc"].endswith(".")
    assert (sdk_hub.count(documents), sdk_hub.count(deliveries)) == before
    assert _envelope(sdk_hub.replay(_status_send()))["status"] == "OK"  # the original lands


def test_a_header_the_hub_does_not_read_may_change(sdk_hub: SdkHub) -> None:
    _vpcp_sends_the_answered_document(sdk_hub)
    changed = _with_header(_status_send(), "XroadVnpt-version", lambda v: "9.9")
    changed = _with_header(changed, "User-Agent", lambda v: "curl/8")
    assert _envelope(sdk_hub.replay(changed))["status"] == "OK"


def test_leftover_keys_of_earlier_calls_are_never_acted_on(sdk_hub: SdkHub) -> None:
    """The SDK's last getEdoc and updateStatus carry servicetype, messagetype and filePath
    from earlier calls: the hub reads docId and status only (and refuses the unknown id)."""
    last_update = [r for r in REQUESTS if r.call == "updateStatus"][-1]
    assert "filePath" in dict(last_update.headers)["XroadVnpt-sign-header-key"]
    body = _envelope(sdk_hub.replay(last_update))
    assert body["ErrorCode"] == "document_not_found" and "8af226c8" in body["ErrorDesc"]


def test_the_refusal_audit_record_is_bounded(sdk_hub: SdkHub) -> None:
    long_id = "s" * 5000
    request = _with_header(
        _with_header(REQUESTS[0], "XroadVnpt-systemid", lambda v: long_id),
        "XroadVnpt-sign-header",
        lambda v: v.replace(SYSTEM, long_id),
    )
    body = _envelope(sdk_hub.replay(request))
    assert body["ErrorCode"] == "auth_system_unknown" and len(body["ErrorDesc"]) < 200
    engine = create_engine(sdk_hub.url)
    with engine.connect() as connection:
        row = connection.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    engine.dispose()
    assert row is not None and row.event == "refused"
    assert len(row.system_id or "") <= 64 and len(row.detail) < 1000
