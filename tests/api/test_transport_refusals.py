"""Refusals of how a request arrives: authentication (the national profile), headers,
unknown calls and methods, bodies over the limit. Each answers its HTTP status, stable code
and sentence, stores nothing, and is audited (tests/api/refusals.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from exchange.protocol import wire
from exchange.protocol.answers import read_answer
from exchange.protocol.connector import Connector
from exchange.settings import Settings
from tests.api.harness import PROVINCE, Hub, edoc, edxml, make_settings
from tests.api.refusals import assert_refused, counts, district_agency, send_raw

pytestmark = pytest.mark.db


@pytest.fixture
def sender(hub: Hub) -> object:
    return hub.hosted(PROVINCE)[0]


# --- authentication (national profile) -----------------------------------------------------
def test_wrong_secret(hub: Hub) -> None:
    request = Connector(PROVINCE, "not-the-secret").get_agencies_list()
    before = counts(hub.settings.database_url)
    assert_refused(hub, send_raw(hub, request), 401, "auth_signature_invalid", before)


def test_unknown_system(hub: Hub) -> None:
    request = Connector("no-such-system", "x").get_agencies_list()
    before = counts(hub.settings.database_url)
    assert_refused(hub, send_raw(hub, request), 401, "auth_system_unknown", before)


def test_missing_headers(hub: Hub) -> None:
    before = counts(hub.settings.database_url)
    response = hub.http.post("/getAgenciesList")
    answer = read_answer(response.content, response.status_code)
    assert_refused(hub, answer, 401, "auth_missing", before)


def test_a_duplicated_parameter_header_is_refused(hub: Hub) -> None:
    request = Connector(PROVINCE, hub.secrets[PROVINCE]).get_agencies_list()
    twice = (*request.headers, ("XroadVnpt-systemid", PROVINCE))
    before = counts(hub.settings.database_url)
    assert_refused(
        hub, send_raw(hub, request, headers=twice), 401, "auth_header_duplicated", before
    )


@pytest.mark.parametrize(
    "sign_header",
    ["not json", '["a list"]', '{"systemid":"no prefix"}', '{"XroadVnpt-x":{"nested":1}}'],
)
def test_a_sign_header_that_is_not_a_parameter_object_is_refused(
    hub: Hub, sign_header: str
) -> None:
    request = Connector(PROVINCE, hub.secrets[PROVINCE]).get_agencies_list()
    headers = tuple((k, sign_header if k == wire.SIGN_HEADER else v) for k, v in request.headers)
    before = counts(hub.settings.database_url)
    assert_refused(hub, send_raw(hub, request, headers=headers), 401, "auth_missing", before)


def _low_bytes(text: str) -> bytes:
    return bytes(ord(c) & 0xFF for c in text)


def test_a_non_ascii_header_value_is_refused_with_a_sentence(hub: Hub) -> None:
    """As the SDK sends Vietnamese outside sendEdoc: the low byte of each character, while
    its HMAC covers the UTF-8 text."""
    code = "Sở Nội vụ"
    params = {"XroadVnpt-systemid": PROVINCE, "XroadVnpt-AgencyCode": code}
    signed = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
    headers = [
        ("XroadVnpt-systemid", PROVINCE.encode()),
        ("XroadVnpt-AgencyCode", _low_bytes(code)),
        (wire.SIGN_HEADER, _low_bytes(signed)),
        (wire.HASH_HEADER, wire.hash_header(hub.secrets[PROVINCE], signed).encode()),
    ]
    response = hub.http.post("/deleteAgency", content=b"{}", headers=headers)
    answer = read_answer(response.content, response.status_code)
    assert (answer.http_status, answer.error_code) == (401, "auth_signature_invalid")
    assert "ASCII" in answer.error_desc


def test_oversized_headers_are_refused_before_anything_else(hub: Hub) -> None:
    request = Connector(PROVINCE, hub.secrets[PROVINCE]).get_agencies_list()
    huge = (*request.headers, ("X-Padding", "p" * 20_000))
    answer = send_raw(hub, request, headers=huge)
    assert (answer.http_status, answer.error_code) == (431, "header_too_large")
    many = (*request.headers, *((f"X-Pad-{i}", "p" * 8000) for i in range(10)))
    assert send_raw(hub, request, headers=many).error_code == "header_too_large"


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("POST", "/noSuchCall", "unknown_call"),
        ("GET", "/vxp/sendEdoc", "method_not_allowed"),
        ("DELETE", "/getEdoc", "method_not_allowed"),
        ("POST", "/downloadEdoc", "method_not_allowed"),
    ],
)
def test_unknown_calls_and_methods_answer_the_envelope(
    hub: Hub, method: str, path: str, code: str
) -> None:
    response = hub.http.request(method, path)
    answer = read_answer(response.content, response.status_code)
    assert (answer.fields["status"], answer.error_code) == ("FAIL", code)
    assert response.status_code in (404, 405) and answer.error_desc


def test_an_unknown_systems_large_body_is_refused_unread(hub: Hub) -> None:
    pulled = []

    def body() -> Iterator[bytes]:
        for _ in range(50 * 1024):  # 50 MB
            pulled.append(1)
            yield b"x" * 1024

    request = Connector("no-such-system", "x").send_edoc(b"<x/>", sender="x")
    response = hub.http.post(request.path, content=body(), headers=list(request.headers))
    answer = read_answer(response.content, response.status_code)
    assert answer.error_code == "auth_system_unknown"
    assert len(pulled) < 50 * 1024


# --- size ----------------------------------------------------------------------------------
@pytest.fixture
def hub_settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path, max_body_bytes=64 * 1024)


def test_body_over_the_limit_is_refused_before_it_is_read(hub: Hub, sender: object) -> None:
    big = edoc(sender, [district_agency(hub)], attachment=b"x" * 100_000)  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(big))  # type: ignore[arg-type]
    assert_refused(hub, response, 413, "body_too_large", before)


def test_chunked_body_over_the_limit_is_refused(hub: Hub, sender: object) -> None:
    """No Content-Length: the hub counts while reading and stops at the limit."""

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"<" * 1024

    request = Connector(PROVINCE, hub.secrets[PROVINCE]).send_edoc(b"<x/>", sender=PROVINCE)
    before = counts(hub.settings.database_url)
    response = hub.http.post(request.path, content=chunks(), headers=list(request.headers))
    answer = read_answer(response.content, response.status_code)
    assert_refused(hub, answer, 413, "body_too_large", before)
