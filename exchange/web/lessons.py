"""Lessons on failure, one click each: the sending side runs (draft in the lessons' own number
series, the leader's and the organisation's signatures, send) with one thing wrong, and the
document lands in the recipient's inbox. There a trainee, as its clerk, checks it and decides:
register (03) or return (02); the page then explains what happened and why, and the sender
sees the trainee's answer."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from exchange.domain.agencies import Agency
from exchange.registry.leaders import leader_of
from exchange.web.books import LessonReport, Outgoing
from exchange.web.incoming import sync_documents
from exchange.web.keys import PersonKey
from exchange.web.outgoing import (
    DraftRequest,
    create_draft,
    own_draft,
    send,
    sign_organisation,
    sign_person,
)
from exchange.web.protocol_lessons import PROTOCOL_LESSONS, other_system, out_of_order, replay
from exchange.web.workbench import Actor, Workbench, WorkbenchError
from signing.pdfsig import find_signatures

__all__ = ["LESSONS", "default_recipient", "run_lesson"]

LESSONS = ("tamper", "revoked", "expired", "secret", *PROTOCOL_LESSONS)
VIETNAM = timezone(timedelta(hours=7))
SUBJECTS = {
    "tamper": "V/v kiểm tra tính toàn vẹn của văn bản điện tử (bài học: sửa một byte)",
    "revoked": "V/v ký số bằng chứng thư số đã bị thu hồi (bài học)",
    "expired": "V/v ký số bằng chứng thư số đã hết hạn (bài học)",
    "secret": "V/v gửi văn bản mật qua Trục liên thông (bài học)",
    "replay": "V/v gửi lại một yêu cầu đã bắt được trên đường truyền (bài học)",
    "out_of_order": "V/v trạng thái gửi không đúng thứ tự (bài học)",
    "other_system": "V/v gửi văn bản qua hệ thống không quản lý cơ quan gửi (bài học)",
}


PROBES = {"replay": replay, "out_of_order": out_of_order}


def default_recipient(wb: Workbench, agency: Agency) -> Agency:
    """Its superior, else one it oversees, else any other agency."""
    others = [a for a in wb.directory.ordered() if a.code != agency.code]
    return (
        wb.directory.parent_of(agency.code)
        or next(iter(wb.directory.children_of(agency.code)), None)
        or others[0]
    )


async def run_lesson(wb: Workbench, actor: Actor, name: str, recipient_code: str) -> Outgoing:
    if name not in LESSONS:
        raise WorkbenchError("error.not_found")
    agency, recipient = actor.agency, wb.agency(recipient_code)
    report = LessonReport(name=name)
    signer = _signer(wb, agency, name, report)
    request = DraftRequest(
        template="cong-van",
        subject=SUBJECTS[name],
        body="",
        signer_id=signer.id,
        priority=0,
        due_date=None,
        recipients=(recipient.code,),
        secrecy="Mật" if name == "secret" else "",
        lesson=True,
    )
    if name == "secret":
        report.detail["secrecy"] = "Mật"
    draft = create_draft(wb, actor, request, signer=signer)
    await sign_person(wb, actor, draft.id, as_role=False)
    await sign_organisation(wb, actor, draft.id, as_role=False)
    offset = _tamper_offset(wb, agency, draft.id, report) if name == "tamper" else None
    via = other_system(wb, agency) if name == "other_system" else None
    if via is not None:
        report.detail["system"] = via.system_id
    sent = await send(wb, actor, draft.id, as_role=False, tamper=offset, via=via)
    if sent.stage == "sent" and sent.hub_doc_id is not None:
        await _deliver(wb, agency, recipient, sent.hub_doc_id, name, report)
        if name in PROBES:
            await PROBES[name](wb, recipient, report.recipient_doc_id, report)
    with wb.books.edit(agency.code) as book:
        entry = book.draft(draft.id)
        assert entry is not None
        entry.lesson = report
    return own_draft(wb, agency, draft.id)


def _signer(wb: Workbench, agency: Agency, name: str, report: LessonReport) -> PersonKey:
    if name not in ("revoked", "expired"):
        people = wb.keys.people(agency.code)
        if not people:
            raise WorkbenchError("error.signer_unknown")
        return people[0]
    leader = leader_of(agency)
    deputy = leader_of(dataclasses.replace(agency, code=f"{agency.code}-{name}")).full_name
    key = wb.keys.lesson_person(
        agency.code, agency.name, deputy, f"Phó {leader.position}", problem=name
    )
    entry = wb.keys.pki().entry(key.id)
    report.detail.update(
        certificate=key.id,
        signer=f"{deputy}, Phó {leader.position}",
        valid_from=_shown(entry.not_before),
        valid_to=_shown(entry.not_after),
        revoked_at=_shown(entry.revoked_at) if entry.revoked_at else "",
    )
    return key


def _tamper_offset(wb: Workbench, agency: Agency, draft_id: int, report: LessonReport) -> int:
    """A byte of the document as drafted, covered by both signatures."""
    pdf = wb.books.read_file(agency.code, f"out-{draft_id}.pdf")
    offset = find_signatures(pdf)[0].byte_range[1] // 2
    report.detail.update(
        offset=str(offset), byte_before=f"{pdf[offset]:02x}", byte_after=f"{pdf[offset] ^ 1:02x}"
    )
    return offset


async def _deliver(
    wb: Workbench, sender: Agency, recipient: Agency, sent_id: str, name: str, report: LessonReport
) -> None:
    """The recipient's system fetches it (01) and files it as a lesson's document: its clerk,
    a trainee, decides."""
    await sync_documents(wb, wb.client(recipient))
    doc_id = await _copy_of(wb, sender, sent_id, recipient)
    with wb.books.edit(recipient.code) as book:
        entry = book.received(doc_id)
        if entry is None:
            raise WorkbenchError("error.not_found")
        entry.lesson = None if name in PROTOCOL_LESSONS else name  # decided by the trainee
    report.recipient, report.recipient_doc_id = recipient.code, doc_id


async def _copy_of(wb: Workbench, sender: Agency, sent_id: str, recipient: Agency) -> str:
    """The recipient's docId for its copy, as the hub tells the sender (receiverDocId)."""
    report = await wb.client(sender).sent(sent_id)
    row = next((r for r in report.rows if r.get("toCode") == recipient.code), None)
    if row is None or not row.get("receiverDocId"):
        raise WorkbenchError("error.not_found")
    return str(row["receiverDocId"])


def _shown(moment: datetime) -> str:
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y %H:%M:%S}"
