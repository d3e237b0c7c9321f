"""Refusals of what a message or a call says: each answers its HTTP status, stable code and
sentence, stores nothing, and is audited (tests/api/refusals.py). Authentication, transport
and size refusals are in test_transport_refusals.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from exchange.domain.messages import OtherInfo
from exchange.protocol import wire
from exchange.protocol.compose import compose_status
from exchange.protocol.connector import Connector
from tests.api.harness import NOW, PROVINCE, Hub, edoc, edxml, org
from tests.api.refusals import assert_refused, counts, district_agency, send_raw

pytestmark = pytest.mark.db

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


@pytest.fixture
def sender(hub: Hub) -> object:
    return hub.hosted(PROVINCE)[0]


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
    before = counts(hub.settings.database_url)
    answer = hub.of(sender).send_edoc(body, sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, status, code, before)


def test_envelope_without_the_edxml_prefix_is_refused(hub: Hub, sender: object) -> None:
    recipient = district_agency(hub)
    body = edxml(edoc(sender, [recipient]))  # type: ignore[arg-type]
    unprefixed = body.replace(b"edXML:edXMLEnvelope", b"edXMLEnvelope").replace(
        b"<edXMLEnvelope", b'<edXMLEnvelope xmlns="' + NS.encode() + b'"', 1
    )
    before = counts(hub.settings.database_url)
    response = hub.of(sender).send_edoc(unprefixed, sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, response, 400, "edxml_namespace_invalid", before)


def test_unknown_recipient(hub: Hub, sender: object) -> None:
    from exchange.domain.messages import Organization

    message = edoc(sender, [district_agency(hub)])  # type: ignore[arg-type]
    message = replace(message, recipients=(*message.recipients, Organization("999.99.99.H99")))
    before = counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "recipient_unknown", before)
    assert "999.99.99.H99" in response.error_desc


def test_no_recipient(hub: Hub, sender: object) -> None:
    message = replace(edoc(sender, [district_agency(hub)]), recipients=())  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "recipient_missing", before)


def test_sender_not_hosted_by_the_calling_system(hub: Hub, sender: object) -> None:
    recipient = district_agency(hub)
    body = edxml(edoc(sender, [recipient]))  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
    response = hub.of(recipient).send(body)  # type: ignore[arg-type]
    assert_refused(hub, response, 403, "sender_not_hosted", before)


@pytest.mark.parametrize("marking", ["Mật", "TỐI MẬT", "tuyet mat"])
def test_secret_documents_never_travel(hub: Hub, sender: object, marking: str) -> None:
    message = edoc(
        sender, [district_agency(hub)], other_info=OtherInfo(sphere_of_promulgation=marking)
    )  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
    response = hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "document_secret", before)


def test_status_move_not_allowed(hub: Hub, sender: object) -> None:
    recipient = district_agency(hub)
    message = edoc(sender, [recipient])  # type: ignore[arg-type]
    hub.of(sender).send(edxml(message))  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
    skipped = compose_status(org(recipient), message, "04", on=NOW)  # type: ignore[arg-type]
    response = hub.of(recipient).send(edxml(skipped))  # type: ignore[arg-type]
    assert_refused(hub, response, 409, "status_transition_not_allowed", before)


def test_another_systems_document_is_not_found(hub: Hub, sender: object) -> None:
    """A request signed for one system never reaches another system's documents, whichever
    docId it names (the sender's, or a recipient's)."""
    recipient = district_agency(hub, 0)
    outsider = district_agency(hub, 1)
    sent = hub.of(sender).send(edxml(edoc(sender, [recipient])))  # type: ignore[arg-type]
    [item] = hub.of(recipient).inbox()  # type: ignore[arg-type]
    stranger = hub.of(outsider)  # type: ignore[arg-type]
    for doc_id in (str(sent["DocId"]), str(item["docId"])):
        for call in (stranger.get_edoc, stranger.update_status, stranger.get_sent_edoc_list):
            before = counts(hub.settings.database_url)
            assert_refused(hub, call(doc_id), 404, "document_not_found", before)
    # the recipient may fetch its copy, but did not send it
    before = counts(hub.settings.database_url)
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
    before = counts(hub.settings.database_url)
    assert_refused(hub, send_raw(hub, build(connector)), STATUS_OF.get(code, 404), code, before)


def test_from_that_names_another_agency_is_refused(hub: Hub, sender: object) -> None:
    body = edxml(edoc(sender, [district_agency(hub)]))  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
    answer = hub.of(sender).send_edoc(body, "000.00.00.G22")  # type: ignore[arg-type]
    assert_refused(hub, answer, 403, "sender_mismatch", before)
    assert hub.of(sender).send_edoc(body, PROVINCE).ok  # type: ignore[arg-type]  # a gateway's id


def test_messagetype_that_contradicts_the_body_is_refused(hub: Hub, sender: object) -> None:
    body = edxml(edoc(sender, [district_agency(hub)]))  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
    answer = hub.of(sender).send_edoc(body, sender.code, "status")  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, 422, "parameter_invalid", before)


def test_a_status_for_another_agencys_document_answers_as_for_none(
    hub: Hub, sender: object
) -> None:
    """No existence oracle: a real DocumentId sent to someone else and a made-up one read the
    same refusal."""
    recipient, outsider = district_agency(hub, 0), district_agency(hub, 1)
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
    body = _marked(sender, district_agency(hub), _DISGUISED[case])
    before = counts(hub.settings.database_url)
    response = hub.of(sender).send(body)  # type: ignore[arg-type]
    assert_refused(hub, response, 422, "document_secret", before)


@pytest.mark.parametrize("case", sorted(_HIDDEN))
def test_a_secret_marking_behind_an_innocent_one_never_travels(
    hub: Hub, sender: object, case: str
) -> None:
    anchor, extra = _HIDDEN[case]
    body = _marked(sender, district_agency(hub), "Thường").decode()
    assert body.count(anchor) == 1
    hidden = body.replace(anchor, anchor + extra).encode()
    before = counts(hub.settings.database_url)
    response = hub.of(sender).send_edoc(hidden, sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, response, 422, "document_secret", before)


@pytest.mark.parametrize("sphere", ["Thông thường", "Khẩn", "Tài liệu mật mã", "Không mật"])
def test_ordinary_spheres_travel(hub: Hub, sender: object, sphere: str) -> None:
    recipient = district_agency(hub)
    assert hub.of(sender).send(_marked(sender, recipient, sphere)).ok  # type: ignore[arg-type]
    assert len(hub.of(recipient).inbox()) == 1  # type: ignore[arg-type]


# --- the same limits on both databases -----------------------------------------------------
def test_a_document_id_longer_than_its_column_is_refused_on_every_backend(
    hub: Hub, sender: object
) -> None:
    recipient = district_agency(hub)
    long_id = f"{sender.code},2018/05/02,".ljust(256, "9")  # type: ignore[attr-defined]
    body = edxml(edoc(sender, [recipient], document_id=long_id))  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
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
    recipient = district_agency(hub)
    long_id = f"{sender.code},2018/05/02,".ljust(256, "9")  # type: ignore[attr-defined]
    answered = edoc(sender, [recipient], document_id=long_id)  # type: ignore[arg-type]
    status = compose_status(org(recipient), answered, "01", on=NOW)  # type: ignore[arg-type]
    before = counts(hub.settings.database_url)
    answer = hub.of(recipient).send_edoc(edxml(status), recipient.code, "status")  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, 400, "edxml_limit_exceeded", before)
    assert "ResponseFor/DocumentId" in answer.error_desc


def test_an_organ_id_longer_than_an_agency_code_is_refused(hub: Hub, sender: object) -> None:
    from exchange.domain.messages import Organization

    message = edoc(sender, [district_agency(hub)])  # type: ignore[arg-type]
    message = replace(message, recipients=(*message.recipients, Organization("9" * 36)))
    before = counts(hub.settings.database_url)
    answer = hub.of(sender).send_edoc(edxml(message), sender.code)  # type: ignore[arg-type, attr-defined]
    assert_refused(hub, answer, 400, "edxml_limit_exceeded", before)
    assert "To/OrganId" in answer.error_desc
