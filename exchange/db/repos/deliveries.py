"""Deliveries (one per message and recipient) and the business-status history on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from exchange.db.models import deliveries, documents, status_events

__all__ = ["DeliveryRepository", "DeliveryRow", "InboxRow"]


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    id: int
    doc: int
    kind: str
    recipient_code: str
    recipient_system: str
    state: str
    fail_count: int
    acked_at: datetime | None
    business_status: str | None
    business_status_at: datetime | None
    recall_state: str | None


@dataclass(frozen=True, slots=True)
class InboxRow:
    delivery_id: int
    doc: int
    kind: str
    sender_code: str
    recipient_code: str
    state: str
    fail_count: int
    created_at: datetime


_ROW = [deliveries.c[name] for name in DeliveryRow.__slots__]


class DeliveryRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(
        self, doc: int, kind: str, recipients: Sequence[tuple[str, str]], now: datetime
    ) -> None:
        rows = [
            {
                "doc": doc,
                "kind": kind,
                "recipient_code": code,
                "recipient_system": system,
                "state": "pending",
                "open_for": system,
                "fail_count": 0,
                "created_at": now,
            }
            for code, system in recipients
        ]
        self._db.execute(insert(deliveries), rows)

    def inbox(
        self, system: str, kind: str | None, agency: str | None, after: int, limit: int
    ) -> list[InboxRow]:
        d = deliveries.c
        query = (
            select(
                d.id,
                d.doc,
                d.kind,
                documents.c.sender_code,
                d.recipient_code,
                d.state,
                d.fail_count,
                d.created_at,
            )
            .join(documents, documents.c.id == d.doc)
            .where(d.open_for == system, d.id > after)
            .order_by(d.id)
            .limit(limit)
        )
        if kind:
            query = query.where(d.kind == kind)
        if agency:
            query = query.where(d.recipient_code == agency)
        return [InboxRow(*row) for row in self._db.execute(query)]

    def of_doc(self, doc: int) -> list[DeliveryRow]:
        query = select(*_ROW).where(deliveries.c.doc == doc).order_by(deliveries.c.id)
        return [DeliveryRow(*row) for row in self._db.execute(query)]

    def find(self, doc: int, recipient_code: str) -> DeliveryRow | None:
        query = select(*_ROW).where(
            deliveries.c.doc == doc, deliveries.c.recipient_code == recipient_code
        )
        row = self._db.execute(query).first()
        return DeliveryRow(*row) if row else None

    def delivered_to(self, doc: int, system: str) -> bool:
        d = deliveries.c
        query = select(d.id).where(d.doc == doc, d.recipient_system == system).limit(1)
        return self._db.execute(query).first() is not None

    def acknowledge(
        self, doc: int, system: str, agency: str | None, done: bool, now: datetime
    ) -> int:
        d = deliveries.c
        query = update(deliveries).where(d.doc == doc, d.recipient_system == system)
        if agency:
            query = query.where(d.recipient_code == agency)
        if done:
            query = query.values(state="done", acked_at=now, open_for=None)
        else:
            query = query.where(d.state != "done").values(
                state="failed", fail_count=d.fail_count + 1
            )
        return int(self._db.execute(query).rowcount)

    def set_business_status(self, delivery_id: int, code: str, at: datetime) -> None:
        query = update(deliveries).where(deliveries.c.id == delivery_id)
        self._db.execute(query.values(business_status=code, business_status_at=at))

    def set_recall_state(self, delivery_ids: Sequence[int], state: str) -> None:
        query = update(deliveries).where(deliveries.c.id.in_(delivery_ids))
        self._db.execute(query.values(recall_state=state))

    def add_events(self, events: Sequence[tuple[int, str, int]], at: datetime) -> None:
        rows = [
            {"delivery": delivery, "code": code, "status_doc": status_doc, "at": at}
            for delivery, code, status_doc in events
        ]
        if rows:
            self._db.execute(insert(status_events), rows)

    def history(self, delivery_ids: Sequence[int]) -> dict[int, list[tuple[str, datetime]]]:
        e = status_events.c
        query = select(e.delivery, e.code, e.at).where(e.delivery.in_(delivery_ids))
        result: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
        for delivery, code, at in self._db.execute(query.order_by(e.id)):
            result[delivery].append((code, at))
        return dict(result)
