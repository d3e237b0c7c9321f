"""Read QCVN 102:2016 edXML bytes into a domain message, leniently where real partners are.

Accepted quirks: junk before the XML declaration, CRLF, a Signature in the edXML or the
XML-DSig namespace, Attachment elements with or without the prefix, ResponseFor/Code as one
string, an all-empty ResponseFor, opaque OrganIds. Identifiers are stripped of surrounding
whitespace; free text is kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from lxml import etree

from exchange.domain.errors import AttachmentInvalid, EdxmlInvalid, EdxmlNamespaceInvalid
from exchange.domain.messages import (
    Attachment,
    EdocMessage,
    Message,
    Organization,
    StatusMessage,
)
from exchange.edxml.envelope import decode_base64
from exchange.edxml.fields import (
    business,
    child,
    children,
    code,
    document_type,
    ident,
    optional,
    organization,
    other_info,
    own_text,
    response_for,
    signer,
    staff,
    text,
    traces,
)
from exchange.edxml.namespaces import DSIG_NS, NS, PREFIX, q
from exchange.edxml.safexml import parse_untrusted

__all__ = ["ParsedEdxml", "parse_edxml"]

_SIGNATURES = (q("Signature"), f"{{{DSIG_NS}}}Signature")
_PREFIX_EXEMPT = frozenset({"Signature", "SecurityLevel"})  # XML-DSig; a partners' extension
_NOT_WRITTEN_EDXML = etree.XPath(
    "descendant-or-self::*[not(namespace-uri() = $ns and name() = concat($prefix, local-name()))]"
)


@dataclass(frozen=True, slots=True)
class ParsedEdxml:
    """The message, and the tree it came from (the hub edits and re-serialises it)."""

    message: Message
    root: etree._Element


def parse_edxml(data: bytes) -> ParsedEdxml:
    """Parse and validate an edXML message; raises an `ExchangeError` subclass on refusal."""
    root = parse_untrusted(data)
    _check_root(root)
    envelope = _required(root, "edXMLEnvelope")
    _check_prefixes(envelope)
    header = _required(envelope, "edXMLHeader")
    message_header = _required(header, "MessageHeader")
    if child(message_header, "StatusCode") is not None:
        return ParsedEdxml(_status(message_header, header), root)
    return ParsedEdxml(_edoc(message_header, header, root), root)


def _check_root(root: etree._Element) -> None:
    if root.tag != q("edXML"):
        raise EdxmlNamespaceInvalid(
            f"The root element is {root.tag}; expected edXML in namespace {NS}."
        )


def _required(parent: etree._Element, name: str) -> etree._Element:
    element = child(parent, name)
    if element is None:
        raise EdxmlInvalid(f"edXML:{name} is missing.")
    return element


def _check_prefixes(envelope: etree._Element) -> None:
    """Every standard element in the envelope must be written `edXML:Name` (hubs insist).

    One XPath pass finds the elements not so written; those inside an extension in its own
    namespace, or inside a tolerated quirk, are let through."""
    found = cast("list[etree._Element]", _NOT_WRITTEN_EDXML(envelope, ns=NS, prefix=f"{PREFIX}:"))
    for element in found:
        if not _in_extension(element):
            local = etree.QName(element).localname
            raise EdxmlNamespaceInvalid(
                f"{local} (line {element.sourceline}) must be written {PREFIX}:{local} "
                f"in namespace {NS}."
            )


def _in_extension(element: etree._Element | None) -> bool:
    while element is not None:
        name = etree.QName(element)
        if name.namespace not in (NS, None) or name.localname in _PREFIX_EXEMPT:
            return True
        element = element.getparent()
    return False


def _has_signature(header: etree._Element) -> bool:
    return next(header.iter(*_SIGNATURES), None) is not None


def _sender(message_header: etree._Element) -> Organization:
    sender = _required(message_header, "From")
    return _with_organ_id(organization(sender), "From")


def _with_organ_id(value: Organization, where: str) -> Organization:
    if not value.organ_id:
        raise EdxmlInvalid(f"edXML:{where}/OrganId is missing or empty.")
    return value


def _status(message_header: etree._Element, header: etree._Element) -> StatusMessage:
    status_code = ident(message_header, "StatusCode")
    if not status_code:
        raise EdxmlInvalid("edXML:StatusCode is empty.")
    answered = response_for(message_header)
    if answered is None:
        raise EdxmlInvalid("A status message needs a non-empty edXML:ResponseFor.")
    return StatusMessage(
        sender=_sender(message_header),
        response_for=answered,
        status_code=status_code,
        description=text(message_header, "Description"),
        timestamp=ident(message_header, "Timestamp"),
        staff=optional(message_header, "StaffInfo", staff),
        traces=traces(header),
        has_signature=_has_signature(header),
    )


def _edoc(
    message_header: etree._Element, header: etree._Element, root: etree._Element
) -> EdocMessage:
    document_id = ident(message_header, "DocumentId")
    if not document_id:
        raise EdxmlInvalid("edXML:DocumentId is missing or empty.")
    promulgation = child(message_header, "PromulgationInfo")
    return EdocMessage(
        sender=_sender(message_header),
        recipients=tuple(
            _with_organ_id(organization(to), "To") for to in children(message_header, "To")
        ),
        document_id=document_id,
        code=optional(message_header, "Code", code),
        promulgation_place=text(promulgation, "Place"),
        promulgation_date=ident(promulgation, "PromulgationDate"),
        document_type=optional(message_header, "DocumentType", document_type),
        subject=text(message_header, "Subject"),
        content=text(message_header, "Content"),
        signer=optional(message_header, "SignerInfo", signer),
        due_date=ident(message_header, "DueDate"),
        to_places=tuple(own_text(place) for place in _places(message_header)),
        other_info=optional(message_header, "OtherInfo", other_info),
        response_for=response_for(message_header),
        steering_type=ident(message_header, "SteeringType"),
        traces=traces(header),
        business=business(header),
        attachments=_attachments(root),
        has_signature=_has_signature(header),
    )


def _places(message_header: etree._Element) -> list[etree._Element]:
    to_places = child(message_header, "ToPlaces")
    return [] if to_places is None else children(to_places, "Place")


def _attachments(root: etree._Element) -> tuple[Attachment, ...]:
    encoded = child(root, "AttachmentEncoded")
    if encoded is None:
        return ()
    found = children(encoded, "Attachment")
    return tuple(_attachment(element, index) for index, element in enumerate(found, 1))


def _attachment(element: etree._Element, index: int) -> Attachment:
    content_id = ident(element, "ContentId")
    label = content_id or f"#{index}"
    payload = child(element, "ContentTransferEncoded")
    if payload is None:
        raise AttachmentInvalid(f"Attachment {label} has no ContentTransferEncoded.")
    try:
        data = decode_base64(own_text(payload))
    except ValueError:
        raise AttachmentInvalid(f"Attachment {label} is not valid base64.") from None
    return Attachment(
        content_id=content_id,
        name=text(element, "AttachmentName"),
        content_type=ident(element, "ContentType"),
        data=data,
        description=text(element, "Description"),
    )
