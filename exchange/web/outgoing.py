"""The sending side of an agency: draft from a template (numbered by the agency's register),
render the PDF, the leader's signature, the organisation's, send through the hub, ask for a
recall (13)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import anyio

from exchange.domain.agencies import Agency, Tier
from exchange.domain.messages import (
    Attachment,
    Code,
    DocumentType,
    EdocMessage,
    SignerInfo,
    TraceHeader,
)
from exchange.edxml import build_edxml, parse_edxml
from exchange.protocol.compose import compose_edoc, compose_status, document_id
from exchange.web.books import Outgoing, Refusal
from exchange.web.connector import HubRefusal, SystemClient
from exchange.web.drafting import TEMPLATES, Draft, notation, render_draft
from exchange.web.keys import PersonKey
from exchange.web.plain import hub_refusal_key
from exchange.web.workbench import Actor, Role, Workbench, WorkbenchError
from signing import Signer, pades

__all__ = [
    "VIETNAM",
    "DraftRequest",
    "cancel_draft",
    "create_draft",
    "edoc_for",
    "own_draft",
    "recall",
    "send",
    "sign_organisation",
    "sign_person",
    "update_draft",
]

VIETNAM = timezone(timedelta(hours=7))
TIER_ADDRESSEES = {
    Tier.CENTRAL: "Các bộ, cơ quan ngang bộ",
    Tier.PROVINCE: "Các sở, ban, ngành tỉnh",
    Tier.DISTRICT: "UBND các huyện, thành phố",
    Tier.COMMUNE: "UBND các xã, phường, thị trấn",
}


@dataclass(frozen=True, slots=True)
class DraftRequest:
    template: str
    subject: str
    body: str
    signer_id: str
    priority: int
    due_date: date | None
    recipients: tuple[str, ...]
    tier: str = ""  # "" or a tier: every agency of it receives the document
    secrecy: str = ""
    lesson: bool = False  # numbered in the lessons' own series (notation ...-BH)


def create_draft(
    wb: Workbench, actor: Actor, request: DraftRequest, *, signer: PersonKey | None = None
) -> Outgoing:
    """A numbered draft and its PDF. `signer`: a lesson's certificate, else one of the
    agency's usable person certificates, by `request.signer_id`."""
    template = TEMPLATES.get(request.template)
    if template is None:
        raise WorkbenchError("error.template_unknown")
    agency = actor.agency
    recipients = _recipients(wb, agency, request)
    if signer is None:
        people = wb.keys.people(agency.code)
        signer = next((p for p in people if p.id == request.signer_id), None)
    if signer is None:
        raise WorkbenchError("error.signer_unknown")
    now = wb.clock()
    issued_on = now.astimezone(VIETNAM).date()
    with wb.books.edit(agency.code) as book:
        secret = bool(request.secrecy)
        number = book.next_number(issued_on.year, secret=secret, lesson=request.lesson)
        mark = notation(template, agency) + ("-BH" if request.lesson else "")
        draft = Outgoing(
            id=len(book.outgoing) + 1,
            template=template.key,
            number=number,
            notation=mark,
            document_id=document_id(agency.code, issued_on, f"{number:02d}", mark),
            issued_on=issued_on,
            subject=request.subject.strip() or template.subject,
            body=request.body.strip() or template.body,
            secrecy=request.secrecy,
            signer_id=signer.id,
            signer_name=signer.name,
            signer_position=signer.position,
            competence=_competence(agency),
            priority=request.priority,
            due_date=request.due_date,
            recipients=[r.code for r in recipients],
            created_at=now,
        )
        pdf = render_draft(_draft(wb, agency, draft, recipients, request.tier), issued_on)
        wb.books.write_file(agency.code, f"out-{draft.id}.pdf", pdf)
        book.outgoing.append(draft)
    return draft


