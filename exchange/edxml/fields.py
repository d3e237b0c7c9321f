"""Read the parts of an edXML MessageHeader and TraceHeaderList into domain values.

Lookups match on the local name and then insist on the edXML namespace, so an element in
the wrong namespace is reported as such rather than as missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar, cast

from lxml import etree

from exchange.domain.errors import EdxmlInvalid, EdxmlNamespaceInvalid
from exchange.domain.messages import (
    BusinessDocType,
    BusinessInfo,
    Code,
    DocumentType,
    Organization,
    OtherInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    TraceHeader,
)
from exchange.edxml.namespaces import NS, q

__all__ = [
    "business",
    "child",
    "children",
    "code",
    "document_type",
    "ident",
    "marked",
    "optional",
    "organization",
    "other_info",
    "own_text",
    "response_for",
    "signer",
    "staff",
    "text",
    "traces",
]

T = TypeVar("T")
_EMPTY_RESPONSE = ResponseFor(organ_id="")


def children(parent: etree._Element, name: str) -> list[etree._Element]:
    """The child elements called `name`; `EdxmlNamespaceInvalid` if one is not edXML."""
    found = list(parent.iterchildren(q(name)))
    if not found:
        _refuse_stray(parent, name)
    return found


def _refuse_stray(parent: etree._Element, name: str) -> None:
    """Called when `parent` has no edXML child `name`: one in another namespace is refused."""
    for element in parent.iterchildren(f"{{*}}{name}"):
        raise EdxmlNamespaceInvalid(f"{name} (line {element.sourceline}) is not in namespace {NS}.")


def child(parent: etree._Element, name: str) -> etree._Element | None:
    """The first child element called `name`; `EdxmlNamespaceInvalid` if there is none in the
    edXML namespace but one in another."""
    found = next(parent.iterchildren(q(name)), None)
    if found is None:
        _refuse_stray(parent, name)
    return found


def optional(parent: etree._Element, name: str, read: Callable[[etree._Element], T]) -> T | None:
    element = child(parent, name)
    return None if element is None else read(element)


def own_text(element: etree._Element) -> str:
    if not len(element):  # no child elements, comments or PIs: the text is all of it
        return element.text or ""
    return "".join(cast("Iterator[str]", element.itertext()))


def text(parent: etree._Element | None, name: str) -> str:
    """The text of child `name`, as written; "" when absent."""
    element = None if parent is None else child(parent, name)
    return "" if element is None else own_text(element)


def ident(parent: etree._Element | None, name: str) -> str:
    """An identifier, code or date: the text without surrounding whitespace."""
    return text(parent, name).strip()


def organization(element: etree._Element) -> Organization:
    return Organization(
        organ_id=ident(element, "OrganId"),
        organ_name=text(element, "OrganName"),
        organization_in_charge=text(element, "OrganizationInCharge"),
        organ_add=text(element, "OrganAdd"),
        email=text(element, "Email"),
        telephone=text(element, "Telephone"),
        fax=text(element, "Fax"),
        website=text(element, "Website"),
    )


def code(element: etree._Element) -> Code:
    return Code(ident(element, "CodeNumber"), ident(element, "CodeNotation"))


def document_type(element: etree._Element) -> DocumentType:
    return DocumentType(
        ident(element, "Type"), ident(element, "TypeDetail"), text(element, "TypeName")
    )


def signer(element: etree._Element) -> SignerInfo:
    return SignerInfo(
        text(element, "Competence"), text(element, "Position"), text(element, "FullName")
    )


def other_info(element: etree._Element) -> OtherInfo:
    appendixes = child(element, "Appendixes")
    found = [] if appendixes is None else children(appendixes, "Appendix")
    level = element.find("{*}SecurityLevel")  # a partners' extension: any namespace
    return OtherInfo(
        priority=ident(element, "Priority"),
        sphere_of_promulgation=text(element, "SphereOfPromulgation"),
        typer_notation=text(element, "TyperNotation"),
        promulgation_amount=ident(element, "PromulgationAmount"),
        page_amount=ident(element, "PageAmount"),
        appendixes=tuple(own_text(appendix) for appendix in found),
        security_level="" if level is None else own_text(level),
    )


def marked(root: etree._Element, *names: str) -> dict[str, list[str]]:
    """What every element called one of `names` says, at any depth and in any namespace: its
    text and its attributes' values (partners write secrecy markings in many places)."""
    found: dict[str, list[str]] = {name: [] for name in names}
    for element in root.iter(*(f"{{*}}{name}" for name in names)):
        values = found[etree.QName(element).localname]
        values.append(own_text(element))
        values.extend(str(value) for value in element.attrib.values())
    return found


