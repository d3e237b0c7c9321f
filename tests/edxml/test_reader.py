"""parse_edxml: the real partner samples, their quirks, and each refusal."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from exchange.domain.errors import (
    AttachmentInvalid,
    EdxmlInvalid,
    EdxmlNamespaceInvalid,
    ExchangeError,
    XmlMalformed,
)
from exchange.domain.messages import (
    BusinessDocType,
    EdocMessage,
    Receiver,
    ResponseFor,
    StatusMessage,
)
from exchange.edxml import NS, parse_edxml

Sample = Callable[[str], bytes]
DSIG = "http://www.w3.org/2000/09/xmldsig#"


def edxml(message_header: str, *, after_envelope: str = "", header_extra: str = "") -> bytes:
    """A small message written the way the samples are (root unprefixed, default NS)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="{NS}">'
        f'<edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>'
        f"<edXML:MessageHeader>{message_header}</edXML:MessageHeader>{header_extra}"
        f"</edXML:edXMLHeader></edXML:edXMLEnvelope>{after_envelope}</edXML>"
    ).encode()


def el(name: str, *inner: str) -> str:
    return f"<edXML:{name}>{''.join(inner)}</edXML:{name}>"


FROM = el("From", el("OrganId", "000.00.00.G22"))
DOC_ID = el("DocumentId", "doc-1")


def attachment(payload: str, *, prefix: str = "") -> str:
    p = prefix
    return (
        f"<{p}AttachmentEncoded><{p}Attachment><{p}ContentId>cid:7</{p}ContentId>"
        f"<edXML:ContentTransferEncoded xmlns:edXML='{NS}'>{payload}"
        f"</edXML:ContentTransferEncoded></{p}Attachment></{p}AttachmentEncoded>"
    )


def refused(data: bytes, error: type[ExchangeError]) -> ExchangeError:
    with pytest.raises(error) as caught:
        parse_edxml(data)
    assert caught.value.code == error.code
    return caught.value


# --- the real samples -------------------------------------------------------------------
def test_edoc_samples_parse(edoc_sample: tuple[bytes, BusinessDocType]) -> None:
    data, doc_type = edoc_sample
    message = parse_edxml(data).message
    assert isinstance(message, EdocMessage)
    assert message.business.doc_type is doc_type
    assert message.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert message.has_signature
    [attached] = message.attachments
    assert (attached.content_id, attached.content_type) == ("cid:209", "application/zip")
    assert attached.data.startswith(b"PK\x03\x04")
    assert "\r" not in message.subject


def test_new_sample_survives_junk_and_odd_organ_id(sample: Sample) -> None:
    data = sample("edoc_new.edxml")
    assert data.startswith(b"1212<?xml")
    message = parse_edxml(data).message
    assert isinstance(message, EdocMessage)
    assert [r.organ_id for r in message.recipients] == ["28.22.H17"]
    assert message.code is not None and message.code.code_number == "74fass22"


def test_update_sample_lists_receivers(sample: Sample) -> None:
    message = parse_edxml(sample("edoc_update.edxml")).message
    assert isinstance(message, EdocMessage)
    assert len(message.recipients) == 3
    assert message.business.receivers == (
        Receiver("000.00.00.H41", "0"),
        Receiver("000.00.00.H14", "1"),
    )


def test_replacement_sample_lists_replacements(sample: Sample) -> None:
    message = parse_edxml(sample("edoc_replacement.edxml")).message
    assert isinstance(message, EdocMessage)
    assert len(message.business.replacements) == 2
    assert message.business.replacements[0].organ_ids == ("000.00.00.H41", "000.00.00.H14")


def test_revocation_sample_answers_a_document(sample: Sample) -> None:
    message = parse_edxml(sample("edoc_revocation.edxml")).message
    assert isinstance(message, EdocMessage)
    assert message.response_for == ResponseFor(
        organ_id="000.00.00.H14",
        code="267/VPCP-TTĐT",
        promulgation_date="2018/09/28",
        document_id="000.00.04.G14,2012/08/06,267/VPCP-TTĐT",
    )


def test_status_samples_parse(status_sample: tuple[bytes, str]) -> None:
    data, code = status_sample
    message = parse_edxml(data).message
    assert isinstance(message, StatusMessage)
    assert message.status_code == code
    assert message.response_for.code == "7816/VPCP-TTĐT"
    assert message.response_for.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert message.staff is not None and not message.has_signature


