"""Build QCVN 102:2016 edXML bytes from a domain message.

Every element, the root included, is written `edXML:Name`; fields follow the order of the
VPCP SDK samples. Attachments are base64 in 76-character lines. No Signature is written:
signing is `signing/`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from exchange.domain.messages import (
    Attachment,
    BusinessInfo,
    EdocMessage,
    Message,
    Organization,
    OtherInfo,
    ReplacementInfo,
    ResponseFor,
    StaffInfo,
    StatusMessage,
    TraceHeader,
)
from exchange.edxml.envelope import Base64Layout
from exchange.edxml.namespaces import NSMAP, q

__all__ = ["ATTACHMENT_LAYOUT", "build_edxml"]

# One unbroken line, as the national samples write it: Java's plain Base64 decoder, which
# partners use, refuses line breaks.
ATTACHMENT_LAYOUT = Base64Layout(line_length=0)

_Element = etree._Element


def build_edxml(message: Message) -> bytes:
    """The message as UTF-8 edXML with an XML declaration."""
    root = etree.Element(q("edXML"), nsmap=NSMAP)
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    if isinstance(message, StatusMessage):
        _status_header(_sub(header, "MessageHeader"), message)
        if message.traces:
            _trace_list(header, message.traces)
    else:
        _edoc_header(_sub(header, "MessageHeader"), message)
        _business(_trace_list(header, message.traces), message.business)
        _manifest(_sub(_sub(envelope, "edXMLBody"), "edXMLManifest"), message.attachments)
        if message.attachments:
            _attachments(_sub(root, "AttachmentEncoded"), message.attachments)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: _Element, name: str, text: str | None = None) -> _Element:
    element = etree.SubElement(parent, q(name))
    element.text = text or None  # "<x/>" as lxml re-serialises a parsed "<x></x>"
    return element


def _leaves(parent: _Element, *fields: tuple[str, str]) -> None:
    for name, text in fields:
        _sub(parent, name, text)


def _optional_leaves(parent: _Element, *fields: tuple[str, str]) -> None:
    _leaves(parent, *((name, text) for name, text in fields if text))


def _organization(parent: _Element, name: str, value: Organization) -> None:
    _leaves(
        _sub(parent, name),
        ("OrganId", value.organ_id),
        ("OrganizationInCharge", value.organization_in_charge),
        ("OrganName", value.organ_name),
        ("OrganAdd", value.organ_add),
        ("Email", value.email),
        ("Telephone", value.telephone),
        ("Fax", value.fax),
        ("Website", value.website),
    )


def _edoc_header(element: _Element, message: EdocMessage) -> None:
    _organization(element, "From", message.sender)
    for recipient in message.recipients:
        _organization(element, "To", recipient)
    _sub(element, "DocumentId", message.document_id)
    if message.code is not None:
        code = message.code
        _leaves(
            _sub(element, "Code"),
            ("CodeNumber", code.code_number),
            ("CodeNotation", code.code_notation),
        )
    _leaves(
        _sub(element, "PromulgationInfo"),
        ("Place", message.promulgation_place),
        ("PromulgationDate", message.promulgation_date),
    )
    _edoc_description(element, message)
    _edoc_routing(element, message)


def _edoc_description(element: _Element, message: EdocMessage) -> None:
    if message.document_type is not None:
        kind = message.document_type
        _leaves(
            _sub(element, "DocumentType"),
            ("Type", kind.type),
            ("TypeDetail", kind.type_detail),
            ("TypeName", kind.type_name),
        )
    _leaves(element, ("Subject", message.subject), ("Content", message.content))
    if message.signer is not None:
        signer = message.signer
        _leaves(
            _sub(element, "SignerInfo"),
            ("Competence", signer.competence),
            ("Position", signer.position),
            ("FullName", signer.full_name),
        )
    _optional_leaves(element, ("DueDate", message.due_date))


def _edoc_routing(element: _Element, message: EdocMessage) -> None:
    if message.other_info is not None:
        _other_info(_sub(element, "OtherInfo"), message.other_info)
    if message.response_for is not None:
        _response_for(element, message.response_for)
    _optional_leaves(element, ("SteeringType", message.steering_type))
    if message.to_places:
        _repeated(_sub(element, "ToPlaces"), "Place", message.to_places)


def _other_info(element: _Element, value: OtherInfo) -> None:
    _leaves(
        element,
        ("Priority", value.priority),
        ("SphereOfPromulgation", value.sphere_of_promulgation),
        ("TyperNotation", value.typer_notation),
        ("PromulgationAmount", value.promulgation_amount),
        ("PageAmount", value.page_amount),
    )
    _repeated(_sub(element, "Appendixes"), "Appendix", value.appendixes)
    _optional_leaves(element, ("SecurityLevel", value.security_level))


def _repeated(parent: _Element, name: str, texts: Iterable[str]) -> None:
    _leaves(parent, *((name, text) for text in texts))


def _response_for(parent: _Element, value: ResponseFor) -> None:
    _leaves(
        _sub(parent, "ResponseFor"),
        ("OrganId", value.organ_id),
        ("Code", value.code),
        ("PromulgationDate", value.promulgation_date),
        ("DocumentId", value.document_id),
    )


def _staff(parent: _Element, value: StaffInfo) -> None:
    _leaves(
        _sub(parent, "StaffInfo"),
        ("Department", value.department),
        ("Staff", value.staff),
        ("Email", value.email),
        ("Mobile", value.mobile),
    )


def _status_header(element: _Element, message: StatusMessage) -> None:
    _organization(element, "From", message.sender)
    _response_for(element, message.response_for)
    if message.staff is not None:
        _staff(element, message.staff)
    _leaves(
        element,
        ("StatusCode", message.status_code),
        ("Description", message.description),
        ("Timestamp", message.timestamp),
    )


def _trace_list(header: _Element, traces: Iterable[TraceHeader]) -> _Element:
    element = _sub(header, "TraceHeaderList")
    for trace in traces:
        hop = _sub(element, "TraceHeader")
        _leaves(hop, ("OrganId", trace.organ_id), ("Timestamp", trace.timestamp))
    return element


def _business(parent: _Element, value: BusinessInfo) -> None:
    element = _sub(parent, "Bussiness")
    _optional_leaves(element, ("DocumentId", value.document_id))
    _leaves(
        element,
        ("BussinessDocType", str(int(value.doc_type))),
        ("BussinessDocReason", value.reason),
        ("Paper", value.paper),
    )
    if value.document_info or value.document_receiver or value.receivers:
        _document_info(_sub(element, "BussinessDocumentInfo"), value)
    if value.replacements:
        replacements = _sub(element, "ReplacementInfoList")
        for replacement in value.replacements:
            _replacement(_sub(replacements, "ReplacementInfo"), replacement)
    if value.staff is not None:
        _staff(element, value.staff)


def _document_info(element: _Element, value: BusinessInfo) -> None:
    _leaves(
        element,
        ("DocumentInfo", value.document_info),
        ("DocumentReceiver", value.document_receiver),
    )
    receivers = _sub(element, "ReceiverList")
    for receiver in value.receivers:
        _leaves(
            _sub(receivers, "Receiver"),
            ("OrganId", receiver.organ_id),
            ("ReceiverType", receiver.receiver_type),
        )


def _replacement(element: _Element, value: ReplacementInfo) -> None:
    _sub(element, "DocumentId", value.document_id)
    _repeated(_sub(element, "OrganIdList"), "OrganId", value.organ_ids)


def _manifest(element: _Element, attachments: Iterable[Attachment]) -> None:
    element.set("version", "1.0")
    for attachment in attachments:
        _leaves(
            _sub(element, "Reference"),
            ("ContentId", attachment.content_id),
            ("ContentType", attachment.content_type),
            ("Description", attachment.description),
            ("AttachmentName", attachment.name),
        )


def _attachments(element: _Element, attachments: Iterable[Attachment]) -> None:
    for attachment in attachments:
        _leaves(
            _sub(element, "Attachment"),
            ("ContentId", attachment.content_id),
            ("AttachmentName", attachment.name),
            ("Description", attachment.description),
            ("ContentType", attachment.content_type),
            ("ContentTransferEncoded", ATTACHMENT_LAYOUT.encode(attachment.data)),
        )