def update_draft(wb: Workbench, actor: Actor, draft_id: int, request: DraftRequest) -> Outgoing:
    """A draft corrected before the leader signs: same number, the PDF made again."""
    wb.require(actor, Role.CLERK)
    template = TEMPLATES.get(request.template)
    if template is None:
        raise WorkbenchError("error.template_unknown")
    agency = actor.agency
    recipients = _recipients(wb, agency, request)
    signer = next((p for p in wb.keys.people(agency.code) if p.id == request.signer_id), None)
    if signer is None:
        raise WorkbenchError("error.signer_unknown")
    with wb.books.edit(agency.code) as book:
        draft = book.draft(draft_id)
        if draft is None or draft.lesson is not None:
            raise WorkbenchError("error.not_found")
        if draft.stage != "drafted":
            raise WorkbenchError("error.stage")
        draft.template, draft.subject = template.key, request.subject.strip() or template.subject
        draft.body = request.body.strip() or template.body
        draft.signer_id, draft.signer_name = signer.id, signer.name
        draft.signer_position, draft.priority = signer.position, request.priority
        draft.due_date, draft.recipients = request.due_date, [r.code for r in recipients]
        draft.notation = notation(template, agency)
        draft.document_id = document_id(
            agency.code, draft.issued_on, f"{draft.number:02d}", draft.notation
        )
        pdf = render_draft(_draft(wb, agency, draft, recipients, request.tier), draft.issued_on)
        wb.books.write_file(agency.code, f"out-{draft.id}.pdf", pdf)
    return draft


def cancel_draft(wb: Workbench, actor: Actor, draft_id: int) -> Outgoing:
    """A draft abandoned before it is signed; its number stays in the register, marked so."""
    wb.require(actor, Role.CLERK)
    with wb.books.edit(actor.agency.code) as book:
        draft = book.draft(draft_id)
        if draft is None:
            raise WorkbenchError("error.not_found")
        if draft.stage != "drafted":
            raise WorkbenchError("error.stage")
        draft.stage = "cancelled"
    return draft


def _competence(agency: Agency) -> str:
    return "TM. ỦY BAN NHÂN DÂN" if agency.name.startswith("UBND") else ""


def _recipients(wb: Workbench, agency: Agency, request: DraftRequest) -> list[Agency]:
    chosen = [wb.agency(code) for code in dict.fromkeys(request.recipients)]
    if request.tier:
        chosen += wb.directory.of_tier(Tier(request.tier))
    unique = {a.code: a for a in chosen if a.code != agency.code}
    if not unique:
        raise WorkbenchError("error.no_recipient")
    return list(unique.values())


def _draft(
    wb: Workbench, agency: Agency, out: Outgoing, recipients: Sequence[Agency], tier: str
) -> Draft:
    if tier:
        addressees = [TIER_ADDRESSEES[Tier(tier)]]
    else:
        addressees = [r.name for r in recipients[:3]]
        if len(recipients) > 3:
            addressees.append(f"và {len(recipients) - 3} cơ quan khác")
    return Draft(
        agency=agency,
        superior=wb.directory.parent_of(agency.code),
        template=TEMPLATES[out.template],
        code=out.code,
        place=wb.directory.province_name,
        subject=out.subject,
        body=out.body,
        signer_name=out.signer_name,
        signer_position=out.signer_position,
        competence=out.competence,
        addressees=tuple(
            f"{a};" if i < len(addressees) - 1 else a for i, a in enumerate(addressees)
        ),
    )


def own_draft(wb: Workbench, agency: Agency, draft_id: int) -> Outgoing:
    draft = wb.books.read(agency.code).draft(draft_id)
    if draft is None:
        raise WorkbenchError("error.not_found")
    return draft


async def sign_person(wb: Workbench, actor: Actor, draft_id: int, *, as_role: bool = True) -> None:
    """The competent person's signature (a leader's act)."""
    if as_role:
        wb.require(actor, Role.LEADER)
    draft = _at_stage(wb, actor, draft_id, "drafted")
    signer = wb.keys.person(actor.agency.code, draft.signer_id)
    await _sign(wb, actor, draft, signer, pades.PERSON_FIELD, "person_signed")


async def sign_organisation(
    wb: Workbench, actor: Actor, draft_id: int, *, as_role: bool = True
) -> None:
    """The organisation's signature, by the clerk (văn thư) once the leader has signed."""
    if as_role:
        wb.require(actor, Role.CLERK)
    draft = _at_stage(wb, actor, draft_id, "person_signed")
    signer = wb.keys.organisation(actor.agency.code)
    await _sign(wb, actor, draft, signer, pades.ORGANISATION_FIELD, "signed")


def _at_stage(wb: Workbench, actor: Actor, draft_id: int, stage: str) -> Outgoing:
    draft = own_draft(wb, actor.agency, draft_id)
    if draft.stage != stage:
        raise WorkbenchError("error.stage", stage=draft.stage)
    return draft


