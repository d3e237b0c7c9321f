"""Every refusal: the HTTP status, the stable code, a sentence, nothing stored, and an audit
record of the refusal (and nothing else)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from exchange.db.models import audit_log, metadata
from exchange.domain.messages import OtherInfo
from exchange.protocol.auth import signed_headers
from exchange.protocol.compose import compose_status
from exchange.settings import Settings
from tests.api.harness import NOW, PROVINCE, Hub, edoc, edxml, make_settings, org

pytestmark = pytest.mark.db

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
            if table.name != "audit_log"
        }
    engine.dispose()
    return counts


def _last_audit(url: str) -> tuple[str, dict[str, object]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            select(audit_log.c.event, audit_log.c.detail).order_by(audit_log.c.seq.desc()).limit(1)
        ).one()
    engine.dispose()
    return row.event, json.loads(row.detail)


@pytest.fixture
def sender(hub: Hub) -> Iterator[object]:
    yield hub.hosted(PROVINCE)[0]


def _district_agency(hub: Hub, index: int = 0) -> object:
    systems = sorted({a.system_id for a in hub.agencies.values() if a.tier.value == "district"})
    return hub.hosted(systems[index])[0]


def assert_refused(
    hub: Hub, response: httpx.Response, status: int, code: str, before: dict[str, int]
) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and len(body["detail"]) > 10
    url = hub.settings.database_url
    assert _counts(url) == before, "a refused request changed the database"
    event, detail = _last_audit(url)
    assert (event, detail["code"]) == ("refused", code)


# --- the message ---------------------------------------------------------------------------
BAD_XML = {
    "not_well_formed": (
        b"<edXML xmlns='" + NS.encode() + b"'><edXML:edXMLEnvelope>",
        400,
        "xml_malformed",
    ),
    "wrong_namespace": (
        b'<edXML:edXML xmlns:edXML="urn:not-qcvn"><edXML:edXMLEnvelope/></edXML:edXML>',
        400,
        "edxml_namespace_invalid",
    ),
    "billion_laughs": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b"<edXML>&lol3;</edXML>",
        400,
        "xml_forbidden_construct",
    ),
    "external_entity": (
        b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<edXML>&x;</edXML>",
        400,
        "xml_forbidden_construct",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_XML))
def test_hostile_or_broken_xml_is_refused(hub: Hub, sender: object, case: str) -> None:
    body, status, code = BAD_XML[case]
    before = _counts(hub.settings.database_url)
    assert_refused(hub, hub.of(sender).send(body), status, code, before)  # type: ignore[arg-type]


def test_envelope_without_the_edxml_prefix_is_refused(hub: Hub, sender: object) -> None:
    recipient = _district_agency(hub)
    body = edxml(edoc(sender, [recipient]))  # type: ignore[arg-type]
    unprefixed = body.replace(b"edXML:edXMLEnvelope", b"edXMLEnvelope").replace(
        b"<edXMLEnvelope", b'<edXMLEnvelope xmlns="' + NS.encode() + b'"', 1
    )
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send(unprefixed)  # type: ignore[arg-type]
    assert_refused(hub, response, 400, "edxml_namespace_invalid", before)


def test_unknown_recipient(hub: Hub, sender: object) -> None:
    from exchange.domain.messages import Organization

    message = edoc(sender, [_district_agency(hub)])  # type: ignore[arg-type]
    message = replace(message, recipients=(*message.recipients, Organization("999.99.99.H99")))
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "recipient_unknown", before)
    assert "999.99.99.H99" in response.json()["detail"]


def test_no_recipient(hub: Hub, sender: object) -> None:
    message = replace(edoc(sender, [_district_agency(hub)]), recipients=())  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "recipient_missing", before)


def test_sender_not_hosted_by_the_calling_system(hub: Hub, sender: object) -> None:
    recipient = _district_agency(hub)
    body = edxml(edoc(sender, [recipient]))  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    response = hub.of(recipient).send(body)  # type: ignore[arg-type]
    assert_refused(hub, response, 403, "sender_not_hosted", before)


@pytest.mark.parametrize("marking", ["Mật", "TỐI MẬT", "tuyet mat"])
def test_secret_documents_never_travel(hub: Hub, sender: object, marking: str) -> None:
    message = edoc(
        sender, [_district_agency(hub)], other_info=OtherInfo(sphere_of_promulgation=marking)
    )  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "document_secret", before)


def test_status_move_not_allowed(hub: Hub, sender: object) -> None:
    recipient = _district_agency(hub)
    message = edoc(sender, [recipient])  # type: ignore[arg-type]
    hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    skipped = compose_status(org(recipient), message, "04", on=NOW)  # type: ignore[arg-type]
    response = hub.of(recipient).send(edxml(skipped))  # type: ignore[arg-type]
    assert_refused(hub, response, 409, "status_transition_not_allowed", before)


def test_another_systems_document_is_not_found(hub: Hub, sender: object) -> None:
    recipient = _district_agency(hub, 0)
    outsider = _district_agency(hub, 1)
    doc_id = hub.of(sender).send(edxml(edoc(sender, [recipient]))).json()["docId"]  # type: ignore[arg-type]
    stranger = hub.of(outsider)  # type: ignore[arg-type]
    for call in (
        lambda: stranger.get(doc_id),
        lambda: stranger.ack(doc_id),
        lambda: stranger.sent(doc_id),
    ):
        before = _counts(hub.settings.database_url)
        assert_refused(hub, call(), 404, "document_not_found", before)
    # the recipient may fetch it, but did not send it
    before = _counts(hub.settings.database_url)
    assert_refused(hub, hub.of(recipient).sent(doc_id), 404, "document_not_found", before)  # type: ignore[arg-type]


def test_invalid_json_request(hub: Hub) -> None:
    before = _counts(hub.settings.database_url)
    response = hub.connector(PROVINCE).post_json(
        "/vxp/updateStatus", {"docId": 1, "status": "maybe"}
    )
    assert_refused(hub, response, 422, "request_invalid", before)


# --- authentication ------------------------------------------------------------------------
def _signed(
    hub: Hub, system: str, secret: str, *, now: float, path: str = "/vxp/getAgenciesList"
) -> dict[str, str]:
    return signed_headers(system, secret, "GET", path, b"", now=now)


def test_expired_timestamp(hub: Hub) -> None:
    headers = _signed(hub, PROVINCE, hub.secrets[PROVINCE], now=time.time() - 301)
    before = _counts(hub.settings.database_url)
    response = hub.http.get("/vxp/getAgenciesList", headers=headers)
    assert_refused(hub, response, 401, "auth_timestamp_out_of_window", before)


def test_replayed_nonce(hub: Hub) -> None:
    headers = _signed(hub, PROVINCE, hub.secrets[PROVINCE], now=time.time())
    assert hub.http.get("/vxp/getAgenciesList", headers=headers).status_code == 200
    before = _counts(hub.settings.database_url)
    response = hub.http.get("/vxp/getAgenciesList", headers=headers)
    assert_refused(hub, response, 401, "auth_nonce_replayed", before)


def test_wrong_signature(hub: Hub) -> None:
    headers = _signed(hub, PROVINCE, "not-the-secret", now=time.time())
    before = _counts(hub.settings.database_url)
    response = hub.http.get("/vxp/getAgenciesList", headers=headers)
    assert_refused(hub, response, 401, "auth_signature_invalid", before)


def test_query_string_is_signed(hub: Hub, sender: object) -> None:
    headers = signed_headers(
        PROVINCE, hub.secrets[PROVINCE], "GET", "/vxp/getEdoc?docId=1", b"", now=time.time()
    )
    before = _counts(hub.settings.database_url)
    response = hub.http.get("/vxp/getEdoc?docId=2", headers=headers)
    assert_refused(hub, response, 401, "auth_signature_invalid", before)


def test_unknown_system(hub: Hub) -> None:
    headers = _signed(hub, "no-such-system", "x", now=time.time())
    before = _counts(hub.settings.database_url)
    response = hub.http.get("/vxp/getAgenciesList", headers=headers)
    assert_refused(hub, response, 401, "auth_system_unknown", before)


def test_missing_headers(hub: Hub) -> None:
    before = _counts(hub.settings.database_url)
    response = hub.http.get("/vxp/getAgenciesList")
    assert_refused(hub, response, 401, "auth_missing", before)


# --- size ----------------------------------------------------------------------------------
@pytest.fixture
def hub_settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, max_body_bytes=64 * 1024)


def test_body_over_the_limit_is_refused_before_it_is_read(hub: Hub, sender: object) -> None:
    big = edoc(sender, [_district_agency(hub)], attachment=b"x" * 100_000)  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(big))  # type: ignore[arg-type]
    assert_refused(hub, response, 413, "body_too_large", before)


def test_chunked_body_over_the_limit_is_refused(hub: Hub, sender: object) -> None:
    """No Content-Length: the hub counts while reading and stops at the limit."""

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"<" * 1024

    headers = signed_headers(
        PROVINCE, hub.secrets[PROVINCE], "POST", "/vxp/sendEdoc", b"", now=time.time()
    )
    before = _counts(hub.settings.database_url)
    response = hub.http.post("/vxp/sendEdoc", content=chunks(), headers=headers)
    assert_refused(hub, response, 413, "body_too_large", before)
