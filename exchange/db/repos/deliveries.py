"""Deliveries (one per message and recipient) and the business-status history on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, insert, select, update

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
    signature: str | None


_ROW = [deliveries.c[name] for name in DeliveryRow.__slots__]
_C = deliveries.c
_FIND = select(*_ROW).where(_C.doc == bindparam("doc"), _C.recipient_code == bindparam("code"))
_OF_DOC = select(*_ROW).where(_C.doc == bindparam("doc")).order_by(_C.id)
_DELIVERED_TO = (
    select(_C.id).where(_C.doc == bindparam("doc"), _C.recipient_system == bindparam("system"))
).limit(1)
_SET_STATUS = (
    update(deliveries)
    .where(_C.id == bindparam("delivery"))
    .values(business_status=bindparam("code"), business_status_at=bindparam("at"))
)


def _inbox_query(by_kind: bool, by_agency: bool) -> Select[Any]:
    query = (
        select(
            _C.id,
            _C.doc,
            _C.kind,
            documents.c.sender_code,
            _C.recipient_code,
            _C.state,
            _C.fail_count,
            _C.created_at,
            documents.c.signature,
        )
        .join(documents, documents.c.id == _C.doc)
        .where(_C.open_for == bindparam("system"), _C.id > bindparam("after"))
        .order_by(_C.id)
        .limit(bindparam("limit"))
    )
    if by_kind:
        query = query.where(_C.kind == bindparam("kind"))
    if by_agency:
        query = query.where(_C.recipient_code == bindparam("agency"))
    return query


_INBOX = {(k, a): _inbox_query(k, a) for k in (False, True) for a in (False, True)}


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
        query = _INBOX[(kind is not None, agency is not None)]
        parameters = {
            "system": system,
            "after": after,
            "limit": limit,
            "kind": kind,
            "agency": agency,
        }
        return [InboxRow(*row) for row in self._db.execute(query, parameters)]

    def of_doc(self, doc: int) -> list[DeliveryRow]:
        return [DeliveryRow(*row) for row in self._db.execute(_OF_DOC, {"doc": doc})]

    def find(self, doc: int, recipient_code: str) -> DeliveryRow | None:
        row = self._db.execute(_FIND, {"doc": doc, "code": recipient_code}).first()
        return DeliveryRow(*row) if row else None

    def delivered_to(self, doc: int, system: str) -> bool:
        return self._db.execute(_DELIVERED_TO, {"doc": doc, "system": system}).first() is not None

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
        self._db.execute(_SET_STATUS, {"delivery": delivery_id, "code": code, "at": at})

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
