"""Work on a parsed edXML tree: append trace hops, store attachments apart from the rest.

The hub keeps each attachment once, keyed by the SHA-256 of its decoded bytes, and the rest
of the message as a *skeleton* in which each attachment's base64 text is replaced by a
processing instruction `<?eoffice-blob KEY:INDEX?>`. `splice` puts the text back, byte for
byte as the sender laid it out, without parsing XML. KEY is random per message; the reader
refuses every processing instruction, so a sender cannot forge a marker.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from exchange.domain.errors import EdxmlInvalid
from exchange.domain.messages import TraceHeader
from exchange.edxml.namespaces import NSMAP, q

__all__ = [
    "Base64Layout",
    "Detached",
    "DetachedPart",
    "append_trace",
    "decode_base64",
    "detach_attachments",
    "splice",
]

_PADDING = " \t\n"  # after parsing, XML text has no CR: line ends are LF
_MARKER_TARGET = "eoffice-blob"
_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,128}")
_PAYLOAD_PATH = "/".join(
    q(name) for name in ("AttachmentEncoded", "Attachment", "ContentTransferEncoded")
)


def decode_base64(text: str) -> bytes:
    """Decode base64 that may hold whitespace; `ValueError` when it is not base64."""
    raw = text.encode("ascii")  # UnicodeEncodeError is a ValueError
    return base64.b64decode(raw.translate(None, b" \t\r\n"), validate=True)


def _base64_lines(data: bytes, line_length: int) -> bytes:
    if line_length == 0:
        return base64.b64encode(data)
    if line_length == 76:
        return base64.encodebytes(data)[:-1]  # fast path; drop the final "\n"
    flat = base64.b64encode(data)  # bytes slices join faster than memoryview slices
    return b"\n".join(flat[at : at + line_length] for at in range(0, len(flat), line_length))


@dataclass(frozen=True, slots=True)
class Base64Layout:
    """How base64 text is laid out: line length (0: one line), "\\n" between lines, padding."""

    line_length: int = 0
    leading: str = ""
    trailing: str = ""

    def __post_init__(self) -> None:
        if self.line_length < 0:
            raise ValueError("line_length must be 0 or positive")
        if (self.leading + self.trailing).strip(_PADDING):
            raise ValueError("leading and trailing may hold only spaces, tabs and LF")

    def encode_bytes(self, data: bytes) -> bytes:
        """The base64 text of `data` in this layout, as ASCII bytes."""
        lines = _base64_lines(data, self.line_length)
        return b"".join((self.leading.encode(), lines, self.trailing.encode()))

    def encode(self, data: bytes) -> str:
        """The base64 text of `data` in this layout."""
        return self.encode_bytes(data).decode("ascii")

    @classmethod
    def detect(cls, text: str, data: bytes) -> Base64Layout | None:
        """The layout that turns `data` into exactly `text`, or None if there is none."""
        body = text.lstrip(_PADDING)
        leading = text[: len(text) - len(body)]
        core = body.rstrip(_PADDING)
        line_length = max(core.find("\n"), 0)
        layout = cls(line_length, leading, body[len(core) :])
        return layout if layout.encode(data) == text else None


@dataclass(frozen=True, slots=True)
class DetachedPart:
    sha256: str  # hex digest of `data`
    data: bytes  # decoded attachment
    layout: Base64Layout


@dataclass(frozen=True, slots=True)
class Detached:
    skeleton: bytes  # the message with a marker where each part's text was
    parts: tuple[DetachedPart, ...]


def _marker_prefix(marker_key: str) -> bytes:
    return f"<?{_MARKER_TARGET} {marker_key}:".encode("ascii")


def _marker(marker_key: str, index: int) -> bytes:
    return _marker_prefix(marker_key) + f"{index}?>".encode("ascii")


def _check_key(marker_key: str) -> None:
    if not _KEY_PATTERN.fullmatch(marker_key):
        raise ValueError("marker_key must be 1-128 characters from [A-Za-z0-9_-]")


def _detachable(payload: etree._Element, text: str) -> DetachedPart | None:
    if len(payload):  # comments or elements inside: keep it inline
        return None
    try:
        data = decode_base64(text)
    except ValueError:
        return None
    layout = Base64Layout.detect(text, data)
    if layout is None:
        return None
    return DetachedPart(hashlib.sha256(data).hexdigest(), data, layout)


def detach_attachments(root: etree._Element, marker_key: str) -> Detached:
    """Split a parsed message into a skeleton and its attachments; `root` is left as it was."""
    _check_key(marker_key)
    parts: list[DetachedPart] = []
    swapped: list[tuple[etree._Element, str | None]] = []
    try:
        for payload in root.findall(_PAYLOAD_PATH):
            text = payload.text
            part = _detachable(payload, text or "")
            if part is None:
                continue
            swapped.append((payload, text))
            payload.text = None
            payload.append(etree.PI(_MARKER_TARGET, f"{marker_key}:{len(parts)}"))
            parts.append(part)
        skeleton = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
    finally:
        for payload, text in swapped:
            del payload[0]
            payload.text = text
    return Detached(skeleton, tuple(parts))


def splice(skeleton: bytes, marker_key: str, parts: Sequence[tuple[bytes, Base64Layout]]) -> bytes:
    """Put each part's base64 text back where its marker is: bytes, no XML parse."""
    _check_key(marker_key)
    chunks: list[bytes] = []
    position = 0
    for index, (data, layout) in enumerate(parts):
        marker = _marker(marker_key, index)
        found = skeleton.find(marker, position)
        if found < 0:
            raise ValueError(f"marker {index} is missing from the skeleton")
        chunks += (skeleton[position:found], layout.encode_bytes(data))
        position = found + len(marker)
    if skeleton.find(_marker_prefix(marker_key), position) >= 0:
        raise ValueError("the skeleton has more markers than parts")
    chunks.append(skeleton[position:])
    return b"".join(chunks)


def append_trace(root: etree._Element, trace: TraceHeader) -> None:
    """Add `trace` as the last TraceHeader, creating TraceHeaderList after MessageHeader."""
    header = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}")
    if header is None:
        raise EdxmlInvalid("The message has no edXMLEnvelope/edXMLHeader.")
    traces = header.find(q("TraceHeaderList"))
    if traces is None:
        traces = etree.Element(q("TraceHeaderList"), nsmap=NSMAP)
        _insert_after(header, traces, header.find(q("MessageHeader")))
    element = etree.Element(q("TraceHeader"), nsmap=NSMAP)
    existing = traces.findall(q("TraceHeader"))
    _insert_after(traces, element, existing[-1] if existing else None)
    etree.SubElement(element, q("OrganId")).text = trace.organ_id
    etree.SubElement(element, q("Timestamp")).text = trace.timestamp


def _insert_after(
    parent: etree._Element, element: etree._Element, anchor: etree._Element | None
) -> None:
    parent.insert(0 if anchor is None else parent.index(anchor) + 1, element)
