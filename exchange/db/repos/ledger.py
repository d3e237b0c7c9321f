"""The hub's ledger as a reconciliation reads it: every document with its deliveries and
their status histories, streamed in chunks (a replay leaves millions of rows)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from exchange.db.models import deliveries, documents, status_events

__all__ = ["LedgerDelivery", "LedgerDocument", "LedgerRepository"]

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class LedgerDelivery:
    recipient: str
    state: str  # pending | failed | done
    business_status: str | None
    recall_state: str | None
    codes: tuple[str, ...]  # status history, oldest first


@dataclass(frozen=True, slots=True)
class LedgerDocument:
    doc_id: int
    sender: str
    document_id: str
    business_type: int
    deliveries: tuple[LedgerDelivery, ...] = field(default=())


_D, _L, _E = documents.c, deliveries.c, status_events.c
_ROWS = (
    select(
        _D.id,
        _D.sender_code,
        _D.document_id,
        _D.business_type,
        _L.id.label("delivery"),
        _L.recipient_code,
        _L.state,
        _L.business_status,
        _L.recall_state,
        _E.code,
    )
    .select_from(documents)
    .outerjoin(deliveries, _L.doc == _D.id)
    .outerjoin(status_events, _E.delivery == _L.id)
    .where(_D.kind == "edoc", _D.id > bindparam("after"))
    .order_by(_D.id, _L.id, _E.id)
)
_OPEN_STATUS = select(func.count()).where(_L.kind == "status", _L.state != "done")


class LedgerRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def documents(self, chunk: int = CHUNK, after: int = 0) -> Iterator[LedgerDocument]:
        """Documents (not status packages) with ids above `after` (a preloaded history's
        last), in id order, each once with all its deliveries."""
        rows = self._db.execution_options(yield_per=chunk).execute(_ROWS, {"after": after})
        for _, grouped in groupby(rows, key=lambda row: row.id):
            yield _document(list(grouped))

    def open_status_deliveries(self) -> int:
        """Status packages' deliveries not acknowledged done."""
        return int(self._db.execute(_OPEN_STATUS).scalar_one())


def _document(rows: list[Any]) -> LedgerDocument:  # Rows of _ROWS
    first = rows[0]
    found = [
        _delivery(list(group))
        for key, group in groupby(rows, key=lambda row: row.delivery)
        if key is not None
    ]
    return LedgerDocument(
        first.id, first.sender_code, first.document_id, first.business_type, tuple(found)
    )


def _delivery(rows: list[Any]) -> LedgerDelivery:
    first = rows[0]
    codes = tuple(row.code for row in rows if row.code is not None)
    return LedgerDelivery(
        first.recipient_code, first.state, first.business_status, first.recall_state, codes
    )
