"""Base64 layouts, skeleton + attachments storage, and trace hops."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import replace

import pytest
from lxml import etree

from exchange.domain.errors import EdxmlInvalid
from exchange.domain.messages import (
    Attachment,
    EdocMessage,
    Organization,
    StatusMessage,
    TraceHeader,
)
from exchange.edxml import (
    NS,
    Base64Layout,
    append_trace,
    detach_attachments,
    parse_edxml,
    splice,
)
from exchange.edxml.writer import build_edxml

Sample = Callable[[str], bytes]
KEY = "k3y_Rand0m-x"
DATA = bytes(range(256)) * 3 + b"tail"


def c14n(root: etree._Element) -> bytes:
    return etree.tostring(root, method="c14n", exclusive=True)


def round_trip(data: bytes) -> tuple[bytes, int]:
    """Detach then splice `data`; check parse and c14n equality; return bytes, part count."""
    parsed = parse_edxml(data)
    before = etree.tostring(parsed.root)
    detached = detach_attachments(parsed.root, KEY)
    assert etree.tostring(parsed.root) == before, "the caller's tree was changed"
    rebuilt = splice(detached.skeleton, KEY, [(p.data, p.layout) for p in detached.parts])
    again = parse_edxml(rebuilt)
    assert again.message == parsed.message
    assert c14n(again.root) == c14n(parsed.root)
    return detached.skeleton, len(detached.parts)


def with_payload(text: str) -> bytes:
    """A built document whose first attachment's base64 text is replaced by `text`."""
    root = etree.fromstring(build_edxml(_document((b"x",))))
    payload = root.find(f".//{{{NS}}}ContentTransferEncoded")
    assert payload is not None
    payload.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _document(contents: tuple[bytes, ...]) -> EdocMessage:
    attachments = tuple(
        Attachment(f"cid:{n}", f"tệp {n}.pdf", "application/pdf", data)
        for n, data in enumerate(contents)
    )
    return EdocMessage(
        sender=Organization("000.00.00.G22"),
        recipients=(),
        document_id="d",
        attachments=attachments,
    )


# --- Base64Layout -------------------------------------------------------------------------
@pytest.mark.parametrize("line_length", [0, 4, 64, 76, 100])
@pytest.mark.parametrize("data", [b"", b"a", DATA])
def test_encode_lays_out_lines(line_length: int, data: bytes) -> None:
    text = Base64Layout(line_length, " \n", "\n\t").encode(data)
    body = text[2:-2]
    assert base64.b64decode(body.replace("\n", "")) == data
    if line_length:
        assert all(len(line) == line_length for line in body.split("\n")[:-1])
    else:
        assert "\n" not in body


@pytest.mark.parametrize(
    "layout",
    [
        Base64Layout(),
        Base64Layout(76),
        Base64Layout(64, "\n", "\n"),
        Base64Layout(76, "\n        ", "\n      "),
        Base64Layout(10, "\t", " "),
    ],
)
@pytest.mark.parametrize("data", [b"", b"ab", DATA])
def test_detect_finds_the_layout(layout: Base64Layout, data: bytes) -> None:
    text = layout.encode(data)
    detected = Base64Layout.detect(text, data)
    assert detected is not None and detected.encode(data) == text
    if data is DATA:  # shorter data fits one line, where any line length reads the same
        assert detected == layout


def test_encode_76_matches_encodebytes() -> None:
    assert Base64Layout(76).encode_bytes(DATA) + b"\n" == base64.encodebytes(DATA)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\n".join(["QUJD" * 19, "QUJD" * 15, "QUJD" * 19]), id="uneven-lines"),
        pytest.param(Base64Layout(76).encode(DATA).replace("\n", "\n\n"), id="blank-lines"),
        pytest.param(Base64Layout(76).encode(DATA).replace("\n", " \n"), id="spaces-in-lines"),
        pytest.param(base64.b64encode(b"other").decode(), id="other-data"),
    ],
)
def test_detect_refuses_what_it_cannot_reproduce(text: str) -> None:
    assert Base64Layout.detect(text, DATA) is None


def test_detect_refuses_non_canonical_base64() -> None:
    assert base64.b64decode("aGl=") == b"hi"  # stray bits: re-encoding gives "aGk="
    assert Base64Layout.detect("aGl=", b"hi") is None


@pytest.mark.parametrize(
    ("line_length", "leading", "trailing"), [(-1, "", ""), (0, "x", ""), (0, "", "\r\n")]
)
def test_layout_refuses_unsafe_values(line_length: int, leading: str, trailing: str) -> None:
    with pytest.raises(ValueError):
        Base64Layout(line_length, leading, trailing)


# --- detach / splice ----------------------------------------------------------------------
def test_edoc_samples_detach_and_splice(edoc_sample: tuple[bytes, object]) -> None:
    data, _ = edoc_sample
    skeleton, parts = round_trip(data)
    assert parts == 1 and len(skeleton) < 20_000
    assert f"<?eoffice-blob {KEY}:0?>".encode() in skeleton