def response_for(message_header: etree._Element) -> ResponseFor | None:
    """ResponseFor, or None when absent or every field is empty (a real partner quirk)."""
    element = child(message_header, "ResponseFor")
    if element is None:
        return None
    value = ResponseFor(
        organ_id=ident(element, "OrganId"),
        code=_response_code(element),
        promulgation_date=ident(element, "PromulgationDate"),
        document_id=ident(element, "DocumentId"),
    )
    return None if value == _EMPTY_RESPONSE else value


def _response_code(element: etree._Element) -> str:
    """One string ("7816/VPCP-TTĐT"); CodeNumber + CodeNotation children are joined."""
    found = child(element, "Code")
    if found is None:
        return ""
    if child(found, "CodeNumber") is None and child(found, "CodeNotation") is None:
        return own_text(found).strip()
    parts = (ident(found, "CodeNumber"), ident(found, "CodeNotation"))
    return "/".join(part for part in parts if part)


def staff(element: etree._Element) -> StaffInfo:
    return StaffInfo(
        department=text(element, "Department"),
        staff=text(element, "Staff"),
        email=text(element, "Email"),
        mobile=text(element, "Mobile"),
    )


def traces(header: etree._Element) -> tuple[TraceHeader, ...]:
    trace_list = child(header, "TraceHeaderList")
    found = [] if trace_list is None else children(trace_list, "TraceHeader")
    return tuple(TraceHeader(ident(hop, "OrganId"), ident(hop, "Timestamp")) for hop in found)


def business(header: etree._Element) -> BusinessInfo:
    trace_list = child(header, "TraceHeaderList")
    element = None if trace_list is None else child(trace_list, "Bussiness")
    if element is None:
        return BusinessInfo()
    info = child(element, "BussinessDocumentInfo")
    return BusinessInfo(
        doc_type=_business_doc_type(ident(element, "BussinessDocType")),
        document_id=ident(element, "DocumentId"),
        reason=text(element, "BussinessDocReason"),
        paper=ident(element, "Paper"),
        staff=optional(element, "StaffInfo", staff),
        document_info=ident(info, "DocumentInfo"),
        document_receiver=ident(info, "DocumentReceiver"),
        receivers=_receivers(info),
        replacements=_replacements(element),
    )


def _business_doc_type(value: str) -> BusinessDocType:
    if value in ("", "0", "1", "2", "3"):
        return BusinessDocType(int(value or "0"))
    raise EdxmlInvalid(f"edXML:BussinessDocType must be 0, 1, 2 or 3, not {value!r}.")


def _receivers(info: etree._Element | None) -> tuple[Receiver, ...]:
    receiver_list = None if info is None else child(info, "ReceiverList")
    found = [] if receiver_list is None else children(receiver_list, "Receiver")
    return tuple(Receiver(ident(item, "OrganId"), ident(item, "ReceiverType")) for item in found)


def _replacements(element: etree._Element) -> tuple[ReplacementInfo, ...]:
    replacement_list = child(element, "ReplacementInfoList")
    found = [] if replacement_list is None else children(replacement_list, "ReplacementInfo")
    return tuple(_replacement(item) for item in found)


def _replacement(element: etree._Element) -> ReplacementInfo:
    organ_list = child(element, "OrganIdList")
    organs = [] if organ_list is None else children(organ_list, "OrganId")
    organ_ids = tuple(own_text(organ).strip() for organ in organs)
    return ReplacementInfo(ident(element, "DocumentId"), organ_ids)
