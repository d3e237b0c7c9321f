"""Compose the messages an agency's eOffice system sends: a document and a status package."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from exchange.domain.messages import (
    Attachment,
    BusinessInfo,
    Code,
    DocumentType,
    EdocMessage,
    Organization,
    OtherInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusMessage,
    TraceHeader,
)

__all__ = ["compose_edoc", "compose_status", "document_id"]

STATUS_TEXT = {
    "01": "Đã đến - Phần mềm QLVB đã nhận nhưng văn thư chưa xử lý",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận, vào sổ văn bản đến",
    "04": "Đã phân công xử lý",
    "05": "Đang xử lý",
    "06": "Hoàn thành xử lý",
    "13": "Đề nghị thu hồi văn bản",
    "15": "Đồng ý thu hồi văn bản",
    "16": "Từ chối thu hồi văn bản",
}


def document_id(sender: str, on: date, number: int | str, notation: str) -> str:
    """`<sender OrganId>,<yyyy/MM/dd>,<number>/<notation>` as QCVN 102 writes it."""
    return f"{sender},{on:%Y/%m/%d},{number}/{notation}"


def compose_edoc(
    sender: Organization,
    recipients: Sequence[Organization],
    *,
    number: int,
    notation: str,
    subject: str,
    on: datetime,
    attachments: Sequence[Attachment] = (),
    signer: SignerInfo | None = None,
    priority: int = 0,
    sphere: str = "Văn bản thông thường",
) -> EdocMessage:
    return EdocMessage(
        sender=sender,
        recipients=tuple(recipients),
        document_id=document_id(sender.organ_id, on, number, notation),
        code=Code(str(number), notation),
        promulgation_date=f"{on:%Y/%m/%d}",
        document_type=DocumentType("1", "0", "Công văn"),
        subject=subject,
        content=subject,
        signer=signer,
        other_info=OtherInfo(priority=str(priority), sphere_of_promulgation=sphere),
        traces=(TraceHeader(sender.organ_id, f"{on:%Y/%m/%d %H:%M:%S}"),),
        business=BusinessInfo(staff=StaffInfo(department="Văn thư")),
        attachments=tuple(attachments),
    )


def compose_status(
    responder: Organization, answered: EdocMessage, code: str, *, on: datetime, reason: str = ""
) -> StatusMessage:
    number = answered.code
    return StatusMessage(
        sender=responder,
        response_for=ResponseFor(
            organ_id=answered.sender.organ_id,
            code=f"{number.code_number}/{number.code_notation}" if number else "",
            promulgation_date=answered.promulgation_date,
            document_id=answered.document_id,
        ),
        status_code=code,
        description=reason or STATUS_TEXT.get(code, ""),
        timestamp=f"{on:%Y/%m/%d %H:%M:%S}",
        staff=StaffInfo(department="Văn thư"),
    )
