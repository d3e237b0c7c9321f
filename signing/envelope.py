"""The edXML side of envelope signatures: safe parsing, where the signature goes, and the
TraceHeaderList that hubs append to after the sender has signed.

Our signatures reference each signed part by its Id (`SIGNED_PARTS`: MessageHeader, the
Bussiness block of TraceHeaderList, edXMLBody, AttachmentEncoded), each with the
enveloped-signature and exclusive c14n transforms, a scheme every XML-DSig verifier knows:
xmlsec1 (told the Id attributes, `--id-attr:Id <element>`) and xml-crypto, a stand-in for
.NET's SignedXml, check it in the tests. The trace hops are in no reference, so a hub may
append its TraceHeader (creating the list if need be) without breaking the signature.

Signatures made before are still verified: one Reference to the whole message (URI="")
minus the signature (enveloped-signature) minus the trace hops (XPath Filter 2.0
"subtract"): every edXML:TraceHeader, and a TraceHeaderList that holds nothing but
TraceHeaders; TraceHeaderList/Bussiness (business type, replacement info, staff) stays
signed. xmlsec1 and Apache Santuario check those; xml-crypto and .NET do not know the filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from signing.errors import SigningError

__all__ = [
    "DS",
    "EDXML",
    "FILTER2",
    "SIGNED_PARTS",
    "TRACE_XPATH",
    "Detached",
    "detach_traces",
    "header_of",
    "mark_signed_parts",
    "parse_xml",
    "restore_traces",
    "safe_parser",
    "signed_parts",
]

EDXML = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
FILTER2 = "http://www.w3.org/2002/06/xmldsig-filter2"
_LIST = "/edXML:edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:TraceHeaderList"
TRACE_XPATH = f"{_LIST}[not(*[not(self::edXML:TraceHeader)])] | {_LIST}/edXML:TraceHeader"
_TRACE_LIST, _TRACE = f"{{{EDXML}}}TraceHeaderList", f"{{{EDXML}}}TraceHeader"
# Id -> the element's path from the root; every message has a MessageHeader (a status
# package has nothing else), the others are signed wherever they are present.
SIGNED_PARTS = {
    "edxml-MessageHeader": "edXMLEnvelope/edXMLHeader/MessageHeader",
    "edxml-Bussiness": "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness",
    "edxml-edXMLBody": "edXMLEnvelope/edXMLBody",
    "edxml-AttachmentEncoded": "AttachmentEncoded",
}
_REQUIRED = ("edxml-MessageHeader",)


def signed_parts(root: etree._Element) -> dict[str, etree._Element]:
    """The parts of this message a signature must cover, by their Id."""
    found = {}
    for part_id, path in SIGNED_PARTS.items():
        element = root.find("/".join(f"{{{EDXML}}}{step}" for step in path.split("/")))
        if element is not None:
            found[part_id] = element
    missing = [part for part in _REQUIRED if part not in found]
    if missing:
        raise SigningError(f"The message lacks {', '.join(missing)}: nothing to sign.")
    return found


def mark_signed_parts(root: etree._Element) -> list[str]:
    """Give each part its Id attribute; the reference URIs, in document order."""
    parts = signed_parts(root)
    for part_id, element in parts.items():
        element.set("Id", part_id)
    return [f"#{part_id}" for part_id in parts]


def parse_xml(data: bytes) -> etree._Element:
    """The root of `data`, bytes before the first `<` ignored (partners send some);
    SigningError for XML that does not parse or declares a DTD."""
    start = data.find(b"<")
    try:
        root = etree.fromstring(data[max(start, 0) :], safe_parser())
    except etree.XMLSyntaxError as error:
        raise SigningError(f"The message is not well-formed XML: {error}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise SigningError("A document type declaration is not accepted.")
    return root


def safe_parser() -> etree.XMLParser:
    """No entities, no network, no DTD; `huge_tree` for >10 MB attachments (safe only because
    DTDs are refused). A new one per call: lxml parsers are not to be shared across threads."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_blank_text=False,
    )


def header_of(root: etree._Element) -> etree._Element:
    header = root.find(f"{{{EDXML}}}edXMLEnvelope/{{{EDXML}}}edXMLHeader")
    if root.tag != f"{{{EDXML}}}edXML" or header is None:
        raise SigningError("Not an edXML message: edXML/edXMLEnvelope/edXMLHeader is missing.")
    return header


@dataclass(frozen=True, slots=True)
class Detached:
    """A trace element taken out of the message, and how to put it back exactly."""

    list_position: int | None  # its TraceHeaderList's index in the header; None: the list itself
    index: int
    element: etree._Element
    kept_tail: int  # length of the text before it, before its tail was appended there


def detach_traces(header: etree._Element) -> list[Detached]:
    """Remove what `TRACE_XPATH` subtracts, leaving the text around it in place (XPath
    Filter 2.0 takes nodes out of the node-set; the text nodes between them stay)."""
    found = []
    for trace_list in header.findall(_TRACE_LIST):
        elements = [child for child in trace_list if isinstance(child.tag, str)]
        if all(child.tag == _TRACE for child in elements):
            found.append(_detach(header, trace_list, None))
        else:
            position = header.index(trace_list)
            hops = [child for child in elements if child.tag == _TRACE]
            found += [_detach(trace_list, hop, position) for hop in hops]
    return found


def restore_traces(header: etree._Element, detached: list[Detached]) -> None:
    """Undo `detach_traces` on `header` (or on a copy of the header it was applied to)."""
    for item in reversed(detached):
        parent = header if item.list_position is None else header[item.list_position]
        previous = parent[item.index - 1] if item.index > 0 else None
        before = (parent.text if previous is None else previous.tail) or ""
        _set_before(parent, previous, before[: item.kept_tail])
        item.element.tail = before[item.kept_tail :] or None
        parent.insert(item.index, item.element)


def _detach(parent: etree._Element, element: etree._Element, list_position: int | None) -> Detached:
    previous = element.getprevious()
    before = (parent.text if previous is None else previous.tail) or ""
    detached = Detached(list_position, parent.index(element), element, len(before))
    _set_before(parent, previous, before + (element.tail or ""))
    parent.remove(element)
    return detached


def _set_before(parent: etree._Element, previous: etree._Element | None, text: str) -> None:
    if previous is None:
        parent.text = text or None
    else:
        previous.tail = text or None
