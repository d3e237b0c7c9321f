"""build_edxml: round trips through the reader, prefixes, order and layout."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace

import pytest
from lxml import etree

from exchange.domain.messages import EdocMessage, Message, StatusMessage
from exchange.edxml import NS, PREFIX, parse_edxml
from exchange.edxml.writer import build_edxml

Sample = Callable[[str], bytes]


def local_names(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element.iterchildren(tag=etree.Element)]


def find(root: etree._Element, path: str) -> etree._Element:
    found = root.find("/".join(f"{{{NS}}}{step}" for step in path.split("/")))
    assert found is not None, path
    return found


def test_hand_made_message_round_trips(hand_made: Message) -> None:
    assert parse_edxml(build_edxml(hand_made)).message == hand_made


def test_sample_round_trips_without_signature(valid_sample: bytes) -> None:
    parsed = parse_edxml(valid_sample).message
    rebuilt = parse_edxml(build_edxml(parsed)).message
    assert rebuilt == replace(parsed, has_signature=False)


def test_every_element_is_prefixed(hand_made: Message) -> None:
    root = etree.fromstring(build_edxml(hand_made))
    for element in root.iter(tag=etree.Element):
        assert (element.prefix, etree.QName(element).namespace) == (PREFIX, NS)
    assert root.nsmap == {PREFIX: NS}


def test_utf8_with_declaration(edoc: EdocMessage) -> None:
    data = build_edxml(edoc)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Văn phòng Chính phủ".encode() in data


def test_attachment_base64_is_one_unbroken_line(edoc: EdocMessage) -> None:
    root = etree.fromstring(build_edxml(edoc))
    payload = find(root, "AttachmentEncoded/Attachment/ContentTransferEncoded").text or ""
    assert payload and "\n" not in payload and " " not in payload
    assert base64.b64decode(payload, validate=True) == edoc.attachments[0].data


def test_no_signature_is_written(sample: Sample) -> None:
    message = parse_edxml(sample("edoc_new.edxml")).message
    assert message.has_signature
    assert b"Signature" not in build_edxml(message)


def test_status_has_no_body(status: StatusMessage) -> None:
    root = etree.fromstring(build_edxml(status))
    assert local_names(find(root, "edXMLEnvelope")) == ["edXMLHeader"]
    assert local_names(root) == ["edXMLEnvelope"]


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("edoc_revocation.edxml", "edXMLEnvelope/edXMLHeader/MessageHeader"),
        ("edoc_new.edxml", "edXMLEnvelope/edXMLHeader/MessageHeader/From"),
        ("edoc_update.edxml", "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness"),
        ("edoc_replacement.edxml", "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness"),
        ("edoc_new.edxml", "edXMLEnvelope/edXMLBody/edXMLManifest/Reference"),
        ("edoc_new.edxml", "AttachmentEncoded/Attachment"),
        ("status.edxml", "edXMLEnvelope/edXMLHeader/MessageHeader"),
    ],
)
def test_field_order_follows_the_samples(sample: Sample, name: str, path: str) -> None:
    original = parse_edxml(sample(name)).root
    rebuilt = etree.fromstring(build_edxml(parse_edxml(sample(name)).message))
    assert local_names(find(rebuilt, path)) == local_names(find(original, path))


def test_other_info_order_follows_the_sample(sample: Sample) -> None:
    original = parse_edxml(sample("edoc_new.edxml"))
    rebuilt = etree.fromstring(build_edxml(original.message))
    path = "edXMLEnvelope/edXMLHeader/MessageHeader/OtherInfo"
    expected = [name for name in local_names(find(original.root, path)) if name != "Direction"]
    assert local_names(find(rebuilt, path)) == expected
