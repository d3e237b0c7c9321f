"""Deliveries (one per message and recipient) and the business-status history on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, insert, select, update

from exchange.db.models import deliveries, documents, status_events
from exchange.db.prepared import Prepared

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
    acked_at: datetime | None
    signature: str | None


_ROW = [deliveries.c[name] for name in DeliveryRow.__slots__]
_C = deliveries.c
_FIND = Prepared(
    select(*_ROW).where(_C.doc == bindparam("doc"), _C.recipient_code == bindparam("code"))
)
_OF_DOC = Prepared(select(*_ROW).where(_C.doc == bindparam("doc")).order_by(_C.id))
_DELIVERED_TO = Prepared(
    select(_C.id)
    .where(_C.doc == bindparam("doc"), _C.recipient_system == bindparam("system"))
    .limit(1)
)


def _inbox_query(by_kind: bool) -> Select[Any]:
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
            _C.acked_at,
            documents.c.signature,
        )
        .join(documents, documents.c.id == _C.doc)
        .where(
            _C.open_for == bindparam("system"),
            _C.created_at >= bindparam("since"),
            _C.created_at < bindparam("until"),
        )
        .order_by(_C.id)
        .limit(bindparam("limit"))
    )
    if by_kind:
        query = query.where(_C.kind == bindparam("kind"))
    return query


_INBOX = {k: Prepared(_inbox_query(k)) for k in (False, True)}
_GET = Prepared(select(*_ROW).where(_C.id == bindparam("id")))
_COUNT_OPEN = Prepared(
    select(func.count())
    .select_from(deliveries)
    .where(_C.open_for == bindparam("system"), _C.kind == bindparam("kind"))
)
# A move lands only if the row still holds what the move was checked against: concurrent
# moves on one delivery have one winner, whatever the isolation level or number of writers.
_AS_SEEN = (
    _C.id == bindparam("delivery"),
    _C.business_status.is_not_distinct_from(bindparam("seen_status")),
    _C.recall_state.is_not_distinct_from(bindparam("seen_recall")),
)
_MOVE_STATUS = Prepared(
    update(deliveries)
    .where(*_AS_SEEN)
    .values(business_status=bindparam("code"), business_status_at=bindparam("at"))
)
_MOVE_RECALL = Prepared(
    update(deliveries).where(*_AS_SEEN).values(recall_state=bindparam("recall"))
)
TRANSPORT_STATES = ("pending", "working", "failed", "done")
_ACK_WHERE = (_C.id == bindparam("delivery"), _C.recipient_system == bindparam("system"))
_ACK_DONE = (
    update(deliveries)
    .where(*_ACK_WHERE)
    .values(state="done", acked_at=bindparam("now"), open_for=None)
)
_ACK_OPEN = update(deliveries).where(*_ACK_WHERE, _C.state != "done")
_ACK_WORKING = _ACK_OPEN.values(state="working", acked_at=bindparam("now"))
_ACK_FAILED = _ACK_OPEN.values(
    state="failed", acked_at=bindparam("now"), fail_count=_C.fail_count + 1
)
_ACKS = {
    "done": Prepared(_ACK_DONE),
    "working": Prepared(_ACK_WORKING),
    "failed": Prepared(_ACK_FAILED),
}
_INSERT = Prepared(insert(deliveries))
_INSERT_EVENTS = Prepared(insert(status_events))


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
        _INSERT.insert(self._db, rows)

    def inbox(
        self, system: str, kind: str | None, since: datetime, until: datetime, limit: int
    ) -> list[InboxRow]:
        """The system's open deliveries created in [since, until), oldest first."""
        parameters = {
            "system": system,
            "since": since,
            "until": until,
            "limit": limit,
            "kind": kind,
        }
        return [InboxRow(*row) for row in _INBOX[kind is not None].rows(self._db, parameters)]

    def count_open(self, system: str, kind: str) -> int:
        row = _COUNT_OPEN.first(self._db, {"system": system, "kind": kind})
        return int(row[0]) if row else 0

    def get(self, delivery_id: int) -> DeliveryRow | None:
        row = _GET.first(self._db, {"id": delivery_id})
        return DeliveryRow(*row) if row else None

    def of_doc(self, doc: int) -> list[DeliveryRow]:
        return [DeliveryRow(*row) for row in _OF_DOC.rows(self._db, {"doc": doc})]

    def find(self, doc: int, recipient_code: str) -> DeliveryRow | None:
        row = _FIND.first(self._db, {"doc": doc, "code": recipient_code})
        return DeliveryRow(*row) if row else None

    def delivered_to(self, doc: int, system: str) -> bool:
        return _DELIVERED_TO.first(self._db, {"doc": doc, "system": system}) is not None

    def acknowledge(self, delivery_id: int, system: str, state: str, now: datetime) -> int:
        """Set one delivery's transport state (`done` closes it; nothing reopens `done`)."""
        if state not in _ACKS:
            raise ValueError(state)
        parameters = {"delivery": delivery_id, "system": system, "now": now}
        return _ACKS[state].run(self._db, parameters)

    def move_status(self, row: DeliveryRow, code: str, at: datetime) -> bool:
        """The business status `code`, if the row is still as `row` saw it."""
        parameters = {**_seen(row), "code": code, "at": at}
        return _MOVE_STATUS.run(self._db, parameters) == 1

    def move_recall(self, row: DeliveryRow, state: str) -> bool:
        """The recall state, if the row is still as `row` saw it."""
        parameters = {**_seen(row), "recall": state}
        return _MOVE_RECALL.run(self._db, parameters) == 1

    def set_recall_state(self, delivery_ids: Sequence[int], state: str) -> None:
        query = update(deliveries).where(deliveries.c.id.in_(delivery_ids))
        self._db.execute(query.values(recall_state=state))

    def add_events(self, events: Sequence[tuple[int, str, int]], at: datetime) -> None:
        rows = [
            {"delivery": delivery, "code": code, "status_doc": status_doc, "at": at}
            for delivery, code, status_doc in events
        ]
        if rows:
            _INSERT_EVENTS.insert(self._db, rows)

    def history(self, delivery_ids: Sequence[int]) -> dict[int, list[tuple[str, datetime]]]:
        e = status_events.c
        query = select(e.delivery, e.code, e.at).where(e.delivery.in_(delivery_ids))
        result: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
        for delivery, code, at in self._db.execute(query.order_by(e.id)):
            result[delivery].append((code, at))
        return dict(result)


def _seen(row: DeliveryRow) -> dict[str, Any]:
    return {"delivery": row.id, "seen_status": row.business_status, "seen_recall": row.recall_state}
