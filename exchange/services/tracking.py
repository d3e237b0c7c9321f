"""The sending side: per recipient, the transport state and the business status history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exchange.db.store import Store
from exchange.domain.errors import DocumentNotFound

__all__ = ["RecipientReport", "SentReport", "sent_report"]


@dataclass(frozen=True, slots=True)
class RecipientReport:
    recipient: str
    transport: str  # pending | failed | done
    fail_count: int
    acknowledged_at: datetime | None
    status: str | None
    status_at: datetime | None
    recall: str | None
    history: tuple[tuple[str, datetime], ...]


@dataclass(frozen=True, slots=True)
class SentReport:
    recipients: list[RecipientReport]
    verification: dict[str, Any] | None  # what the hub found of the signatures


def sent_report(store: Store, system_id: str, doc_id: int) -> SentReport:
    stored = store.documents.get(doc_id)
    if stored is None or stored.sender_system != system_id:
        raise DocumentNotFound(f"System {system_id!r} sent no document {doc_id}.")
    rows = store.deliveries.of_doc(doc_id)
    history = store.deliveries.history([d.id for d in rows])
    recipients = [
        RecipientReport(
            recipient=d.recipient_code,
            transport=d.state,
            fail_count=d.fail_count,
            acknowledged_at=d.acked_at,
            status=d.business_status,
            status_at=d.business_status_at,
            recall=d.recall_state,
            history=tuple(history.get(d.id, ())),
        )
        for d in rows
    ]
    verification = json.loads(stored.verification) if stored.verification else None
    return SentReport(recipients, verification)