def test_part_is_keyed_by_sha256(sample: Sample) -> None:
    parsed = parse_edxml(sample("edoc_new.edxml"))
    assert isinstance(parsed.message, EdocMessage)
    [part] = detach_attachments(parsed.root, KEY).parts
    assert part.data == parsed.message.attachments[0].data
    assert part.sha256 == hashlib.sha256(part.data).hexdigest()
    assert part.layout == Base64Layout(0)


def test_status_sample_has_nothing_to_detach(valid_sample: bytes) -> None:
    round_trip(valid_sample)


@pytest.mark.parametrize(
    "contents",
    [(DATA, b"", DATA), (b"x" * 12_000_000,), tuple(bytes([n]) * n for n in range(12))],
)
def test_built_documents_detach_and_splice(contents: tuple[bytes, ...]) -> None:
    _, parts = round_trip(build_edxml(_document(contents)))
    assert parts == len(contents)


@pytest.mark.parametrize(
    "text",
    [
        "\n" + Base64Layout(64).encode(DATA) + "\n    ",
        "   " + base64.b64encode(DATA).decode(),
    ],
)
def test_padded_text_detaches(text: str) -> None:
    assert round_trip(with_payload(text))[1] == 1


@pytest.mark.parametrize(
    "text",
    [
        "\n".join(["QUJD" * 19, "QUJD" * 15, "QUJD" * 19]),
        "QUJD\r\nQUJD".replace("\r\n", "&#13;\n"),
    ],
)
def test_irregular_text_stays_inline(text: str) -> None:
    data = with_payload("MARK").replace(b"MARK", text.encode())
    skeleton, parts = round_trip(data)
    assert parts == 0 and b"QUJD" in skeleton


def test_comment_with_a_foreign_marker_is_left_alone() -> None:
    data = build_edxml(_document((DATA,))).replace(
        b"</edXML:edXML>", b"<!--<?eoffice-blob other:0?>--></edXML:edXML>"
    )
    skeleton, parts = round_trip(data)
    assert parts == 1 and b"<?eoffice-blob other:0?>" in skeleton


def test_splice_refuses_a_missing_marker() -> None:
    with pytest.raises(ValueError, match="missing"):
        splice(b"<a/>", KEY, [(b"x", Base64Layout())])


def test_splice_refuses_extra_markers() -> None:
    skeleton = f"<a><?eoffice-blob {KEY}:0?><?eoffice-blob {KEY}:1?></a>".encode()
    with pytest.raises(ValueError, match="more markers"):
        splice(skeleton, KEY, [(b"x", Base64Layout())])


@pytest.mark.parametrize("key", ["", "a?>b", "a b", "x" * 129])
def test_marker_key_must_be_plain(key: str) -> None:
    root = etree.fromstring(build_edxml(_document(())))
    with pytest.raises(ValueError):
        detach_attachments(root, key)
    with pytest.raises(ValueError):
        splice(b"<a/>", key, [])


# --- append_trace -------------------------------------------------------------------------
HOP = TraceHeader("000.00.00.H41", "2024/03/12 08:00:05")


def test_trace_goes_after_the_last_hop(sample: Sample) -> None:
    parsed = parse_edxml(sample("edoc_update.edxml"))
    append_trace(parsed.root, HOP)
    again = parse_edxml(etree.tostring(parsed.root))
    assert again.message == replace(parsed.message, traces=(*parsed.message.traces, HOP))
    trace_list = again.root.find(f".//{{{NS}}}TraceHeaderList")
    assert trace_list is not None
    assert [etree.QName(e).localname for e in trace_list] == ["TraceHeader"] * 2 + ["Bussiness"]


def test_trace_list_is_created_after_message_header(status: StatusMessage) -> None:
    parsed = parse_edxml(build_edxml(replace(status, traces=())))
    append_trace(parsed.root, HOP)
    append_trace(parsed.root, replace(HOP, organ_id="000.00.00.G22"))
    again = parse_edxml(etree.tostring(parsed.root))
    assert isinstance(again.message, StatusMessage)
    assert [t.organ_id for t in again.message.traces] == ["000.00.00.H41", "000.00.00.G22"]
    header = again.root.find(f".//{{{NS}}}edXMLHeader")
    assert header is not None
    assert [etree.QName(e).localname for e in header] == ["MessageHeader", "TraceHeaderList"]


def test_trace_in_a_sample_keeps_the_prefix(sample: Sample) -> None:
    parsed = parse_edxml(sample("status.edxml"))
    append_trace(parsed.root, HOP)
    assert b"<edXML:TraceHeader><edXML:OrganId>" in etree.tostring(parsed.root)


def test_trace_needs_a_header() -> None:
    with pytest.raises(EdxmlInvalid) as caught:
        append_trace(etree.fromstring(f'<edXML xmlns="{NS}"/>'.encode()), HOP)
    assert caught.value.code == "edxml_invalid"
