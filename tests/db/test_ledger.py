"""The hub's ledger as reconciliation streams it: each document once, with its deliveries and
their status histories in order; open status deliveries counted. Both back ends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from exchange.db.engine import make_engine
from exchange.db.repos.documents import NewDocument
from exchange.db.repos.ledger import LedgerDelivery, LedgerRepository
from exchange.db.store import Store

pytestmark = pytest.mark.db

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SENDER, A, B = "000.00.01.H42", "000.00.02.H42", "000.00.03.H42"


def _document(store: Store, kind: str, key: str, document_id: str) -> int:
    return store.documents.add(
        NewDocument(
            kind=kind,
            dedup_key=key,
            sender_code=SENDER,
            sender_system="province",
            document_id=document_id,
            business_type=0,
            skeleton=b"<edXML/>",
            marker_key="m",
            parts="[]",
            size=8,
            created_at=NOW,
            status_code="01" if kind == "status" else None,
        ),
        (),
    )


def _fill(store: Store) -> None:
    first = _document(store, "edoc", "k1", "D,1")
    second = _document(store, "edoc", "k2", "D,2")
    _document(store, "edoc", "k3", "D,3")  # no delivery at all
    store.deliveries.add(first, "edoc", [(A, "sa"), (B, "sb")], NOW)
    store.deliveries.add(second, "edoc", [(A, "sa")], NOW)
    to_a = store.deliveries.find(first, A)
    assert to_a is not None
    store.deliveries.acknowledge(to_a.id, "sa", "done", NOW)
    status = _document(store, "status", "k4", "D,1")
    store.deliveries.add(status, "status", [(SENDER, "province")], NOW)
    store.deliveries.add_events([(to_a.id, "01", status), (to_a.id, "03", status)], NOW)


def test_the_ledger_streams_documents_with_deliveries_and_histories(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        _fill(Store(connection, NOW))
    with engine.connect() as connection:
        ledger = LedgerRepository(connection)
        found = list(ledger.documents(chunk=2))
        open_statuses = ledger.open_status_deliveries()
    engine.dispose()
    assert [d.document_id for d in found] == ["D,1", "D,2", "D,3"]  # status packages left out
    first, second, third = found
    assert first.deliveries == (
        LedgerDelivery(A, "done", None, None, ("01", "03")),
        LedgerDelivery(B, "pending", None, None, ()),  # system sb has not acknowledged
    )
    assert second.deliveries == (LedgerDelivery(A, "pending", None, None, ()),)
    assert third.deliveries == () and third.sender == SENDER and third.business_type == 0
    assert open_statuses == 1
