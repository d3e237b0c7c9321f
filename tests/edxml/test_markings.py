"""Secrecy markings are read wherever a message writes them: a second OtherInfo,
SphereOfPromulgation or SecurityLevel cannot hide a secret one behind an innocent first."""

from __future__ import annotations

import pytest

from exchange.domain.messages import EdocMessage, OtherInfo
from exchange.domain.secrecy import is_secret
from exchange.edxml import NS, parse_edxml

OTHER = "<edXML:OtherInfo><edXML:Priority>1</edXML:Priority>{inside}</edXML:OtherInfo>"
SPHERE = "<edXML:SphereOfPromulgation>{}</edXML:SphereOfPromulgation>"


def message(header: str = "", *, business: str = "", after_envelope: str = "") -> EdocMessage:
    data = (
        f'<edXML:edXML xmlns:edXML="{NS}"><edXML:edXMLEnvelope><edXML:edXMLHeader>'
        "<edXML:MessageHeader><edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId>"
        f"</edXML:From>{header}<edXML:DocumentId>d-1</edXML:DocumentId></edXML:MessageHeader>"
        f"{business}</edXML:edXMLHeader></edXML:edXMLEnvelope>{after_envelope}</edXML:edXML>"
    ).encode()
    parsed = parse_edxml(data).message
    assert isinstance(parsed, EdocMessage)
    return parsed


def other(*inside: str) -> str:
    return OTHER.format(inside="".join(inside))


HIDDEN = {  # keyword arguments of `message`
    "second SphereOfPromulgation": {
        "header": other(SPHERE.format("Thường"), SPHERE.format("Mật")),
    },
    "second OtherInfo": {
        "header": other(SPHERE.format("Thường")) + other(SPHERE.format("Tối mật")),
    },
    "SecurityLevel under MessageHeader": {
        "header": other(SPHERE.format("Thường")) + "<SecurityLevel>Mật</SecurityLevel>",
    },
    "SecurityLevel in an extension, no OtherInfo": {
        "header": "<x:Meta xmlns:x='urn:partner'><x:SecurityLevel>Tuyệt mật</x:SecurityLevel>"
        "</x:Meta>",
    },
    "SphereOfPromulgation in the Bussiness block": {
        "business": f"<edXML:TraceHeaderList><edXML:Bussiness>{SPHERE.format('Mật')}"
        "</edXML:Bussiness></edXML:TraceHeaderList>",
    },
    "SecurityLevel as an attribute": {
        "header": other(SPHERE.format("Thường"), "<SecurityLevel value='Mật'/>"),
    },
    "SecurityLevel after the envelope": {
        "after_envelope": "<SecurityLevel xmlns=''>Mật</SecurityLevel>",
    },
}


@pytest.mark.parametrize("case", sorted(HIDDEN))
def test_a_hidden_secret_marking_makes_the_document_secret(case: str) -> None:
    assert is_secret(message(**HIDDEN[case]))


def test_the_first_other_info_gives_the_other_fields() -> None:
    info = message(**HIDDEN["second OtherInfo"]).other_info
    assert info == OtherInfo(priority="1", sphere_of_promulgation="Tối mật")


def test_innocent_repeats_keep_the_first_value() -> None:
    info = message(other(SPHERE.format("Thường"), SPHERE.format("Khẩn"))).other_info
    assert info == OtherInfo(priority="1", sphere_of_promulgation="Thường")
    assert message().other_info is None