def test_draft_with_unbound_xlink_prefix_is_refused(sample: Sample) -> None:
    error = refused(sample("edoc.edxml"), XmlMalformed)
    assert "xlink" in error.message and "line 116" in error.message


def test_root_is_returned_for_the_hub(sample: Sample) -> None:
    parsed = parse_edxml(sample("status.edxml"))
    assert parsed.root.tag == f"{{{NS}}}edXML"


# --- quirks -------------------------------------------------------------------------------
def test_signature_in_xmldsig_namespace_counts(sample: Sample) -> None:
    data = sample("edoc_new.edxml").replace(b"<Signature>", f'<Signature xmlns="{DSIG}">'.encode())
    assert parse_edxml(data).message.has_signature


@pytest.mark.parametrize("prefix", ["", "edXML:"])
def test_attachment_elements_with_or_without_prefix(prefix: str) -> None:
    after = attachment("aGVs\n bG8=\n", prefix=prefix)
    if prefix:
        after = after.replace(
            "<edXML:AttachmentEncoded>", f"<edXML:AttachmentEncoded xmlns:edXML='{NS}'>"
        )
    message = parse_edxml(edxml(FROM + DOC_ID, after_envelope=after)).message
    assert isinstance(message, EdocMessage)
    assert [(a.content_id, a.data) for a in message.attachments] == [("cid:7", b"hello")]


def test_crlf_line_ends_are_plain_text() -> None:
    data = edxml(FROM + DOC_ID + "<edXML:Subject>a\r\nb</edXML:Subject>").replace(b">", b">\r\n")
    message = parse_edxml(data).message
    assert isinstance(message, EdocMessage)
    assert message.subject == "\na\nb"


def test_empty_response_for_means_none() -> None:
    empty = "<edXML:ResponseFor><edXML:OrganId/><edXML:Code> </edXML:Code></edXML:ResponseFor>"
    message = parse_edxml(edxml(FROM + DOC_ID + empty)).message
    assert isinstance(message, EdocMessage) and message.response_for is None


def test_response_code_in_two_parts_is_joined() -> None:
    code = el("Code", el("CodeNumber", "12"), el("CodeNotation", "UBND"))
    header = FROM + el("ResponseFor", el("OrganId", "x"), code) + el("StatusCode", "01")
    message = parse_edxml(edxml(header)).message
    assert isinstance(message, StatusMessage) and message.response_for.code == "12/UBND"


def test_edoc_without_recipient_parses() -> None:
    message = parse_edxml(edxml(FROM + DOC_ID)).message
    assert isinstance(message, EdocMessage) and message.recipients == ()


def test_identifiers_are_stripped_free_text_is_not() -> None:
    header = FROM.replace("000.00.00.G22", "\n  000.00.00.G22 ") + DOC_ID
    message = parse_edxml(edxml(header + "<edXML:Subject> V/v </edXML:Subject>")).message
    assert isinstance(message, EdocMessage)
    assert (message.sender.organ_id, message.subject) == ("000.00.00.G22", " V/v ")


@pytest.mark.parametrize(
    "level",
    [
        "<edXML:SecurityLevel>Mật</edXML:SecurityLevel>",
        "<SecurityLevel>Mật</SecurityLevel>",
        "<x:SecurityLevel xmlns:x='urn:partner'>Mật</x:SecurityLevel>",
        "<SecurityLevel xmlns=''>Mật</SecurityLevel>",
    ],
)
def test_security_level_in_any_namespace(level: str) -> None:
    other = f"<edXML:OtherInfo><edXML:Priority>0</edXML:Priority>{level}</edXML:OtherInfo>"
    message = parse_edxml(edxml(FROM + DOC_ID + other)).message
    assert isinstance(message, EdocMessage) and message.other_info is not None
    assert message.other_info.security_level == "Mật"


def test_large_attachment_needs_huge_tree() -> None:
    payload = "QUJD" * 3_000_000  # a 12 MB text node, over libxml2's 10 MB default
    message = parse_edxml(edxml(FROM + DOC_ID, after_envelope=attachment(payload))).message
    assert isinstance(message, EdocMessage) and len(message.attachments[0].data) == 9_000_000