async def _sign(
    wb: Workbench, actor: Actor, draft: Outgoing, signer: Signer, field: str, stage: str
) -> None:
    name = f"out-{draft.id}.pdf"
    pdf = wb.books.read_file(actor.agency.code, name)
    now = wb.clock()

    def work() -> bytes:
        return pades.sign_pdf(pdf, signer, now, field=field, document_id=draft.document_id)

    signed = await anyio.to_thread.run_sync(work)
    wb.books.write_file(actor.agency.code, name, signed)
    with wb.books.edit(actor.agency.code) as book:
        entry = book.draft(draft.id)
        assert entry is not None
        entry.stage = stage
        if stage == "person_signed":
            entry.person_signed_at = now
        else:
            entry.signed_at = now


def edoc_for(wb: Workbench, agency: Agency, draft: Outgoing, pdf: bytes) -> EdocMessage:
    template = TEMPLATES[draft.template]
    now = wb.clock()
    message = compose_edoc(
        wb.organization(agency),
        [wb.organization(wb.agency(code)) for code in draft.recipients],
        number=draft.number,
        notation=draft.notation,
        subject=draft.subject,
        on=datetime.combine(draft.issued_on, now.astimezone(VIETNAM).timetz()),
        attachments=[
            Attachment("cid:1", f"{draft.code}.pdf".replace("/", "_"), "application/pdf", pdf)
        ],
        signer=SignerInfo(draft.competence, draft.signer_position, draft.signer_name),
        priority=draft.priority,
        sphere=draft.secrecy or "Văn bản thông thường",
    )
    return dataclasses.replace(
        message,
        document_id=draft.document_id,
        code=Code(f"{draft.number:02d}", draft.notation),
        document_type=DocumentType("1", template.type_detail, template.type_name),
        promulgation_place=wb.directory.province_name,
        due_date=f"{draft.due_date:%Y/%m/%d}" if draft.due_date else "",
        traces=(TraceHeader(agency.code, f"{now.astimezone(VIETNAM):%Y/%m/%d %H:%M:%S}"),),
    )


async def send(
    wb: Workbench,
    actor: Actor,
    draft_id: int,
    *,
    as_role: bool = True,
    tamper: int | None = None,
    via: SystemClient | None = None,
) -> Outgoing:
    """Send the signed document; the hub's refusal, if any, is kept with it. `tamper`: flip
    one byte of the signed PDF at that offset on the way; `via`: another system's connection
    (lessons)."""
    if as_role:
        wb.require(actor, Role.CLERK)
    draft = _at_stage(wb, actor, draft_id, "signed")
    agency = actor.agency
    pdf = bytearray(wb.books.read_file(agency.code, f"out-{draft.id}.pdf"))
    if tamper is not None:
        pdf[tamper] ^= 0x01
    body = build_edxml(edoc_for(wb, agency, draft, bytes(pdf)))
    wb.books.write_file(agency.code, f"out-{draft.id}.edxml", body)
    refusal, doc_id = None, None
    try:
        doc_id = await (via or wb.client(agency)).send(body, agency.code)
    except HubRefusal as refused:
        refusal = Refusal(status=refused.status, code=refused.code, detail=refused.detail)
    with wb.books.edit(agency.code) as book:
        entry = book.draft(draft.id)
        assert entry is not None
        entry.stage, entry.sent_at = ("refused" if refusal else "sent"), wb.clock()
        entry.refusal, entry.hub_doc_id = refusal, doc_id
        draft = entry
    wb.wake.set()
    return draft


async def recall(wb: Workbench, actor: Actor, draft_id: int) -> None:
    """Ask every recipient to give the document back (13); each answers 15 or 16."""
    wb.require(actor, Role.CLERK)
    draft = _at_stage(wb, actor, draft_id, "sent")
    agency = actor.agency
    original = parse_edxml(wb.books.read_file(agency.code, f"out-{draft.id}.edxml")).message
    assert isinstance(original, EdocMessage)
    status = compose_status(wb.organization(agency), original, "13", on=_vietnam(wb))
    try:
        await wb.client(agency).send(build_edxml(status), agency.code, "status")
    except HubRefusal as refused:
        raise WorkbenchError(hub_refusal_key(refused.code)) from None
    with wb.books.edit(agency.code) as book:
        entry = book.draft(draft.id)
        assert entry is not None
        entry.recall_requested_at = wb.clock()
    wb.wake.set()


def _vietnam(wb: Workbench) -> datetime:
    return wb.clock().astimezone(VIETNAM)
