"""sendEdoc: store a prepared document or status package once, with one delivery per recipient."""

from __future__ import annotations

from dataclasses import dataclass, replace

from exchange.db.repos.deliveries import DeliveryRow
from exchange.db.repos.documents import NewDocument
from exchange.db.store import Store
from exchange.domain.errors import StatusTargetUnknown, TransitionNotAllowed
from exchange.domain.messages import BusinessDocType, EdocMessage, StatusMessage
from exchange.domain.status import (
    RECALL_ANSWERS,
    RecallState,
    StatusCode,
    answer_recall,
    transition,
)
from exchange.services.preparing import Prepared

__all__ = ["SendOutcome", "send"]


@dataclass(frozen=True, slots=True)
class SendOutcome:
    doc_id: int
    recipients: tuple[str, ...]
    created: bool


def send(store: Store, prepared: Prepared) -> SendOutcome:
    existing = store.documents.id_for_dedup_key(prepared.document.dedup_key)
    if existing is not None:
        codes = tuple(d.recipient_code for d in store.deliveries.of_doc(existing))
        return SendOutcome(existing, codes, created=False)
    if isinstance(prepared.message, StatusMessage):
        return _send_status(store, prepared, prepared.message)
    return _send_edoc(store, prepared, prepared.message)


def _send_edoc(store: Store, prepared: Prepared, message: EdocMessage) -> SendOutcome:
    doc_id = store.documents.add(prepared.document, prepared.attachments)
    targets = [(a.code, a.system_id) for a in prepared.recipients]
    store.deliveries.add(doc_id, "edoc", targets, store.now)
    if message.business.doc_type is BusinessDocType.REVOKE:
        _request_recall(store, prepared, doc_id, [code for code, _ in targets])
    store.record(
        "document_accepted",
        prepared.document.sender_system,
        str(doc_id),
        sender=prepared.sender.code,
        document_id=message.document_id,
        business_type=int(message.business.doc_type),
        recipients=[code for code, _ in targets],
    )
    return SendOutcome(doc_id, tuple(code for code, _ in targets), created=True)


def _request_recall(store: Store, prepared: Prepared, by_doc: int, codes: list[str]) -> None:
    """A revoke document asks its recipients to give the original back (like a 13)."""
    original = store.documents.latest_edoc(
        prepared.sender.code, prepared.document.document_id, int(BusinessDocType.NEW)
    )
    if original is None:
        return
    found = [store.deliveries.find(original, code) for code in codes]
    targets = [d for d in found if d is not None]
    _mark_recall(store, targets, by_doc)


def _mark_recall(store: Store, targets: list[DeliveryRow], by_doc: int) -> None:
    store.deliveries.set_recall_state([d.id for d in targets], RecallState.REQUESTED.value)
    code = StatusCode.RECALL_REQUESTED.value
    store.deliveries.add_events([(d.id, code, by_doc) for d in targets], store.now)


def _send_status(store: Store, prepared: Prepared, message: StatusMessage) -> SendOutcome:
    original = _answered_document(store, message)
    if original is None:
        raise _not_received(prepared)
    code = StatusCode(message.status_code)
    document = replace(prepared.document, answers_doc=original)
    if code is StatusCode.RECALL_REQUESTED:
        outcome = _send_recall_request(store, prepared, document, original)
    else:
        outcome = _send_answer(store, prepared, document, original, code)
    store.record(
        "status_accepted",
        prepared.document.sender_system,
        str(outcome.doc_id),
        responder=prepared.sender.code,
        answers=original,
        status=code.value,
    )
    return outcome


def _not_received(prepared: Prepared) -> StatusTargetUnknown:
    """One answer whether the document exists or not: no oracle for other agencies' mail."""
    answered = prepared.document.document_id  # a status package's ResponseFor/DocumentId
    return StatusTargetUnknown(
        f"Agency {prepared.sender.code} received no document {answered!r} it could answer."
    )


def _answered_document(store: Store, message: StatusMessage) -> int | None:
    """The document a status package answers. A recall (13) comes from its sender; any other
    code names the sender in ResponseFor/OrganId, or (real files vary) only in the DocumentId,
    whose first field is the sender's OrganId."""
    document_id = message.response_for.document_id
    if message.status_code == StatusCode.RECALL_REQUESTED.value:
        senders = [message.sender.organ_id]
    else:
        senders = [message.response_for.organ_id, document_id.split(",", 1)[0]]
    for sender in dict.fromkeys(senders):
        found = store.documents.latest_edoc(sender, document_id, int(BusinessDocType.NEW))
        if found is not None:
            return found
    return None


def _send_recall_request(
    store: Store, prepared: Prepared, document: NewDocument, original: int
) -> SendOutcome:
    sender = store.documents.sender_of(original)
    if sender is None or sender[0] != prepared.sender.code:
        raise TransitionNotAllowed("Only the document's sender can ask for a recall (13).")
    targets = store.deliveries.of_doc(original)
    doc_id = store.documents.add(document, ())
    recipients = [(d.recipient_code, d.recipient_system) for d in targets]
    store.deliveries.add(doc_id, "status", recipients, store.now)
    _mark_recall(store, targets, doc_id)
    return SendOutcome(doc_id, tuple(code for code, _ in recipients), created=True)


def _send_answer(
    store: Store, prepared: Prepared, document: NewDocument, original: int, code: StatusCode
) -> SendOutcome:
    delivery = store.deliveries.find(original, prepared.sender.code)
    if delivery is None or delivery.kind != "edoc":
        raise _not_received(prepared)
    _apply(store, delivery, code)
    sender = store.documents.sender_of(original)
    assert sender is not None  # `original` was just found
    doc_id = store.documents.add(document, ())
    store.deliveries.add(doc_id, "status", [sender], store.now)
    store.deliveries.add_events([(delivery.id, code.value, doc_id)], store.now)
    return SendOutcome(doc_id, (sender[0],), created=True)


def _apply(store: Store, delivery: DeliveryRow, code: StatusCode) -> None:
    current = StatusCode(delivery.business_status) if delivery.business_status else None
    recall = RecallState(delivery.recall_state) if delivery.recall_state else None
    if code in RECALL_ANSWERS:
        state = answer_recall(recall, current, code)
        moved = store.deliveries.move_recall(delivery, state.value)
    else:
        if recall is RecallState.AGREED:
            raise TransitionNotAllowed(
                f"Status {code.value} cannot follow 15: the recipient agreed to the recall."
            )
        transition(current, code)
        moved = store.deliveries.move_status(delivery, code.value, store.now)
    if not moved:
        raise TransitionNotAllowed(
            f"Status {code.value} lost a race: another status for this recipient landed first."
        )