# --- refusals -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "field"),
    [
        (DOC_ID, "From"),
        ("<edXML:From><edXML:OrganName>x</edXML:OrganName></edXML:From>" + DOC_ID, "From/OrganId"),
        (FROM, "DocumentId"),
        (FROM + "<edXML:DocumentId> </edXML:DocumentId>", "DocumentId"),
        (FROM + DOC_ID + "<edXML:To><edXML:OrganName>x</edXML:OrganName></edXML:To>", "To/OrganId"),
        (FROM + "<edXML:StatusCode>01</edXML:StatusCode>", "ResponseFor"),
        (
            FROM + el("ResponseFor", el("OrganId", "x")) + "<edXML:StatusCode/>",
            "StatusCode",
        ),
    ],
)
def test_missing_field_is_named(header: str, field: str) -> None:
    assert field in refused(edxml(header), EdxmlInvalid).message


def test_unknown_business_doc_type_is_refused() -> None:
    business = el("TraceHeaderList", el("Bussiness", el("BussinessDocType", "7")))
    error = refused(edxml(FROM + DOC_ID, header_extra=business), EdxmlInvalid)
    assert "BussinessDocType" in error.message


def test_missing_envelope_is_named() -> None:
    assert "edXMLEnvelope" in refused(f'<edXML xmlns="{NS}"/>'.encode(), EdxmlInvalid).message


@pytest.mark.parametrize(
    "root",
    ['<edXML xmlns="urn:other"/>', "<edXML/>", f'<html xmlns="{NS}"/>'],
)
def test_root_outside_the_namespace_is_refused(root: str) -> None:
    refused(root.encode(), EdxmlNamespaceInvalid)


def rename(data: bytes, name: str, prefix: str, declare: str = "") -> bytes:
    """Write element `name` as `prefix:name` (or unprefixed when prefix is "")."""
    written = f"{prefix}:{name}" if prefix else name
    text = data.decode().replace(f"<edXML:{name}", f"<{written}{declare}")
    return text.replace(f"</edXML:{name}>", f"</{written}>").encode()


@pytest.mark.parametrize("name", ["edXMLEnvelope", "edXMLHeader", "MessageHeader", "OrganId"])
def test_unprefixed_envelope_element_is_refused(name: str) -> None:
    data = rename(edxml(FROM + DOC_ID), name, "")  # default namespace: right NS, no prefix
    assert name in refused(data, EdxmlNamespaceInvalid).message


def test_other_prefix_for_the_namespace_is_refused() -> None:
    data = rename(edxml(FROM + DOC_ID), "From", "x", f" xmlns:x='{NS}'")
    assert "From" in refused(data, EdxmlNamespaceInvalid).message


def test_field_in_no_namespace_is_refused() -> None:
    header = FROM + DOC_ID + "<Subject xmlns=''>x</Subject>"
    assert "Subject" in refused(edxml(header), EdxmlNamespaceInvalid).message


def test_field_in_other_namespace_is_refused_by_name() -> None:
    data = rename(edxml(FROM + DOC_ID), "DocumentId", "x", " xmlns:x='urn:other'")
    assert "DocumentId" in refused(data, EdxmlNamespaceInvalid).message


def test_attachment_in_wrong_namespace_is_refused() -> None:
    after = attachment("aGk=").replace("<Attachment>", "<Attachment xmlns='urn:x'>")
    assert (
        "Attachment"
        in refused(edxml(FROM + DOC_ID, after_envelope=after), EdxmlNamespaceInvalid).message
    )


@pytest.mark.parametrize("payload", ["not base64!", "aGVsbG8", "aGk=ậ"])
def test_invalid_base64_names_the_content_id(payload: str) -> None:
    data = edxml(FROM + DOC_ID, after_envelope=attachment(payload))
    assert "cid:7" in refused(data, AttachmentInvalid).message


@pytest.mark.parametrize("data", [b"", b"hello", b"<edXML", b"<a></b>"])
def test_not_xml_is_malformed(data: bytes) -> None:
    refused(data, XmlMalformed)


def test_malformed_line_counts_junk_lines() -> None:
    data = b"junk\n\n" + edxml(FROM + DOC_ID).replace(b"</edXML>", b"</edXML")
    assert "line 4" in refused(data, XmlMalformed).message
