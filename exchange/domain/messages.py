"""The edXML (QCVN 102:2016) message model: documents and status packages, as plain data.

Field names follow the standard's element names. Everything optional in real partners' files
is optional here; the parser is lenient where real files are (see ../shared/interop/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

__all__ = [
    "Attachment",
    "BusinessDocType",
    "BusinessInfo",
    "Code",
    "DocumentType",
    "EdocMessage",
    "Message",
    "Organization",
    "OtherInfo",
    "Receiver",
    "ReplacementInfo",
    "ResponseFor",
    "SignerInfo",
    "StaffInfo",
    "StatusMessage",
    "TraceHeader",
]


class BusinessDocType(IntEnum):
    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3


@dataclass(frozen=True, slots=True)
class Organization:
    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True, slots=True)
class Code:
    code_number: str
    code_notation: str


@dataclass(frozen=True, slots=True)
class DocumentType:
    type: str  # an integer in the standard; kept as text, real files vary
    type_detail: str = ""
    type_name: str = ""


@dataclass(frozen=True, slots=True)
class SignerInfo:
    competence: str = ""
    position: str = ""
    full_name: str = ""


@dataclass(frozen=True, slots=True)
class OtherInfo:
    priority: str = ""
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: str = ""
    page_amount: str = ""
    appendixes: tuple[str, ...] = ()
    security_level: str = ""  # not in the standard; partners add it (see secrecy rules)


@dataclass(frozen=True, slots=True)
class ResponseFor:
    organ_id: str
    code: str = ""  # status packages carry one string, e.g. "7816/VPCP-TTĐT"
    promulgation_date: str = ""
    document_id: str = ""


@dataclass(frozen=True, slots=True)
class StaffInfo:
    department: str = ""
    staff: str = ""
    email: str = ""
    mobile: str = ""


@dataclass(frozen=True, slots=True)
class TraceHeader:
    organ_id: str
    timestamp: str  # "yyyy/MM/dd HH:mm:ss"


@dataclass(frozen=True, slots=True)
class Receiver:
    organ_id: str
    receiver_type: str  # "0" removed, "1" added


@dataclass(frozen=True, slots=True)
class ReplacementInfo:
    document_id: str
    organ_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BusinessInfo:
    """TraceHeaderList/Bussiness (the standard's spelling)."""

    doc_type: BusinessDocType = BusinessDocType.NEW
    document_id: str = ""
    reason: str = ""
    paper: str = ""
    staff: StaffInfo | None = None
    document_info: str = ""
    document_receiver: str = ""
    receivers: tuple[Receiver, ...] = ()
    replacements: tuple[ReplacementInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class Attachment:
    content_id: str
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass(frozen=True, slots=True)
class EdocMessage:
    """A document: new, revoke, update or replace (`business.doc_type`)."""

    sender: Organization
    recipients: tuple[Organization, ...]
    document_id: str
    code: Code | None = None
    promulgation_place: str = ""
    promulgation_date: str = ""  # "yyyy/MM/dd"
    document_type: DocumentType | None = None
    subject: str = ""
    content: str = ""
    signer: SignerInfo | None = None
    due_date: str = ""
    to_places: tuple[str, ...] = ()
    other_info: OtherInfo | None = None
    response_for: ResponseFor | None = None
    steering_type: str = ""
    traces: tuple[TraceHeader, ...] = ()
    business: BusinessInfo = field(default_factory=BusinessInfo)
    attachments: tuple[Attachment, ...] = ()
    has_signature: bool = False

    @property
    def kind(self) -> str:
        return "edoc"


@dataclass(frozen=True, slots=True)
class StatusMessage:
    """A status notification: the responder tells the sender where the document stands."""

    sender: Organization  # the responder (From)
    response_for: ResponseFor
    status_code: str  # two digits, "01".."16"
    description: str = ""
    timestamp: str = ""  # "yyyy/MM/dd HH:mm:ss"
    staff: StaffInfo | None = None
    traces: tuple[TraceHeader, ...] = ()
    has_signature: bool = False

    @property
    def kind(self) -> str:
        return "status"


Message = EdocMessage | StatusMessage
