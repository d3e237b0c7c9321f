"""The receiving side: each system polls the hub (getReceivedEdocList, documents then status
packages), downloads what arrived (getEdoc), files it in the recipient agency's book under
its own docId (the receiverDocId), answers 01 (arrived) and acknowledges the transport
(updateStatus). Status packages update the sender's book; a recall request (13) waits for
the recipient's answer. The clerk's answers (02..06, 15, 16) travel as status packages
through the hub (sendEdoc, messagetype status), which checks every move."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta, timezone

from exchange.domain.agencies import Agency
from exchange.domain.messages import EdocMessage, StatusMessage
from exchange.edxml import build_edxml, parse_edxml
from exchange.protocol.compose import compose_status
from exchange.protocol.verification import MessageVerification, main_file, verify_message
from exchange.web.books import Incoming, Note
from exchange.web.connector import Delivery, HubRefusal, SystemClient
from exchange.web.plain import hub_refusal_key
from exchange.web.signatures import SignaturePanel, build_panel
from exchange.web.workbench import Actor, Role, Workbench, WorkbenchError

__all__ = [
    "ANSWERS",
    "answer",
    "poll_forever",
    "received_document",
    "received_pdf",
    "signature_panel",
    "sync",
    "sync_documents",
]

log = logging.getLogger("exchange.web")
VIETNAM = timezone(timedelta(hours=7))
ANSWERS = {  # code: the role that gives it
    "02": Role.CLERK,
    "03": Role.CLERK,
    "04": Role.LEADER,
    "05": Role.CLERK,
    "06": Role.CLERK,
    "15": Role.CLERK,
    "16": Role.CLERK,
}
_GIVE_UP_AFTER = 3  # failed attempts at one delivery before it is acknowledged and logged
MESSAGE_TYPES = ("edoc", "status")  # documents first: a recall (13) finds its document filed


async def poll_forever(wb: Workbench) -> None:
    """Every system polls every `poll_seconds` (sooner when something was just sent)."""
    while True:
        try:
            await sync(wb)
            wb.keys.keep_crl_fresh()
        except Exception:  # keep polling: one bad round must not stop the demo
            log.exception("workbench: polling the hub failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wb.wake.wait(), wb.web.poll_seconds)
        wb.wake.clear()


async def sync(wb: Workbench) -> None:
    async with wb.sync_lock:
        for system_id, client in wb.clients.items():
            if system_id in wb.external:  # a trainee's own system fetches these
                continue
            for message_type in MESSAGE_TYPES:
                await _sync_system(wb, client, message_type)


async def sync_documents(wb: Workbench, client: SystemClient) -> None:
    """One system takes the documents waiting for it now (a lesson's recipient)."""
    async with wb.sync_lock:
        await _sync_system(wb, client, "edoc")


async def _sync_system(wb: Workbench, client: SystemClient, message_type: str) -> None:
    """Take every copy listed; list again while the list shows new ones (a full list leaves
    more behind). A copy acknowledged `fail` stays listed: it waits for the next round."""
    seen: set[str] = set()
    while True:
        fresh = [d for d in await client.received(message_type) if d.doc_id not in seen]
        if not fresh:
            return
        for delivery in fresh:
            seen.add(delivery.doc_id)
            await _take(wb, client, delivery)


async def _take(wb: Workbench, client: SystemClient, delivery: Delivery) -> None:
    """Download, file, acknowledge the transport; then, for a new document, the software's
    01 (arrived): the sender sees "downloaded" before "01"."""
    doc_id, agency = delivery.doc_id, delivery.to
    filed: tuple[Agency, EdocMessage] | None = None
    try:
        data = await client.get(doc_id)
        message = parse_edxml(data).message
        if isinstance(message, EdocMessage):
            filed = _arrived(wb, wb.agency(agency), doc_id, data, message)
        else:
            _status_arrived(wb, agency, message)
    except Exception:
        log.exception("workbench: delivery %s to %s failed", doc_id, agency)
        failures = wb.failures[doc_id] = wb.failures.get(doc_id, 0) + 1
        if failures < _GIVE_UP_AFTER:
            await client.ack(doc_id, "fail")
            return
    wb.failures.pop(doc_id, None)
    await client.ack(doc_id)
    if filed is not None:
        await _answer(wb, filed[0], doc_id, filed[1], "01", "")


def _arrived(
    wb: Workbench, agency: Agency, doc_id: str, data: bytes, message: EdocMessage
) -> tuple[Agency, EdocMessage] | None:
    """Filed in the agency's book (None when it already was)."""
    wb.books.write_file(agency.code, f"in-{doc_id}.edxml", data)
    checked = verify_message(data, message, wb.trust(), wb.clock())
    with wb.books.edit(agency.code) as book:
        if book.received(doc_id) is not None:
            return None
        entry = _incoming(wb, doc_id, message)
        entry.checked = checked.problem.value if checked.problem else "valid"
        book.incoming.append(entry)
    return agency, message


def _incoming(wb: Workbench, doc_id: str, message: EdocMessage) -> Incoming:
    code = message.code
    info = message.other_info
    return Incoming(
        doc_id=doc_id,
        sender=message.sender.organ_id,
        sender_name=message.sender.organ_name,
        document_id=message.document_id,
        code=f"{code.code_number}/{code.code_notation}" if code else "",
        subject=message.subject,
        type_name=message.document_type.type_name if message.document_type else "",
        priority=int(info.priority) if info and info.priority.isdigit() else 0,
        due_date=message.due_date,
        arrived_at=wb.clock(),
    )


def _status_arrived(wb: Workbench, agency: str, message: StatusMessage) -> None:
    document_id = message.response_for.document_id
    with wb.books.edit(agency) as book:
        if message.status_code == "13":  # the sender asks for the document back
            for entry in book.incoming:
                if entry.document_id == document_id and entry.sender == message.sender.organ_id:
                    entry.recall = "13"
            return
        sent = (d for d in book.outgoing if d.stage == "sent")  # a refused one never left
        draft = next((d for d in sent if d.document_id == document_id), None)
        if draft is not None:
            note = Note(
                responder=message.sender.organ_id,
                code=message.status_code,
                description=message.description,
                at=wb.clock(),
            )
            draft.notes.append(note)


def received_document(wb: Workbench, agency: Agency, doc_id: str) -> tuple[Incoming, EdocMessage]:
    """The agency's own received document (never another agency's: the API's rule)."""
    entry = wb.books.read(agency.code).received(doc_id)
    if entry is None:
        raise WorkbenchError("error.not_found")
    message = parse_edxml(wb.books.read_file(agency.code, f"in-{doc_id}.edxml")).message
    assert isinstance(message, EdocMessage)
    return entry, message


def received_pdf(wb: Workbench, agency: Agency, doc_id: str) -> bytes:
    _, message = received_document(wb, agency, doc_id)
    pdf = main_file(message)
    if pdf is None:
        raise WorkbenchError("error.not_found")
    return pdf.data


def verification(wb: Workbench, agency: Agency, doc_id: str) -> MessageVerification:
    data = wb.books.read_file(agency.code, f"in-{doc_id}.edxml")
    return verify_message(data, parse_edxml(data).message, wb.trust(), wb.clock())


def signature_panel(wb: Workbench, agency: Agency, doc_id: str) -> SignaturePanel:
    """Checked now, with the PKI's published CA bundle and current CRL."""
    _, message = received_document(wb, agency, doc_id)
    checked = verification(wb, agency, doc_id)
    return build_panel(checked, message, wb.authorities(), wb.clock())


async def answer(wb: Workbench, actor: Actor, doc_id: str, code: str, reason: str = "") -> None:
    """The clerk's (or, for 04, the leader's) answer, sent through the hub."""
    role = ANSWERS.get(code)
    if role is None:
        raise WorkbenchError("error.status_unknown")
    wb.require(actor, role)
    entry, message = received_document(wb, actor.agency, doc_id)
    if code == "03" and entry.lesson is None:  # in a lesson, the trainee may get it wrong
        checked = verification(wb, actor.agency, doc_id)
        if not checked.valid:
            raise WorkbenchError("error.register_invalid")
    if code == "02" and not reason.strip():
        raise WorkbenchError("error.reason_required")
    await _answer(wb, actor.agency, doc_id, message, code, reason.strip())


async def _answer(
    wb: Workbench, agency: Agency, doc_id: str, message: EdocMessage, code: str, reason: str
) -> None:
    status = compose_status(
        wb.organization(agency), message, code, on=wb.clock().astimezone(VIETNAM), reason=reason
    )
    try:
        await wb.client(agency).send(build_edxml(status), agency.code, "status")
    except HubRefusal as refused:
        raise WorkbenchError(hub_refusal_key(refused.code)) from None
    with wb.books.edit(agency.code) as book:
        entry = book.received(doc_id)
        assert entry is not None
        if code in ("15", "16"):
            entry.recall = code
        entry.answers.append(
            Note(responder=agency.code, code=code, description=status.description, at=wb.clock())
        )
    wb.wake.set()
