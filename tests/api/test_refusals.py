"""Every refusal: the HTTP status, the stable code, a sentence, nothing stored, and an audit
record of the refusal (and nothing else)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from exchange.db.models import audit_log, metadata
from exchange.domain.messages import OtherInfo
from exchange.protocol import wire
from exchange.protocol.answers import Answer, read_answer
from exchange.protocol.compose import compose_status
from exchange.protocol.connector import Connector, WireRequest
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
    hub: Hub, answer: Answer, status: int, code: str, before: dict[str, int]
) -> None:
    """The VXP envelope says FAIL with the code and a sentence; nothing stored; audited."""
    assert (answer.http_status, answer.fields.get("status"), answer.error_code) == (
        status,
        "FAIL",
        code,
    ), answer
    assert len(answer.error_desc) > 10 and answer.error_desc.endswith(".")
    url = hub.settings.database_url
    assert _counts(url) == before, "a refused request changed the database"
    event, detail = _last_audit(url)
    assert (event, detail["code"]) == ("refused", code)


def _raw(hub: Hub, request: WireRequest, **changes: object) -> Answer:
    request = replace(request, **changes)  # type: ignore[arg-type]
    response = hub.http.request(
        request.method, request.path, content=request.body, headers=list(request.headers)
    )
    return read_answer(response.content, response.status_code)


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
    answer = hub.of(sender).send_edoc(body, sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, status, code, before)


def test_envelope_without_the_edxml_prefix_is_refused(hub: Hub, sender: object) -> None:
    recipient = _district_agency(hub)
    body = edxml(edoc(sender, [recipient]))  # type: ignore[arg-type]
    unprefixed = body.replace(b"edXML:edXMLEnvelope", b"edXMLEnvelope").replace(
        b"<edXMLEnvelope", b'<edXMLEnvelope xmlns="' + NS.encode() + b'"', 1
    )
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send_edoc(unprefixed, sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, response, 400, "edxml_namespace_invalid", before)


def test_unknown_recipient(hub: Hub, sender: object) -> None:
    from exchange.domain.messages import Organization

    message = edoc(sender, [_district_agency(hub)])  # type: ignore[arg-type]
    message = replace(message, recipients=(*message.recipients, Organization("999.99.99.H99")))
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "recipient_unknown", before)
    assert "999.99.99.H99" in response.error_desc


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
    """A request signed for one system never reaches another system's documents, whichever
    docId it names (the sender's, or a recipient's)."""
    recipient = _district_agency(hub, 0)
    outsider = _district_agency(hub, 1)
    sent = hub.of(sender).send(edxml(edoc(sender, [recipient])))  # type: ignore[arg-type]
    [item] = hub.of(recipient).inbox()  # type: ignore[arg-type]
    stranger = hub.of(outsider)  # type: ignore[arg-type]
    for doc_id in (str(sent["DocId"]), str(item["docId"])):
        for call in (stranger.get_edoc, stranger.update_status, stranger.get_sent_edoc_list):
            before = _counts(hub.settings.database_url)
            assert_refused(hub, call(doc_id), 404, "document_not_found", before)
    # the recipient may fetch its copy, but did not send it
    before = _counts(hub.settings.database_url)
    mine = hub.of(recipient).get_sent_edoc_list(str(item["docId"]))  # type: ignore[arg-type]
    assert_refused(hub, mine, 404, "document_not_found", before)


PARAMETERS = {
    "updateStatus with a status it does not take": (
        lambda c: c.update_status("5e4d0000-0000-4000-8000-000000000001", "maybe"),
        "parameter_invalid",
    ),
    "getEdoc without docId": (lambda c: c.request("getEdoc", {}), "parameter_invalid"),
    "getEdoc with a 300-character docId": (lambda c: c.get_edoc("9" * 300), "parameter_invalid"),
    "getReceivedEdocList with an unknown messagetype": (
        lambda c: c.get_received_edoc_list("letter"),
        "parameter_invalid",
    ),
    "getReceivedEdocList with a date it cannot read": (
        lambda c: c.get_received_edoc_list("edoc", from_date="yesterday"),
        "parameter_invalid",
    ),
    "getReceivedEdocList with a date at the end of time": (
        lambda c: c.get_received_edoc_list("edoc", to_date="31/12/9999"),
        "parameter_invalid",
    ),
    "getReceivedEdocList with a date at the start of time": (
        lambda c: c.get_received_edoc_list("edoc", from_date="0001-01-01T00:00:00"),
        "parameter_invalid",
    ),
    "getAgenciesListQD20 with a level that is not a number": (
        lambda c: c.get_agencies_list_qd20("one"),
        "parameter_invalid",
    ),
    "sendEdoc without messagetype": (
        lambda c: c.request("sendEdoc", {"hash-file": wire.hash_file(b"<a/>")}, b"<a/>"),
        "parameter_invalid",
    ),
    "sendEdoc without hash-file": (
        lambda c: c.request("sendEdoc", {"messagetype": "edoc"}, b"<a/>"),
        "auth_missing",
    ),
    "registerAgency without a name": (
        lambda c: c.register_agency({"pcode": "000.00.00.H37", "code": "000.00.98.H37"}),
        "parameter_invalid",
    ),
    "registerAgency with a code of 200 characters": (
        lambda c: c.register_agency({"pcode": "000.00.00.H37", "code": "9" * 200, "name": "x"}),
        "parameter_invalid",
    ),
    "registerAgency under a parent another system hosts": (
        lambda c: c.register_agency(
            {"pcode": "000.00.00.G22", "code": "000.00.98.G22", "name": "x"}
        ),
        "forbidden_for_system",
    ),
    "deleteAgency of an agency another system hosts": (
        lambda c: c.delete_agency("000.00.00.G22"),
        "agency_not_found",
    ),
}
STATUS_OF = {"parameter_invalid": 422, "auth_missing": 401, "forbidden_for_system": 403}


@pytest.mark.parametrize("case", sorted(PARAMETERS))
def test_a_parameter_the_call_does_not_take_is_refused(hub: Hub, case: str) -> None:
    build, code = PARAMETERS[case]
    connector = Connector(PROVINCE, hub.secrets[PROVINCE])
    before = _counts(hub.settings.database_url)
    assert_refused(hub, _raw(hub, build(connector)), STATUS_OF.get(code, 404), code, before)


def test_from_that_names_another_agency_is_refused(hub: Hub, sender: object) -> None:
    body = edxml(edoc(sender, [_district_agency(hub)]))  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    answer = hub.of(sender).send_edoc(body, "000.00.00.G22")  # type: ignore[arg-type]
    assert_refused(hub, answer, 403, "sender_mismatch", before)
    assert hub.of(sender).send_edoc(body, PROVINCE).ok  # type: ignore[arg-type]  # a gateway's id


def test_messagetype_that_contradicts_the_body_is_refused(hub: Hub, sender: object) -> None:
    body = edxml(edoc(sender, [_district_agency(hub)]))  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    answer = hub.of(sender).send_edoc(body, sender.code, "status")  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, 422, "parameter_invalid", before)


# --- authentication (national profile) -----------------------------------------------------
def test_wrong_secret(hub: Hub) -> None:
    request = Connector(PROVINCE, "not-the-secret").get_agencies_list()
    before = _counts(hub.settings.database_url)
    assert_refused(hub, _raw(hub, request), 401, "auth_signature_invalid", before)


def test_unknown_system(hub: Hub) -> None:
    request = Connector("no-such-system", "x").get_agencies_list()
    before = _counts(hub.settings.database_url)
    assert_refused(hub, _raw(hub, request), 401, "auth_system_unknown", before)


def test_missing_headers(hub: Hub) -> None:
    before = _counts(hub.settings.database_url)
    response = hub.http.post("/getAgenciesList")
    answer = read_answer(response.content, response.status_code)
    assert_refused(hub, answer, 401, "auth_missing", before)


def test_a_duplicated_parameter_header_is_refused(hub: Hub) -> None:
    request = Connector(PROVINCE, hub.secrets[PROVINCE]).get_agencies_list()
    twice = (*request.headers, ("XroadVnpt-systemid", PROVINCE))
    before = _counts(hub.settings.database_url)
    assert_refused(hub, _raw(hub, request, headers=twice), 401, "auth_header_duplicated", before)


@pytest.mark.parametrize(
    "sign_header",
    ["not json", '["a list"]', '{"systemid":"no prefix"}', '{"XroadVnpt-x":{"nested":1}}'],
)
def test_a_sign_header_that_is_not_a_parameter_object_is_refused(
    hub: Hub, sign_header: str
) -> None:
    request = Connector(PROVINCE, hub.secrets[PROVINCE]).get_agencies_list()
    headers = tuple((k, sign_header if k == wire.SIGN_HEADER else v) for k, v in request.headers)
    before = _counts(hub.settings.database_url)
    assert_refused(hub, _raw(hub, request, headers=headers), 401, "auth_missing", before)


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
    answer = _raw(hub, request, headers=huge)
    assert (answer.http_status, answer.error_code) == (431, "header_too_large")
    many = (*request.headers, *((f"X-Pad-{i}", "p" * 8000) for i in range(10)))
    assert _raw(hub, request, headers=many).error_code == "header_too_large"


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
    big = edoc(sender, [_district_agency(hub)], attachment=b"x" * 100_000)  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(big))  # type: ignore[arg-type]
    assert_refused(hub, response, 413, "body_too_large", before)


def test_chunked_body_over_the_limit_is_refused(hub: Hub, sender: object) -> None:
    """No Content-Length: the hub counts while reading and stops at the limit."""

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"<" * 1024

    request = Connector(PROVINCE, hub.secrets[PROVINCE]).send_edoc(b"<x/>", sender=PROVINCE)
    before = _counts(hub.settings.database_url)
    response = hub.http.post(request.path, content=chunks(), headers=list(request.headers))
    answer = read_answer(response.content, response.status_code)
    assert_refused(hub, answer, 413, "body_too_large", before)


def test_a_status_for_another_agencys_document_answers_as_for_none(
    hub: Hub, sender: object
) -> None:
    """No existence oracle: a real DocumentId sent to someone else and a made-up one read the
    same refusal."""
    recipient, outsider = _district_agency(hub, 0), _district_agency(hub, 1)
    message = edoc(sender, [recipient])  # type: ignore[arg-type]
    hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    made_up = replace(message, document_id=message.document_id + "-none")
    answers = [
        hub.of(outsider).send(edxml(compose_status(org(outsider), m, "01", on=NOW)))  # type: ignore[arg-type]
        for m in (message, made_up)
    ]
    real, invented = (
        a.error_desc.replace(m.document_id, "ID")
        for a, m in zip(answers, (message, made_up), strict=True)
    )
    assert [a.error_code for a in answers] == ["status_target_unknown"] * 2
    assert real == invented


# --- secrecy markings that travel ----------------------------------------------------------
_SPHERE = "<edXML:SphereOfPromulgation>{}</edXML:SphereOfPromulgation>"
_DISGUISED = {
    "zero-width space": "M\u200bật",
    "soft hyphen": "M\u00adật",
    "Cyrillic М": "\u041cật",
    "Greek Μ": "\u039cật",
    "Cyrillic о, і, а": "T\u043e\u0456 m\u0430t",
}
_HIDDEN = {  # (inserted after, inserted text)
    "a second SphereOfPromulgation": ("</edXML:SphereOfPromulgation>", _SPHERE.format("Mật")),
    "a second OtherInfo": (
        "</edXML:OtherInfo>",
        "<edXML:OtherInfo>" + _SPHERE.format("Tối mật") + "</edXML:OtherInfo>",
    ),
    "a SecurityLevel outside OtherInfo": (
        "</edXML:OtherInfo>",
        "<SecurityLevel>Mật</SecurityLevel>",
    ),
}


def _marked(sender: object, recipient: object, sphere: str) -> bytes:
    info = OtherInfo(priority="0", sphere_of_promulgation=sphere)
    return edxml(edoc(sender, [recipient], other_info=info))  # type: ignore[arg-type]


@pytest.mark.parametrize("case", sorted(_DISGUISED))
def test_a_disguised_secret_marking_never_travels(hub: Hub, sender: object, case: str) -> None:
    body = _marked(sender, _district_agency(hub), _DISGUISED[case])
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send(body)  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "document_secret", before)


@pytest.mark.parametrize("case", sorted(_HIDDEN))
def test_a_secret_marking_behind_an_innocent_one_never_travels(
    hub: Hub, sender: object, case: str
) -> None:
    anchor, extra = _HIDDEN[case]
    body = _marked(sender, _district_agency(hub), "Thường").decode()
    assert body.count(anchor) == 1
    hidden = body.replace(anchor, anchor + extra).encode()
    before = _counts(hub.settings.database_url)
    response = hub.of(sender).send_edoc(hidden, sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, response, 422, "document_secret", before)


@pytest.mark.parametrize("sphere", ["Thông thường", "Khẩn", "Tài liệu mật mã", "Không mật"])
def test_ordinary_spheres_travel(hub: Hub, sender: object, sphere: str) -> None:
    recipient = _district_agency(hub)
    assert hub.of(sender).send(_marked(sender, recipient, sphere)).ok  # type: ignore[arg-type]
    assert len(hub.of(recipient).inbox()) == 1  # type: ignore[arg-type]


# --- the same limits on both databases -----------------------------------------------------
def test_a_document_id_longer_than_its_column_is_refused_on_every_backend(
    hub: Hub, sender: object
) -> None:
    recipient = _district_agency(hub)
    long_id = f"{sender.code},2018/05/02,".ljust(256, "9")  # type: ignore[attr-defined]
    body = edxml(edoc(sender, [recipient], document_id=long_id))  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    answer = hub.of(sender).send_edoc(body, sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, 400, "edxml_limit_exceeded", before)
    assert "DocumentId" in answer.error_desc
    fits = edxml(edoc(sender, [recipient], document_id=long_id[:255]))  # type: ignore[arg-type]
    assert hub.of(sender).send(fits).ok  # type: ignore[arg-type]
    [item] = hub.of(recipient).inbox()  # type: ignore[arg-type]
    fetched = hub.of(recipient).get_edoc(str(item["docId"]))  # type: ignore[arg-type]
    assert long_id[:255].encode() in fetched.raise_if_refused().edxml


def test_a_status_answering_a_longer_document_id_is_refused_on_every_backend(
    hub: Hub, sender: object
) -> None:
    recipient = _district_agency(hub)
    long_id = f"{sender.code},2018/05/02,".ljust(256, "9")  # type: ignore[attr-defined]
    answered = edoc(sender, [recipient], document_id=long_id)  # type: ignore[arg-type]
    status = compose_status(org(recipient), answered, "01", on=NOW)  # type: ignore[arg-type]
    before = _counts(hub.settings.database_url)
    answer = hub.of(recipient).send_edoc(edxml(status), recipient.code, "status")  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, 400, "edxml_limit_exceeded", before)
    assert "ResponseFor/DocumentId" in answer.error_desc


def test_an_organ_id_longer_than_an_agency_code_is_refused(hub: Hub, sender: object) -> None:
    from exchange.domain.messages import Organization

    message = edoc(sender, [_district_agency(hub)])  # type: ignore[arg-type]
    message = replace(message, recipients=(*message.recipients, Organization("9" * 36)))
    before = _counts(hub.settings.database_url)
    answer = hub.of(sender).send_edoc(edxml(message), sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, 400, "edxml_limit_exceeded", before)
    assert "To/OrganId" in answer.error_desc
