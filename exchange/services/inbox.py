"""The receiving side: list what arrived, download it, acknowledge the transport."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from exchange.db.store import Store
from exchange.domain.errors import DocumentNotFound
from exchange.edxml import Base64Layout, splice

__all__ = ["InboxItem", "InboxPage", "acknowledge", "fetch", "list_received"]


@dataclass(frozen=True, slots=True)
class InboxItem:
    doc_id: int
    message_type: str
    sender: str
    recipient: str
    created: datetime
    fail_count: int
    signature: str | None  # "valid", the problem the hub found, or None (not checked)


@dataclass(frozen=True, slots=True)
class InboxPage:
    items: tuple[InboxItem, ...]
    next_cursor: str | None


def list_received(
    store: Store,
    system_id: str,
    *,
    message_type: str | None,
    agency: str | None,
    after: str | None,
    limit: int,
) -> InboxPage:
    """Unacknowledged deliveries for the system, oldest first; the cursor is opaque."""
    start = int(after) if after and after.isdigit() else 0
    rows = store.deliveries.inbox(system_id, message_type, agency, start, limit + 1)
    items = tuple(
        InboxItem(
            r.doc, r.kind, r.sender_code, r.recipient_code, r.created_at, r.fail_count, r.signature
        )
        for r in rows[:limit]
    )
    more = len(rows) > limit
    return InboxPage(items, str(rows[limit - 1].delivery_id) if more else None)


def fetch(store: Store, system_id: str, doc_id: int) -> bytes:
    """The edXML as delivered: the stored skeleton with its attachments spliced back in."""
    stored = store.documents.get(doc_id)
    visible = stored is not None and (
        stored.sender_system == system_id or store.deliveries.delivered_to(doc_id, system_id)
    )
    if stored is None or not visible:
        raise DocumentNotFound(f"Document {doc_id} does not exist for system {system_id!r}.")
    parts = [(sha, Base64Layout(**layout)) for sha, layout in json.loads(stored.parts)]
    contents = store.documents.blob_contents([sha for sha, _ in parts])
    return splice(stored.skeleton, stored.marker_key, [(contents[s], lay) for s, lay in parts])


def acknowledge(
    store: Store, system_id: str, doc_id: int, *, done: bool, agency: str | None
) -> int:
    """Mark the system's deliveries of `doc_id` done (they leave the list) or failed."""
    count = store.deliveries.acknowledge(doc_id, system_id, agency, done, store.now)
    if count == 0 and not _has_delivery(store, system_id, doc_id, agency):
        raise DocumentNotFound(f"Document {doc_id} was not delivered to system {system_id!r}.")
    store.record("delivery_acknowledged", system_id, str(doc_id), done=done, agency=agency)
    return count


def _has_delivery(store: Store, system_id: str, doc_id: int, agency: str | None) -> bool:
    return any(
        d.recipient_system == system_id and agency in (None, d.recipient_code)
        for d in store.deliveries.of_doc(doc_id)
    )
