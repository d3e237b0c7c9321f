"""The hub's limits: a bomb is refused with `edxml_limit_exceeded` before any field is read,
reading is linear in the message, and stored identifiers fit their database columns.

Nothing here times anything: the work a parse does is measured by counting the Python calls
and lines it runs (`calls`), which is the same on every machine."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from types import FrameType

import pytest

from exchange.db import models
from exchange.domain.errors import EdxmlLimitExceeded
from exchange.domain.messages import EdocMessage, StatusMessage
from exchange.edxml import LIMITS, NS, EdxmlLimits, parse_edxml
from exchange.edxml.limits import DOCUMENT_ID_LENGTH, ORGAN_ID_LENGTH

SENDER = "000.00.00.G22"


def message(header: str = "", *, sender: str = SENDER, document_id: str = "d-1") -> bytes:
    return (
        f'<edXML:edXML xmlns:edXML="{NS}"><edXML:edXMLEnvelope><edXML:edXMLHeader>'
        f"<edXML:MessageHeader><edXML:From><edXML:OrganId>{sender}</edXML:OrganId></edXML:From>"
        f"{header}<edXML:DocumentId>{document_id}</edXML:DocumentId></edXML:MessageHeader>"
        "</edXML:edXMLHeader></edXML:edXMLEnvelope></edXML:edXML>"
    ).encode()


def to(count: int, organ: str = "000.00.00.H41") -> str:
    return f"<edXML:To><edXML:OrganId>{organ}</edXML:OrganId></edXML:To>" * count


HUB_CODE = f"{os.sep}exchange{os.sep}"
BASE_NODES = 7  # edXML, edXMLEnvelope, edXMLHeader, MessageHeader, From, OrganId, DocumentId
BASE_DEPTH = 4  # the MessageHeader's children are 5 deep


def calls(work: Callable[[], object]) -> int:
    """How many Python calls and lines of the hub's own code `work` runs: a deterministic
    measure of its work (libxml2's own work is not counted; it is linear). The collector is
    held off, so no finalizer of an earlier test's objects runs inside the count."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Callable[..., object] | None:
        nonlocal count
        if HUB_CODE not in frame.f_code.co_filename:
            return None
        count += 1
        return trace

    gc.collect()
    gc.disable()
    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(previous)
        gc.enable()
    return count


def refusal(data: bytes, limits: EdxmlLimits = LIMITS) -> EdxmlLimitExceeded:
    with pytest.raises(EdxmlLimitExceeded) as caught:
        parse_edxml(data, limits)
    assert caught.value.code == "edxml_limit_exceeded"
    return caught.value


def refusal_work(data: bytes, limits: EdxmlLimits = LIMITS) -> int:
    def work() -> None:
        with pytest.raises(EdxmlLimitExceeded):
            parse_edxml(data, limits)

    return calls(work)


def edoc(data: bytes, limits: EdxmlLimits = LIMITS) -> EdocMessage:
    parsed = parse_edxml(data, limits).message
    assert isinstance(parsed, EdocMessage)
    return parsed


def reading_ten_recipients() -> int:
    return calls(lambda: parse_edxml(message(to(10))))


# --- counts --------------------------------------------------------------------------------
def test_the_limits_allow_real_traffic() -> None:
    assert LIMITS.max_recipients >= 2_000  # a ministry to every province's departments
    assert LIMITS.max_nodes >= 10 * LIMITS.max_recipients  # each To with all its fields
    assert 16 <= LIMITS.max_depth <= 256


def test_a_700k_to_bomb_is_refused_unparsed() -> None:
    """The reported bomb (700,000 To, 45 MB): refused by counting its bytes, nothing built."""
    bomb = message(to(700_000))
    assert len(bomb) > 40_000_000
    assert "'<' characters" in refusal(bomb).message
    assert refusal_work(bomb) < reading_ten_recipients()


def test_elements_over_the_limit_are_refused_before_any_field_is_read() -> None:
    """Under the unparsed bound: parsed, counted in C, refused; the work does not grow."""
    small, large = message(to(55_000)), message(to(90_000))  # 110,000 and 180,000 elements
    assert "elements and comments" in refusal(small).message
    assert refusal_work(small) == refusal_work(large) < reading_ten_recipients()


@pytest.mark.parametrize("node", ["<edXML:X/>", "<!-- x -->"], ids=["element", "comment"])
def test_the_node_limit_is_exact(node: str) -> None:
    limits = EdxmlLimits(max_nodes=BASE_NODES + 10)
    assert edoc(message(node * 10), limits)
    refusal(message(node * 11), limits)


def test_markup_inside_text_counts_only_towards_the_unparsed_bound() -> None:
    limits = EdxmlLimits(max_nodes=BASE_NODES + 10)  # unparsed bound: 4 x 17 = 68 '<'
    inside = "<edXML:Subject><![CDATA[" + "<" * 50 + "]]></edXML:Subject>"
    assert edoc(message(inside), limits).subject == "<" * 50
    refusal(message(inside.replace("<" * 50, "<" * 80)), limits)


def test_nesting_over_the_limit_is_refused() -> None:
    def nested(depth: int) -> bytes:
        return message("<edXML:X>" * depth + "</edXML:X>" * depth)

    assert edoc(nested(LIMITS.max_depth - BASE_DEPTH))
    assert "64 deep" in refusal(nested(LIMITS.max_depth - BASE_DEPTH + 1)).message


def test_recipients_over_the_limit_are_refused_before_any_is_read() -> None:
    assert len(edoc(message(to(LIMITS.max_recipients))).recipients) == LIMITS.max_recipients
    assert "5,001 recipients" in refusal(message(to(LIMITS.max_recipients + 1))).message
    more, twice = (message(to(n * LIMITS.max_recipients)) for n in (2, 4))
    assert refusal_work(more) == refusal_work(twice) < reading_ten_recipients()


def test_recipients_in_an_extension_do_not_count() -> None:
    limits = EdxmlLimits(max_recipients=2)
    extension = f"<x:List xmlns:x='urn:partner'>{to(5)}</x:List>"
    assert len(edoc(message(to(2) + extension), limits).recipients) == 2
    refusal(message(to(3)), limits)


# --- linear work ---------------------------------------------------------------------------
def test_reading_recipients_is_linear() -> None:
    one, two = (calls(lambda n=n: parse_edxml(message(to(n)))) for n in (1_000, 2_000))
    assert two <= 2.05 * one


def test_checking_prefixes_under_deep_extensions_is_linear() -> None:
    """Unprefixed elements nested inside a partner's extension are let through; judging them
    walked up to the root from each one, quadratic in the depth."""

    def chains(depth: int) -> bytes:
        chain = "<a>" * depth + "</a>" * depth
        return message(f"<x:Ext xmlns:x='urn:partner'>{chain * 20}</x:Ext>")

    shallow, deep = (calls(lambda d=d: parse_edxml(chains(d))) for d in (28, 56))
    assert deep <= 2.05 * shallow


# --- identifiers the hub stores --------------------------------------------------------------
def test_the_field_limits_are_the_database_columns() -> None:
    assert models.documents.c.document_id.type.length == DOCUMENT_ID_LENGTH
    for column in (
        models.agencies.c.code,
        models.documents.c.sender_code,
        models.deliveries.c.recipient_code,
    ):
        assert column.type.length == ORGAN_ID_LENGTH, column


def test_document_id_longer_than_its_column_is_refused() -> None:
    assert edoc(message(document_id="d" * DOCUMENT_ID_LENGTH)).document_id == "d" * 255
    error = refusal(message(document_id="d" * (DOCUMENT_ID_LENGTH + 1)))
    assert "DocumentId has 256 characters" in error.message
    padded = f"  {'d' * DOCUMENT_ID_LENGTH}\n"  # measured as stored: stripped
    assert edoc(message(document_id=padded)).document_id == "d" * 255


@pytest.mark.parametrize(
    ("where", "data"),
    [
        ("From/OrganId", message(sender="1" * (ORGAN_ID_LENGTH + 1))),
        ("To/OrganId", message(to(1, organ="1" * (ORGAN_ID_LENGTH + 1)))),
    ],
)
def test_organ_id_longer_than_an_agency_code_is_refused(where: str, data: bytes) -> None:
    assert f"{where} has 36 characters" in refusal(data).message


def test_an_organ_id_as_long_as_an_agency_code_is_read() -> None:
    code = "1" * ORGAN_ID_LENGTH
    parsed = edoc(message(to(1, organ=code), sender=code))
    assert (parsed.sender.organ_id, parsed.recipients[0].organ_id) == (code, code)


def status(organ_id: str, document_id: str) -> bytes:
    answered = (
        f"<edXML:ResponseFor><edXML:OrganId>{organ_id}</edXML:OrganId>"
        f"<edXML:DocumentId>{document_id}</edXML:DocumentId></edXML:ResponseFor>"
        "<edXML:StatusCode>01</edXML:StatusCode>"
    )
    return message(answered).replace(b"<edXML:DocumentId>d-1</edXML:DocumentId>", b"")


def test_a_status_answering_a_longer_document_id_is_refused() -> None:
    parsed = parse_edxml(status(SENDER, "d" * DOCUMENT_ID_LENGTH)).message
    assert isinstance(parsed, StatusMessage) and len(parsed.response_for.document_id) == 255
    error = refusal(status(SENDER, "d" * (DOCUMENT_ID_LENGTH + 1)))
    assert "ResponseFor/DocumentId" in error.message
    assert "ResponseFor/OrganId" in refusal(status("1" * 36, "d-1")).message
