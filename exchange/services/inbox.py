"""The receiving side: list what arrived, download it, acknowledge the transport."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from exchange.db.repos.documents import StoredDocument
from exchange.db.store import Store
from exchange.domain.docids import receiver_doc_id, receiver_row, sender_row
from exchange.domain.errors import DocumentNotFound
from exchange.edxml import Base64Layout, splice

__all__ = ["ACK_STATES", "InboxItem", "acknowledge", "count_pending", "fetch", "list_received"]

# updateStatus's word -> the delivery's stored transport state
ACK_STATES = {"done": "done", "fail": "failed", "processing": "working"}


@dataclass(frozen=True, slots=True)
class InboxItem:
    doc_id: str  # the recipient's own docId
    message_type: str
    sender: str
    recipient: str
    state: str  # pending | working | failed
    created: datetime
    updated: datetime
    fail_count: int
    signature: str | None  # "valid", the problem the hub found, or None (not checked)


def list_received(
    store: Store,
    system_id: str,
    *,
    message_type: str | None,
    since: datetime,
    until: datetime,
    cap: int,
) -> tuple[InboxItem, ...]:
    """The system's deliveries not yet acknowledged `done`, oldest first, at most `cap`."""
    rows = store.deliveries.inbox(system_id, message_type, since, until, cap)
    return tuple(
        InboxItem(
            receiver_doc_id(r.delivery_id),
            r.kind,
            r.sender_code,
            r.recipient_code,
            r.state,
            r.created_at,
            r.acked_at or r.created_at,
            r.fail_count,
            r.signature,
        )
        for r in rows
    )


def count_pending(store: Store, system_id: str, message_type: str) -> int:
    return store.deliveries.count_open(system_id, message_type)


def fetch(store: Store, system_id: str, doc_id: str) -> bytes:
    """The edXML as delivered: a recipient's copy by its docId, or the sender's own document."""
    stored = _visible_document(store, system_id, doc_id)
    if stored is None:
        raise DocumentNotFound(f"Document {doc_id!r} does not exist for system {system_id!r}.")
    parts = [(sha, Base64Layout(**layout)) for sha, layout in json.loads(stored.parts)]
    contents = store.documents.blob_contents([sha for sha, _ in parts])
    return splice(stored.skeleton, stored.marker_key, [(contents[s], lay) for s, lay in parts])


def _visible_document(store: Store, system_id: str, doc_id: str) -> StoredDocument | None:
    delivery = receiver_row(doc_id)
    if delivery is not None:
        row = store.deliveries.get(delivery)
        if row is None or row.recipient_system != system_id:
            return None
        return store.documents.get(row.doc)
    own = sender_row(doc_id)
    stored = store.documents.get(own) if own is not None else None
    return stored if stored is not None and stored.sender_system == system_id else None


def acknowledge(store: Store, system_id: str, doc_id: str, status: str) -> None:
    """updateStatus: `done` takes the delivery off the list; `fail` and `processing` keep it."""
    delivery = receiver_row(doc_id)
    row = store.deliveries.get(delivery) if delivery is not None else None
    if row is None or row.recipient_system != system_id:
        raise DocumentNotFound(f"Document {doc_id!r} was not delivered to system {system_id!r}.")
    store.deliveries.acknowledge(row.id, system_id, ACK_STATES[status], store.now)
    store.record("delivery_acknowledged", system_id, doc_id, status=status)
