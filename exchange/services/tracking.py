"""The sending side: per recipient, the transport state and the business status history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exchange.db.store import Store
from exchange.domain.docids import receiver_doc_id, sender_row
from exchange.domain.errors import DocumentNotFound

__all__ = ["RecipientReport", "SentReport", "sent_report"]


@dataclass(frozen=True, slots=True)
class RecipientReport:
    recipient: str
    receiver_doc_id: str
    transport: str  # pending | working | failed | done
    fail_count: int
    acknowledged_at: datetime | None
    status: str | None
    status_at: datetime | None
    recall: str | None
    history: tuple[tuple[str, datetime], ...]


@dataclass(frozen=True, slots=True)
class SentReport:
    sender: str
    kind: str
    sent_at: datetime
    title: str
    notation: str
    recipients: list[RecipientReport]
    verification: dict[str, Any] | None  # what the hub found of the signatures


def sent_report(store: Store, system_id: str, doc_id: str) -> SentReport:
    row = sender_row(doc_id)
    stored = store.documents.get(row) if row is not None else None
    if stored is None or stored.sender_system != system_id:
        raise DocumentNotFound(f"System {system_id!r} sent no document {doc_id!r}.")
    deliveries = store.deliveries.of_doc(stored.id)
    history = store.deliveries.history([d.id for d in deliveries])
    recipients = [
        RecipientReport(
            recipient=d.recipient_code,
            receiver_doc_id=receiver_doc_id(d.id),
            transport=d.state,
            fail_count=d.fail_count,
            acknowledged_at=d.acked_at if d.state == "done" else None,
            status=d.business_status,
            status_at=d.business_status_at,
            recall=d.recall_state,
            history=tuple(history.get(d.id, ())),
        )
        for d in deliveries
    ]
    verification = json.loads(stored.verification) if stored.verification else None
    return SentReport(
        stored.sender_code,
        stored.kind,
        stored.created_at,
        stored.title or "",
        stored.notation or "",
        recipients,
        verification,
    )
