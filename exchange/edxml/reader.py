"""Read QCVN 102:2016 edXML bytes into a domain message, leniently where real partners are.

Accepted quirks: junk before the XML declaration, CRLF, a Signature in the edXML or the
XML-DSig namespace, Attachment elements with or without the prefix, ResponseFor/Code as one
string, an all-empty ResponseFor, opaque OrganIds. Identifiers are stripped of surrounding
whitespace; free text is kept as written.

Refused before any field is read: a message over the hub's limits (`EdxmlLimits`: elements,
nesting, `To` count); then any identifier the hub stores or routes on that is longer than
its database column. Secrecy markings are read wherever they are written: a second
OtherInfo, SphereOfPromulgation or SecurityLevel, at any depth and in any namespace, cannot
hide a secret one behind an innocent first; the message reads as its strictest marking.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from lxml import etree

from exchange.domain.errors import (
    AttachmentInvalid,
    EdxmlInvalid,
    EdxmlLimitExceeded,
    EdxmlNamespaceInvalid,
)
from exchange.domain.messages import (
    Attachment,
    EdocMessage,
    Message,
    Organization,
    OtherInfo,
    ResponseFor,
    StatusMessage,
)
from exchange.domain.secrecy import secret_marking
from exchange.edxml.envelope import decode_base64
from exchange.edxml.fields import (
    business,
    child,
    children,
    code,
    document_type,
    ident,
    marked,
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
from exchange.edxml.limits import DOCUMENT_ID_LENGTH, LIMITS, ORGAN_ID_LENGTH, EdxmlLimits
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


def parse_edxml(data: bytes, limits: EdxmlLimits = LIMITS) -> ParsedEdxml:
    """Parse and validate an edXML message; raises an `ExchangeError` subclass on refusal."""
    root = parse_untrusted(data, limits)
    _check_root(root)
    envelope = _required(root, "edXMLEnvelope")
    _check_prefixes(envelope)
    header = _required(envelope, "edXMLHeader")
    message_header = _required(header, "MessageHeader")
    if child(message_header, "StatusCode") is not None:
        return ParsedEdxml(_status(message_header, header), root)
    recipients = children(message_header, "To")
    if len(recipients) > limits.max_recipients:
        raise EdxmlLimitExceeded(
            f"The document names {len(recipients):,} recipients (edXML:To); the hub takes at "
            f"most {limits.max_recipients:,}."
        )
    return ParsedEdxml(_edoc(message_header, header, root, recipients), root)


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
    judged: dict[etree._Element, bool] = {}
    for element in found:
        if not _in_extension(element, judged):
            local = etree.QName(element).localname
            raise EdxmlNamespaceInvalid(
                f"{local} (line {element.sourceline}) must be written {PREFIX}:{local} "
                f"in namespace {NS}."
            )


def _in_extension(element: etree._Element, judged: dict[etree._Element, bool]) -> bool:
    """Whether `element` or an ancestor is an extension. The walk up stops at an ancestor
    already judged, and every element walked is judged with the answer: each element is
    visited once, however deep the tree (walking to the root each time was quadratic)."""
    walked: list[etree._Element] = []
    node: etree._Element | None = element
    verdict = False
    while node is not None:
        known = judged.get(node)
        if known is not None:
            verdict = known
            break
        if _is_extension(node):
            verdict = True
            break
        walked.append(node)
        node = node.getparent()
    judged.update(dict.fromkeys(walked, verdict))
    return verdict


def _is_extension(element: etree._Element) -> bool:
    name = etree.QName(element)
    return name.namespace not in (NS, None) or name.localname in _PREFIX_EXEMPT


def _has_signature(header: etree._Element) -> bool:
    return next(header.iter(*_SIGNATURES), None) is not None


def _sender(message_header: etree._Element) -> Organization:
    sender = _required(message_header, "From")
    return _with_organ_id(organization(sender), "From")


def _with_organ_id(value: Organization, where: str) -> Organization:
    if not value.organ_id:
        raise EdxmlInvalid(f"edXML:{where}/OrganId is missing or empty.")
    _bounded(value.organ_id, ORGAN_ID_LENGTH, f"{where}/OrganId")
    return value


def _bounded(value: str, limit: int, where: str) -> str:
    """`value`, refused when longer than the database column that stores (or looks up) it."""
    if len(value) > limit:
        raise EdxmlLimitExceeded(
            f"edXML:{where} has {len(value):,} characters; the hub takes at most {limit}."
        )
    return value


def _response_for(message_header: etree._Element) -> ResponseFor | None:
    answered = response_for(message_header)
    if answered is not None:
        _bounded(answered.organ_id, ORGAN_ID_LENGTH, "ResponseFor/OrganId")
        _bounded(answered.document_id, DOCUMENT_ID_LENGTH, "ResponseFor/DocumentId")
    return answered


def _status(message_header: etree._Element, header: etree._Element) -> StatusMessage:
    status_code = ident(message_header, "StatusCode")
    if not status_code:
        raise EdxmlInvalid("edXML:StatusCode is empty.")
    answered = _response_for(message_header)
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
    message_header: etree._Element,
    header: etree._Element,
    root: etree._Element,
    recipients: list[etree._Element],
) -> EdocMessage:
    document_id = ident(message_header, "DocumentId")
    if not document_id:
        raise EdxmlInvalid("edXML:DocumentId is missing or empty.")
    _bounded(document_id, DOCUMENT_ID_LENGTH, "DocumentId")
    promulgation = child(message_header, "PromulgationInfo")
    return EdocMessage(
        sender=_sender(message_header),
        recipients=tuple(_with_organ_id(organization(to), "To") for to in recipients),
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
        other_info=_other_info(message_header, root),
        response_for=_response_for(message_header),
        steering_type=ident(message_header, "SteeringType"),
        traces=traces(header),
        business=business(header),
        attachments=_attachments(root),
        has_signature=_has_signature(header),
    )


def _other_info(message_header: etree._Element, root: etree._Element) -> OtherInfo | None:
    """The first OtherInfo, with the strictest SphereOfPromulgation and SecurityLevel written
    anywhere in the message: a secret marking wins over the first element's value."""
    info = optional(message_header, "OtherInfo", other_info)
    marks = marked(root, "SphereOfPromulgation", "SecurityLevel")
    sphere = secret_marking(marks["SphereOfPromulgation"])
    level = secret_marking(marks["SecurityLevel"])
    if sphere is None and level is None:
        return info
    found = info or OtherInfo()
    return replace(
        found,
        sphere_of_promulgation=found.sphere_of_promulgation if sphere is None else sphere,
        security_level=found.security_level if level is None else level,
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
